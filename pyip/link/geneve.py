"""type geneve (iproute2's ip/iplink_geneve.c): print (ip -d link show).  pyip does not
parse geneve's options: `ip link add|set ... type geneve ARGS` goes to the system's ip
before anything is sent."""
from pyip.addr import AF_INET, AF_INET6, ntop
from pyip.link.reader import BE16, FLAG, U8, U32, Bytes, Int

# IFLA_GENEVE_* (linux/if_link.h, iproute2 6.1)
(IFLA_GENEVE_ID, IFLA_GENEVE_REMOTE, IFLA_GENEVE_TTL, IFLA_GENEVE_TOS, IFLA_GENEVE_PORT,
 IFLA_GENEVE_COLLECT_METADATA, IFLA_GENEVE_REMOTE6, IFLA_GENEVE_UDP_CSUM,
 IFLA_GENEVE_UDP_ZERO_CSUM6_TX, IFLA_GENEVE_UDP_ZERO_CSUM6_RX, IFLA_GENEVE_LABEL,
 IFLA_GENEVE_TTL_INHERIT, IFLA_GENEVE_DF, IFLA_GENEVE_INNER_PROTO_INHERIT) = range(1, 15)
LAYOUT = {IFLA_GENEVE_ID: U32, IFLA_GENEVE_REMOTE: Bytes, IFLA_GENEVE_TTL: U8,
          IFLA_GENEVE_TOS: U8, IFLA_GENEVE_PORT: BE16, IFLA_GENEVE_COLLECT_METADATA: FLAG,
          IFLA_GENEVE_REMOTE6: Bytes, IFLA_GENEVE_UDP_CSUM: U8,
          IFLA_GENEVE_UDP_ZERO_CSUM6_TX: U8, IFLA_GENEVE_UDP_ZERO_CSUM6_RX: U8,
          IFLA_GENEVE_LABEL: Int(4, order="big"), IFLA_GENEVE_TTL_INHERIT: U8,
          IFLA_GENEVE_DF: U8, IFLA_GENEVE_INNER_PROTO_INHERIT: FLAG}
GENEVE_DF_UNSET, GENEVE_DF_SET, GENEVE_DF_INHERIT = 0, 1, 2
# u8 switches printed on or off: (attribute, JSON key, text after "no" or nothing)
ON_OFF_WORDS = ((IFLA_GENEVE_UDP_CSUM, "udp_csum", "udpcsum "),
                (IFLA_GENEVE_UDP_ZERO_CSUM6_TX, "udp_zero_csum6_tx", "udp6zerocsumtx "),
                (IFLA_GENEVE_UDP_ZERO_CSUM6_RX, "udp_zero_csum6_rx", "udp6zerocsumrx "))


def _value(tb, attr):
    raw = tb.get(attr)
    return LAYOUT[attr].read(raw) if raw is not None else 0


def print_opt(p, tb):
    """geneve_print_opt()."""
    if IFLA_GENEVE_COLLECT_METADATA in tb:
        p.boolean("external", "external ")
    vni = tb.get(IFLA_GENEVE_ID)
    if vni is not None and len(vni) >= 4:
        p.num("id", "id %u ", _value(tb, IFLA_GENEVE_ID))
    if IFLA_GENEVE_REMOTE in tb:
        addr = tb[IFLA_GENEVE_REMOTE][:4].ljust(4, b"\0")
        if any(addr):
            p.string("remote", "remote %s ", ntop(AF_INET, addr))
    elif IFLA_GENEVE_REMOTE6 in tb:
        addr = tb[IFLA_GENEVE_REMOTE6][:16].ljust(16, b"\0")
        if any(addr) and addr[0] != 0xff:
            p.string("remote6", "remote %s ", ntop(AF_INET6, addr))
    if _value(tb, IFLA_GENEVE_TTL_INHERIT):
        p.fp("ttl inherit ")
    elif IFLA_GENEVE_TTL in tb:
        ttl = _value(tb, IFLA_GENEVE_TTL)
        if p.jw is not None or ttl:
            p.num("ttl", "ttl %u ", ttl)
        else:
            p.fp("ttl auto ")
    tos = _value(tb, IFLA_GENEVE_TOS)
    if tos:
        if p.jw is not None or tos != 1:
            p.hex0x("tos", "tos %s ", tos)
        else:
            p.fp("tos inherit ")
    if IFLA_GENEVE_DF in tb:
        df = _value(tb, IFLA_GENEVE_DF)
        if df == GENEVE_DF_UNSET:
            p.jstring("df", "unset")
        elif df == GENEVE_DF_SET:
            p.string("df", "df %s ", "set")
        elif df == GENEVE_DF_INHERIT:
            p.string("df", "df %s ", "inherit")
    if IFLA_GENEVE_LABEL in tb:
        label = _value(tb, IFLA_GENEVE_LABEL)
        if label:
            p.hex0x("label", "flowlabel %s ", label)
    if IFLA_GENEVE_PORT in tb:
        p.num("port", "dstport %u ", _value(tb, IFLA_GENEVE_PORT))
    for attr, key, text in ON_OFF_WORDS:
        if attr in tb:
            on = _value(tb, attr)
            if p.jw is not None:
                p.jbool(key, bool(on))
            else:
                p.fp(text if on else "no" + text)
    if IFLA_GENEVE_INNER_PROTO_INHERIT in tb:
        p.boolean("inner_proto_inherit", "innerprotoinherit ")
