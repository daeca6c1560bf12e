"""ip link show's printing of one device: ipaddress.c print_linkinfo() (the text, -d, -s, -o,
-br and JSON forms), and what it shares with the dump's (pyip.link.dumped, listed) and with
-echo.  The command itself (its words, the get or dump) is pyip.link.listing."""
from pyip import links, out
from pyip import netlink as nl
from pyip.jsonw import Printer, cx
from pyip.ifla import (
    ADDR_GEN_MODES, ARPHRD_IP6GRE, ARPHRD_IPGRE, ARPHRD_NAMES, ARPHRD_SIT, ARPHRD_TUNNEL,
    ARPHRD_TUNNEL6, FLAG_NAMES, IFF_POINTOPOINT, IFF_RUNNING, IFF_UP, IFINFOMSG, IFLA_ADDRESS,
    IFLA_AF_SPEC, IFLA_ALLMULTI, IFLA_GRO_IPV4_MAX_SIZE, IFLA_GSO_IPV4_MAX_SIZE,
    IFLA_NETNS_IMMUTABLE, IFLA_ALT_IFNAME, IFLA_BROADCAST, IFLA_CARRIER_CHANGES,
    IFLA_EVENT, IFLA_GRO_MAX_SIZE, IFLA_GROUP, IFLA_GSO_MAX_SEGS,
    IFLA_GSO_MAX_SIZE, IFLA_IFALIAS, IFLA_IFNAME, IFLA_INET6_ADDR_GEN_MODE, IFLA_INFO_DATA,
    IFLA_INFO_KIND, IFLA_INFO_SLAVE_DATA, IFLA_INFO_SLAVE_KIND, IFLA_LINK, IFLA_LINK_NETNSID,
    IFLA_LINKINFO,
    IFLA_LINKMODE, IFLA_MASTER, IFLA_MAX_MTU, IFLA_MIN_MTU, IFLA_MTU, IFLA_NEW_IFINDEX,
    IFLA_NEW_NETNSID, IFLA_NUM_RX_QUEUES, IFLA_NUM_TX_QUEUES, IFLA_OPERSTATE,
    IFLA_PARENT_DEV_BUS_NAME, IFLA_PARENT_DEV_NAME, IFLA_PERM_ADDRESS, IFLA_PHYS_PORT_ID,
    IFLA_PHYS_PORT_NAME, IFLA_PHYS_SWITCH_ID, IFLA_PROMISCUITY, IFLA_PROP_LIST,
    IFLA_PROTO_DOWN, IFLA_PROTO_DOWN_REASON, IFLA_PROTO_DOWN_REASON_VALUE, IFLA_QDISC,
    IFLA_STATS, IFLA_STATS64, IFLA_TSO_MAX_SEGS, IFLA_TSO_MAX_SIZE, IFLA_TXQLEN,
    IFLA_XDP, IFLA_XDP_ATTACHED, LINK_EVENTS, LINK_MODES, OPERSTATES, RTM_DELLINK, RTM_GETLINK,
    RTM_NEWLINK)
from pyip.opts import opts
from pyip.rtnames import group_n2a


U32 = nl.U32
_cstr, _u32 = nl.cstr, nl.u32
AF_INET6 = 10


class Filter:
    """ipaddress.c's `filter` as ip link show sets it."""
    __slots__ = ("ifindex", "up", "group", "master", "kind", "slave_kind", "label", "echo",
                 "down", "vfinfo")

    def __init__(self):
        self.ifindex = self.up = self.master = 0
        self.down = 0           # ip >= 6.13: "down"
        self.vfinfo = 1         # ip >= 6.10: "novf" clears it
        self.group = -1
        self.kind = self.slave_kind = self.label = None
        self.echo = False       # print_echo(): ip's globals as no `link show` set them


# 94b01517 (6.17): devices of another group are left out before printing (-j: no "{}" for them)
GROUP_FILTER_SINCE = (6, 17)


def left_out_by_group(f, tb):
    """group_filter(): the device is not of the group asked for, and the release leaves
    such devices out before printing (before 6.17 print_linkinfo() did, inside its {})."""
    if f.group == -1 or IFLA_GROUP not in tb or _u32(tb[IFLA_GROUP]) == f.group:
        return False
    from pyip.release import since
    return since(GROUP_FILTER_SINCE)


# what print_linkinfo() shows only under `ip link show` (its do_link, filter.showqueue)
_LIST_ONLY = (IFLA_LINKMODE, IFLA_TXQLEN, IFLA_AF_SPEC)


def is_vrf(name):
    """name_is_vrf(): RTM_GETLINK by name alone (no mask), then the device's kind."""
    body = IFINFOMSG.pack(opts.preferred_family, 0, 0, 0, 0)
    body += nl.addattr_l(16 + len(body), links.LL_REQ, IFLA_IFNAME,
                         name.encode("utf-8", "surrogateescape") + b"\0")
    try:
        msg = nl.rtnl().talk(RTM_GETLINK, 0, body)
    except nl.KernelError:
        return False
    info = nl.link_attrs(msg, 32).get(IFLA_LINKINFO)
    return info is not None and _cstr(nl.link_attrs(info).get(IFLA_INFO_KIND, b"")) == "vrf"


def print_echo(msg):
    """rtnl_echo_talk()'s printing (ip -echo link add/set/del): the kernel's first answer
    -- its echo of the device, or the ack where it echoes nothing, which prints nothing
    (JSON: {}) -- as print_linkinfo() prints it, in a JSON array of its own.  ip's global
    filter is all zeros then: a device outside group 0 prints nothing, as in ip."""
    f = Filter()
    f.group = 0
    f.echo = True
    p = Printer(opts.json, opts.pretty, palette())
    if p.jw is not None:
        p.jw.start_array()
    p.open_object()
    print_linkinfo(p, msg, nl.link_attrs(msg, 32) if len(msg) >= 32 else {}, f)
    p.close_object()
    end(p)


def end(p):
    if p.jw is not None:
        p.jw.end_array()
        p.out.append("\n")
    out.write(p.take())


def print_linkinfo(p, msg, tb, f):
    """print_linkinfo(): one device; -1 when a filter drops it (ip then prints nothing,
    but in JSON the caller has already opened the device's {})."""
    mtype = msg[4] | msg[5] << 8
    if mtype != RTM_NEWLINK and mtype != RTM_DELLINK:
        return 0
    if len(msg) < 32:
        return -1
    _, ltype, index, flags, _ = IFINFOMSG.unpack_from(msg, 16)
    if f.ifindex and index != f.ifindex:
        return -1
    if f.up and not flags & IFF_UP:
        return -1
    if f.down and flags & IFF_UP:
        return -1
    raw = tb.get(IFLA_IFNAME)
    if raw is None:
        out.error("BUG: device with ifindex %d has nil ifname\n" % index)
        name = "if%d" % index
    else:
        name = _cstr(raw)
    if not links.check_ifname(name):
        return -1
    if f.label is not None:
        return 0
    if f.group != -1 and IFLA_GROUP in tb and _u32(tb[IFLA_GROUP]) != f.group:
        return -1
    if f.master > 0 and (IFLA_MASTER not in tb or _u32(tb[IFLA_MASTER]) != f.master):
        return -1
    if f.kind is not None and _kind(tb, IFLA_INFO_KIND) != f.kind:
        return -1
    if f.slave_kind is not None and _kind(tb, IFLA_INFO_SLAVE_KIND) != f.slave_kind:
        return -1
    if mtype == RTM_DELLINK:
        p.boolean("deleted", "Deleted ")
    if f.echo:
        tb = {k: v for k, v in tb.items() if k not in _LIST_ONLY}
    if opts.brief:
        return _brief(p, name, ltype, flags, tb, f.echo)
    sl = opts.SL
    p.num("ifindex", "%d: ", index)
    m_flag = _name_and_link(p, "%s: ", name, tb)
    p.memo(p.pieces, (flags, m_flag), print_flags, p, flags, m_flag)
    get = tb.get
    p.memo(p.pieces, (get(IFLA_MTU), get(IFLA_XDP), get(IFLA_QDISC), get(IFLA_MASTER),
                   get(IFLA_OPERSTATE), get(IFLA_LINKMODE), get(IFLA_GROUP), get(IFLA_TXQLEN),
                   get(IFLA_EVENT)), print_state_line, p, tb)
    p.nl(sl)
    p.string("link_type", "    link/%s ", ll_type(ltype))
    addr = tb.get(IFLA_ADDRESS)
    if addr is not None:
        p.string("address", "%s", ll_addr(addr, ltype), "mac")
    if IFLA_BROADCAST in tb:
        if flags & IFF_POINTOPOINT:
            p.fp(" peer ")
            p.jbool("link_pointtopoint", True)
        else:
            p.fp(" brd ")
        p.string("broadcast", "%s", ll_addr(tb[IFLA_BROADCAST], ltype), "mac")
    perm = tb.get(IFLA_PERM_ADDRESS)
    if perm is not None and perm != addr:
        p.fp(" permaddr ")
        p.string("permaddr", "%s", ll_addr(perm, ltype), "mac")
    if IFLA_LINK_NETNSID in tb:
        nsid = nl.I32.unpack_from(tb[IFLA_LINK_NETNSID])[0]
        if p.jw is not None:
            p.jnum("link_netnsid", nsid)
        elif nsid >= 0:
            from pyip import netns
            ns_name = netns.name_from_nsid(nsid)
            p.fp(" link-netnsid %d" % nsid if ns_name is None else " link-netns " + ns_name)
        else:
            p.fp(" link-netnsid unknown")
    if IFLA_NEW_NETNSID in tb:
        p.fp(" new-netnsid %d" % nl.I32.unpack_from(tb[IFLA_NEW_NETNSID])[0])
    if IFLA_NEW_IFINDEX in tb:
        p.fp(" new-ifindex %d" % nl.I32.unpack_from(tb[IFLA_NEW_IFINDEX])[0])
    if IFLA_PROTO_DOWN in tb and (tb[IFLA_PROTO_DOWN] != b"\0" or
                                  IFLA_PROTO_DOWN_REASON in tb):
        _proto_down(p, tb)
    if opts.show_details:
        # AF_SPEC carries per-device times: only its addrgenmode is printed
        agm = _addr_gen_mode(tb[IFLA_AF_SPEC]) if IFLA_AF_SPEC in tb else None
        p.memo(p.pieces, (tuple(map(get, DETAIL_KEYS)), agm), print_details, p, tb, agm)
    if IFLA_IFALIAS in tb:
        p.fp(sl + "    ")
        p.string("ifalias", "alias %s", _cstr(tb[IFLA_IFALIAS]))
    if opts.show_stats and not f.echo:
        p.nl(sl)
        p.memo(p.pieces, (get(IFLA_STATS64), get(IFLA_STATS), get(IFLA_CARRIER_CHANGES)),
               print_stats, p, tb)
    if IFLA_PROP_LIST in tb:
        p.open_array("altnames", "") if p.jw is not None else None
        for t, payload in _each(tb[IFLA_PROP_LIST]):
            if t == IFLA_ALT_IFNAME:
                p.fp(sl + "    altname ")
                p.string(None, "%s", _cstr(payload))
        if p.jw is not None:
            p.close_array("")
    p.fp("\n")
    return 1


def named(p, tb):
    """The devices, by index, print_linkinfo() names in this device's text (its link, its
    master, under -d a kind's lower device; 0s left out), or None where it asks the kernel
    about more (a link-netns name, on the dump's own socket): a dump's device is printed once
    these are known."""
    if IFLA_LINK_NETNSID in tb:
        if p.jw is None and not opts.brief:
            return None
        refs = []
    else:
        link = tb.get(IFLA_LINK)
        refs = [_u32(link)] if link is not None else []
    master = tb.get(IFLA_MASTER)
    if master is not None:
        refs.append(_u32(master))
    if opts.show_details and IFLA_LINKINFO in tb:
        refs.append(lower_device(tb[IFLA_LINKINFO]))
    return [i for i in refs if i]


def lower_device(raw):
    """The device the kind's options name (_linktype() prints "dev NAME"), or 0."""
    if raw.__class__ is int:
        return 0            # a 4-byte IFLA_LINKINFO read as a number: no room for data
    lower = _lower_devices.get(raw)
    if lower is None:
        lower = _lower_device(raw)
        if len(_lower_devices) < 4096:
            _lower_devices[raw] = lower
    return lower


def _lower_device(raw):
    from pyip.link.kinds import LOWER_DEVICES
    info = nl.link_attrs(raw)
    kind, data = info.get(IFLA_INFO_KIND), info.get(IFLA_INFO_DATA)
    if kind is None or data is None:
        return 0
    lower = LOWER_DEVICES.get(_cstr(kind))
    return 0 if lower is None else lower(nl.link_attrs(data))


# a dump's devices of one kind mostly share their IFLA_LINKINFO bytes (a veth's, an ifb's):
# what they name, kept (bounded, as shapes.CACHED)
_lower_devices = {}


def print_state_line(p, tb):
    """The rest of the first line: mtu, qdisc, master, state, mode, group, qlen, event."""
    if IFLA_MTU in tb:
        # print_int(.., "mtu %u ", u32): the text reads it unsigned, JSON as the int it is
        mtu = _u32(tb[IFLA_MTU])
        p.num("mtu", "mtu %d ", mtu) if p.jw is None else p.jnum("mtu", _s32(mtu))
    if IFLA_XDP in tb:
        _xdp(p, tb[IFLA_XDP])
    if IFLA_QDISC in tb:
        p.string("qdisc", "qdisc %s ", _cstr(tb[IFLA_QDISC]))
    if IFLA_MASTER in tb:
        p.string("master", "master %s ", links.index_to_name(_u32(tb[IFLA_MASTER])))
    if IFLA_OPERSTATE in tb:
        _operstate(p, tb[IFLA_OPERSTATE][0])
    if IFLA_LINKMODE in tb:
        mode = tb[IFLA_LINKMODE][0]
        if mode < len(LINK_MODES):
            p.string("linkmode", "mode %s ", LINK_MODES[mode])
        else:
            p.num("linkmode_index", "mode %d ", mode)
    if IFLA_GROUP in tb:
        p.string("group", "group %s ", group_n2a(_u32(tb[IFLA_GROUP]), opts.numeric))
    if IFLA_TXQLEN in tb:
        qlen = _s32(_u32(tb[IFLA_TXQLEN]))        # ip's int qlen, "qlen %d"
        if qlen:
            p.num("txqlen", "qlen %d", qlen)
    if IFLA_EVENT in tb:
        event = _u32(tb[IFLA_EVENT])
        if event >= len(LINK_EVENTS):
            p.num("event", "event %d ", _s32(event))
        elif event:
            p.string("event", "event %s ", LINK_EVENTS[event])


def _s32(v):
    """A u32 as C's int."""
    return v - (1 << 32) if v & 0x80000000 else v


def _each(raw):
    """Every attribute in a nest, duplicates included, in order, with its type as sent
    (rta_for_each_nested(): callers compare it as ip does)."""
    i, n = 0, len(raw)
    while i + 4 <= n:
        ln, t = nl.RTA.unpack_from(raw, i)
        if ln < 4 or i + ln > n:
            break
        yield t, raw[i + 4:i + ln]
        i += (ln + 3) & ~3


def _kind(tb, which):
    info = tb.get(IFLA_LINKINFO)
    if info is None:
        return None         # match_link_kind() != 0: no LINKINFO never matches
    return _cstr(nl.link_attrs(info).get(which, b""))


def ll_type(ltype):
    if not opts.numeric:
        name = ARPHRD_NAMES.get(ltype)
        if name is not None:
            return name
    return "[%d]" % ltype


# the link types whose addresses ll_addr() may print as IP addresses; others are hex
_IP4_LL_TYPES = (ARPHRD_TUNNEL, ARPHRD_SIT, ARPHRD_IPGRE)
_IP6_LL_TYPES = (ARPHRD_TUNNEL6, ARPHRD_IP6GRE)
IP_LL_TYPES = _IP4_LL_TYPES + _IP6_LL_TYPES


def ll_addr(raw, ltype):
    """ll_addr_n2a(): IP addresses for tunnels, else colon-separated hex."""
    n = len(raw)
    family = 2 if n == 4 and ltype in _IP4_LL_TYPES else \
        AF_INET6 if n == 16 and ltype in _IP6_LL_TYPES else None
    if family is not None:
        from pyip.addr import ntop
        return ntop(family, raw)
    if not n:
        return "%02x" % 0
    return raw.hex(":")


def _name_and_link(p, fmt, name, tb):
    """print_name_and_link(): NAME@LINK (NONE for 0), and M-DOWN when the link is down."""
    m_flag = 0
    link = None
    if IFLA_LINK in tb:
        iflink = _u32(tb[IFLA_LINK])
        if iflink:
            if IFLA_LINK_NETNSID in tb:
                if p.jw is not None:
                    p.jnum("link_index", iflink)
                else:
                    link = "if%d" % iflink
            else:
                link = links.index_to_name(iflink)
                if p.jw is not None:
                    p.jstring("link", link)
                    link = None
                m_flag = 0 if links.index_to_flags(iflink) & IFF_UP else 1
        elif p.jw is not None:
            p.null("link", None, None)
        else:
            link = "NONE"
        if link is not None:
            name = "%s@%s" % (name, link)
    p.string("ifname", fmt, name, "ifname")
    return m_flag


def print_flags(p, flags, mdown):
    p.open_array("flags", "<")
    if flags & IFF_UP and not flags & IFF_RUNNING:
        p.string(None, "%s," if flags else "%s", "NO-CARRIER")
    flags &= ~IFF_RUNNING
    for bit, name in FLAG_NAMES:
        if flags & bit:
            flags &= ~bit
            p.string(None, "%s," if flags else "%s", name)
    if flags:
        p.string(None, "%s", "%x" % flags)
    if mdown:
        p.string(None, ",%s", "M-DOWN")
    p.close_array("> ")


def _operstate(p, state):
    if state >= len(OPERSTATES):
        if p.jw is not None:
            p.jnum("operstate_index", state)
        else:
            p.fp("state %s" % cx(state))
    elif opts.brief:
        p.string("operstate", "%-14s ", OPERSTATES[state], _state_color(state))
    elif p.jw is not None:
        p.jstring("operstate", OPERSTATES[state])
    else:
        p.fp("state ")
        attr = _state_color(state)
        if attr is None:
            p.fp(OPERSTATES[state] + " ")
        else:
            p.ctext(attr, OPERSTATES[state] + " ")


def _state_color(state):
    return "up" if state == 6 else "down" if state == 2 else None


def _xdp(p, raw):
    """xdp_dump(): nothing unless a program is attached (ip names the mode then)."""
    mode = nl.link_attrs(raw).get(IFLA_XDP_ATTACHED)
    if not mode or not mode[0] or p.jw is not None:
        return
    p.fp({1: "xdp", 2: "xdpgeneric", 3: "xdpoffload", 4: "xdpmulti"}.get(
        mode[0], "xdp[%u]" % mode[0]) + " ")


def _proto_down(p, tb):
    if tb[IFLA_PROTO_DOWN][:1] not in (b"", b"\0"):
        p.boolean("proto_down", " protodown on ")
    if IFLA_PROTO_DOWN_REASON in tb:
        # ip tests tb[IFLA_PROTO_DOWN_REASON_VALUE] of the device's table (= IFLA_BROADCAST)
        if IFLA_PROTO_DOWN_REASON_VALUE not in tb:
            return
        value = nl.link_attrs(tb[IFLA_PROTO_DOWN_REASON]).get(IFLA_PROTO_DOWN_REASON_VALUE, b"\0")
        reason = value[0] if value else 0
        if not reason:
            return
        p.open_array("proto_down_reason", "protodown_reason <")
        first = True
        i = 0
        while reason:
            if reason & 1:
                p.string(None, "%s" if first else ",%s", "%d" % i)
                first = False
            i += 1
            reason >>= 1
        p.close_array(">")


_DETAIL_U32 = ((IFLA_NUM_TX_QUEUES, "num_tx_queues", "numtxqueues %d "),
               (IFLA_NUM_RX_QUEUES, "num_rx_queues", "numrxqueues %d "),
               (IFLA_GSO_MAX_SIZE, "gso_max_size", "gso_max_size %d "),
               (IFLA_GSO_MAX_SEGS, "gso_max_segs", "gso_max_segs %d "),
               (IFLA_TSO_MAX_SIZE, "tso_max_size", "tso_max_size %d "),
               (IFLA_TSO_MAX_SEGS, "tso_max_segs", "tso_max_segs %d "),
               (IFLA_GRO_MAX_SIZE, "gro_max_size", "gro_max_size %d "))


DETAIL_KEYS = (IFLA_PROMISCUITY, IFLA_ALLMULTI, IFLA_MIN_MTU, IFLA_MAX_MTU, IFLA_LINKINFO,
                IFLA_NUM_TX_QUEUES, IFLA_NUM_RX_QUEUES, IFLA_GSO_MAX_SIZE,
                IFLA_GSO_MAX_SEGS, IFLA_TSO_MAX_SIZE, IFLA_TSO_MAX_SEGS, IFLA_GRO_MAX_SIZE,
                IFLA_PHYS_PORT_NAME, IFLA_PHYS_PORT_ID, IFLA_PHYS_SWITCH_ID,
                IFLA_PARENT_DEV_BUS_NAME, IFLA_PARENT_DEV_NAME, IFLA_GSO_IPV4_MAX_SIZE,
                IFLA_GRO_IPV4_MAX_SIZE, IFLA_NETNS_IMMUTABLE)
# -d's fields and wording by the first release that prints them so (print_linkinfo()):
# gso/gro_ipv4_max_size (1dafe448, 6.3), allmulti without the double space (72df7f7e, 6.4),
# netns-immutable (e4e55167, 6.17)
DETAIL_SINCE = {IFLA_GSO_IPV4_MAX_SIZE: (6, 3), IFLA_GRO_IPV4_MAX_SIZE: (6, 3),
                IFLA_NETNS_IMMUTABLE: (6, 17)}
ALLMULTI_FORMAT = {(6, 1): " allmulti %d ", (6, 4): "allmulti %d "}
_IPV4_SIZES = ((IFLA_GSO_IPV4_MAX_SIZE, "gso_ipv4_max_size", "gso_ipv4_max_size %d "),
               (IFLA_GRO_IPV4_MAX_SIZE, "gro_ipv4_max_size", "gro_ipv4_max_size %d "))


def print_details(p, tb, agm):
    from pyip.release import by_release, since
    if IFLA_PROMISCUITY in tb:
        p.num("promiscuity", " promiscuity %d ", _u32(tb[IFLA_PROMISCUITY]))
    if IFLA_ALLMULTI in tb:
        p.num("allmulti", by_release(ALLMULTI_FORMAT), _u32(tb[IFLA_ALLMULTI]))
    if IFLA_MIN_MTU in tb:
        p.num("min_mtu", "minmtu %d ", _u32(tb[IFLA_MIN_MTU]))
    if IFLA_MAX_MTU in tb:
        p.num("max_mtu", "maxmtu %d ", _u32(tb[IFLA_MAX_MTU]))
    if IFLA_NETNS_IMMUTABLE in tb and tb[IFLA_NETNS_IMMUTABLE][:1] not in (b"", b"\0") and \
            since(DETAIL_SINCE[IFLA_NETNS_IMMUTABLE]):
        p.boolean("netns-immutable", "netns-immutable ")
    if IFLA_LINKINFO in tb:
        _linktype(p, tb[IFLA_LINKINFO])
    if agm is not None:
        text = ADDR_GEN_MODES[agm] if agm < len(ADDR_GEN_MODES) else \
            ("%#.2x" % agm if agm else "00")
        p.string("inet6_addr_gen_mode", "addrgenmode %s ", text)
    for t, key, fmt in _DETAIL_U32:
        if t in tb:
            p.num(key, fmt, _u32(tb[t]))
    for t, key, fmt in _IPV4_SIZES:
        if t in tb and since(DETAIL_SINCE[t]):
            p.num(key, fmt, _u32(tb[t]))
    if IFLA_PHYS_PORT_NAME in tb:
        p.string("phys_port_name", "portname %s ", _cstr(tb[IFLA_PHYS_PORT_NAME]))
    if IFLA_PHYS_PORT_ID in tb:
        p.string("phys_port_id", "portid %s ", tb[IFLA_PHYS_PORT_ID].hex())
    if IFLA_PHYS_SWITCH_ID in tb:
        p.string("phys_switch_id", "switchid %s ", tb[IFLA_PHYS_SWITCH_ID].hex())
    if IFLA_PARENT_DEV_BUS_NAME in tb:
        p.string("parentbus", "parentbus %s ", _cstr(tb[IFLA_PARENT_DEV_BUS_NAME]))
    if IFLA_PARENT_DEV_NAME in tb:
        p.string("parentdev", "parentdev %s ", _cstr(tb[IFLA_PARENT_DEV_NAME]))


def _linktype(p, raw):
    """print_linktype(): the kind's line, its options when ip has a printer for the kind;
    the same for a port's master kind ("KIND_slave")."""
    from pyip.link.kinds import PRINTERS, SLAVE_PRINTERS
    info = nl.link_attrs(raw)
    p.open_object("linkinfo")
    for kind_attr, data_attr, key, fmt, printers in (
            (IFLA_INFO_KIND, IFLA_INFO_DATA, "info_kind", "    %s ", PRINTERS),
            (IFLA_INFO_SLAVE_KIND, IFLA_INFO_SLAVE_DATA, "info_slave_kind", "    %s_slave ",
             SLAVE_PRINTERS)):
        kind = info.get(kind_attr)
        if kind is None:
            continue
        kind = _cstr(kind)
        p.nl(opts.SL)
        p.string(key, fmt, kind)
        printer = printers.get(kind)
        if printer is not None:
            data = info.get(data_attr)
            p.open_object(key.replace("kind", "data"))
            if data is not None:
                printer(p, nl.link_attrs(data))
            p.close_object()
    p.close_object()


def _addr_gen_mode(raw):
    """print_af_spec(): the first nest of type AF_INET6 exactly (parse_rtattr_one_nested()),
    its first IFLA_INET6_ADDR_GEN_MODE (parse_rtattr_nested(): NLA_F_NESTED ignored), or
    None."""
    for t, payload in _each(raw):
        if t == AF_INET6:
            for t6, value in _each(payload):
                if t6 & ~nl.NLA_F_NESTED == IFLA_INET6_ADDR_GEN_MODE:
                    return value[0] if value else None
            return None
    return None


# struct rtnl_link_stats64, in order (struct rtnl_link_stats has the first 24 as u32)
STATS_FIELDS = (
    "rx_packets tx_packets rx_bytes tx_bytes rx_errors tx_errors rx_dropped tx_dropped "
    "multicast collisions rx_length_errors rx_over_errors rx_crc_errors rx_frame_errors "
    "rx_fifo_errors rx_missed_errors tx_aborted_errors tx_carrier_errors tx_fifo_errors "
    "tx_heartbeat_errors tx_window_errors rx_compressed tx_compressed rx_nohandler "
    "rx_otherhost_dropped").split()


def print_stats(p, tb):
    """__print_link_stats(): 64-bit counters if the kernel sent them, else 32-bit ones."""
    from _struct import unpack_from
    if IFLA_STATS64 in tb:
        raw, size, what = tb[IFLA_STATS64], 8, "stats64"
    elif IFLA_STATS in tb:
        raw, size, what = tb[IFLA_STATS], 4, "stats"
    else:
        return
    count = 25 if size == 8 else 24
    raw = raw[:count * size] + bytes(max(0, count * size - len(raw)))
    values = unpack_from("=%d%s" % (count, "Q" if size == 8 else "I"), raw)
    s = dict(zip(STATS_FIELDS, values))
    s.setdefault("rx_otherhost_dropped", 0)
    cc = tb.get(IFLA_CARRIER_CHANGES)
    from pyip.link.stats import print_stats64
    print_stats64(p, s, None if cc is None else _u32(cc), what)


def _brief(p, name, ltype, flags, tb, echo=False):
    m_flag = _name_and_link(p, "%-16s ", name, tb)
    if IFLA_OPERSTATE in tb:
        _operstate(p, tb[IFLA_OPERSTATE][0])
    if echo:
        return 0            # ip's filter.family is AF_PACKET only under `link show`
    if IFLA_ADDRESS in tb:
        p.string("address", "%s ", ll_addr(tb[IFLA_ADDRESS], ltype), "mac")
    print_flags(p, flags, m_flag)
    p.fp("\n")
    return 0


# Colour (lib/color.c).  The default when no -c is given: never up to 6.8, from 6.9 auto
# (Debian's build: "Enable output with colors on terminals", 6.9.0-1; upstream's default is
# the configure choice, CONF_COLOR); from 6.15 a non-empty NO_COLOR makes it never (446edf9e,
# f0076a01); from 6.17 the background is taken as dark unless COLORFGBG says it is light
# (cc0f1109: the bold palette).
COLOR_BY_DEFAULT = {(6, 1): 0, (6, 9): 1}
NO_COLOR_SINCE = (6, 15)
DARK_UNLESS_SAID_SINCE = (6, 17)


def color_option():
    """The run's -color choice: 0 never, 1 auto, 2 always (default_color_opt() where no -c
    was given)."""
    if opts.color is not None:
        return opts.color
    import os
    from pyip.release import by_release, since
    if since(NO_COLOR_SINCE) and os.environ.get("NO_COLOR"):
        return 0
    return by_release(COLOR_BY_DEFAULT)


def palette():
    """check_enable_color(): -c=always, or -c=auto on a terminal (None: no colour); dark
    colours as COLORFGBG (and, from 6.17, its absence) say."""
    import os
    from pyip.release import since
    color = color_option()
    if opts.json or not color or (color == 1 and not out.is_terminal()):
        return None
    bg = os.environ.get("COLORFGBG", "")
    last = bg[bg.rfind(";") + 1:] if ";" in bg else None
    said_dark = last is not None and len(last) == 1 and last in "01234568"
    dark = said_dark or (since(DARK_UNLESS_SAID_SINCE) and last is None)
    bold = "1;" if dark else ""
    return {"ifname": "\033[%s36m" % bold, "mac": "\033[%s33m" % bold,
            "up": "\033[%s32m" % bold, "down": "\033[%s31m" % bold}
