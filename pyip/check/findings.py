"""A finding, and how check names the objects in one: the words `ip xfrm state|policy` and
`ip -d link show` print for them, and the ip commands a fix is made of."""
from pyip.objects import Obj
from pyip.xfrm.msgs import DIR_NAMES, MODE_NAMES, PROTO_NAMES


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

    def data(self):
        """This finding as the API gives it."""
        return CheckFinding(rule=self.rule.id, severity=self.severity, objects=self.objects,
                            detail=self.detail, why=self.why, fix=self.fix,
                            lines=list(self.where), counters=dict(self.counters))


class CheckFinding(Obj):
    """One finding of `xfrm check`, as pyip.IP.check() returns it; as_dict() is the object
    `pyip -j xfrm check` prints for it.

    rule      the rule's id (`pyip xfrm check help` lists them)
    severity  "error" (traffic cannot pass), "warning" or "note"
    objects   the objects concerned, each as the words ip prints for it
    detail    what is wrong with them
    why       why that keeps traffic from passing
    fix       the ip commands that would fix it, one a line
    lines     (check -batch) the script lines of the objects; [] when live
    counters  the /proc/net/xfrm_stat counters of the rule's symptom that are not 0"""
    __slots__ = ("rule", "severity", "objects", "detail", "why", "fix", "lines", "counters")

    def as_dict(self, nokeys=False, stats=False):
        d = {f: getattr(self, f) for f in self.__slots__[:6]}
        if self.lines:
            d["lines"] = self.lines
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
    return "%s: %s remote %s local %s ikey %s okey %s%s" % (
        l.ifname, l.kind, i.remote or "any", i.local or "any", key(i.ikey), key(i.okey),
        " fwmark %#x" % i.fwmark if getattr(i, "fwmark", 0) else "")


def key(k):
    k = k or 0
    return "%u.%u.%u.%u" % (k >> 24, k >> 16 & 255, k >> 8 & 255, k & 255)


# ---- the commands of a fix: h-data's command() of a changed copy ---------------------------

def changed(obj, **change):
    """A copy of obj with some fields replaced; mark=(value, mask) or None."""
    from pyip.xfrm.objects import Mark
    c = type(obj)(**{f: getattr(obj, f) for f in type(obj).__slots__})
    for k, v in change.items():
        if k == "mark" and v is not None:
            v = Mark(value=v[0], mask=v[1])
        setattr(c, k, v)
    return c


def policy_command(p, **change):
    """`ip xfrm policy update ...` that remakes p with the fields in `change` replaced.
    A changed mark or if_id is part of the policy's identity: `update` would add a second
    policy beside p, and p would still take its flows (a policy without if_id catches what
    the namespace sends when its route is chosen, claim route-lookup-ifid0), so p is
    deleted first, then the changed one added (one command a line)."""
    from pyip.xfrm.save import policy_command as command
    c = changed(p, **change)
    if _identity(c) != _identity(p):
        return "%s\n%s" % (policy_delete(p), shell(command(changed(c, index=0))).replace(
            " index 0 ", " "))
    return shell(command(c, verb="update"))


def _identity(p):
    mark = (p.mark.value, p.mark.mask) if p.mark is not None and p.mark.mask else None
    return mark, p.if_id or 0


def policy_delete(p):
    """`ip xfrm policy delete` of p by its selector, dir, ptype, mark and if_id."""
    mark = p.mark if p.mark is not None and p.mark.mask else None
    return _join("ip xfrm policy delete", sel_words(p.sel),
                 "dir %s" % DIR_NAMES.get(p.dir, p.dir), "ptype sub" if p.ptype else "",
                 "mark %#x mask %#x" % (mark.value, mark.mask) if mark else "",
                 "if_id %#x" % p.if_id if p.if_id else "")


def state_command(s, **change):
    """`ip xfrm state update ...` that remakes SA s with the fields in `change` replaced
    (a changed mark: `ip xfrm state delete` by the old one, then `add`, one a line).
    A larval SA (allocspi) gets no if_id from ip 6.1's allocspi (it takes none): the update
    that completes it with its keys, as the IKE daemon sends it, carries the if_id (the
    kernel finds the larval SA by dst, spi, proto and mark, and replaces it)."""
    from pyip.xfrm.save import is_larval, state_command as command
    if "if_id" in change and is_larval(s):
        c = changed(s, **change)
        from pyip.claims import claim
        return ("ip xfrm state update %s%s if_id %#x ALGO KEY... (%s)" % (
            sa_id(c), "".join(" " + w for w in [mark_words(c.mark).replace("/", " mask ")]
                              if w), c.if_id or 0, claim("larval-ifid")))
    if change.get("replay_window") == 0:
        change["anti_replay_esn"] = None
    if "mark" in change and s.mark is not None and s.mark.mask and \
            change["mark"] != (s.mark.value, s.mark.mask):
        # `state update` finds the SA to replace by the new mark: one with another mark
        # is not found (ESRCH).  Delete it by its own mark and add it again.
        return "ip xfrm state delete src %s dst %s proto %s spi %#x mark %#x mask %#x\n%s" \
            % (s.src, s.dst, PROTO_NAMES.get(s.proto, s.proto), s.spi, s.mark.value,
               s.mark.mask, shell(command(changed(s, **change))))
    return shell(command(changed(s, **change), verb="update"))


def shell(line):
    """A -batch line as a shell command: algorithm names like rfc4106(gcm(aes)) quoted."""
    return "ip " + " ".join("'%s'" % w if "(" in w else w for w in line.split(" "))
