"""A finding, and how check names the objects in one: the words `ip xfrm state|policy` and
`ip -d link show` print for them, and the ip commands a fix is made of."""
from pyip.xfrm.objects import MODE_NAMES, PROTO_NAMES

DIR_NAMES = {0: "in", 1: "out", 2: "fwd"}


class Finding:
    __slots__ = ("rule", "severity", "objects", "detail", "why", "fix", "counters", "where")

    def __init__(self, rule, objects, detail, fix, why=None, where=None):
        self.rule = rule
        self.severity = rule.severity
        self.objects = objects
        self.detail = detail
        self.why = why or rule.why
        self.fix = fix
        self.counters = {}
        self.where = where or []

    def as_dict(self):
        d = {"rule": self.rule.id, "severity": self.severity, "objects": self.objects,
             "detail": self.detail, "why": self.why, "fix": self.fix}
        if self.where:
            d["lines"] = self.where
        if self.counters:
            d["counters"] = self.counters
        return d


def mark_words(mark):
    return "mark %#x/%#x" % (mark.value, mark.mask) if mark is not None and mark.mask else ""


def _join(*parts):
    return " ".join(p for p in parts if p)


def sa_id(s):
    """`ip xfrm state`'s words for an SA's ID (its first two lines)."""
    return "src %s dst %s proto %s spi %#010x reqid %u mode %s" % (
        s.src, s.dst, PROTO_NAMES.get(s.proto, s.proto), s.spi, s.reqid,
        MODE_NAMES.get(s.mode, s.mode))


def sa_words(s):
    return _join(sa_id(s), mark_words(s.mark), "if_id %#x" % s.if_id if s.if_id else "")


def sel_words(sel):
    words = "src %s/%u dst %s/%u" % (sel.src, sel.prefixlen_s, sel.dst, sel.prefixlen_d)
    if sel.proto:
        words += " proto %u" % sel.proto
    return words


def policy_words(p):
    """`ip xfrm policy`'s words: selector, dir, priority, ptype, mark, if_id."""
    return _join(sel_words(p.sel), "dir %s priority %u" % (DIR_NAMES.get(p.dir, p.dir),
                                                            p.priority),
                 "ptype sub" if p.ptype else "", mark_words(p.mark),
                 "if_id %#x" % p.if_id if p.if_id else "",
                 "action block" if p.action else "")


def tmpl_words(t):
    return _join("tmpl src %s dst %s proto %s" % (t.src, t.dst, PROTO_NAMES.get(t.proto, t.proto)),
                 "spi %#x" % t.spi if t.spi else "",
                 "reqid %u" % t.reqid if t.reqid else "",
                 "mode %s" % MODE_NAMES.get(t.mode, t.mode), "level use" if t.level else "")


def link_words(l):
    """The link's name and `ip -d link show`'s words for its kind."""
    i = l.info
    if l.kind == "xfrm":
        return "%s: xfrm %s" % (l.ifname, "external" if i.external else "if_id %#x" % (i.if_id or 0))
    return "%s: %s remote %s local %s ikey %s okey %s" % (
        l.ifname, l.kind, i.remote or "any", i.local or "any", key(i.ikey), key(i.okey))


def key(k):
    k = k or 0
    return "%u.%u.%u.%u" % (k >> 24, k >> 16 & 255, k >> 8 & 255, k & 255)


# ---- the commands of a fix ---------------------------------------------------------------------

def policy_command(p, **change):
    """`ip xfrm policy update ...` that remakes p with the fields in `change` replaced
    (mark=(v, m) or None, if_id=N, tmpls=[...], priority=N)."""
    mark = change.get("mark", (p.mark.value, p.mark.mask) if p.mark and p.mark.mask else None)
    ifid = change.get("if_id", p.if_id or 0)
    words = ["ip xfrm policy update", sel_words(p.sel), "dir", DIR_NAMES.get(p.dir, str(p.dir)),
             "priority %u" % change.get("priority", p.priority)]
    if p.ptype:
        words.append("ptype sub")
    if mark:
        words.append("mark %#x mask %#x" % mark)
    if ifid:
        words.append("if_id %u" % ifid)
    if p.action:
        words.append("action block")
    for t in change.get("tmpls", p.tmpls or ()):
        words.append(tmpl_words(t))
    return " ".join(words)


def _algo_words(a):
    name = "'%s'" % a.name if "(" in a.name else a.name
    key_ = "0x" + bytes(a.key).hex() if a.key else "0x"
    extra = a.icv_len if a.kind == "aead" else a.trunc_len
    return _join(a.kind, name, key_, "%u" % extra if extra is not None else "")


def state_command(s, **change):
    """`ip xfrm state update ...` that remakes SA s with mark=(v, m)|None or if_id=N."""
    mark = change.get("mark", (s.mark.value, s.mark.mask) if s.mark and s.mark.mask else None)
    ifid = change.get("if_id", s.if_id or 0)
    words = ["ip xfrm state update", sa_id(s)]
    window = change.get("replay_window", s.replay_window)
    if window:
        words.append("replay-window %u" % window)
    if mark:
        words.append("mark %#x mask %#x" % mark)
    if ifid:
        words.append("if_id %u" % ifid)
    for f in ("aead", "enc", "auth_trunc", "auth", "comp"):
        a = getattr(s, f, None)
        if a is not None and not (f == "auth" and s.auth_trunc is not None):
            words.append(_algo_words(a))
    return " ".join(words)
