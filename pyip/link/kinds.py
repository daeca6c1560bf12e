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
    from pyip.link.modify import IFINFOMSG, RTM_GETLINK
    from pyip.opts import opts
    try:
        msg = nl.rtnl().talk(RTM_GETLINK, 0, IFINFOMSG.pack(opts.preferred_family, 0, ifindex,
                                                            0, 0))
    except nl.KernelError:
        return None
    if msg is None or len(msg) < 32:
        return None
    tb = nl.attrs(msg, 32)
    if 18 not in tb:
        return None
    info = nl.attrs(tb[18])
    if 2 not in info:
        return None
    v = nl.attrs(info[2])
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


PARSERS = {"xfrm": xfrm, "vti": vti, "vti6": vti}
