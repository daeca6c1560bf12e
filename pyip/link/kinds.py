"""The link kinds pyip knows: type xfrm (link_xfrm.c), vti (link_vti.c), vti6 (link_vti6.c).
Each parser returns IFLA_INFO_DATA's payload, or None after printing ip's error (status 1)."""
from pyip import links, out
from pyip import netlink as nl
from pyip.addr import AF_INET, AF_INET6, get_addr, get_addr32
from pyip.errors import IpExit, invarg, missarg
from pyip.words import Args, lookup, strtoul

IFLA_XFRM_LINK, IFLA_XFRM_IF_ID, IFLA_XFRM_COLLECT_METADATA = 1, 2, 3
IFLA_VTI_LINK, IFLA_VTI_IKEY, IFLA_VTI_OKEY = 1, 2, 3
IFLA_VTI_LOCAL, IFLA_VTI_REMOTE, IFLA_VTI_FWMARK = 4, 5, 6


def help_text(kind):
    from pyip._tables import USAGE
    return USAGE["link_" + kind]


def nodev_exit(name):
    """exit(nodev(name)): exit(-1), status 255."""
    raise IpExit('Cannot find device "%s"\n' % name, 255)


def xfrm(kind, argv, flags, ifi):
    a = Args(argv)
    link = 0
    if_id = None
    metadata = False
    body = []
    while a.argc > 0:
        what = lookup("xfrm_link_word", a.word)
        if what == "dev":
            v = a.next()
            link = links.name_to_index(v)
            if not link:
                nodev_exit(v)
        elif what == "if_id":
            v = a.next()
            n = strtoul(v)
            if n is None or not n:
                invarg("if_id value is invalid", v)
            if_id = n
            body.append(nl.attr(IFLA_XFRM_IF_ID, nl.U32.pack(n)))
        elif what == "external":
            metadata = True
        else:
            out.error(help_text("xfrm"))
            return None
        a.i += 1
    if metadata:
        if if_id or link:
            out.error("xfrmi: both 'external' and if_id/link cannot be specified\n")
            return None
        return b"".join(body) + nl.attr(IFLA_XFRM_COLLECT_METADATA, b"")
    if not if_id:
        missarg("IF_ID")
    if link:
        body.append(nl.attr(IFLA_XFRM_LINK, nl.U32.pack(link)))
    return b"".join(body)


def tnl_key(what, text):
    """tnl_parse_key(): a dotted quad, or an unsigned number (network order)."""
    if "." in text:
        return get_addr32(text)
    v = strtoul(text)
    if v is None:
        raise IpExit('invalid value for "%s": "%s"; it should be an unsigned integer\n'
                     % (what, text), 255)
    return v.to_bytes(4, "big")


def vti(kind, argv, flags, ifi):
    family = AF_INET6 if kind == "vti6" else AF_INET
    size = 16 if family == AF_INET6 else 4
    ikey = okey = bytes(4)
    saddr = daddr = None
    link = fwmark = 0
    if not flags & 0x400:                   # set/change: start from the device's values
        cur = existing(ifi["index"], family)
        if cur is None:
            out.error("Failed to get existing tunnel info.\n")
            return None
        saddr, daddr, ikey, okey, link, fwmark = cur
    a = Args(argv)
    while a.argc > 0:
        what = lookup("vti_link_word", a.word)
        if what == "key":
            ikey = okey = tnl_key("key", a.next())
        elif what in ("ikey", "okey"):
            k = tnl_key(what, a.next())
            if what == "ikey":
                ikey = k
            else:
                okey = k
        elif what in ("remote", "local"):
            p = get_addr(a.next(), family)
            if what == "remote":
                daddr = p.data[:size] if p.bitlen != -2 else None
            else:
                saddr = p.data[:size] if p.bitlen != -2 else None
        elif what == "dev":
            v = a.next()
            link = links.name_to_index(v)
            if not link:
                nodev_exit(v)
        elif what == "fwmark":
            v = a.next()
            n = strtoul(v)
            if n is None:
                invarg("invalid fwmark\n", v)
            fwmark = n
        else:
            out.error(help_text(kind))
            return None
        a.i += 1
    body = nl.attr(IFLA_VTI_IKEY, ikey) + nl.attr(IFLA_VTI_OKEY, okey)
    if saddr is not None and saddr != bytes(size):
        body += nl.attr(IFLA_VTI_LOCAL, saddr)
    if daddr is not None and daddr != bytes(size):
        body += nl.attr(IFLA_VTI_REMOTE, daddr)
    body += nl.attr(IFLA_VTI_FWMARK, nl.U32.pack(fwmark))
    if link:
        body += nl.attr(IFLA_VTI_LINK, nl.U32.pack(link))
    return body


def existing(ifindex, family):
    """The current IFLA_VTI_* values (ip's RTM_GETLINK on its main socket), or None."""
    from pyip.link.ifla import IFINFOMSG, RTM_GETLINK
    from pyip.opts import opts
    try:
        msg = nl.rtnl().talk(RTM_GETLINK, 0, IFINFOMSG.pack(opts.preferred_family, 0, ifindex,
                                                            0, 0))
    except nl.KernelError:
        return None
    if msg is None or len(msg) < 32:
        return None
    tb = nl.link_attrs(msg, 32)
    if 18 not in tb:
        return None
    info = nl.link_attrs(tb[18])
    if 2 not in info:
        return None
    v = nl.link_attrs(info[2])
    size = 16 if family == AF_INET6 else 4
    saddr = v.get(IFLA_VTI_LOCAL)
    daddr = v.get(IFLA_VTI_REMOTE)
    for addr in (saddr, daddr):
        if addr is not None and len(addr) != size:
            return None
    ikey = v.get(IFLA_VTI_IKEY, bytes(4))[:4]
    okey = v.get(IFLA_VTI_OKEY, bytes(4))[:4]
    link = v[IFLA_VTI_LINK][0] if IFLA_VTI_LINK in v else 0   # ip reads it as a u8
    fwmark = nl.U32.unpack_from(v[IFLA_VTI_FWMARK])[0] if IFLA_VTI_FWMARK in v else 0
    return saddr, daddr, ikey, okey, link, fwmark


VETH_INFO_PEER = 1


def veth(kind, argv, flags, ifi):
    """veth_parse_opt(): "peer" then the peer's own device options, parsed by iplink_parse
    into a nest that starts with the peer's ifinfomsg (veth pairs join test namespaces)."""
    if lookup("veth_peer", argv[0]) is None:
        out.write(help_text("veth"))        # ip's print_usage() ignores its FILE: stdout
        return None
    from pyip.link.ifla import IFINFOMSG
    from pyip.link.modify import parse
    peer, body, ptype, rest = parse(argv[1:], flags)
    if ptype is not None:
        from pyip.errors import duparg
        duparg("type", argv[len(argv) - len(rest) - 1])
    head = IFINFOMSG.pack(0, 0, peer["index"], peer["flags"], peer["change"])
    return nl.attr(VETH_INFO_PEER, head + b"".join(body))


PARSERS = {"xfrm": xfrm, "vti": vti, "vti6": vti, "veth": veth}


# ---- printing (ip -d link show): each kind's print_opt -------------------------------

def print_endpoint(p, name, raw, family):
    """tnl_print_endpoint(): any (absent or all zeros), unknown (wrong size), or the
    address."""
    if raw is None:
        value = "any"
    elif len(raw) not in (4, 16) or (len(raw) == 4) != (family == AF_INET):
        value = "unknown"
    elif not any(raw):
        value = "any"
    else:
        from pyip.addr import ntop
        value = ntop(family, raw)
    p.string(name, name + " %s", value)
    p.fp(" ")


def print_xfrm(p, tb):
    if IFLA_XFRM_COLLECT_METADATA in tb:
        p.boolean("external", "external ")
        return
    if IFLA_XFRM_IF_ID in tb:
        p.hex0x("if_id", "if_id %s ", nl.u32(tb.get(IFLA_XFRM_IF_ID)))


def _print_vti(p, tb, family):
    print_endpoint(p, "remote", tb.get(IFLA_VTI_REMOTE), family)
    print_endpoint(p, "local", tb.get(IFLA_VTI_LOCAL), family)
    link = nl.u32(tb.get(IFLA_VTI_LINK))
    if link:
        p.string("link", "dev %s ", links.index_to_name(link))
    for t, key in ((IFLA_VTI_IKEY, "ikey"), (IFLA_VTI_OKEY, "okey")):
        raw = tb.get(t)
        if raw is not None and nl.u32(raw):
            from pyip.addr import ntop
            p.string(key, key + " %s ", ntop(AF_INET, raw[:4]))
    fwmark = nl.u32(tb.get(IFLA_VTI_FWMARK))
    if fwmark:
        p.hex0x("fwmark", "fwmark %s ", fwmark)


def print_vti(p, tb):
    _print_vti(p, tb, AF_INET)


def print_vti6(p, tb):
    _print_vti(p, tb, AF_INET6)


(IFLA_IPTUN_LINK, IFLA_IPTUN_LOCAL, IFLA_IPTUN_REMOTE, IFLA_IPTUN_TTL) = 1, 2, 3, 4
IFLA_IPTUN_ENCAP_LIMIT, IFLA_IPTUN_FLOWINFO, IFLA_IPTUN_FLAGS, IFLA_IPTUN_PROTO = 6, 7, 8, 9
IFLA_IPTUN_ENCAP_TYPE, IFLA_IPTUN_ENCAP_FLAGS = 15, 16
IFLA_IPTUN_ENCAP_SPORT, IFLA_IPTUN_ENCAP_DPORT = 17, 18
IFLA_IPTUN_COLLECT_METADATA, IFLA_IPTUN_FWMARK = 19, 20
# ip6_tunnel flags, in the order ip prints the simple ones
IP6_TNL_F_IGN_ENCAP_LIMIT, IP6_TNL_F_USE_ORIG_TCLASS, IP6_TNL_F_USE_ORIG_FLOWLABEL = 1, 2, 4
IP6_TNL_F_USE_ORIG_FWMARK = 0x20
IP6_TNL_BOOLS = ((0x10, "ip6_tnl_f_rcv_dscp_copy", "dscp inherit "),
                 (0x8, "ip6_tnl_f_mip6_dev", "mip6 "),
                 (0x40, "ip6_tnl_f_allow_local_remote", "allow-localremote "))


def print_ip6tnl(p, tb):
    """ip6tunnel_print_opt(): the fallback ip6tnl0 shows it, so ip -d link needs it."""
    if IFLA_IPTUN_COLLECT_METADATA in tb:
        p.boolean("external", "external ")
    flags = nl.u32(tb.get(IFLA_IPTUN_FLAGS))
    raw = tb.get(IFLA_IPTUN_FLOWINFO)
    flowinfo = int.from_bytes(raw[:4], "big") if raw is not None else 0
    proto = tb.get(IFLA_IPTUN_PROTO)
    if proto:
        name = {4: "ipip6", 41: "ip6ip6", 0: "any"}.get(proto[0])
        if name is not None:
            p.string("proto", "%s ", name)
    print_endpoint(p, "remote", tb.get(IFLA_IPTUN_REMOTE), AF_INET6)
    print_endpoint(p, "local", tb.get(IFLA_IPTUN_LOCAL), AF_INET6)
    link = nl.u32(tb.get(IFLA_IPTUN_LINK))
    if link:
        p.string("link", "dev %s ", links.index_to_name(link))
    ttl = tb.get(IFLA_IPTUN_TTL, b"\0")[0]
    if p.jw is not None or ttl:
        p.num("ttl", "hoplimit %d ", ttl)
    else:
        p.fp("hoplimit inherit ")
    if flags & IP6_TNL_F_IGN_ENCAP_LIMIT:
        p.boolean("ip6_tnl_f_ign_encap_limit", "encaplimit none ")
    elif IFLA_IPTUN_ENCAP_LIMIT in tb:
        p.num("encap_limit", "encaplimit %d ", tb[IFLA_IPTUN_ENCAP_LIMIT][0])
    if flags & IP6_TNL_F_USE_ORIG_TCLASS:
        p.boolean("ip6_tnl_f_use_orig_tclass", "tclass inherit ")
    elif raw is not None:
        p.string("tclass", "tclass %s ", "0x%02x" % ((flowinfo & 0x0ff00000) >> 20))
    if flags & IP6_TNL_F_USE_ORIG_FLOWLABEL:
        p.boolean("ip6_tnl_f_use_orig_flowlabel", "flowlabel inherit ")
    elif raw is not None:
        p.string("flowlabel", "flowlabel %s ", "0x%05x" % (flowinfo & 0xfffff))
    for bit, key, text in IP6_TNL_BOOLS:
        if flags & bit:
            p.boolean(key, text)
    if flags & IP6_TNL_F_USE_ORIG_FWMARK:
        p.boolean("ip6_tnl_f_use_orig_fwmark", "fwmark inherit ")
    else:
        fwmark = nl.u32(tb.get(IFLA_IPTUN_FWMARK))
        if fwmark:
            p.hex0x("fwmark", "fwmark %s ", fwmark)
    print_encap(p, tb)


def print_encap(p, tb):
    """tnl_print_encap(): FOU/GUE encapsulation of a tunnel."""
    raw = tb.get(IFLA_IPTUN_ENCAP_TYPE)
    if raw is None:
        return
    etype = int.from_bytes(raw[:2], "little")
    if not etype:
        return
    eflags = int.from_bytes(tb.get(IFLA_IPTUN_ENCAP_FLAGS, b"\0\0")[:2], "little")
    sport = int.from_bytes(tb.get(IFLA_IPTUN_ENCAP_SPORT, b"\0\0")[:2], "big")
    dport = int.from_bytes(tb.get(IFLA_IPTUN_ENCAP_DPORT, b"\0\0")[:2], "big")
    p.open_object("encap")
    p.fp("encap ")
    if etype in (1, 2):
        p.string("type", "%s ", "fou" if etype == 1 else "gue")
    else:
        p.null("type", "%s ", "unknown")
    if p.jw is not None:
        p.jnum("sport", sport)
        p.jnum("dport", dport)
        p.jbool("csum", bool(eflags & 1))
        p.jbool("csum6", bool(eflags & 2))
        p.jbool("remcsum", bool(eflags & 4))
        p.close_object()
        return
    p.fp("encap-sport %s" % ("%d " % sport if sport else "auto "))
    p.fp("encap-dport %d " % dport)
    for bit, name in ((1, "csum"), (2, "csum6"), (4, "remcsum")):
        p.fp("%sencap-%s " % ("" if eflags & bit else "no", name))


# kind -> print_opt, for the kinds pyip prints (ip has more: their options are not shown)
PRINTERS = {"xfrm": print_xfrm, "vti": print_vti, "vti6": print_vti6, "ip6tnl": print_ip6tnl}
