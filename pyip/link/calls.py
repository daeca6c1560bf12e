"""pyip.IP's typed calls for links: add, change and delete devices from Python values.

    ip.link_add("ipsec0", "xfrm", dev="eth0", if_id=42)
    ip.link_add("vti1", "vti", remote="192.0.2.2", local="192.0.2.1", ikey=7, okey=7)
    ip.link_add("ipsec1", "xfrm", info=XfrmInfo(if_id=43), mtu=1400)
    ip.link_set("vti1", "vti", okey=8)
    ip.link_delete("vti1")

Keyword arguments are the grammar's words (its tables: `link_word` for every device,
`KIND_link_word` for the kind's options; `True` for a word without a value), or an info
object (XfrmInfo, VtiInfo: what `links()` returns) for the kind's options.  A call is the
command line that says the same, run by the handle: the same reading, checks, ip's errors
(IpError) and request bytes as `pyip link ...` (tests/offline/test_calls.py).
"""
from __future__ import annotations

from pyip._tables import TABLES


_RULE_OF = {"vti6": "vti"}      # vti6's options are vti's rule (link.lark)


def _has(table):
    try:
        TABLES[table]       # (the compiled tables unpack one at a time: no `in`)
    except KeyError:
        return False
    return True


def _words(table, options):
    """The words of keyword options that are `table`'s keywords (in the caller's order)."""
    known = {keyword: values for keyword, _, _, values in TABLES[table]}
    words = []
    for name, v in options.items():
        if name not in known or v is None or v is False:
            continue
        if not known[name] or v is True:
            words.append(name)
        else:
            words += [name, str(v)]
    return words


def _info_options(kind, info):
    """An XfrmInfo's or VtiInfo's fields as the kind's words."""
    if info is None:
        return {}
    from pyip import links
    d = {}
    if getattr(info, "link", None):
        d["dev"] = links.index_to_name(info.link)
    if kind == "xfrm":
        if info.if_id is not None:
            d["if_id"] = info.if_id
        if info.external:
            d["external"] = True
        return d
    for f in ("remote", "local"):
        if getattr(info, f) is not None:
            d[f] = getattr(info, f)
    for f in ("ikey", "okey", "fwmark"):
        if getattr(info, f) is not None:
            d[f] = getattr(info, f)
    return d


def link_words(verb, ifname, kind, info, options):
    """`link VERB IFNAME [general words] [type KIND kind words]`."""
    kind_table = "%s_link_word" % _RULE_OF.get(kind, kind) if kind else None
    if kind_table is not None and not _has(kind_table):
        raise ValueError("pyip has no typed options for link kind %r (known: xfrm, vti, "
                         "vti6, vrf)" % kind)
    options = dict(options)
    kind_options = dict(_info_options(kind, info))
    if kind_table is not None:
        own = {keyword for keyword, _, _, _ in TABLES[kind_table]}
        kind_options.update((k, options.pop(k)) for k in list(options) if k in own)
    unknown = [k for k in options
               if k not in {keyword for keyword, _, _, _ in TABLES["link_word"]}]
    if unknown:
        raise TypeError("link options not in ip-link(8)%s: %s"
                        % (" or type %s" % kind if kind else "", ", ".join(unknown)))
    words = ["link", verb, ifname] + _words("link_word", options)
    if kind:
        words += ["type", kind] + _words(kind_table, kind_options)
    return words


class LinkCalls:
    """The typed link calls (a part of pyip.IP)."""

    def link_add(self, ifname: str, kind: str, info=None, **options) -> None:
        """`ip link add IFNAME ... type KIND ...`: a device of that kind."""
        self.run(link_words("add", ifname, kind, info, options))

    def link_set(self, ifname: str, kind: str | None = None, info=None, **options) -> None:
        """`ip link set IFNAME ... [type KIND ...]`: change a device (its kind's options
        too, where the kind takes them on set: vti, vti6)."""
        self.run(link_words("set", ifname, kind, info, options))

    def link_delete(self, ifname: str) -> None:
        """`ip link delete IFNAME`."""
        self.run(["link", "delete", ifname])
