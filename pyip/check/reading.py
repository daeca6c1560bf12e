"""Building the Model: live from the current network namespace (`pyip [-n NS] xfrm check`),
or from a set-up script without applying it (`xfrm check -batch FILE`).  Both read the same
decoded objects: a kernel's dump answers, or the very requests pyip's own parser and encoder
make of each script line (pyip.explain.capture: no kernel, placeholder devices), which have
the dump's layout."""
from _struct import Struct

from pyip import ifla
from pyip import netlink as nl
from pyip.check import model as mo
from pyip.xfrm import msgs as m

IFADDRMSG = Struct("=BBBBI")
RTM_GETADDR = 22
IFA_ADDRESS, IFA_LOCAL = 1, 2
RTMSG = Struct("=BBBBBBBBI")
RTNEXTHOP = Struct("=HBBi")
RTM_GETROUTE, RTA_DST, RTA_OIF, RTA_MULTIPATH, RTA_TABLE = 26, 1, 4, 9, 15
RTN_UNICAST, RT_TABLE_LOCAL = 1, 255
EEXIST = "RTNETLINK answers: File exists\n"


# ---- live ---------------------------------------------------------------------------------

def live():
    from pyip.link.objects import decode_message as decode_link
    from pyip.xfrm.messages import decode_message as decode_xfrm
    model = mo.Model("live")
    body = ifla.IFINFOMSG.pack(0, 0, 0, 0, 0) + \
        nl.attr(ifla.IFLA_EXT_MASK, nl.U32.pack(ifla.RTEXT_FILTER_VF))
    model.links = [decode_link(msg) for msg in nl.rtnl().dump(ifla.RTM_GETLINK, body)]
    names = {l.index: l.ifname for l in model.links}
    model.addresses = [addresses(msg, names) for msg in
                       nl.rtnl().dump(RTM_GETADDR, IFADDRMSG.pack(0, 0, 0, 0, 0))]
    for msg in nl.rtnl().dump(RTM_GETROUTE, RTMSG.pack(0, 0, 0, 0, 0, 0, 0, 0, 0)):
        model.routed.update(names.get(i) for i in route_devices(msg))
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
    # /proc/sys/net and /proc/thread-self/net are the namespace of the thread that opens
    # them: read where the run's sockets are (a pyip.IP handle's namespace)
    for l in model.links:
        if l.kind in ("vti", "vti6", "xfrm"):
            model.sysctls[l.ifname] = nl.in_run_netns(_sysctls, l)
    model.counters = nl.in_run_netns(_xfrm_stat)
    return model


def addresses(msg, names):
    """One RTM_NEWADDR as an Address: IFA_LOCAL where there is one (on a point-to-point
    device IFA_ADDRESS is the peer's), as `ip addr` prints `inet LOCAL/LEN`."""
    from _socket import inet_ntop
    family, prefixlen, _, _, index = IFADDRMSG.unpack_from(msg, 16)
    a = nl.attrs(msg, 16 + IFADDRMSG.size)
    raw = a.get(IFA_LOCAL) or a.get(IFA_ADDRESS)
    try:
        local = inet_ntop(family, raw) if raw else None
    except (OSError, ValueError):
        local = None
    return mo.Address(family, local, prefixlen, names.get(index))


def route_devices(msg):
    """The devices a unicast route of an RTM_NEWROUTE goes into (its oif, or its nexthops'),
    but for the local table and IPv6 link-local prefixes, which every device has."""
    from _socket import AF_INET6
    family, dst_len, _, _, table, _, _, rtype, _ = RTMSG.unpack_from(msg, 16)
    a = nl.attrs(msg, 16 + RTMSG.size)
    if RTA_TABLE in a and len(a[RTA_TABLE]) >= 4:
        table = nl.U32.unpack_from(a[RTA_TABLE])[0]
    dst = a.get(RTA_DST, b"")
    if rtype != RTN_UNICAST or table == RT_TABLE_LOCAL or (
            family == AF_INET6 and dst[:2] == b"\xfe\x80" and dst_len >= 10):
        return []
    if RTA_OIF in a and len(a[RTA_OIF]) >= 4:
        return [nl.U32.unpack_from(a[RTA_OIF])[0]]
    hops, raw, i = [], a.get(RTA_MULTIPATH, b""), 0
    while i + RTNEXTHOP.size <= len(raw):
        n, _, _, index = RTNEXTHOP.unpack_from(raw, i)
        hops.append(index)
        i += max((n + 3) & ~3, RTNEXTHOP.size)
    return hops


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
        with open("/proc/thread-self/net/xfrm_stat") as f:     # /proc/net: the leader's
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
                what = lookup("object", words[0])
                if what == "address":
                    _address_line(model, words)
                elif what == "route":
                    _route_line(model, words)
                if what not in ("xfrm", "link"):
                    continue        # routes: ip's, which check does not read
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
    import sys
    if path == "-":
        return sys.stdin.buffer         # pyip.batch.lines() reads bytes, as ip's getline()
    try:
        return open(path, "rb")
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
    for i, (proto, data) in enumerate(run.sent):
        problem = _request(model, proto, data, run.objects.get(i), words, where)
        if problem:
            model.refused.append((where, words) + problem)
            return False
    return True


def _request(model, proto, data, obj, words, where):
    """Apply one request as the kernel would; (message, rule id) if the kernel refuses it.
    An xfrm request is the object the reader made (obj), link requests are read back from
    their bytes."""
    mtype, flags = data[4] | data[5] << 8, data[6] | data[7] << 8
    if proto == nl.NETLINK_ROUTE:
        return _link_request(model, mtype, flags, data, words, where)
    if proto != nl.NETLINK_XFRM or obj is None:
        return None
    if mtype in (m.XFRM_MSG_NEWSA, m.XFRM_MSG_UPDSA):
        sa = obj
        refused = mo.dir_refusal(sa)
        if refused:
            return refused, "sa-dir"
        old = [s for s in model.states if _sa_key(s) == _sa_key(sa)]
        if old and mtype == m.XFRM_MSG_NEWSA:
            return EEXIST, None
        model.states = [s for s in model.states if _sa_key(s) != _sa_key(sa)] + [sa]
        model.where[id(sa)] = where
    elif mtype in (m.XFRM_MSG_NEWPOLICY, m.XFRM_MSG_UPDPOLICY):
        p = obj
        same = [q for q in model.policies if _same_policy(q, p)]
        if same and mtype == m.XFRM_MSG_NEWPOLICY:
            return EEXIST, "policy-duplicate"
        model.order[id(p)] = model.order[id(same[0])] if same else len(model.order)
        model.policies = [q for q in model.policies if not _same_policy(q, p)] + [p]
        model.where[id(p)] = where
    elif mtype == m.XFRM_MSG_DELSA:
        sa_id = obj
        model.states = [s for s in model.states
                        if (s.dst, s.spi, s.proto) != (sa_id.dst, sa_id.spi, sa_id.proto)]
    elif mtype == m.XFRM_MSG_DELPOLICY:
        pid = obj
        model.policies = [q for q in model.policies if not _same_policy(q, pid)]
    elif mtype == m.XFRM_MSG_FLUSHSA:
        model.states = []
    elif mtype == m.XFRM_MSG_FLUSHPOLICY:
        model.policies = []
    elif mtype == m.XFRM_MSG_SETDEFAULT:
        model.default = obj
        model.where[id(model.default)] = where
    return None


# The words of `ip address` and `ip route` lines that check reads (ip-address(8),
# ip-route(8)): pyip's grammar has none of them, since pyip hands those commands to ip.
# A verb is matched by prefix, as ip does; a valued word names the role of its value.
ADDR_VERBS = {"add": "add", "change": "add", "replace": "add", "delete": "del",
              "flush": "flush"}
ADDR_VALUED = {"dev": "dev", "local": "local", "peer": "peer", "remote": "peer",
               "broadcast": "", "brd": "", "label": "", "scope": "", "valid_lft": "",
               "preferred_lft": "", "metric": "", "anycast": "", "proto": ""}
ADDR_FLAGS = {"noprefixroute": "noprefixroute", "to": ""}      # "to" only precedes ADDR
ROUTE_VERBS = {"add": "add", "replace": "add", "append": "add"}
ROUTE_VALUED = {"dev": "dev", "oif": "dev", "via": "gw"}


def _verb(table, words):
    w = words[1] if len(words) > 1 else ""
    return next((role for v, role in table.items() if w and v.startswith(w)), None)


def _address_line(model, words):
    """`addr add|del ADDR[/LEN] dev NAME ...` and `addr flush dev NAME` of a script, into the
    model's addresses (and the prefix route an address makes into its device): ip hands
    these to the system's ip (pyip makes no request of its own), so their words are read
    here, as far as check needs them."""
    from _socket import AF_INET, AF_INET6, inet_pton
    verb, rest = _verb(ADDR_VERBS, words), words[2:]
    known = model.addresses or []
    values, addr, flags = {}, None, set()
    i = 0
    while i < len(rest):
        role = ADDR_VALUED.get(rest[i])
        if role is not None and i + 1 < len(rest):
            values[role] = rest[i + 1]
            i += 2
            continue
        if rest[i] in ADDR_FLAGS:
            flags.add(ADDR_FLAGS[rest[i]])
            flags.discard("")
        elif addr is None:
            addr = rest[i]
        i += 1
    addr = values.get("local", addr)
    dev = values.get("dev")
    if verb == "flush":
        model.addresses = [a for a in known if dev is not None and a.dev != dev]
        return
    if not addr or verb is None:
        return
    local, _, plen = addr.partition("/")
    family = AF_INET6 if ":" in local else AF_INET
    try:
        inet_pton(family, local)
    except (OSError, ValueError):
        return
    bits = 128 if family == AF_INET6 else 32
    prefixlen = int(plen) if plen.isdigit() and int(plen) <= bits else bits
    if verb == "del":
        model.addresses = [a for a in known if (a.local, a.dev) != (local, dev)]
        return
    model.addresses = known + [mo.Address(family, local, prefixlen, dev)]
    if dev and (prefixlen < bits or values.get("peer")) and not flags:
        model.routed.add(dev)           # the prefix (or peer) route into dev


def _route_line(model, words):
    """`route add|replace|append ... dev NAME` (or `via GW` on an address's prefix): the
    device a script's route goes into, as far as check needs it."""
    from _socket import AF_INET, AF_INET6
    if _verb(ROUTE_VERBS, words) is None:
        return
    rest = words[2:]
    values = {ROUTE_VALUED[w]: v for w, v in zip(rest, rest[1:]) if w in ROUTE_VALUED}
    dev, gw = values.get("dev"), values.get("gw")
    if dev is None and gw is not None:
        family = AF_INET6 if ":" in gw else AF_INET
        dev = next((a.dev for a in model.addresses or ()
                    if a.family == family and mo.prefix_covers(
                        a.local, a.prefixlen, gw, 128 if family == AF_INET6 else 32, family)),
                   None)
    if dev:
        model.routed.add(dev)


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


def _merge_info(link, change):
    """`link set NAME type vti|xfrm ...` onto the device an earlier line made.  ip fills
    what the line does not name from the device's current settings (a GETLINK, which the
    fake transport answers with nothing: zeros), so a field the request carries as zero or
    absent is taken as unchanged -- a line that sets a key back to 0 is not modelled."""
    info = change.info
    if change.kind != link.kind or info is None:
        return
    for f in type(info).__slots__:
        v = getattr(info, f, None)
        if v not in (None, 0, False) and f != "family":
            setattr(link.info, f, v)


def _link_request(model, mtype, flags, data, words, where):
    from pyip.link.objects import decode_message
    if mtype == ifla.RTM_NEWLINK and flags & nl.NLM_F_CREATE:
        link = decode_message(data)
        if any(l.ifname == link.ifname for l in model.links):
            return EEXIST, None
        if link.kind in ("vti", "vti6") and link.info is not None:
            for l in model.links:
                if l.kind == link.kind and l.info is not None \
                        and mo.vti_identity(l) == mo.vti_identity(link):
                    return EEXIST, "vti-duplicate"
        _, _, _, ifflags, change = ifla.IFINFOMSG.unpack_from(data, 16)
        link.flags = ["UP"] if ifflags & change & ifla.IFF_UP else []
        model.links.append(link)
        model.where[id(link)] = where
        typed = words[words.index("type") + 1:] if "type" in words else []
        if "dev" in typed[:-1]:     # the dev of `type xfrm dev PHYS` (not `link add dev NAME`)
            model.devs[id(link)] = typed[typed.index("dev") + 1]
    elif mtype == ifla.RTM_NEWLINK:
        name = _target(words)
        _, _, _, ifflags, change = ifla.IFINFOMSG.unpack_from(data, 16)
        for l in model.links:
            if l.ifname == name and change & ifla.IFF_UP:
                l.flags = ["UP"] if ifflags & ifla.IFF_UP else []
            if l.ifname == name and l.info is not None:
                _merge_info(l, decode_message(data))
    elif mtype == ifla.RTM_DELLINK:
        name = _target(words)
        model.links = [l for l in model.links if l.ifname != name]
    return None
