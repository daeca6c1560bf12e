"""type vxlan (iproute2's ip/iplink_vxlan.c): print (ip -d link show).  pyip does not parse
vxlan's options yet: `ip link add|set ... type vxlan ARGS` goes to the system's ip."""
from pyip import links
from pyip import netlink as nl
from pyip.addr import AF_INET, AF_INET6, ntop

# IFLA_VXLAN_* (linux/if_link.h, iproute2 6.1)
(IFLA_VXLAN_ID, IFLA_VXLAN_GROUP, IFLA_VXLAN_LINK, IFLA_VXLAN_LOCAL, IFLA_VXLAN_TTL,
 IFLA_VXLAN_TOS, IFLA_VXLAN_LEARNING, IFLA_VXLAN_AGEING, IFLA_VXLAN_LIMIT,
 IFLA_VXLAN_PORT_RANGE, IFLA_VXLAN_PROXY, IFLA_VXLAN_RSC, IFLA_VXLAN_L2MISS,
 IFLA_VXLAN_L3MISS, IFLA_VXLAN_PORT, IFLA_VXLAN_GROUP6, IFLA_VXLAN_LOCAL6,
 IFLA_VXLAN_UDP_CSUM, IFLA_VXLAN_UDP_ZERO_CSUM6_TX, IFLA_VXLAN_UDP_ZERO_CSUM6_RX,
 IFLA_VXLAN_REMCSUM_TX, IFLA_VXLAN_REMCSUM_RX, IFLA_VXLAN_GBP, IFLA_VXLAN_REMCSUM_NOPARTIAL,
 IFLA_VXLAN_COLLECT_METADATA, IFLA_VXLAN_LABEL, IFLA_VXLAN_GPE, IFLA_VXLAN_TTL_INHERIT,
 IFLA_VXLAN_DF, IFLA_VXLAN_VNIFILTER) = range(1, 31)
VXLAN_DF_UNSET, VXLAN_DF_SET, VXLAN_DF_INHERIT = 0, 1, 2
# u8 switches printed as a word when set: (attribute, JSON key, text)
SET_WORDS = ((IFLA_VXLAN_PROXY, "proxy", "proxy "), (IFLA_VXLAN_RSC, "rsc", "rsc "),
             (IFLA_VXLAN_L2MISS, "l2miss", "l2miss "), (IFLA_VXLAN_L3MISS, "l3miss", "l3miss "))
# u8 switches printed on or off: (attribute, JSON key, text after "no" or nothing)
ON_OFF_WORDS = ((IFLA_VXLAN_UDP_CSUM, "udp_csum", "udpcsum "),
                (IFLA_VXLAN_UDP_ZERO_CSUM6_TX, "udp_zero_csum6_tx", "udp6zerocsumtx "),
                (IFLA_VXLAN_UDP_ZERO_CSUM6_RX, "udp_zero_csum6_rx", "udp6zerocsumrx "))


def _u8(raw):
    return raw[0] if raw else 0


def _be32(raw):
    return int.from_bytes(raw[:4].ljust(4, b"\0"), "big")


def _be16(raw):
    return int.from_bytes(raw[:2].ljust(2, b"\0"), "big")


def print_opt(p, tb):
    """vxlan_print_opt()."""
    get = tb.get
    if _u8(get(IFLA_VXLAN_COLLECT_METADATA)):
        p.boolean("external", "external ")
    if _u8(get(IFLA_VXLAN_VNIFILTER)):
        p.boolean("vnifilter", "vnifilter")
    vni = get(IFLA_VXLAN_ID)
    if vni is not None and len(vni) >= 4:
        p.num("id", "id %u ", nl.u32(vni))
    if IFLA_VXLAN_GROUP in tb:
        addr = get(IFLA_VXLAN_GROUP)[:4].ljust(4, b"\0")
        if any(addr):
            multicast = addr[0] & 0xf0 == 0xe0
            p.string("group" if multicast else "remote",
                     "group %s " if multicast else "remote %s ", ntop(AF_INET, addr))
    elif IFLA_VXLAN_GROUP6 in tb:
        addr = get(IFLA_VXLAN_GROUP6)[:16].ljust(16, b"\0")
        if any(addr):
            multicast = addr[0] == 0xff
            p.string("group6" if multicast else "remote6",
                     "group %s " if multicast else "remote %s ", ntop(AF_INET6, addr))
    if IFLA_VXLAN_LOCAL in tb:
        addr = get(IFLA_VXLAN_LOCAL)[:4].ljust(4, b"\0")
        if any(addr):
            p.string("local", "local %s ", ntop(AF_INET, addr))
    elif IFLA_VXLAN_LOCAL6 in tb:
        addr = get(IFLA_VXLAN_LOCAL6)[:16].ljust(16, b"\0")
        if any(addr):
            p.string("local6", "local %s ", ntop(AF_INET6, addr))
    link = lower(tb)
    if link:
        p.string("link", "dev %s ", links.index_to_name(link))
    ports = get(IFLA_VXLAN_PORT_RANGE)
    if ports is not None:
        low, high = _be16(ports), _be16(ports[2:4])
        if p.jw is not None:
            p.open_object("port_range")
            p.jnum("low", low)
            p.jnum("high", high)
            p.close_object()
        else:
            p.fp("srcport %u %u " % (low, high))
    if IFLA_VXLAN_PORT in tb:
        p.num("port", "dstport %u ", _be16(get(IFLA_VXLAN_PORT)))
    if IFLA_VXLAN_LEARNING in tb:
        learning = _u8(get(IFLA_VXLAN_LEARNING))
        p.jbool("learning", bool(learning))
        if not learning:
            p.fp("nolearning ")
    for attr, key, text in SET_WORDS:
        if _u8(get(attr)):
            p.boolean(key, text)
    tos = _u8(get(IFLA_VXLAN_TOS))
    if tos:
        if p.jw is not None or tos != 1:
            p.hex0x("tos", "tos %s ", tos)
        else:
            p.fp("tos inherit ")
    if _u8(get(IFLA_VXLAN_TTL_INHERIT)):
        p.fp("ttl inherit ")
    elif IFLA_VXLAN_TTL in tb:
        ttl = _u8(get(IFLA_VXLAN_TTL))
        if p.jw is not None or ttl:
            p.num("ttl", "ttl %u ", ttl)
        else:
            p.fp("ttl auto ")
    if IFLA_VXLAN_DF in tb:
        df = _u8(get(IFLA_VXLAN_DF))
        if df == VXLAN_DF_UNSET:
            p.jstring("df", "unset")
        elif df == VXLAN_DF_SET:
            p.string("df", "df %s ", "set")
        elif df == VXLAN_DF_INHERIT:
            p.string("df", "df %s ", "inherit")
    if IFLA_VXLAN_LABEL in tb:
        label = _be32(get(IFLA_VXLAN_LABEL))
        if label:
            p.hex0x("label", "flowlabel %s ", label)
    if IFLA_VXLAN_AGEING in tb:
        age = nl.u32(get(IFLA_VXLAN_AGEING))
        if age:
            p.num("ageing", "ageing %u ", age)
        else:
            _ageing_none(p)
    limit = nl.u32(get(IFLA_VXLAN_LIMIT))
    if limit:
        p.num("limit", "maxaddr %u ", limit)
    for attr, key, text in ON_OFF_WORDS:
        if attr in tb:
            on = _u8(get(attr))
            if p.jw is not None:
                p.jbool(key, bool(on))
            else:
                p.fp(text if on else "no" + text)
    if _u8(get(IFLA_VXLAN_REMCSUM_TX)):
        p.boolean("remcsum_tx", "remcsumtx ")
    if _u8(get(IFLA_VXLAN_REMCSUM_RX)):
        p.boolean("remcsum_rx", "remcsumrx ")
    if IFLA_VXLAN_GBP in tb:
        p.boolean("gbp", "gbp ")
    if IFLA_VXLAN_GPE in tb:
        p.boolean("gpe", "gpe ")


def _ageing_none(p):
    if p.jw is not None:
        p.jnum("ageing", 0)
    else:
        p.fp("ageing none ")


def lower(tb):
    return nl.u32(tb.get(IFLA_VXLAN_LINK))
