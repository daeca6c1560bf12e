"""pyip.IP's typed calls for SAs and policies: Python values in, objects out.

    ip.xfrm_state_add(src="10.0.0.1", dst="10.0.0.2", proto="esp", spi=0x100, mode="tunnel",
                      enc=Algo(kind="enc", name="cbc(aes)", key=bytes(16)))
    ip.xfrm_policy_add(XfrmPolicy(sel=Selector(src="10.1.0.0/16", dst="10.2.0.0/16"),
                                  dir="out", tmpls=[XfrmTmpl(src=..., dst=..., proto="esp",
                                                             mode="tunnel")]))
    sa = ip.xfrm_state_get(src="10.0.0.1", dst="10.0.0.2", proto="esp", spi=0x100)
    ip.xfrm_states(proto="esp", mode="tunnel")        # list's filter, by its words' names

A call takes an object (XfrmState, XfrmPolicy: what the listings return, or one made by
hand) or the object's fields as keyword arguments, with the man page's names and values as
numbers or words (proto="esp" or 50).  It becomes the command line that says the same
(the object's command(): the words `xfrm state save` writes) and that line is read by the
same grammar and sent by the same encoder as `pyip xfrm ...`: the same checks, ip's error
texts (IpError), the same request bytes (tests/offline/test_calls.py holds them to ip's
recorded requests).  Fields the kernel fills in (lifetime_cur, stats, index of an added
policy) are not sent.
"""
from __future__ import annotations

from pyip.xfrm import msgs as m
from pyip.xfrm.objects import Lifetime, Selector, XfrmPolicy, XfrmState, XfrmTmpl
from pyip.xfrm.save import policy_command, policy_id_command, state_command, state_id_command

# the words the fields may be given as, and their numbers (msgs' tables, one each)
_FLAGS = {XfrmState: m.words_of(m.XFRM_STATE_FLAGS), XfrmPolicy: m.words_of(m.POLICY_FLAGS)}
# what a command without the word sends
_STATE_DEFAULTS = {"mode": 0, "reqid": 0, "flags": 0, "seq": 0, "replay_window": 0, "spi": 0}
_POLICY_DEFAULTS = {"dir": 0, "action": 0, "priority": 0, "index": 0, "flags": 0, "share": 0,
                    "ptype": None, "socket": False}
_TMPL_DEFAULTS = {"proto": 0, "spi": 0, "reqid": 0, "mode": 0, "share": 0, "level": 0}
_SELECTOR_DEFAULTS = {"prefixlen_s": None, "prefixlen_d": None, "proto": 0, "sport": 0,
                      "dport": 0, "sport_mask": 0, "dport_mask": 0, "ifindex": 0, "user": 0}


def _copy(obj, cls, fields, defaults):
    """A new cls from obj (or nothing) and keyword fields, with a command's defaults where
    neither says (the class turns a name into its Named value, or says ValueError); the
    caller's object is left as it was."""
    if obj is not None and not isinstance(obj, cls):
        raise TypeError("expected a %s, not %s" % (cls.__name__, type(obj).__name__))
    values = {f: getattr(obj, f) for f in cls.__slots__} if obj is not None else {}
    unknown = set(fields) - set(cls.__slots__)
    if unknown:
        raise TypeError("%s has no field %s" % (cls.__name__, ", ".join(sorted(unknown))))
    values.update((k, v) for k, v in fields.items() if v is not None)
    for f, d in defaults.items():
        if values.get(f) is None:
            values[f] = d
    flags = values.get("flags")
    if flags is not None and not isinstance(flags, int):
        names = _FLAGS[cls]
        values["flags"] = sum(names[n.replace("-", "_")] for n in flags)
    return cls(**values)


def _selector(sel):
    """A Selector (or a dict of its fields); src/dst may carry their prefix ("10.0.0.0/8")."""
    if sel is None:
        return None
    fields = dict(sel) if isinstance(sel, dict) else {}
    s = _copy(None if isinstance(sel, dict) else sel, Selector, fields, _SELECTOR_DEFAULTS)
    for end in ("src", "dst"):
        text = getattr(s, end)
        plen = "prefixlen_" + end[0]
        if text is not None and "/" in text:
            text, _, bits = text.partition("/")
            setattr(s, end, text)
            setattr(s, plen, int(bits))
        if getattr(s, plen) is None:
            setattr(s, plen, 0 if text is None else 128 if ":" in text else 32)
    if s.family is None:        # by hand: the addresses' (none given: no family, as ip's)
        given = s.src or s.dst
        s.family = 0 if given is None else 10 if ":" in given else 2
    for end in ("src", "dst"):
        if getattr(s, end) is None:
            setattr(s, end, "::" if s.family == 10 else "0.0.0.0")
    return s


def state_of(state, fields):
    s = _copy(state, XfrmState, fields, _STATE_DEFAULTS)
    if s.lifetime is None:
        s.lifetime = Lifetime.unlimited()
    s.sel = _selector(s.sel)
    for f in ("auth", "auth_trunc", "aead", "enc", "comp"):
        a = getattr(s, f)
        if a is not None and a.kind is None:     # the field says which kind it is
            a.kind = f.replace("_", "-")
    return s


def policy_of(policy, fields):
    p = _copy(policy, XfrmPolicy, fields, _POLICY_DEFAULTS)
    if p.lifetime is None:
        p.lifetime = Lifetime.unlimited()
    p.sel = _selector(p.sel) or _selector({})
    p.tmpls = [_copy(t, XfrmTmpl, {}, _TMPL_DEFAULTS) for t in p.tmpls or ()]
    for t in p.tmpls:
        if not t.family:
            t.family = 10 if ":" in (t.src or t.dst or "") else 2
        t.src, t.dst = t.src or "0.0.0.0", t.dst or "0.0.0.0"
    return p


def filter_words(filters):
    """list's words for keyword filters: src="10.0.0.1", proto="esp", flag=["noecn"],
    nosock=True, ... (each name a word of the man page, _ for -)."""
    words = []
    for name, v in filters.items():
        word = name.replace("_", "-") if name not in ("if_id",) else name
        if v is True:
            words.append(word)
        elif isinstance(v, (list, tuple)):
            words += [word] + [str(x) for x in v]
        elif v is not None and v is not False:
            words += [word, str(v)]
    return words


class XfrmCalls:
    """The typed calls (a part of pyip.IP): each runs as one command of the handle."""

    # ---- SAs ------------------------------------------------------------------------------

    def xfrm_state_add(self, state: XfrmState | None = None, **fields) -> None:
        """Add an SA (`xfrm state add`): an XfrmState, or its fields."""
        self.run(_split(state_command(state_of(state, fields), verb="add", as_made=False)))

    def xfrm_state_update(self, state: XfrmState | None = None, **fields) -> None:
        """Change an SA (`xfrm state update`)."""
        self.run(_split(state_command(state_of(state, fields), verb="update", as_made=False)))

    def xfrm_state_delete(self, state: XfrmState | None = None, **fields) -> None:
        """Delete the SA of this ID (src, dst, proto, spi; mark)."""
        self.run(_split(state_id_command(state_of(state, fields), "delete")))

    def xfrm_state_get(self, state: XfrmState | None = None, **fields) -> XfrmState:
        """The kernel's SA of this ID, as an XfrmState."""
        from pyip.xfrm.state import fetch
        words = _split(state_id_command(state_of(state, fields), "get"))[3:]
        return self._call(fetch, words)

    def xfrm_states(self, **filters) -> list[XfrmState]:
        """The SAs `xfrm state list` shows, as XfrmState objects; filters: list's words
        (src, dst, proto, spi, mode, reqid, flag)."""
        from pyip.xfrm.state import listed
        return self._call(listed, filter_words(filters))

    def xfrm_state_flush(self, proto: str | int | None = None) -> None:
        """Delete the SAs (of one XFRM-PROTO)."""
        self.run(["xfrm", "state", "flush"] + (["proto", str(proto)] if proto else []))

    # ---- policies -------------------------------------------------------------------------

    def xfrm_policy_add(self, policy: XfrmPolicy | None = None, **fields) -> None:
        """Add a policy (`xfrm policy add`): an XfrmPolicy, or its fields."""
        self.run(_split(policy_command(policy_of(policy, fields), verb="add")))

    def xfrm_policy_update(self, policy: XfrmPolicy | None = None, **fields) -> None:
        """Change a policy (`xfrm policy update`)."""
        self.run(_split(policy_command(policy_of(policy, fields), verb="update")))

    def xfrm_policy_delete(self, policy: XfrmPolicy | None = None, **fields) -> None:
        """Delete the policy of this selector and dir (ptype, mark, if_id, ctx)."""
        self.run(_split(policy_id_command(policy_of(policy, fields), "delete")))

    def xfrm_policy_get(self, policy: XfrmPolicy | None = None, **fields) -> XfrmPolicy:
        """The kernel's policy of this selector and dir, as an XfrmPolicy."""
        from pyip.xfrm.policy import fetch
        words = _split(policy_id_command(policy_of(policy, fields), "get"))[3:]
        return self._call(fetch, words)

    def xfrm_policies(self, **filters) -> list[XfrmPolicy]:
        """The policies `xfrm policy list` shows, as XfrmPolicy objects; filters: list's
        words (src, dst, dev, proto, sport, dport, dir, index, ptype, action, priority, flag,
        nosock=True)."""
        from pyip.xfrm.policy import listed
        return self._call(listed, filter_words(filters))

    def xfrm_policy_flush(self, ptype: str | int | None = None) -> None:
        """Delete the policies (of one ptype)."""
        self.run(["xfrm", "policy", "flush"] + (["ptype", str(ptype)] if ptype else []))


def _split(line):
    """A command's words as save writes them (quoted where they hold blanks)."""
    from pyip.batch import makeargs
    return makeargs(line)
