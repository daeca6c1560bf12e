"""type gre, gretap and erspan (iproute2's ip/link_gre.c): print (ip -d link show).  pyip
does not parse their options yet: `ip link add|set ... type gre|gretap|erspan ARGS` goes
to the system's ip."""
from pyip import links
from pyip import netlink as nl
from pyip.addr import AF_INET, ntop
from pyip.link.tunnel import print_encap, print_endpoint

# IFLA_GRE_* (linux/if_tunnel.h)
(IFLA_GRE_LINK, IFLA_GRE_IFLAGS, IFLA_GRE_OFLAGS, IFLA_GRE_IKEY, IFLA_GRE_OKEY,
 IFLA_GRE_LOCAL, IFLA_GRE_REMOTE, IFLA_GRE_TTL, IFLA_GRE_TOS, IFLA_GRE_PMTUDISC,
 IFLA_GRE_ENCAP_LIMIT, IFLA_GRE_FLOWINFO, IFLA_GRE_FLAGS, IFLA_GRE_ENCAP_TYPE,
 IFLA_GRE_ENCAP_FLAGS, IFLA_GRE_ENCAP_SPORT, IFLA_GRE_ENCAP_DPORT,
 IFLA_GRE_COLLECT_METADATA, IFLA_GRE_IGNORE_DF, IFLA_GRE_FWMARK, IFLA_GRE_ERSPAN_INDEX,
 IFLA_GRE_ERSPAN_VER, IFLA_GRE_ERSPAN_DIR, IFLA_GRE_ERSPAN_HWID) = range(1, 25)
GRE_ENCAP = (IFLA_GRE_ENCAP_TYPE, IFLA_GRE_ENCAP_FLAGS, IFLA_GRE_ENCAP_SPORT,
             IFLA_GRE_ENCAP_DPORT)
# GRE header flags, as IFLA_GRE_[IO]FLAGS hold them (network order)
GRE_CSUM, GRE_KEY, GRE_SEQ = 0x8000, 0x2000, 0x1000


def _u8(raw):
    return raw[0] if raw else 0


def _be16(raw):
    return int.from_bytes(raw[:2].ljust(2, b"\0"), "big") if raw is not None else 0


def print_opt(p, tb):
    """gre_print_opt() (gre, gretap, erspan)."""
    get = tb.get
    if IFLA_GRE_COLLECT_METADATA in tb:
        p.boolean("external", "external ")
    print_endpoint(p, "remote", get(IFLA_GRE_REMOTE), AF_INET)
    print_endpoint(p, "local", get(IFLA_GRE_LOCAL), AF_INET)
    link = lower(tb)
    if link:
        p.string("link", "dev %s ", links.index_to_name(link))
    ttl = _u8(get(IFLA_GRE_TTL))
    if p.jw is not None or ttl:
        p.num("ttl", "ttl %u ", ttl)
    else:
        p.fp("ttl inherit ")
    tos = _u8(get(IFLA_GRE_TOS))
    if tos:
        if p.jw is not None or tos != 1:
            p.hex0x("tos", "tos %s ", tos)
        else:
            p.fp("tos inherit ")
    if IFLA_GRE_PMTUDISC in tb:
        if not _u8(get(IFLA_GRE_PMTUDISC)):
            p.boolean("pmtudisc", "nopmtudisc ", False)
        else:
            p.jbool("pmtudisc", True)
    if _u8(get(IFLA_GRE_IGNORE_DF)):
        p.boolean("ignore_df", "ignore-df ")
    iflags, oflags = _be16(get(IFLA_GRE_IFLAGS)), _be16(get(IFLA_GRE_OFLAGS))
    for flags, attr, key in ((iflags, IFLA_GRE_IKEY, "ikey"), (oflags, IFLA_GRE_OKEY, "okey")):
        if flags & GRE_KEY and attr in tb:
            p.string(key, key + " %s ", ntop(AF_INET, tb[attr][:4].ljust(4, b"\0")))
    for flags, key in ((iflags & GRE_SEQ, "iseq"), (oflags & GRE_SEQ, "oseq"),
                       (iflags & GRE_CSUM, "icsum"), (oflags & GRE_CSUM, "ocsum")):
        if flags:
            p.boolean(key, key + " ")
    fwmark = nl.u32(get(IFLA_GRE_FWMARK))
    if fwmark:
        p.hex0x("fwmark", "fwmark %s ", fwmark)
    if IFLA_GRE_ERSPAN_INDEX in tb:
        p.num("erspan_index", "erspan_index %u ", nl.u32(get(IFLA_GRE_ERSPAN_INDEX)))
    if IFLA_GRE_ERSPAN_VER in tb:
        p.num("erspan_ver", "erspan_ver %u ", _u8(get(IFLA_GRE_ERSPAN_VER)))
    if IFLA_GRE_ERSPAN_DIR in tb:
        p.string("erspan_dir", "erspan_dir %s ",
                 "ingress" if _u8(get(IFLA_GRE_ERSPAN_DIR)) == 0 else "egress")
    if IFLA_GRE_ERSPAN_HWID in tb:
        p.hex0x("erspan_hwid", "erspan_hwid %s ",
                int.from_bytes(get(IFLA_GRE_ERSPAN_HWID)[:2].ljust(2, b"\0"), "little"))
    print_encap(p, tb, GRE_ENCAP)


def lower(tb):
    return nl.u32(tb.get(IFLA_GRE_LINK))
