"""type ip6tnl (iproute2's ip/link_ip6tnl.c): printed only (the fallback ip6tnl0 shows
in every ip -d link)."""
from pyip import links
from pyip import netlink as nl
from pyip.addr import AF_INET6
from pyip.link.tunnel import (
    IP6_TNL_F_ALLOW_LOCAL_REMOTE, IP6_TNL_F_IGN_ENCAP_LIMIT, IP6_TNL_F_MIP6_DEV,
    IP6_TNL_F_RCV_DSCP_COPY, IP6_TNL_F_USE_ORIG_FWMARK, print_encap, print_endpoint,
    print_flowinfo)

(IFLA_IPTUN_LINK, IFLA_IPTUN_LOCAL, IFLA_IPTUN_REMOTE, IFLA_IPTUN_TTL) = 1, 2, 3, 4
IFLA_IPTUN_ENCAP_LIMIT, IFLA_IPTUN_FLOWINFO, IFLA_IPTUN_FLAGS, IFLA_IPTUN_PROTO = 6, 7, 8, 9
IFLA_IPTUN_COLLECT_METADATA, IFLA_IPTUN_FWMARK = 19, 20
# the flags ip prints as a word each, in its order
IP6_TNL_BOOLS = ((IP6_TNL_F_RCV_DSCP_COPY, "ip6_tnl_f_rcv_dscp_copy", "dscp inherit "),
                 (IP6_TNL_F_MIP6_DEV, "ip6_tnl_f_mip6_dev", "mip6 "),
                 (IP6_TNL_F_ALLOW_LOCAL_REMOTE, "ip6_tnl_f_allow_local_remote",
                  "allow-localremote "))


def print_opt(p, tb):
    """ip6tunnel_print_opt(): the fallback ip6tnl0 shows it, so ip -d link needs it."""
    if IFLA_IPTUN_COLLECT_METADATA in tb:
        p.boolean("external", "external ")
    flags = nl.u32(tb.get(IFLA_IPTUN_FLAGS))
    raw = tb.get(IFLA_IPTUN_FLOWINFO)
    flowinfo = int.from_bytes(raw[:4], "big") if raw is not None else None
    proto = tb.get(IFLA_IPTUN_PROTO)
    if proto:
        name = {4: "ipip6", 41: "ip6ip6", 0: "any"}.get(proto[0])
        if name is not None:
            p.string("proto", "%s ", name)
    print_endpoint(p, "remote", tb.get(IFLA_IPTUN_REMOTE), AF_INET6)
    print_endpoint(p, "local", tb.get(IFLA_IPTUN_LOCAL), AF_INET6)
    link = lower(tb)
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
    print_flowinfo(p, flags, flowinfo)
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


def lower(tb):
    return nl.u32(tb.get(IFLA_IPTUN_LINK))
