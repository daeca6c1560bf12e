"""The rules of `xfrm check`: one small function each, registered with its stable id, its
severity (error: traffic the set-up seems to intend will not pass; warning: probably
unintended, traffic passes; note: worth knowing, traffic passes), what it finds, why that
breaks (or does not break) traffic, the fix, the kernel counters that show the symptom and
the traffic test that proves it (tests/kernel/test_check_traffic.py, set-ups in
tests/kernel/setups/).  RULES keeps them in the order the report uses."""
from pyip.check import findings as fd
from pyip.claims import claim
from pyip.check import model as mo
from pyip.check.model import ANY, if_id, mark_fits

RULES = []


class Rule:
    __slots__ = ("id", "severity", "what", "why", "claims", "fix", "counters", "proof",
                 "check")

    def __init__(self, **kw):
        for k, v in kw.items():
            setattr(self, k, v)


class Why(str):
    """A rule's "why": the sentences of its claims (pyip/claims.py, each proven by traffic),
    and a note about check itself, if any."""

    def __new__(cls, claims, note=""):
        w = str.__new__(cls, " ".join([claim(c) for c in claims] + ([note] if note else [])))
        w.claims, w.note = claims, note
        return w


def why(*claims, note=""):
    return Why(claims, note)


def rule(id, severity, what, why, fix, proof, counters=()):
    def register(fn):
        RULES.append(Rule(id=id, severity=severity, what=what, why=why, claims=why.claims,
                          fix=fix, counters=counters, proof=proof, check=fn))
        fn.rule = RULES[-1]
        return fn
    return register


def finding(fn, objects, detail, fix, severity=None, where=None):
    f = fd.Finding(fn.rule, objects, detail, fix, where=where)
    if severity:
        f.severity = severity
    return f


# ---- what the kernel would pair with what (computed once per model) -------------------------

class Pair:
    """An out policy's template and the SAs it could use, or an inbound SA and the policies
    that could accept what it decrypts; `problem` names the first thing that fails."""
    __slots__ = ("policy", "tmpl", "sa", "candidates", "problem", "flow_mark", "vti")

    def __init__(self, **kw):
        for f in self.__slots__:
            setattr(self, f, kw.get(f))


def flow_marks(model, p):
    """The marks the flows that reach out policy p carry: a VTI's okey where one fits p,
    else the least mark p accepts (0 for an unmarked policy)."""
    if if_id(p) == 0:
        keys = [v.info.okey or 0 for v in model.vtis() if mark_fits(p.mark, v.info.okey or 0)]
        if keys:
            return keys
    return [p.mark.value if p.mark is not None else 0]


def receiving_vti(model, sa):
    """The VTI that takes what arrives from sa.src to sa.dst (ip_tunnel_lookup by outer
    addresses; remote or local any takes any)."""
    for v in model.vtis():
        i = v.info
        if (not mo.endpoint(i.local) or i.local == sa.dst) and \
                (not mo.endpoint(i.remote) or i.remote == sa.src):
            return v
    return None


def _if_id_problem(have, want):
    return "ifid-missing" if have == 0 or 0 in want else "ifid-mismatch"


def out_pairs(model):
    cache = model.__dict__.setdefault("_out_pairs", None)
    if cache is not None:
        return cache
    pairs = []
    for p in model.out_policies():
        if p.action == mo.BLOCK:
            continue
        for t in p.tmpls or ():
            cands = [s for s in model.states if not mo.tmpl_fields(t, s, outbound=True)]
            pair = Pair(policy=p, tmpl=t, candidates=cands, flow_mark=flow_marks(model, p))
            good = [s for s in cands if if_id(s) == if_id(p)]
            if not cands:
                pair.problem = None if t.level else "tmpl-nosa"
            elif not good:
                pair.problem = _if_id_problem(if_id(p), {if_id(s) for s in cands})
            elif not any(mark_fits(s.mark, f) for s in good for f in pair.flow_mark):
                pair.problem = "mark-mismatch"
            pairs.append(pair)
    model._out_pairs = pairs
    return pairs


def in_pairs(model):
    cache = model.__dict__.setdefault("_in_pairs", None)
    if cache is not None:
        return cache
    pairs = []
    for s in model.states:
        if not model.inbound(s):
            continue
        vti = receiving_vti(model, s)
        mark = (vti.info.ikey or 0) if vti is not None else 0
        pair = Pair(sa=s, vti=vti, flow_mark=[mark])
        pols = [p for p in model.in_policies() if p.action != mo.BLOCK
                and any(not mo.tmpl_fields(t, s) for t in p.tmpls or ())]
        pair.candidates = pols
        good = [p for p in pols if if_id(p) == if_id(s)]
        meant = [v for v in model.vtis() if mark_fits(s.mark, v.info.ikey or 0)]
        if vti is None and meant and not mark_fits(s.mark, 0):
            # marked for a VTI that does not take what comes from s.src to s.dst
            pair.vti, pair.problem = meant[0], "vti-endpoints"
        elif not mark_fits(s.mark, mark):
            pair.problem = "vti-ikey" if vti is not None else "mark-mismatch"
        elif s.mode != mo.TUNNEL:
            pair.problem = None         # transport-mode packets without a policy pass
        elif not pols:
            pair.problem = "tmpl-in-nopolicy"
        elif not good:
            pair.problem = _if_id_problem(if_id(s), {if_id(p) for p in pols})
        elif not any(mark_fits(p.mark, mark) for p in good):
            pair.problem = "vti-ikey" if vti is not None else "mark-mismatch"
        pairs.append(pair)
    model._in_pairs = pairs
    return pairs


def having(pairs, problem):
    return [p for p in pairs if p.problem == problem]


def _where(model, *objs):
    return [w for w in (model.name(o) for o in objs) if w]


def _pol(p):
    return "policy " + fd.policy_words(p)


def _sa(s):
    return "state " + fd.sa_words(s)


def _link(l):
    return "link " + fd.link_words(l)


def _copy_tmpl(t, **change):
    from pyip.xfrm.objects import XfrmTmpl
    c = XfrmTmpl(**{f: getattr(t, f) for f in XfrmTmpl.__slots__})
    for k, v in change.items():
        setattr(c, k, v)
    return c


# ---- if_id ------------------------------------------------------------------------------------

@rule("ifid-orphan", "error",
      "a policy or SA with an if_id that no xfrm interface carries (and no external one)",
      why("xfrmi-if-id"),
      "create the interface (ip link add NAME type xfrm dev PHYS if_id N) or give the "
      "object the if_id of an existing one",
      "xfrmi/ifid-orphan.a.batch (also ifid-unused, ifid-mismatch)",
      ("XfrmOutNoStates", "XfrmInNoPols"))
def ifid_orphan(model):
    carried = model.if_ids_carried()
    if carried is None:
        return
    for obj in model.policies + model.states:
        n = if_id(obj)
        if not n or n in carried:
            continue
        others = sorted(i for i in carried if i)
        is_policy = hasattr(obj, "tmpls")
        if len(others) == 1:
            fix = (fd.policy_command(obj, if_id=others[0]) if is_policy
                   else fd.state_command(obj, if_id=others[0]))
        else:
            fix = "ip link add ipsec%u type xfrm if_id %u" % (n, n)
        yield finding(ifid_orphan, [_pol(obj) if is_policy else _sa(obj)],
                      "no xfrm interface here carries if_id %#x (%s%s)" % (n, ", ".join(
                          fd.link_words(l) for l in model.xfrm_links()) or "there is none",
                          "; one made here and moved to another namespace still takes it, "
                          "and check does not look there"),
                      fix, where=_where(model, obj))


@rule("ifid-unused", "error",
      "an xfrm interface whose if_id no policy uses",
      why("xfrmi-if-id"),
      "give the policies and SAs the interface's if_id, or the interface theirs "
      "(ip link set dev NAME type xfrm dev PHYS if_id N, naming the dev it has)",
      "xfrmi/ifid-unused.a.batch", ("XfrmOutNoStates",))
def ifid_unused(model):
    used = {if_id(p) for p in model.policies}
    for l in model.xfrm_links():
        n = l.info.if_id or 0
        if l.info.external or n in used or not model.here(l):
            continue
        theirs = sorted(i for i in used if i)
        # the kernel refuses a change that names another dev (none, when the words omit
        # it) than the interface has: claim xfrmi-change
        dev = model.dev_name(l)
        fix = ("ip link set dev %s type xfrm%s if_id %u" % (
            l.ifname, " dev %s" % dev if dev else "", theirs[0])
               if len(theirs) == 1 else
               "add (or give) the policies and SAs meant for %s if_id %u" % (l.ifname, n))
        yield finding(ifid_unused, [_link(l)], "no policy has if_id %#x" % n, fix,
                      where=_where(model, l))


def _pair_finding(fn, pair):
    """An if_id or mark finding of an out pair (policy, template -> SAs) or an in pair."""
    if pair.policy is not None:
        p, t = pair.policy, pair.tmpl
        return p, [_pol(p), fd.tmpl_words(t)] + [_sa(s) for s in pair.candidates]
    return pair.sa, [_sa(pair.sa)] + [_pol(p) for p in pair.candidates]


@rule("ifid-mismatch", "error",
      "an out policy whose if_id differs from that of the SAs its template selects (or an "
      "inbound SA whose if_id differs from the in policies that would accept it)",
      why("xfrmi-if-id"),
      "give the policy and its SAs the same if_id",
      "xfrmi/ifid-mismatch.a.batch (also ifid-orphan)",
      ("XfrmOutNoStates", "XfrmInNoPols", "XfrmInTmplMismatch"))
def ifid_mismatch(model):
    yield from _ifid_pairs(model, ifid_mismatch, "ifid-mismatch")


@rule("ifid-missing", "error",
      "an if_id on the SAs but not on the policies that use them, or the reverse",
      why("xfrmi-if-id", "route-lookup-ifid0"),
      "put the same if_id on the policy and on the SAs",
      "xfrmi/ifid-missing.a.batch",
      ("XfrmOutNoStates", "XfrmInNoPols"))
def ifid_missing(model):
    yield from _ifid_pairs(model, ifid_missing, "ifid-missing")


def _ifid_pairs(model, fn, problem):
    for pair in out_pairs(model):
        if pair.problem == problem:
            p = pair.policy
            ids = sorted({if_id(s) for s in pair.candidates})
            carried = model.if_ids_carried() or set()
            # mend the side whose if_id no interface carries
            fix = (fd.state_command(pair.candidates[0], if_id=if_id(p))
                   if if_id(p) in carried or len(ids) != 1 or not ids[0]
                   else fd.policy_command(p, if_id=ids[0]))
            yield finding(fn, _pair_finding(fn, pair)[1],
                          "the out policy has if_id %#x, the SAs its template selects %s"
                          % (if_id(p), ", ".join("%#x" % i for i in ids)), fix,
                          where=_where(model, p, *pair.candidates))
    for pair in in_pairs(model):
        if pair.problem == problem:
            s = pair.sa
            ids = sorted({if_id(p) for p in pair.candidates})
            carried = model.if_ids_carried() or set()
            fix = (fd.state_command(s, if_id=ids[0])
                   if len(ids) == 1 and ids[0] in carried and if_id(s) not in carried
                   else fd.policy_command(pair.candidates[0], if_id=if_id(s)))
            yield finding(fn, _pair_finding(fn, pair)[1],
                          "the inbound SA has if_id %#x, the in policies whose template "
                          "it fits %s" % (if_id(s), ", ".join("%#x" % i for i in ids)), fix,
                          where=_where(model, s, *pair.candidates))


@rule("link-down", "error",
      "an xfrm interface or VTI that is down while policies or SAs are meant for it",
      why("link-down"),
      "ip link set dev NAME up",
      "xfrmi/link-down.a.batch")
def link_down(model):
    for l in model.links:
        if l.info is None or mo.is_up(l):
            continue
        detail = _meant(model, l)
        if detail:
            yield finding(link_down, [_link(l)], detail, "ip link set dev %s up" % l.ifname,
                          where=_where(model, l))


def _meant(model, l):
    """Why policies or SAs are meant for route-based device l (None if none are)."""
    if l.info is None or not model.here(l):
        return None
    if l.kind == "xfrm" and not l.info.external and \
            (l.info.if_id or 0) in {if_id(o) for o in model.policies + model.states}:
        return "policies and SAs have its if_id %#x" % (l.info.if_id or 0)
    if l.kind in ("vti", "vti6") and mo.endpoint(l.info.remote) and any(
            mark_fits(p.mark, l.info.okey or 0) and any(t.dst == l.info.remote
                                                        for t in p.tmpls or ())
            for p in model.out_policies()):
        return "an out policy fits its okey and goes to its remote"
    return None


@rule("link-noroute", "error",
      "an xfrm interface or VTI, up, that policies or SAs are meant for, with no route into "
      "it",
      why("link-route"),
      "route the far end's addresses into the device (ip route add PREFIX dev NAME, or an "
      "address with a prefix on it: ip addr add A/LEN dev NAME)",
      "xfrmi/link-noroute.a.batch")
def link_noroute(model):
    for l in model.links:
        if not mo.is_up(l) or l.ifname in model.routed or not model.routes_known(l):
            continue
        detail = _meant(model, l)
        if detail:
            yield finding(link_noroute, [_link(l)],
                          "no route goes into it (%s)" % detail,
                          "ip route add PREFIX dev %s" % l.ifname, where=_where(model, l))


# ---- templates --------------------------------------------------------------------------------

@rule("tmpl-nosa", "error",
      "an out policy's template that no SA satisfies (src, dst, proto, mode, reqid, spi)",
      why("tmpl-sa", "tmpl-acquire"),
      "make the template and the SA agree on the field named (or add the SA)",
      "policy/tmpl-nosa.a.batch", ("XfrmOutNoStates",))
def tmpl_nosa(model):
    for pair in having(out_pairs(model), "tmpl-nosa"):
        p, t = pair.policy, pair.tmpl
        # the nearest SA goes to the template's dst: one going elsewhere is another tunnel
        near = min((s for s in model.states if s.dst == t.dst and s.proto == t.proto),
                   key=lambda s: len(mo.tmpl_fields(t, s, outbound=True)),
                   default=None)
        # ... but one SA that fits the template in all else, reqid too, is this tunnel's
        # own: the template's dst is the slip (xfrmi6/tmpl-nosa.a.batch), not a missing SA
        astray = [s for s in model.states if t.reqid and if_id(s) == if_id(p)
                  and [f for f, _, _ in mo.tmpl_fields(t, s, outbound=True)] == ["dst"]]
        if near is None and len(astray) == 1:
            (s,) = astray
            tmpls = [_copy_tmpl(x, dst=s.dst) if x is t else x for x in p.tmpls]
            yield finding(tmpl_nosa, [_pol(p), fd.tmpl_words(t), "nearest " + _sa(s)],
                          "no SA goes to %s; the SA with the template's reqid %u goes to %s"
                          % (t.dst, t.reqid, s.dst),
                          fd.policy_command(p, tmpls=tmpls), where=_where(model, p, s))
            continue
        if near is None:
            # the SA's spi and keys are the two ends' agreement: the fix names them; its
            # if_id is the policy's (an SA without it is never used, claim xfrmi-if-id)
            yield finding(tmpl_nosa, [_pol(p), fd.tmpl_words(t)],
                          "no SA goes to %s with %s" % (t.dst, fd.PROTO_NAMES.get(t.proto, t.proto)),
                          "ip xfrm state add src %s dst %s proto %s spi SPI reqid %u mode %s%s "
                          "ALGO KEY..." % (t.src, t.dst, fd.PROTO_NAMES.get(t.proto, t.proto),
                                           t.reqid, fd.MODE_NAMES.get(t.mode, t.mode),
                                           " if_id %#x" % if_id(p) if if_id(p) else ""),
                          where=_where(model, p))
            continue
        bad = mo.tmpl_fields(t, near, outbound=True)
        words = ", ".join("%s %s (the SA's: %s)" % (f, _show(f, a), _show(f, b))
                          for f, a, b in bad)
        fixed = _copy_tmpl(t, **{f: b for f, _, b in bad})
        tmpls = [fixed if x is t else x for x in p.tmpls]
        yield finding(tmpl_nosa, [_pol(p), fd.tmpl_words(t), "nearest " + _sa(near)],
                      "no SA fits the template; the nearest differs in " + words,
                      fd.policy_command(p, tmpls=tmpls), where=_where(model, p, near))


def _show(field, v):
    from pyip.xfrm.objects import MODE_NAMES, PROTO_NAMES
    if field == "mode":
        return MODE_NAMES.get(v, v)
    if field == "proto":
        return PROTO_NAMES.get(v, v)
    if field == "spi":
        return "%#x" % v
    return v


@rule("tmpl-in-nopolicy", "error",
      "a tunnel-mode inbound SA with no in policy whose template it fits: no in or fwd "
      "policy at all, or only fwd policies whose destination holds an address of this "
      "namespace",
      why("tmpl-in", "fwd-in"),
      "add the in policy (ip xfrm policy add dir in ... tmpl src SA-SRC dst SA-DST proto "
      "esp reqid R mode tunnel)",
      "policy/tmpl-in-nopolicy.a.batch (also policy/fwd-not-in.a.batch)",
      ("XfrmInNoPols", "XfrmInTmplMismatch"))
def tmpl_in_nopolicy(model):
    for pair in having(in_pairs(model), "tmpl-in-nopolicy"):
        s = pair.sa
        fix = "ip xfrm policy add src 0.0.0.0/0 dst 0.0.0.0/0 dir in%s%s tmpl src %s dst %s " \
              "proto %s reqid %u mode tunnel" % (
                  " mark %#x mask 0xffffffff" % pair.flow_mark[0] if pair.flow_mark[0] else "",
                  " if_id %u" % s.if_id if s.if_id else "", s.src, s.dst,
                  fd.PROTO_NAMES.get(s.proto, s.proto), s.reqid)
        yield finding(tmpl_in_nopolicy, [_sa(s)],
                      "no in or fwd policy has a template this SA fits (src %s dst %s reqid %u)"
                      % (s.src, s.dst, s.reqid), fix, where=_where(model, s))
    for pair in in_pairs(model):
        s = pair.sa
        if pair.problem or s.mode != mo.TUNNEL or \
                any(p.dir == mo.DIR_IN for p in pair.candidates):
            continue
        # only fwd policies fit: what is decrypted for this namespace's own addresses in
        # their destination is delivered here, and checked against in policies
        for p in pair.candidates:
            if p.sel.prefixlen_d > 0 and model.holds_local(p.sel):
                mine = [a.local for a in model.addresses if mo.holds(p.sel, a)]
                yield finding(tmpl_in_nopolicy, [_sa(s), _pol(p)],
                              "only fwd policies fit this SA, and %s, in %s/%u, is this "
                              "namespace's: what is decrypted for it is checked against in "
                              "policies" % (", ".join(mine), p.sel.dst, p.sel.prefixlen_d),
                              _policy_in_dir(p, mo.DIR_IN), where=_where(model, s, p))
                break


def _policy_in_dir(p, direction):
    """`ip xfrm policy add` of policy p in another dir (a new policy: the kernel numbers it)."""
    from pyip.xfrm.save import policy_command
    line = policy_command(fd.changed(p, dir=direction, index=0))
    return fd.shell(line.replace(" index 0 ", " "))


def _forwarded(model, sel):
    """The selector's destination is a prefix (not any) that holds no address of this
    namespace: what goes to it is forwarded.  (0.0.0.0/0, as route-based set-ups write, is
    local and forwarded alike: nothing is known.)"""
    return sel.prefixlen_d > 0 and model.holds_local(sel) is False


@rule("tmpl-fwd-nopolicy", "error",
      "a tunnel-mode inbound SA whose in policy's destination holds no address of this "
      "namespace (a forwarded subnet), with no fwd policy whose template it fits",
      why("fwd-in"),
      "add the fwd policy (the in policy's selector and template, with dir fwd; keep the in "
      "policy only if this namespace's own addresses are in its selector)",
      "fwd/tmpl-fwd-nopolicy.a.batch", ("XfrmInNoPols",))
def tmpl_fwd_nopolicy(model):
    for pair in in_pairs(model):
        s = pair.sa
        if pair.problem or s.mode != mo.TUNNEL:
            continue
        for p in pair.candidates:
            if p.dir != mo.DIR_IN or if_id(p) != if_id(s) or not _forwarded(model, p.sel):
                continue
            if any(q.dir == mo.DIR_FWD and q.action != mo.BLOCK and if_id(q) == if_id(s)
                   and mo.selector_covers(q.sel, p.sel) and mark_fits(q.mark, pair.flow_mark[0])
                   and any(not mo.tmpl_fields(t, s) for t in q.tmpls or ())
                   for q in model.in_policies()):
                continue
            here = ", ".join(a.local for a in model.addresses if a.family == p.sel.family) \
                or "none"
            yield finding(tmpl_fwd_nopolicy, [_sa(s), _pol(p)],
                          "no address of this namespace (%s) is in %s/%u: what the SA decrypts "
                          "for it is forwarded, and no fwd policy has a template the SA fits"
                          % (here, p.sel.dst, p.sel.prefixlen_d), _policy_in_dir(p, mo.DIR_FWD),
                          where=_where(model, s, p))


# ---- VTIs -------------------------------------------------------------------------------------

def _vti_out_policies(model, v):
    k = v.info.okey or 0
    return [p for p in model.out_policies() if if_id(p) == 0 and p.action != mo.BLOCK
            and mark_fits(p.mark, k)]


def _fwmark(v):
    """What a VTI's fwmark is not: ip_vti.c marks the flow of the policy and SA lookup with
    the okey alone, and fwmark only the route of the tunnel's own outer packets."""
    fw = getattr(v.info, "fwmark", 0)
    return ("; its fwmark %#x is no okey: %s" % (fw, claim("vti-fwmark", fwmark="%#x" % fw))
            if fw else "")


@rule("vti-okey", "error",
      "a VTI's okey that the mark of its out policies or SAs does not fit",
      why("vti-okey"),
      "make okey and the marks agree (ip link set dev VTI type vti|vti6 okey MARK, or mark "
      "OKEY on the policy and SA)",
      "vti/vti-okey.a.batch", ("XfrmOutNoStates", "XfrmOutPolBlock"))
def vti_okey(model):
    for v in model.vtis():
        k = v.info.okey or 0
        pols = _vti_out_policies(model, v)
        if not pols:
            marked = [p for p in model.out_policies() if p.mark is not None and p.mark.mask]
            fix = ("ip link set dev %s type %s okey %#x" % (v.ifname, v.kind,
                                                          marked[0].mark.value)
                   if len(marked) == 1 else
                   "mark the VTI's out policy and SA with %#x" % k)
            yield finding(vti_okey, [_link(v)] + [_pol(p) for p in marked],
                          "no out policy's mark fits okey %s" % fd.key(k) + _fwmark(v), fix,
                          where=_where(model, v, *marked))
            continue
        for pair in out_pairs(model):
            if pair.policy in pols and pair.candidates and not any(
                    mark_fits(s.mark, k) for s in pair.candidates):
                s = pair.candidates[0]
                yield finding(vti_okey, [_link(v), _pol(pair.policy)] +
                              [_sa(c) for c in pair.candidates],
                              "no SA the template selects has a mark okey %s fits" % fd.key(k),
                              fd.state_command(s, mark=(k, 0xffffffff)),
                              where=_where(model, v, *pair.candidates))


@rule("vti-ikey", "error",
      "a VTI's ikey that the inbound SA's mark or the in policy's mark does not fit",
      why("vti-in-sa", "in-sa-lookup"),
      "mend the side that differs: the SA (its mark the ikey, or none: delete it and add it "
      "again, as the kernel finds an SA by its mark) or the in policy (mark ikey); change "
      "the VTI's ikey only where the SA and the in policy agree on another mark",
      "vti/vti-ikey.a.batch (also vti/vti-ikey-sa.a.batch)",
      ("XfrmInNoStates", "XfrmInNoPols"))
def vti_ikey(model):
    for pair in having(in_pairs(model), "vti-ikey"):
        v, s, k = pair.vti, pair.sa, pair.flow_mark[0]
        marks = {(p.mark.value, p.mark.mask) if p.mark is not None and p.mark.mask
                 else None for p in pair.candidates}
        if not mark_fits(s.mark, k):
            detail = "the SA's mark does not fit ikey %s" % fd.key(k)
            objs = [_link(v), _sa(s)] + [_pol(p) for p in pair.candidates]
            if pair.candidates and all(m is not None and (s.mark.value & m[1]) == m[0]
                                       for m in marks):
                # the SA and the in policies agree on another mark: the ikey differs
                fix = "ip link set dev %s type %s ikey %#x" % (v.ifname, v.kind, s.mark.value)
            else:
                fix = fd.state_command(s, mark=(k, 0xffffffff))
        else:
            detail = "no in policy the SA fits has a mark ikey %s fits" % fd.key(k)
            objs = [_link(v), _sa(s)] + [_pol(p) for p in pair.candidates]
            fix = fd.policy_command(pair.candidates[0], mark=(k, 0xffffffff))
            if len(marks) == 1 and None not in marks:
                value = next(iter(marks))[0]
                if mark_fits(s.mark, value):    # the SA fits that mark too: the ikey differs
                    fix = "ip link set dev %s type %s ikey %#x" % (v.ifname, v.kind, value)
        yield finding(vti_ikey, objs, detail, fix, where=_where(model, v, s))


@rule("vti-endpoints", "error",
      "a VTI's local/remote that differ from the outer addresses of the SAs its policies "
      "select",
      why("vti-endpoints"),
      "set the VTI's endpoints to the SAs' (ip link set dev VTI type vti|vti6 local A "
      "remote B)",
      "vti/vti-endpoints.a.batch", ("XfrmInNoStates",))
def vti_endpoints(model):
    for v in model.vtis():
        i = v.info
        for p in _vti_out_policies(model, v):
            for t in p.tmpls or ():
                wrong = []
                if mo.endpoint(i.remote) and t.dst != i.remote:
                    wrong.append("remote %s, the template's dst %s" % (i.remote, t.dst))
                if mo.endpoint(i.local) and t.src not in ANY and t.src != i.local:
                    wrong.append("local %s, the template's src %s" % (i.local, t.src))
                if wrong:
                    yield finding(vti_endpoints, [_link(v), _pol(p), fd.tmpl_words(t)],
                                  "; ".join(wrong),
                                  "ip link set dev %s type %s local %s remote %s"
                                  % (v.ifname, v.kind, t.src if t.src not in ANY else i.local,
                                     t.dst),
                                  where=_where(model, v, p))
    for pair in in_pairs(model):
        if pair.problem == "vti-endpoints":
            v, s = pair.vti, pair.sa
            yield finding(vti_endpoints, [_link(v), _sa(s)],
                          "the SA comes from %s to %s; the VTI takes what comes from %s to %s"
                          % (s.src, s.dst, v.info.remote or "any", v.info.local or "any"),
                          "ip link set dev %s type %s local %s remote %s"
                          % (v.ifname, v.kind, s.dst, s.src), where=_where(model, v, s))


@rule("vti-duplicate", "error",
      "two VTIs with the same local and remote addresses",
      why("vti-duplicate"),
      "delete one, or give them different endpoints",
      "vti/vti-duplicate.a.batch", ("XfrmInNoStates", "XfrmInNoPols"))
def vti_duplicate(model):
    seen = {}
    for v in model.vtis():
        key = (v.kind, v.info.local or "", v.info.remote or "")
        if key in seen:
            first = seen[key]
            yield finding(vti_duplicate, [_link(first), _link(v)],
                          "both tunnel %s -> %s" % (v.info.local or "any", v.info.remote or "any"),
                          "ip link del dev %s" % v.ifname, where=_where(model, first, v))
        else:
            seen[key] = v
    for where, words, message, rid in model.refused:
        if rid == "vti-duplicate":
            yield finding(vti_duplicate, [" ".join(words)],
                          "the kernel refuses it: another VTI has these endpoints and dev",
                          "delete the other VTI first, or give this one other endpoints",
                          where=[where])


@rule("vti-disable-policy", "note",
      "a VTI with disable_policy 0 (net.ipv4.conf.VTI.disable_policy; "
      "net.ipv6.conf.VTI.disable_policy for a vti6)",
      why("vti-disable-policy", note="So this is no error."),
      "nothing needed (sysctl -w net.ipv4.conf.VTI.disable_policy=1, or net.ipv6 for a "
      "vti6, if a how-to insists)",
      "vti/a.batch (the working set-up leaves it 0 and passes; also vti6/a.batch)")
def vti_disable_policy(model):
    for v in model.vtis():
        if model.sysctls.get(v.ifname, {}).get("disable_policy") == 0:
            yield finding(vti_disable_policy, [_link(v)],
                          "disable_policy is 0 (traffic passes on 6.1)",
                          "none needed (sysctl -w net.%s.conf.%s.disable_policy=1 if a "
                          "how-to insists)" % ("ipv6" if v.kind == "vti6" else "ipv4", v.ifname))


# ---- marks ------------------------------------------------------------------------------------

@rule("mark-mismatch", "error",
      "a policy and the SA it needs with marks no flow's mark fits both, or an inbound SA "
      "whose mark the arriving packets do not carry",
      why("mark-match"),
      "give the SA the policy's mark (or none)",
      "policy/mark-mismatch.a.batch", ("XfrmOutNoStates", "XfrmInNoStates"))
def mark_mismatch(model):
    for pair in having(out_pairs(model), "mark-mismatch"):
        p = pair.policy
        s = pair.candidates[0]
        mark = (p.mark.value, p.mark.mask) if p.mark is not None and p.mark.mask else None
        yield finding(mark_mismatch, [_pol(p)] + [_sa(c) for c in pair.candidates],
                      "the flows reaching the policy carry mark %s; the SA's mark does not "
                      "fit it" % ", ".join("%#x" % f for f in pair.flow_mark),
                      fd.state_command(s, mark=mark), where=_where(model, p, s))
    for pair in having(in_pairs(model), "mark-mismatch"):
        s = pair.sa
        if not mark_fits(s.mark, pair.flow_mark[0]):
            yield finding(mark_mismatch, [_sa(s)],
                          "what arrives for this SA carries mark %#x, its mark does not fit"
                          % pair.flow_mark[0], fd.state_command(s, mark=None),
                          where=_where(model, s))
        else:
            yield finding(mark_mismatch, [_sa(s)] + [_pol(p) for p in pair.candidates],
                          "the in policies' marks do not fit mark %#x of what the SA "
                          "decrypts" % pair.flow_mark[0],
                          fd.policy_command(pair.candidates[0], mark=None),
                          where=_where(model, s))


@rule("mark-output", "warning",
      "an SA with output-mark but no mark, used by a policy marked with that value",
      why("output-mark"),
      "use mark (ip xfrm state update ... mark V mask M), or keep output-mark if the "
      "encrypted packet is meant to be routed by it",
      "vti/mark-output.a.batch (traffic passes)")
def mark_output(model):
    for s in model.states:
        om = getattr(s, "output_mark", None)
        if om is None or (s.mark is not None and s.mark.mask):
            continue
        for p in model.policies:
            if p.mark is None or not p.mark.mask or (om & p.mark.mask) != p.mark.value:
                continue
            if any(not mo.tmpl_fields(t, s, outbound=p.dir == mo.DIR_OUT)
                   for t in p.tmpls or ()):
                yield finding(mark_output, [_sa(s) + " output-mark %#x" % om, _pol(p)],
                              "output-mark %#x equals the policy's mark" % om,
                              fd.state_command(s, mark=(p.mark.value, p.mark.mask),
                                               output_mark=None, output_mark_mask=None),
                              where=_where(model, s))
                break


# ---- policies ---------------------------------------------------------------------------------

def _tmpl_key(p):
    return [(t.src, t.dst, t.proto, t.mode, t.reqid, t.spi) for t in p.tmpls or ()]


def _hashed(p):
    """Whether the kernel files policy p in its exact hash (both prefixes full length, at
    the default thresholds of `ip xfrm policy set hthresh4 32 32 hthresh6 128 128`) rather
    than in the inexact bins."""
    full = 128 if ":" in (p.sel.dst or "") + (p.sel.src or "") else 32
    return p.sel.prefixlen_s >= full and p.sel.prefixlen_d >= full


def _beats(model, q, p):
    """Whether q is chosen before p wherever both match.  A better (lower) priority says
    so.  On equal priorities the kernel's choice depends on where it files them (claim
    policy-tie, measured on 6.1): of two policies in the inexact bins the older wins; an
    exact (hashed) policy against an inexact one is decided by the inexact one's place in
    its list, which check does not model, so it reports nothing there rather than a
    guess."""
    if q.priority != p.priority:
        return q.priority < p.priority
    if _hashed(q) or _hashed(p):
        return False
    return model.order.get(id(q), 0) < model.order.get(id(p), 0)


@rule("policy-shadowed", "error",
      "a policy that is never chosen: another of the same dir, with a better priority (or "
      "an equal one, both with a prefix shorter than /32 or /128, and older) and the "
      "same or a broader selector, marks and if_id, covers it -- including action block",
      why("policy-priority", "policy-tie",
          note="(check reports a tie only between two inexact policies.)"),
      "give this policy a better priority (lower number) or narrow the other",
      "policy/policy-shadowed.a.batch", ("XfrmOutPolBlock", "XfrmInPolBlock"))
def policy_shadowed(model):
    for p in model.policies:
        if p.socket:
            continue
        for q in model.policies:
            if q is p or q.socket or q.dir != p.dir or (q.ptype or 0) != (p.ptype or 0) \
                    or if_id(q) != if_id(p) or not mo.selector_covers(q.sel, p.sel) \
                    or not mo.mark_covers(q.mark, p.mark) or not _beats(model, q, p):
                continue
            same = q.action == p.action and _tmpl_key(q) == _tmpl_key(p)
            yield finding(policy_shadowed, [_pol(p), "shadowed by " + _pol(q)],
                          "every flow it matches, the other matches first" +
                          (" (with the same templates: redundant)" if same else ""),
                          fd.policy_command(p, priority=max(q.priority - 1, 0))
                          if q.priority else "narrow or remove the other policy",
                          severity="warning" if same else None, where=_where(model, p, q))
            break


@rule("policy-duplicate", "error",
      "the same selector twice (same dir, mark, if_id and ptype) with different templates",
      why("policy-unique"),
      "keep one: drop the second line, or make it \"policy update\" to replace the first "
      "(each tmpl line of one policy needs its own SA, so two tunnels' templates in one "
      "policy fail unless both SAs exist); or tell them apart by mark or if_id",
      "policy/policy-duplicate.a.batch (a script: the kernel never holds two)")
def policy_duplicate(model):
    for where, words, message, rid in model.refused:
        if rid == "policy-duplicate":
            yield finding(policy_duplicate, [" ".join(words)],
                          "an earlier line made a policy with this dir, selector, mark and "
                          "if_id; the kernel refuses this one", "drop this line to keep the "
                          "earlier policy, or make it ip xfrm policy update to replace it",
                          where=[where])


def _allows(q, sel):
    """Fwd policy q lets a packet of flow `sel` through without IPsec: it covers the flow
    and is no block, and its templates (if any) are optional."""
    return q.action != mo.BLOCK and mo.selector_covers(q.sel, sel) \
        and all(t.level for t in q.tmpls or ())


@rule("default-block", "error",
      "a default policy (ip xfrm policy setdefault) of block for traffic the set-up means "
      "to pass: a flow it forwards into a tunnel (an out policy whose source holds no "
      "address of this namespace) with no fwd policy that lets it through, or what an "
      "inbound transport-mode SA decrypts, with no in policy whose template it fits",
      why("policy-default"),
      "add the policy the flow needs (ip xfrm policy add dir fwd src SUBNET dst "
      "REMOTE-SUBNET, without template; or an in policy with the SA's template), or "
      "setdefault DIR accept",
      "fwd/default-block.a.batch (also transport/default-block.a.batch)", ("XfrmInNoPols",))
def default_block(model):
    default = [model.name(model.default)] if model.name(model.default) else []
    if model.default_blocks(mo.DIR_IN):
        for pair in in_pairs(model):
            s = pair.sa
            if s.mode == mo.TUNNEL or pair.problem or \
                    any(p.dir == mo.DIR_IN for p in pair.candidates):
                continue
            yield finding(default_block, [_sa(s), "default policy in block"],
                          "no in policy has a template this transport-mode SA fits, and the "
                          "default drops what matches none",
                          "ip xfrm policy add src %s/%u dst %s/%u dir in tmpl src %s dst %s "
                          "proto %s reqid %u mode transport" % (
                              s.src, _bits_of(s.src), s.dst, _bits_of(s.dst), s.src, s.dst,
                              fd.PROTO_NAMES.get(s.proto, s.proto), s.reqid),
                          where=_where(model, s) + default)
    if not model.default_blocks(mo.DIR_FWD):
        return
    fwd = [q for q in model.policies if q.dir == mo.DIR_FWD and not q.socket]
    for p in model.out_policies():
        if p.action == mo.BLOCK or p.sel.prefixlen_s == 0:
            continue
        if model.holds_local(_source(p.sel)) is not False:
            continue
        if any(_allows(q, p.sel) and if_id(q) == if_id(p) for q in fwd):
            continue
        fix = "ip xfrm policy add %s dir fwd%s" % (fd.sel_words(p.sel),
                                                  " if_id %u" % if_id(p) if if_id(p) else "")
        yield finding(default_block, [_pol(p), "default policy fwd block"],
                      "no address of this namespace is in %s/%u: the flow is forwarded, and "
                      "no fwd policy allows it" % (p.sel.src, p.sel.prefixlen_s), fix,
                      where=_where(model, p) + default)


def _bits_of(addr):
    return 128 if ":" in addr else 32


def _source(sel):
    """The selector with its source as destination (holds_local asks of the destination)."""
    from pyip.xfrm.objects import Selector
    return Selector(**dict({f: getattr(sel, f) for f in Selector.__slots__},
                           dst=sel.src, prefixlen_d=sel.prefixlen_s))


# ---- SA direction and replay ------------------------------------------------------------------

ESN_REFUSAL = "esn flag set without replay-window"


def _window(s):
    esn = getattr(s, "anti_replay_esn", None)
    return max(s.replay_window or 0, esn.replay_window if esn is not None else 0)


@rule("sa-esn-noreplay", "error",
      "an ESN SA without a replay window",
      why("sa-esn-replay", "batch-stops"),
      "give the SA a replay window (replay-window 32 ... flag esn), or drop flag esn; in a "
      "script, run the corrected line and those after it again (ip -batch stopped there)",
      "xfrmi/sa-esn-noreplay.a.batch")
def sa_esn_noreplay(model):
    for s in model.states:
        # ip >= 6.11 sends an ESN SA with "dir out" without a window, and the kernel keeps it
        if s.flags & mo.XFRM_STATE_ESN and not _window(s) and mo.sa_dir(s) != mo.SA_DIR_OUT:
            yield finding(sa_esn_noreplay, [_sa(s)], "flag esn, replay window 0",
                          fd.state_command(s, replay_window=32), where=_where(model, s))
    for where, words, message, rid in model.refused:
        if rid is None and ESN_REFUSAL in message:
            yield finding(sa_esn_noreplay, [" ".join(words)], message.strip(),
                          _with_window(words), where=[where])


def _with_window(words):
    """The refused line with a replay window (before its flags, as ip's usage has them): the
    line to run instead, then the lines after it."""
    at = words.index("flag") if "flag" in words else len(words)
    return fd.shell(" ".join(words[:at] + ["replay-window", "32"] + words[at:]))


@rule("sa-replay-out", "warning",
      "a replay window on an SA that is only ever used outbound",
      why("sa-replay-out"),
      "drop replay-window from the outbound SA and put it on the inbound one",
      "xfrmi/sa-replay-out.a.batch (traffic passes)")
def sa_replay_out(model):
    for s in model.states:
        if _window(s) and model.outbound(s) and not model.inbound(s):
            yield finding(sa_replay_out, [_sa(s) + " replay-window %u" % _window(s)],
                          "only out policies use this SA", fd.state_command(s, replay_window=0),
                          where=_where(model, s))


@rule("sa-dir", "error",
      "an SA whose dir is the opposite of how the set-up uses it: \"dir out\" on an SA the "
      "peer's packets arrive with (its destination is an address of this end, or it fits an "
      "in policy's template), \"dir in\" on the SA an out policy's template finds; or an SA "
      "that the kernel refuses for its dir (from 6.10) or its pcpu-num (from 6.13, and "
      "6.12.13)",
      why("sa-dir", "sa-pcpu", "batch-stops"),
      "delete the SA and add it again with the dir it is used in; in a script, correct the "
      "line, then run it and those after it again (ip -batch stopped there)",
      "sadir/sa-dir-in.a.batch (also sa-dir-out, sa-dir-replay; pcpu/pcpu-nodir, "
      "pcpu/pcpu-big)",
      ("XfrmInStateDirError", "XfrmOutStateDirError", "XfrmOutPolError"))
def sa_dir(model):
    for s in model.states:
        if mo.sa_dir(s) == mo.SA_DIR_OUT and _arrives(model, s) and not model.outbound(s):
            yield finding(sa_dir, [_sa(s) + " dir out"],
                          "the peer's packets arrive with this SA (to %s), and the kernel "
                          "drops what an SA with dir out would decrypt" % s.dst,
                          _redirect(s, mo.SA_DIR_IN), where=_where(model, s))
    for pair in out_pairs(model):
        p = pair.policy
        fitting = [s for s in pair.candidates if if_id(s) == if_id(p)
                   and any(mark_fits(s.mark, f) for f in pair.flow_mark)]
        if pair.problem is None and fitting and \
                all(mo.sa_dir(s) == mo.SA_DIR_IN for s in fitting):
            yield finding(sa_dir, [_pol(p), fd.tmpl_words(pair.tmpl)] +
                          [_sa(s) + " dir in" for s in fitting],
                          "the out policy's template finds only SAs with dir in",
                          _redirect(fitting[0], mo.SA_DIR_OUT),
                          where=_where(model, p, *fitting))
    for where, words, message, rid in model.refused:
        if rid == "sa-dir":
            yield finding(sa_dir, [" ".join(words)],
                          "a kernel from %s refuses it: %s" % (mo.refused_since(message),
                                                                message.strip()),
                          _without_window(words) if "Replay window" in message
                          else "correct the line (the kernel's message says what is wrong)",
                          where=[where])


@rule("pcpu-alone", "error",
      "an out policy's template that only per-CPU SAs (pcpu-num) satisfy, and not one for "
      "every CPU this machine can have: what the other CPUs send finds no SA",
      why("sa-pcpu", note="(check counts the CPUs of the machine it runs on, live and for a "
          "script -- taken as meant for it; where it cannot, it says nothing.)"),
      "add, beside the per-CPU SAs, the SA for every CPU (the same SA without pcpu-num, with "
      "its own SPI, which the peer needs an inbound SA for), or a per-CPU SA for each CPU "
      "named",
      "pcpu/pcpu-alone.a.batch", ("XfrmOutNoStates",))
def pcpu_alone(model):
    cpus = mo.possible_cpus()
    for pair in out_pairs(model) if cpus else ():
        p = pair.policy
        fitting = [s for s in pair.candidates if if_id(s) == if_id(p)
                   and mo.sa_dir(s) != mo.SA_DIR_IN
                   and any(mark_fits(s.mark, f) for f in pair.flow_mark)]
        if pair.problem is not None or not fitting or \
                any(getattr(s, "pcpu_num", None) is None for s in fitting):
            continue
        missing = sorted(set(range(cpus)) - {s.pcpu_num for s in fitting})
        if missing:
            yield finding(pcpu_alone, [_pol(p), fd.tmpl_words(pair.tmpl)] +
                          [_sa(s) + " pcpu-num %u" % s.pcpu_num for s in fitting],
                          "no SA for CPU %s (this machine has %d): what is sent there "
                          "finds no SA" % (_cpus(missing), cpus),
                          "add the SA for every CPU: %s (with a new SPI, and the peer's "
                          "inbound SA for it)" % fd.shell(_every_cpu(fitting[0])),
                          where=_where(model, p, *fitting))


def _cpus(numbers):
    """CPU numbers as a short list: "1", "1-7", "1, 3"."""
    if len(numbers) > 2 and numbers[-1] - numbers[0] == len(numbers) - 1:
        return "%d-%d" % (numbers[0], numbers[-1])
    return ", ".join(map(str, numbers))


def _every_cpu(s):
    """Per-CPU SA s's add command without pcpu-num, its SPI left to the user."""
    from pyip.xfrm.save import state_command as command
    return command(fd.changed(s, pcpu_num=None)).replace("spi %#x " % s.spi, "spi SPI ")


def _arrives(model, s):
    """The peer's packets arrive with SA s: its destination is one of this end's addresses
    (as its policies and VTIs name them, or, live or from `addr` lines, the namespace's),
    or it fits an in policy's template."""
    return model.inbound(s) or any(a.local == s.dst for a in model.addresses or ()) or any(
        not mo.tmpl_fields(t, s) for p in model.in_policies() for t in p.tmpls or ())


def _redirect(s, direction):
    """Delete SA s and add it again with `direction` -- the kernel keeps an SA's dir:
    xfrm_state_update() replaces no SA whose dir differs -- without a replay window on an
    out SA (verify_newsa_info refuses one)."""
    change = {"sa_dir": direction}
    if direction == mo.SA_DIR_OUT:
        change.update(replay_window=0, anti_replay_esn=None)
    mark = " mark %#x mask %#x" % (s.mark.value, s.mark.mask) if s.mark is not None \
        and s.mark.mask else ""
    from pyip.xfrm.save import state_command as command
    return "ip xfrm state delete src %s dst %s proto %s spi %#x%s\n%s" % (
        s.src, s.dst, fd.PROTO_NAMES.get(s.proto, s.proto), s.spi, mark,
        fd.shell(command(fd.changed(s, **change))))


def _without_window(words):
    """The refused line without its replay window: the line to run instead."""
    at = words.index("replay-window") if "replay-window" in words else None
    return fd.shell(" ".join(words if at is None else words[:at] + words[at + 2:]))


# ---- the script itself ------------------------------------------------------------------------

CLAIMED = (ESN_REFUSAL,)


@rule("script-refused", "error",
      "a line of the script that ip or the kernel refuses",
      why("batch-stops"),
      "correct the line (ip's message says what is wrong)",
      "xfrmi/sa-esn-noreplay.a.batch (ip refuses the line)")
def script_refused(model):
    for where, words, message, rid in model.refused:
        if rid is None and not any(c in message for c in CLAIMED):
            yield finding(script_refused, [" ".join(words)], message.strip(),
                          "correct the line", where=[where])


def run(model):
    """Every finding of every rule, errors first."""
    order = {"error": 0, "warning": 1, "note": 2}
    out = [f for r in RULES for f in r.check(model)]
    out.sort(key=lambda f: order[f.severity])
    return out
