"""What the tunnel kinds share (iproute2's ip/tunnel.c): keys, endpoints, encapsulation."""
from pyip import netlink as nl
from pyip.addr import AF_INET, get_addr32
from pyip.errors import IpExit
from pyip.ifla import IFINFOMSG, IFLA_INFO_DATA, IFLA_LINKINFO, RTM_GETLINK
from pyip.opts import opts
from pyip.words import strtoul

(IFLA_IPTUN_ENCAP_TYPE, IFLA_IPTUN_ENCAP_FLAGS, IFLA_IPTUN_ENCAP_SPORT,
 IFLA_IPTUN_ENCAP_DPORT) = 15, 16, 17, 18

# the IPv6 tunnels' flags (include/uapi/linux/ip6_tunnel.h): ip6tnl's IFLA_IPTUN_FLAGS,
# ip6gre's IFLA_GRE_FLAGS
IP6_TNL_F_IGN_ENCAP_LIMIT, IP6_TNL_F_USE_ORIG_TCLASS, IP6_TNL_F_USE_ORIG_FLOWLABEL = 1, 2, 4
IP6_TNL_F_MIP6_DEV, IP6_TNL_F_RCV_DSCP_COPY, IP6_TNL_F_USE_ORIG_FWMARK = 0x8, 0x10, 0x20
IP6_TNL_F_ALLOW_LOCAL_REMOTE = 0x40

# df of the UDP tunnels (vxlan and geneve read it by one rule, vxlan_df; VXLAN_DF_* and
# GENEVE_DF_* are the same numbers): the word's value, and what -d prints of it
DF_UNSET, DF_SET, DF_INHERIT = 0, 1, 2
DF_VALUES = {"vxlan_df": {"unset": DF_UNSET, "set": DF_SET, "inherit": DF_INHERIT}}
_DF_SHOWN = {DF_SET: "set", DF_INHERIT: "inherit"}


def existing_info_data(ifindex):
    """A tunnel's current IFLA_INFO_DATA attributes ({type: bytes}), as vti's and gre's
    parse_opt() read them before a set/change (ip's RTM_GETLINK on its main socket); None
    where the kernel says no or the device has none (ip: "Failed to get existing tunnel
    info")."""
    try:
        msg = nl.rtnl().talk(RTM_GETLINK, 0, IFINFOMSG.pack(opts.preferred_family, 0, ifindex,
                                                            0, 0))
    except nl.KernelError:
        return None
    if msg is None or len(msg) < 32:
        return None
    tb = nl.link_attrs(msg, 32)
    if IFLA_LINKINFO not in tb:
        return None
    info = nl.link_attrs(tb[IFLA_LINKINFO])
    if IFLA_INFO_DATA not in info:
        return None
    return nl.link_attrs(info[IFLA_INFO_DATA])


def tnl_key(key, text):
    """tnl_parse_key(): a dotted quad, or an unsigned number (network order); a bad one is
    the grammar's //@invalid `key` (ip's own fprintf, not invarg(): %s is the word)."""
    if "." in text:
        return get_addr32(text)
    v = strtoul(text)
    if v is None:
        from pyip._tables import INVALID
        raise IpExit(INVALID[key] % text, 255)
    return v.to_bytes(4, "big")


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


IPTUN_ENCAP = (IFLA_IPTUN_ENCAP_TYPE, IFLA_IPTUN_ENCAP_FLAGS, IFLA_IPTUN_ENCAP_SPORT,
               IFLA_IPTUN_ENCAP_DPORT)


def print_encap(p, tb, encap=IPTUN_ENCAP):
    """tnl_print_encap(): FOU/GUE encapsulation of a tunnel; `encap`: the kind's attribute
    types for it (type, flags, sport, dport)."""
    type_attr, flags_attr, sport_attr, dport_attr = encap
    raw = tb.get(type_attr)
    if raw is None:
        return
    etype = int.from_bytes(raw[:2], "little")
    if not etype:
        return
    eflags = int.from_bytes(tb.get(flags_attr, b"\0\0")[:2], "little")
    sport = int.from_bytes(tb.get(sport_attr, b"\0\0")[:2], "big")
    dport = int.from_bytes(tb.get(dport_attr, b"\0\0")[:2], "big")
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


def print_flowinfo(p, flags, flowinfo):
    """-d's tclass and flowlabel of an IPv6 tunnel (ip6tunnel_print_opt() and link_gre6.c's
    gre_print_opt(): the same code in each): inherited, or from its flow information
    (`flowinfo`: None where the attribute is absent)."""
    if flags & IP6_TNL_F_USE_ORIG_TCLASS:
        p.boolean("ip6_tnl_f_use_orig_tclass", "tclass inherit ")
    elif flowinfo is not None:
        p.string("tclass", "tclass %s ", "0x%02x" % ((flowinfo & 0x0ff00000) >> 20))
    if flags & IP6_TNL_F_USE_ORIG_FLOWLABEL:
        p.boolean("ip6_tnl_f_use_orig_flowlabel", "flowlabel inherit ")
    elif flowinfo is not None:
        p.string("flowlabel", "flowlabel %s ", "0x%05x" % (flowinfo & 0xfffff))


# -d's ttl, tos and df of vxlan and geneve (print_vxlan_opt(), geneve_print_opt(): the same
# code in each; the kinds call them in their own order)
def print_ttl(p, inherit, ttl):
    """ttl: None where the attribute is absent."""
    if inherit:
        p.fp("ttl inherit ")
    elif ttl is not None:
        if p.jw is not None or ttl:
            p.num("ttl", "ttl %u ", ttl)
        else:
            p.fp("ttl auto ")


def print_tos(p, tos):
    if tos:
        if p.jw is not None or tos != 1:
            p.hex0x("tos", "tos %s ", tos)
        else:
            p.fp("tos inherit ")


def print_df(p, df):
    """df: None where the attribute is absent; "unset" is JSON's only."""
    if df == DF_UNSET:
        p.jstring("df", "unset")
    elif df in _DF_SHOWN:
        p.string("df", "df %s ", _DF_SHOWN[df])
