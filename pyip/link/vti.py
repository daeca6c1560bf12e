"""type vti and vti6 (iproute2's ip/link_vti.c, link_vti6.c): parse / print / help."""
from pyip import links, out
from pyip import netlink as nl
from pyip.addr import AF_INET, AF_INET6, get_addr
from pyip.errors import invalid
from pyip.link.kinds import device_index, help_text
from pyip.link.tunnel import print_endpoint, tnl_key
from pyip.words import Args, lookup, strtoul

IFLA_VTI_LINK, IFLA_VTI_IKEY, IFLA_VTI_OKEY = 1, 2, 3
IFLA_VTI_LOCAL, IFLA_VTI_REMOTE, IFLA_VTI_FWMARK = 4, 5, 6


def parse(kind, argv, flags, ifi, iplink_parse):
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
            ikey = okey = tnl_key("vti_link_word.key", a.next())
        elif what in ("ikey", "okey"):
            k = tnl_key("vti_link_word." + what, a.next())
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
            link = device_index(a.next())
        elif what == "fwmark":
            v = a.next()
            n = strtoul(v)
            if n is None:
                invalid("vti_link_word.fwmark", v)
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


def _print_vti(p, tb, family):
    print_endpoint(p, "remote", tb.get(IFLA_VTI_REMOTE), family)
    print_endpoint(p, "local", tb.get(IFLA_VTI_LOCAL), family)
    link = lower(tb)
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


def lower(tb):
    return nl.u32(tb.get(IFLA_VTI_LINK))


def print_vti(p, tb):
    _print_vti(p, tb, AF_INET)


def print_vti6(p, tb):
    _print_vti(p, tb, AF_INET6)
