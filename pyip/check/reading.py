"""Building the Model: live from the current network namespace (`pyip [-n NS] xfrm check`),
or from a set-up script without applying it (`xfrm check -batch FILE`).  Both read the same
decoded objects: a kernel's dump answers, or the very requests pyip's own parser and encoder
make of each script line (pyip.explain.capture: no kernel, placeholder devices), which have
the dump's layout."""
from _struct import Struct

from pyip import netlink as nl
from pyip.check import model as mo
from pyip.link import ifla
from pyip.xfrm import msgs as m

IFINFOMSG = Struct("=BxHiII")
U32 = Struct("=I")
IFLA_EXT_MASK, RTEXT_FILTER_VF = 29, 1
NLM_F_CREATE = 0x400
EEXIST = "RTNETLINK answers: File exists\n"


# ---- live ---------------------------------------------------------------------------------

def live():
    from pyip.link.objects import decode_message as decode_link
    from pyip.xfrm.objects import decode_message as decode_xfrm
    model = mo.Model("live")
    body = IFINFOMSG.pack(0, 0, 0, 0, 0) + nl.attr(IFLA_EXT_MASK, U32.pack(RTEXT_FILTER_VF))
    model.links = [decode_link(msg) for msg in nl.rtnl().dump(ifla.RTM_GETLINK, body)]
    x = nl.xfrm()
    model.states = [decode_xfrm(msg) for msg in x.dump(m.XFRM_MSG_GETSA, b"")]
    model.policies = [decode_xfrm(msg) for msg in x.dump(m.XFRM_MSG_GETPOLICY, b"")]
    for p in model.policies:
        model.order[id(p)] = p.index >> 3       # the kernel numbers policies as it makes them
    try:
        model.default = decode_xfrm(x.talk(m.XFRM_MSG_GETDEFAULT, 0,
                                           bytes(m.POLICY_DEFAULT.size), answer=True))
    except nl.KernelError:
        pass                                    # kernels before 5.17 have no defaults
    for l in model.links:
        if l.kind in ("vti", "vti6", "xfrm"):
            model.sysctls[l.ifname] = _sysctls(l)
    model.counters = _xfrm_stat()
    return model


def _sysctls(link):
    family = "ipv6" if link.kind == "vti6" else "ipv4"
    values = {}
    for name in ("disable_policy", "disable_xfrm"):
        try:
            with open("/proc/sys/net/%s/conf/%s/%s" % (family, link.ifname, name)) as f:
                values[name] = int(f.read())
        except (OSError, ValueError):
            pass
    return values


def _xfrm_stat():
    counters = {}
    try:
        with open("/proc/net/xfrm_stat") as f:
            for line in f:
                parts = line.split()
                if len(parts) == 2 and parts[1].isdigit():
                    counters[parts[0]] = int(parts[1])
    except OSError:
        pass
    return counters


# ---- a set-up script ------------------------------------------------------------------------

def script(path):
    """The Model the script's lines would make, as ip -batch runs them: line by line, up to
    the first line ip or the kernel would refuse (ip -batch stops there)."""
    from pyip import batch
    from pyip.errors import IpExit
    from pyip.opts import opts
    from pyip.words import lookup
    model = mo.Model(path)
    saved = {k: getattr(opts, k) for k in opts.__slots__}
    f = _open(path)
    try:
        try:
            for number, line in batch.lines(f):
                words = batch.makeargs(line)
                if not words:
                    continue
                where = "%s:%d" % (path, number)
                if lookup("object", words[0]) not in ("xfrm", "link"):
                    continue        # addresses and routes: ip's, which check does not read
                if not _apply(model, words, where):
                    break
        finally:
            if path != "-":
                f.close()
    except IpExit as e:
        model.refused.append((path, [], e.message, None))
    finally:
        for k, v in saved.items():
            setattr(opts, k, v)
    return model


def _open(path):
    import io
    import sys
    if path == "-":
        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="surrogateescape",
                                newline="")
    try:
        return open(path, encoding="utf-8", errors="surrogateescape", newline="")
    except OSError as e:
        import os
        from pyip.errors import IpExit
        raise IpExit('Cannot open file "%s" for reading: %s\n' % (path, os.strerror(e.errno)), 1)


def _apply(model, words, where):
    """One line's requests into the model; False where ip -batch would stop."""
    from pyip.explain.capture import capture
    run = capture(words)
    if run.rc:
        model.refused.append((where, words, run.stderr, None))
        return False
    for proto, data in run.sent:
        problem = _request(model, proto, data, words, where)
        if problem:
            model.refused.append((where, words) + problem)
            return False
    return True


def _request(model, proto, data, words, where):
    """Apply one request as the kernel would; (message, rule id) if the kernel refuses it."""
    mtype, flags = data[4] | data[5] << 8, data[6] | data[7] << 8
    if proto == nl.NETLINK_ROUTE:
        return _link_request(model, mtype, flags, data, words, where)
    if proto != nl.NETLINK_XFRM:
        return None
    from pyip.xfrm.objects import decode_message
    if mtype in (m.XFRM_MSG_NEWSA, m.XFRM_MSG_UPDSA):
        sa = decode_message(data)
        old = [s for s in model.states if _sa_key(s) == _sa_key(sa)]
        if old and mtype == m.XFRM_MSG_NEWSA:
            return EEXIST, None
        model.states = [s for s in model.states if _sa_key(s) != _sa_key(sa)] + [sa]
        model.where[id(sa)] = where
    elif mtype in (m.XFRM_MSG_NEWPOLICY, m.XFRM_MSG_UPDPOLICY):
        p = decode_message(data)
        same = [q for q in model.policies if _same_policy(q, p)]
        if same and mtype == m.XFRM_MSG_NEWPOLICY:
            return EEXIST, "policy-duplicate"
        model.order[id(p)] = model.order[id(same[0])] if same else len(model.order)
        model.policies = [q for q in model.policies if not _same_policy(q, p)] + [p]
        model.where[id(p)] = where
    elif mtype == m.XFRM_MSG_DELSA:
        sa_id = decode_message(data)
        model.states = [s for s in model.states
                        if (s.dst, s.spi, s.proto) != (sa_id.dst, sa_id.spi, sa_id.proto)]
    elif mtype == m.XFRM_MSG_DELPOLICY:
        pid = decode_message(data)
        model.policies = [q for q in model.policies if not _same_policy(q, pid)]
    elif mtype == m.XFRM_MSG_FLUSHSA:
        model.states = []
    elif mtype == m.XFRM_MSG_FLUSHPOLICY:
        model.policies = []
    elif mtype == m.XFRM_MSG_SETDEFAULT:
        model.default = decode_message(data)
    return None


def _sa_key(s):
    return (s.dst, s.spi, s.proto)


def _same_policy(q, p):
    return (mo.policy_identity(q) == mo.policy_identity(p)
            and mo.same_selector(q.sel, p.sel))


def _target(words):
    """The device a `link set|delete [dev] NAME` line names."""
    rest = words[2:]
    if rest[:1] == ["dev"]:
        rest = rest[1:]
    return rest[0] if rest else None


def _link_request(model, mtype, flags, data, words, where):
    from pyip.link.objects import decode_message
    if mtype == ifla.RTM_NEWLINK and flags & NLM_F_CREATE:
        link = decode_message(data)
        if any(l.ifname == link.ifname for l in model.links):
            return EEXIST, None
        if link.kind in ("vti", "vti6") and link.info is not None:
            for l in model.links:
                if l.kind == link.kind and l.info is not None \
                        and mo.vti_identity(l) == mo.vti_identity(link):
                    return EEXIST, "vti-duplicate"
        _, _, _, ifflags, change = IFINFOMSG.unpack_from(data, 16)
        link.flags = ["UP"] if ifflags & change & ifla.IFF_UP else []
        model.links.append(link)
        model.where[id(link)] = where
    elif mtype == ifla.RTM_NEWLINK:
        name = _target(words)
        _, _, _, ifflags, change = IFINFOMSG.unpack_from(data, 16)
        for l in model.links:
            if l.ifname == name and change & ifla.IFF_UP:
                l.flags = ["UP"] if ifflags & ifla.IFF_UP else []
    elif mtype == ifla.RTM_DELLINK:
        name = _target(words)
        model.links = [l for l in model.links if l.ifname != name]
    return None
