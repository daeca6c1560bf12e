"""xfrm policy list's text (plain and -s) by runs (pyip/runs.py): the fields of a dumped policy,
what its wording depends on, and the format for one combination of those, beside
print_listed() (the same text a policy at a time) and print_policy_msg() (any policy) in
policy_print.py.

The shapes a real SPD has: with no template or with one to three, a selector with a
protocol and ports (or ICMP type and code), marks, if_id, IPv4 and IPv6, ptype, action
block, policy flags.  What is left to the general printer: selectors with a device,
GRE keys and MH ports, security contexts, socket policies, odd values."""
from _socket import ntohs
from _struct import Struct

from pyip import runs, shapes
from pyip.addr import AF_INET, TEXTS
from pyip.xfrm import common as c
from pyip.xfrm import msgs as m
from pyip.xfrm.policy_print import (ACTION_NAMES, DIR_NAMES, FLAG_NAMES, LEVELS, MAX_TMPLS,
                                    PTYPE_NAMES, SHAPES)

# the fields of xfrm_userpolicy_info after the selector's addresses, as the runs name them
# (msgs.py's layouts: the ports as numbers; the lifetimes, which -s alone prints, as bytes)
_RUN_REST = (m.SELECTOR.rows_as(
    {"daddr": "", "saddr": "", "dport_mask": "dmask", "sport_mask": "smask",
     "prefixlen_d": "plen_d", "prefixlen_s": "plen_s"},
    {"dport": "H", "dport_mask": "H", "sport": "H", "sport_mask": "H"})[2:]
    + (("lifetimes", "%ds" % (m.LIFETIME_CFG.size + m.LIFETIME_CUR.size)),)
    + m.POLICY_TAIL.rows_as({}))
# the selector's addresses: IPv4 ones as four bytes each, which the format prints as
# %u.%u.%u.%u (no conversion per address); others as 16 bytes, converted
_RUN_FIXED = {AF_INET: (tuple(("daddr.%d" % i, "B") for i in range(4)) + (("", "12x"),)
                        + tuple(("saddr.%d" % i, "B") for i in range(4)) + (("", "12x"),)
                        + _RUN_REST)}
_RUN_OTHER = (("daddr", "16s"), ("saddr", "16s")) + _RUN_REST
# the selector's family, which the fixed fields' layout depends on (_fixed)
_FAMILY_AT = (16 + m.SELECTOR.at("family"), "=H")
_V4_TEXT = "%u.%u.%u.%u"


def _fixed(family):
    return _RUN_FIXED.get(family, _RUN_OTHER)


# template i's fields are named with the suffix SUFFIXES[i]
SUFFIXES = ("",) + tuple("%d" % i for i in range(1, MAX_TMPLS))
_TMPL = m.USER_TMPL.rows_as({"daddr": "t_daddr", "proto": "t_proto", "family": "t_family",
                              "saddr": "t_saddr", "share": "t_share"})
_RUN_ATTRS = {
    m.XFRMA_POLICY_TYPE: m.POLICY_TYPE.rows_as({"type": "ptype", "reserved1": "",
                                                "reserved2": ""}),
    m.XFRMA_MARK: m.MARK.rows_as({"v": "mark", "m": "mask"}),
    m.XFRMA_IF_ID: (("if_id", "I"),)}
_TMPL_KEY = ("t_proto", "t_family", "mode", "optional")
_RUN_KEY = ("dmask", "smask", "family", "proto", "ifindex", "dir", "action", "flags",
            "ptype") + tuple(f + s for s in SUFFIXES for f in _TMPL_KEY)
_spi = shapes.Memo(lambda b: "spi 0x%s " % b.hex() if b != b"\0\0\0\0" else "")
_spi_stats = shapes.Memo(lambda b: "spi 0x%s(%u) " % (b.hex(), int.from_bytes(b, "big")))
# -s: the shares are columns, not keys (the plain text's keys stay as few as they were)
_share = shapes.Memo(lambda v: c.SHARES.get(v, "%u" % v))
_LIFETIMES = Struct("=8Q4Q")
_lifetime_texts = {}


def _lifetime_text(sl):
    """-s: the lifetime lines of a policy from its 96 bytes (print_listed()'s, kept)."""
    def text(raw):
        v = _LIFETIMES.unpack(raw)
        o = []
        c.print_lifetime(o, v[:8], v[8:], "\t")
        return "".join(o).replace("%", "%%")
    if sl not in _lifetime_texts:
        _lifetime_texts[sl] = shapes.Memo(text)
    return _lifetime_texts[sl].__getitem__


def _run_fields(type_, size):
    if type_ == m.XFRMA_TMPL:
        k, rest = divmod(size, m.USER_TMPL.size)
        if rest or not 0 < k <= MAX_TMPLS:
            return None
        return [(f + SUFFIXES[i] if f else f, fmt) for i in range(k) for f, fmt in _TMPL]
    return _RUN_ATTRS.get(type_)


def _variant(first):
    """What a run's columns depend on: the families (the selector's, each template's) and
    whether the selector prints ports."""
    return (first["family"], tuple(first["t_family" + s] for s in SUFFIXES
                                   if "t_family" + s in first),
            bool(first["dmask"] or first["smask"]))


def _run_columns(variant, batch):
    (sl, oneline, stats), (family, t_families, ports) = variant
    names = runs.address_text(family)
    t_names = [TEXTS.get(f) for f in t_families]
    if names is None or None in t_names:
        return None
    t_names = [t.__getitem__ for t in t_names]     # templates repeat their addresses: kept
    if "saddr.0" in batch.where:                    # an IPv4 layout
        head = ([("saddr.%d" % i, None) for i in range(4)] + [("plen_s", None)]
                + [("daddr.%d" % i, None) for i in range(4)] + [("plen_d", None)])
    else:
        head = [("saddr", names), ("plen_s", None), ("daddr", names), ("plen_d", None)]
    if ports:
        head += [("sport", ntohs), ("dport", ntohs)]
    mark = [("mark", runs.HASH_X), ("mask", runs.HASH_X)]
    if not stats:
        return (head + [("priority", None)] + mark
                + [col for s, t in zip(SUFFIXES, t_names)
                   for col in (("t_saddr" + s, t), ("t_daddr" + s, t), ("spi" + s, _spi.__getitem__),
                               ("reqid" + s, None))]
                + [("if_id", runs.HASH_X)])
    # the lifetimes' text is a piece of the format, so it must not be read as one
    return (head + [("user", None), ("index", None), ("priority", None),
                    ("share", _share.__getitem__), ("lifetimes", _lifetime_text(sl))] + mark
            + [col for s, t in zip(SUFFIXES, t_names)
               for col in (("t_saddr" + s, t), ("t_daddr" + s, t),
                           ("spi" + s, _spi_stats.__getitem__), ("reqid" + s, None),
                           ("reqid" + s, None), ("t_share" + s, _share.__getitem__),
                           ("ealgos" + s, None), ("aalgos" + s, None), ("calgos" + s, None))]
            + [("if_id", runs.HASH_X)])


def _upspec(k, stats):
    """print_selector()'s protocol and ports, as a format for the port columns (sport, dport;
    "%.0s" for one not printed); None where only the general printer prints them."""
    proto, smask, dmask = k["proto"], k["smask"], k["dmask"]
    text = "proto %s " % c.proto_name(proto).replace("%", "%%") if proto else ""
    if not (smask or dmask):
        return text
    skip = "%.0s"
    if proto in (c.IPPROTO_ICMP, c.IPPROTO_ICMPV6):
        return text + ("type %u " if smask else skip) + ("code %u " if dmask else skip)
    if proto == c.IPPROTO_GRE or (proto == c.IPPROTO_MH and dmask and stats):
        return None         # a GRE key of both ports; MH's dport in its bytes' order
    if proto == c.IPPROTO_MH:
        return text + ("type %u " if smask else skip) + skip
    return text + ("sport %u " if smask else skip) + ("dport %u " if dmask else skip)


def _run_form(k, variant):
    """print_policy_msg()'s text, as a format for the columns above."""
    (sl, oneline, stats), (family, t_families, ports) = variant
    tmpls = [s for s in SUFFIXES if "t_family" + s in k]
    if (k["ifindex"] or not family or k["family"] != family or k["dir"] > 2 or k["action"] > 1
            or bool(k["dmask"] or k["smask"]) != ports or len(tmpls) != len(t_families)
            or any(k["t_family" + s] != f or k["optional" + s] > 1
                   for s, f in zip(tmpls, t_families))):
        return None
    upspec = _upspec(k, stats)
    if upspec is None:
        return None
    ptype = k.get("ptype")
    ptype = "" if ptype is None else "ptype %s " % PTYPE_NAMES.get(ptype, "%u" % ptype)
    flags = k["flags"]
    flag = "flag " + c.flag_names(flags, FLAG_NAMES) if flags or stats else ""
    mark = "\tmark %s/%s " + sl if "mark" in k else ""
    if_id = "\tif_id %s" + sl if "if_id" in k else ""
    end = "\n" if oneline else ""
    text = []
    for s in tmpls:
        t_proto = c.XFRM_PROTO_NAMES.get(k["t_proto" + s]) or "%u" % k["t_proto" + s]
        t_mode = c.MODE_NAMES.get(k["mode" + s]) or "%u" % k["mode" + s]
        if stats:
            text += ["\ttmpl src %s dst %s", sl, "\t\tproto ", t_proto,
                     " %sreqid %u(0x%08x) mode ", t_mode, sl, "\t\tlevel ",
                     LEVELS[k["optional" + s]], " share %s ", sl,
                     "\t\tenc-mask %.8x auth-mask %.8x comp-mask %.8x", sl]
        else:
            text += ["\ttmpl src %s dst %s", sl, "\t\tproto ", t_proto, " %sreqid %u mode ",
                     t_mode, sl, "\t\tlevel use " + sl if k["optional" + s] else ""]
    a = _V4_TEXT if "saddr.0" in k else "%s"
    if stats:
        return "".join([
            "src ", a, "/%u dst ", a, "/%u ", upspec, "uid %u", sl, "\tdir ", DIR_NAMES[k["dir"]],
            " action ", ACTION_NAMES[k["action"]], " index %u priority %u ", ptype,
            "share %s ", flag, " (0x%s)" % c.mask8(flags), sl, "%s", mark] + text
            + [if_id, end])
    return "".join([
        "src ", a, "/%u dst ", a, "/%u ", upspec, sl, "\tdir ", DIR_NAMES[k["dir"]], " ",
        "action block " if k["action"] else "", "priority %u ", ptype, flag, sl, mark]
        + text + [if_id, end])


list_runs = runs.Runs(SHAPES, m.XFRM_MSG_NEWPOLICY, _fixed, _run_fields, _RUN_KEY,
                      _variant, _run_columns, _run_form, _FAMILY_AT)
