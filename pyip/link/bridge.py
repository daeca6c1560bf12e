"""type bridge and its ports (iproute2's ip/iplink_bridge.c, iplink_bridge_slave.c): parse
(`type bridge ARGS`, `type bridge_slave ARGS`), print (ip -d link show: the bridge's options,
a port's "bridge_slave" line) and help.

Each attribute's layout is declared once (LAYOUT, PORT_LAYOUT): the readers encode with it,
the printers read with it.  The printers' rows are in the order ip prints, as (type, JSON
key, text, how it is printed: NUM for a number of the attribute's layout); the few that
print otherwise have their own functions."""
from _struct import Struct

from pyip import links
from pyip.link.reader import BE16, FLAG, U8, U16, U32, U64, Bytes, KindReading, ll_proto
from pyip.opts import opts
from pyip.release import since

# IFLA_BR_* (linux/if_link.h, iproute2 6.1)
(IFLA_BR_FORWARD_DELAY, IFLA_BR_HELLO_TIME, IFLA_BR_MAX_AGE, IFLA_BR_AGEING_TIME,
 IFLA_BR_STP_STATE, IFLA_BR_PRIORITY, IFLA_BR_VLAN_FILTERING, IFLA_BR_VLAN_PROTOCOL,
 IFLA_BR_GROUP_FWD_MASK, IFLA_BR_ROOT_ID, IFLA_BR_BRIDGE_ID, IFLA_BR_ROOT_PORT,
 IFLA_BR_ROOT_PATH_COST, IFLA_BR_TOPOLOGY_CHANGE, IFLA_BR_TOPOLOGY_CHANGE_DETECTED,
 IFLA_BR_HELLO_TIMER, IFLA_BR_TCN_TIMER, IFLA_BR_TOPOLOGY_CHANGE_TIMER, IFLA_BR_GC_TIMER,
 IFLA_BR_GROUP_ADDR, IFLA_BR_FDB_FLUSH, IFLA_BR_MCAST_ROUTER, IFLA_BR_MCAST_SNOOPING,
 IFLA_BR_MCAST_QUERY_USE_IFADDR, IFLA_BR_MCAST_QUERIER, IFLA_BR_MCAST_HASH_ELASTICITY,
 IFLA_BR_MCAST_HASH_MAX, IFLA_BR_MCAST_LAST_MEMBER_CNT, IFLA_BR_MCAST_STARTUP_QUERY_CNT,
 IFLA_BR_MCAST_LAST_MEMBER_INTVL, IFLA_BR_MCAST_MEMBERSHIP_INTVL, IFLA_BR_MCAST_QUERIER_INTVL,
 IFLA_BR_MCAST_QUERY_INTVL, IFLA_BR_MCAST_QUERY_RESPONSE_INTVL,
 IFLA_BR_MCAST_STARTUP_QUERY_INTVL, IFLA_BR_NF_CALL_IPTABLES, IFLA_BR_NF_CALL_IP6TABLES,
 IFLA_BR_NF_CALL_ARPTABLES, IFLA_BR_VLAN_DEFAULT_PVID, IFLA_BR_PAD,
 IFLA_BR_VLAN_STATS_ENABLED, IFLA_BR_MCAST_STATS_ENABLED, IFLA_BR_MCAST_IGMP_VERSION,
 IFLA_BR_MCAST_MLD_VERSION, IFLA_BR_VLAN_STATS_PER_PORT, IFLA_BR_MULTI_BOOLOPT,
 IFLA_BR_MCAST_QUERIER_STATE, IFLA_BR_FDB_N_LEARNED, IFLA_BR_FDB_MAX_LEARNED,
 IFLA_BR_STP_MODE) = range(1, 51)
# IFLA_BRPORT_* (linux/if_link.h, iproute2 6.1)
(IFLA_BRPORT_STATE, IFLA_BRPORT_PRIORITY, IFLA_BRPORT_COST, IFLA_BRPORT_MODE,
 IFLA_BRPORT_GUARD, IFLA_BRPORT_PROTECT, IFLA_BRPORT_FAST_LEAVE, IFLA_BRPORT_LEARNING,
 IFLA_BRPORT_UNICAST_FLOOD, IFLA_BRPORT_PROXYARP, IFLA_BRPORT_LEARNING_SYNC,
 IFLA_BRPORT_PROXYARP_WIFI, IFLA_BRPORT_ROOT_ID, IFLA_BRPORT_BRIDGE_ID,
 IFLA_BRPORT_DESIGNATED_PORT, IFLA_BRPORT_DESIGNATED_COST, IFLA_BRPORT_ID, IFLA_BRPORT_NO,
 IFLA_BRPORT_TOPOLOGY_CHANGE_ACK, IFLA_BRPORT_CONFIG_PENDING, IFLA_BRPORT_MESSAGE_AGE_TIMER,
 IFLA_BRPORT_FORWARD_DELAY_TIMER, IFLA_BRPORT_HOLD_TIMER, IFLA_BRPORT_FLUSH,
 IFLA_BRPORT_MULTICAST_ROUTER, IFLA_BRPORT_PAD, IFLA_BRPORT_MCAST_FLOOD,
 IFLA_BRPORT_MCAST_TO_UCAST, IFLA_BRPORT_VLAN_TUNNEL, IFLA_BRPORT_BCAST_FLOOD,
 IFLA_BRPORT_GROUP_FWD_MASK, IFLA_BRPORT_NEIGH_SUPPRESS, IFLA_BRPORT_ISOLATED,
 IFLA_BRPORT_BACKUP_PORT, IFLA_BRPORT_MRP_RING_OPEN, IFLA_BRPORT_MRP_IN_OPEN,
 IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT, IFLA_BRPORT_MCAST_EHT_HOSTS_CNT,
 IFLA_BRPORT_LOCKED, IFLA_BRPORT_MAB, IFLA_BRPORT_MCAST_N_GROUPS, IFLA_BRPORT_MCAST_MAX_GROUPS,
 IFLA_BRPORT_NEIGH_VLAN_SUPPRESS, IFLA_BRPORT_BACKUP_NHID,
 IFLA_BRPORT_NEIGH_FORWARD_GRAT) = range(1, 46)
(BR_BOOLOPT_NO_LL_LEARN, BR_BOOLOPT_MCAST_VLAN_SNOOPING, BR_BOOLOPT_MST_ENABLE,
 BR_BOOLOPT_MDB_OFFLOAD_FAIL_NOTIFICATION, BR_BOOLOPT_FDB_LOCAL_VLAN_0) = range(5)
STP_MODES = ("auto", "user", "kernel")                          # BR_STP_MODE_*
# What ip knows of the bridge by its first release (iproute2's git; only 6.1, 6.15 and 7.3
# binaries prove it, the others are the tags that first contain the commit): an attribute or
# a boolopt's name it prints, parses and explains from then on -- the kernel sends the
# attributes whatever ip's release, an older ip just leaves them out.
# fdb_n_learned / fdb_max_learned 48cb4320 (6.7), mst_enabled 60a95a8a (6.11),
# mdb_offload_fail_notification 4f4e3bb5 (6.17), fdb_local_vlan_0 fc5f69b8 (6.18),
# stp_mode 2d84aef1 (after 7.1 in git, in 7.3's binary: taken as 7.2).
SINCE = {IFLA_BR_FDB_N_LEARNED: (6, 7), IFLA_BR_FDB_MAX_LEARNED: (6, 7),
         IFLA_BR_STP_MODE: (7, 2), "mst_enabled": (6, 11),
         "mdb_offload_fail_notification": (6, 17), "fdb_local_vlan_0": (6, 18)}
# The same for a port (bridge_slave_print_opt(), bridge_slave_parse_opt()): mab 05f1164f
# (6.2), neigh_vlan_suppress 9c7bdc9f (6.4), backup_nhid 77430db0 (6.6), neigh_forward_grat
# 2c6d5e67 (after 7.1 in git, in 7.3's help: taken as 7.2).
PORT_SINCE = {IFLA_BRPORT_MAB: (6, 2), IFLA_BRPORT_NEIGH_VLAN_SUPPRESS: (6, 4),
              IFLA_BRPORT_BACKUP_NHID: (6, 6), IFLA_BRPORT_NEIGH_FORWARD_GRAT: (7, 2)}
PORT_STATES = ("disabled", "listening", "learning", "forwarding", "blocking")
FWD_MASK_NAMES = {0: "stp", 2: "lacp", 14: "lldp"}
ETH_PROTOCOLS = {0x8100: "802.1Q", 0x88a8: "802.1ad"}       # ll_proto_n2a(), as bridges use
_BOOLOPT = Struct("=II")                # struct br_boolopt_multi { optval, optmask }


def _int(raw, size, signed=False):
    """rta_getattr_uN(): the first `size` bytes, zeros past a short attribute."""
    return int.from_bytes(raw[:size].ljust(size, b"\0"), "little", signed=signed)


def _sint(size):
    """print_int() of an unsigned attribute: printed as a C int."""
    def show(p, key, fmt, raw):
        p.num(key, fmt, _int(raw, size) - (1 << 32 if _int(raw, size) >= 1 << 31 else 0))
    return show


def _hex16(p, key, fmt, raw):
    p.hex0x(key, fmt, _int(raw, 2))


def _on_off(p, key, fmt, raw):
    """print_on_off(): "on"/"off", a JSON boolean."""
    on = _int(raw, 1) != 0
    if p.jw is None:
        p.out.append(fmt % ("on" if on else "off"))
    else:
        p.jbool(key, on)


def _timer(p, key, fmt, raw):
    """_bridge_print_timer(): a clock_t count as seconds and hundredths (__jiffies_to_tv),
    "%4i.%.2i" in the text, a bare number in JSON."""
    usec = 10000 * _int(raw, 8)
    sec, usec = usec // 1000000, usec % 1000000
    sec = (sec & 0xffffffff) - (1 << 32 if sec & 0x80000000 else 0)
    if p.jw is None:
        p.out.append("%s %4i.%.2i " % (key, sec, usec // 10000))
    else:
        p.jw.field(key, "%i.%.2i" % (sec, usec // 10000))


def bridge_id(raw):
    """br_dump_bridge_id(): the priority's two bytes in hex, a dot, ether_ntoa_r()'s address
    (hex without leading zeros)."""
    raw = raw[:8].ljust(8, b"\0")
    return "%.2x%.2x.%s" % (raw[0], raw[1], ":".join("%x" % b for b in raw[2:8]))


def _id(p, key, fmt, raw):
    p.string(key, fmt, bridge_id(raw))


def _proto(p, key, fmt, raw):
    n = int.from_bytes(raw[:2].ljust(2, b"\0"), "big")
    name = None if opts.numeric else ETH_PROTOCOLS.get(n)
    p.string(key, fmt, name if name is not None else "[%d]" % n)


def _group_addr(p, key, fmt, raw):
    from pyip.link.show import ll_addr
    p.string(key, fmt, ll_addr(raw, 1))


# struct br_boolopt_multi's bits by name, in the order bridge_print_opt() prints them
BOOLOPT_BITS = (("no_linklocal_learn", 1 << BR_BOOLOPT_NO_LL_LEARN),
            ("mcast_vlan_snooping", 1 << BR_BOOLOPT_MCAST_VLAN_SNOOPING),
            ("mst_enabled", 1 << BR_BOOLOPT_MST_ENABLE),
            ("mdb_offload_fail_notification", 1 << BR_BOOLOPT_MDB_OFFLOAD_FAIL_NOTIFICATION),
            ("fdb_local_vlan_0", 1 << BR_BOOLOPT_FDB_LOCAL_VLAN_0))


def known(what, firsts=SINCE):
    """Whether the run's ip release knows a bridge attribute or boolopt (SINCE)."""
    first = firsts.get(what)
    return first is None or since(first)


def _boolopt(p, key, fmt, raw):
    optval, optmask = _BOOLOPT.unpack_from(raw[:8].ljust(8, b"\0"))
    for k, bit in BOOLOPT_BITS:
        if optmask & bit and known(k):
            p.num(k, k + " %u ", int(bool(optval & bit)))


def _stp_mode(p, key, fmt, raw):
    """stp_mode_to_str(): "(unknown)" past the table, a string in JSON too."""
    mode = _int(raw, 4)
    p.string(key, fmt, STP_MODES[mode] if mode < len(STP_MODES) else "(unknown)")


NUM = "num"         # a row's number, read as the layout says

LAYOUT = {IFLA_BR_FORWARD_DELAY: U32, IFLA_BR_HELLO_TIME: U32, IFLA_BR_MAX_AGE: U32,
          IFLA_BR_AGEING_TIME: U32, IFLA_BR_STP_STATE: U32, IFLA_BR_PRIORITY: U16,
          IFLA_BR_VLAN_FILTERING: U8, IFLA_BR_VLAN_PROTOCOL: BE16, IFLA_BR_GROUP_FWD_MASK: U16,
          IFLA_BR_GROUP_ADDR: Bytes, IFLA_BR_MULTI_BOOLOPT: Bytes, IFLA_BR_FDB_FLUSH: FLAG,
          IFLA_BR_ROOT_PORT: U16, IFLA_BR_ROOT_PATH_COST: U32, IFLA_BR_TOPOLOGY_CHANGE: U8,
          IFLA_BR_TOPOLOGY_CHANGE_DETECTED: U8, IFLA_BR_VLAN_DEFAULT_PVID: U16,
          IFLA_BR_VLAN_STATS_ENABLED: U8, IFLA_BR_VLAN_STATS_PER_PORT: U8,
          IFLA_BR_MCAST_ROUTER: U8, IFLA_BR_MCAST_SNOOPING: U8,
          IFLA_BR_MCAST_QUERY_USE_IFADDR: U8, IFLA_BR_MCAST_QUERIER: U8,
          IFLA_BR_MCAST_HASH_ELASTICITY: U32, IFLA_BR_MCAST_HASH_MAX: U32,
          IFLA_BR_MCAST_LAST_MEMBER_CNT: U32, IFLA_BR_MCAST_STARTUP_QUERY_CNT: U32,
          IFLA_BR_MCAST_LAST_MEMBER_INTVL: U64, IFLA_BR_MCAST_MEMBERSHIP_INTVL: U64,
          IFLA_BR_MCAST_QUERIER_INTVL: U64, IFLA_BR_MCAST_QUERY_INTVL: U64,
          IFLA_BR_MCAST_QUERY_RESPONSE_INTVL: U64, IFLA_BR_MCAST_STARTUP_QUERY_INTVL: U64,
          IFLA_BR_MCAST_STATS_ENABLED: U8, IFLA_BR_MCAST_IGMP_VERSION: U8,
          IFLA_BR_MCAST_MLD_VERSION: U8, IFLA_BR_NF_CALL_IPTABLES: U8,
          IFLA_BR_NF_CALL_IP6TABLES: U8, IFLA_BR_NF_CALL_ARPTABLES: U8,
          IFLA_BR_FDB_N_LEARNED: U32, IFLA_BR_FDB_MAX_LEARNED: U32, IFLA_BR_STP_MODE: U32}
PORT_LAYOUT = {IFLA_BRPORT_STATE: U8, IFLA_BRPORT_PRIORITY: U16, IFLA_BRPORT_COST: U32,
               IFLA_BRPORT_MODE: U8, IFLA_BRPORT_GUARD: U8, IFLA_BRPORT_PROTECT: U8,
               IFLA_BRPORT_FAST_LEAVE: U8, IFLA_BRPORT_LEARNING: U8,
               IFLA_BRPORT_UNICAST_FLOOD: U8, IFLA_BRPORT_PROXYARP: U8,
               IFLA_BRPORT_PROXYARP_WIFI: U8, IFLA_BRPORT_DESIGNATED_PORT: U16,
               IFLA_BRPORT_DESIGNATED_COST: U16, IFLA_BRPORT_TOPOLOGY_CHANGE_ACK: U8,
               IFLA_BRPORT_CONFIG_PENDING: U8, IFLA_BRPORT_MULTICAST_ROUTER: U8,
               IFLA_BRPORT_MCAST_FLOOD: U8, IFLA_BRPORT_BCAST_FLOOD: U8,
               IFLA_BRPORT_MCAST_TO_UCAST: U8, IFLA_BRPORT_NEIGH_SUPPRESS: U8,
               IFLA_BRPORT_GROUP_FWD_MASK: U16, IFLA_BRPORT_VLAN_TUNNEL: U8,
               IFLA_BRPORT_ISOLATED: U8, IFLA_BRPORT_LOCKED: U8, IFLA_BRPORT_BACKUP_PORT: U32,
               IFLA_BRPORT_FLUSH: FLAG, IFLA_BRPORT_MAB: U8,
               IFLA_BRPORT_NEIGH_VLAN_SUPPRESS: U8, IFLA_BRPORT_BACKUP_NHID: U32,
               IFLA_BRPORT_NEIGH_FORWARD_GRAT: U8}

# bridge_print_opt(), in its order.  (ip prints designated_root from IFLA_BR_BRIDGE_ID
# before 3181d4e1 (6.5): the root id row reads the bridge id there, as ip does.)
ROOT_ID_FIXED_SINCE = (6, 5)
BRIDGE = (
    (IFLA_BR_FORWARD_DELAY, "forward_delay", "forward_delay %u ", NUM),
    (IFLA_BR_HELLO_TIME, "hello_time", "hello_time %u ", NUM),
    (IFLA_BR_MAX_AGE, "max_age", "max_age %u ", NUM),
    (IFLA_BR_AGEING_TIME, "ageing_time", "ageing_time %u ", NUM),
    (IFLA_BR_STP_STATE, "stp_state", "stp_state %u ", NUM),
    (IFLA_BR_STP_MODE, "stp_mode", "stp_mode %s ", _stp_mode),
    (IFLA_BR_PRIORITY, "priority", "priority %u ", NUM),
    (IFLA_BR_VLAN_FILTERING, "vlan_filtering", "vlan_filtering %u ", NUM),
    (IFLA_BR_VLAN_PROTOCOL, "vlan_protocol", "vlan_protocol %s ", _proto),
    (IFLA_BR_BRIDGE_ID, "bridge_id", "bridge_id %s ", _id),
    (IFLA_BR_ROOT_ID, "root_id", "designated_root %s ", IFLA_BR_BRIDGE_ID),
    (IFLA_BR_ROOT_PORT, "root_port", "root_port %u ", NUM),
    (IFLA_BR_ROOT_PATH_COST, "root_path_cost", "root_path_cost %u ", NUM),
    (IFLA_BR_TOPOLOGY_CHANGE, "topology_change", "topology_change %u ", NUM),
    (IFLA_BR_TOPOLOGY_CHANGE_DETECTED, "topology_change_detected",
     "topology_change_detected %u ", NUM),
    (IFLA_BR_HELLO_TIMER, "hello_timer", None, _timer),
    (IFLA_BR_TCN_TIMER, "tcn_timer", None, _timer),
    (IFLA_BR_TOPOLOGY_CHANGE_TIMER, "topology_change_timer", None, _timer),
    (IFLA_BR_GC_TIMER, "gc_timer", None, _timer),
    (IFLA_BR_FDB_N_LEARNED, "fdb_n_learned", "fdb_n_learned %u ", NUM),
    (IFLA_BR_FDB_MAX_LEARNED, "fdb_max_learned", "fdb_max_learned %u ", NUM),
    (IFLA_BR_VLAN_DEFAULT_PVID, "vlan_default_pvid", "vlan_default_pvid %u ", NUM),
    (IFLA_BR_VLAN_STATS_ENABLED, "vlan_stats_enabled", "vlan_stats_enabled %u ", NUM),
    (IFLA_BR_VLAN_STATS_PER_PORT, "vlan_stats_per_port", "vlan_stats_per_port %u ", NUM),
    (IFLA_BR_GROUP_FWD_MASK, "group_fwd_mask", "group_fwd_mask %s ", _hex16),
    (IFLA_BR_GROUP_ADDR, "group_addr", "group_address %s ", _group_addr),
    (IFLA_BR_MCAST_SNOOPING, "mcast_snooping", "mcast_snooping %u ", NUM),
    (IFLA_BR_MULTI_BOOLOPT, None, None, _boolopt),
    (IFLA_BR_MCAST_ROUTER, "mcast_router", "mcast_router %u ", NUM),
    (IFLA_BR_MCAST_QUERY_USE_IFADDR, "mcast_query_use_ifaddr", "mcast_query_use_ifaddr %u ",
     NUM),
    (IFLA_BR_MCAST_QUERIER, "mcast_querier", "mcast_querier %u ", NUM),
    (IFLA_BR_MCAST_HASH_ELASTICITY, "mcast_hash_elasticity", "mcast_hash_elasticity %u ",
     NUM),
    (IFLA_BR_MCAST_HASH_MAX, "mcast_hash_max", "mcast_hash_max %u ", NUM),
    (IFLA_BR_MCAST_LAST_MEMBER_CNT, "mcast_last_member_cnt", "mcast_last_member_count %u ",
     NUM),
    (IFLA_BR_MCAST_STARTUP_QUERY_CNT, "mcast_startup_query_cnt",
     "mcast_startup_query_count %u ", NUM),
    (IFLA_BR_MCAST_LAST_MEMBER_INTVL, "mcast_last_member_intvl",
     "mcast_last_member_interval %u ", NUM),
    (IFLA_BR_MCAST_MEMBERSHIP_INTVL, "mcast_membership_intvl",
     "mcast_membership_interval %u ", NUM),
    (IFLA_BR_MCAST_QUERIER_INTVL, "mcast_querier_intvl", "mcast_querier_interval %u ", NUM),
    (IFLA_BR_MCAST_QUERY_INTVL, "mcast_query_intvl", "mcast_query_interval %u ", NUM),
    (IFLA_BR_MCAST_QUERY_RESPONSE_INTVL, "mcast_query_response_intvl",
     "mcast_query_response_interval %u ", NUM),
    (IFLA_BR_MCAST_STARTUP_QUERY_INTVL, "mcast_startup_query_intvl",
     "mcast_startup_query_interval %u ", NUM),
    (IFLA_BR_MCAST_STATS_ENABLED, "mcast_stats_enabled", "mcast_stats_enabled %u ", NUM),
    (IFLA_BR_MCAST_IGMP_VERSION, "mcast_igmp_version", "mcast_igmp_version %u ", NUM),
    (IFLA_BR_MCAST_MLD_VERSION, "mcast_mld_version", "mcast_mld_version %u ", NUM),
    (IFLA_BR_NF_CALL_IPTABLES, "nf_call_iptables", "nf_call_iptables %u ", NUM),
    (IFLA_BR_NF_CALL_IP6TABLES, "nf_call_ip6tables", "nf_call_ip6tables %u ", NUM),
    (IFLA_BR_NF_CALL_ARPTABLES, "nf_call_arptables", "nf_call_arptables %u ", NUM),
)


def _port_state(p, key, fmt, raw):
    state = _int(raw, 1)
    if state < len(PORT_STATES):
        p.string("state", "state %s ", PORT_STATES[state])
    else:
        p.num("state_index", "state (%d) ", state)


def _fast_leave_again(p, key, fmt, raw):
    """mcast_fast_leave: the text only (JSON has it as fastleave)."""
    p.fp("mcast_fast_leave %s " % ("on" if _int(raw, 1) else "off"))


def _fwd_mask(p, key, fmt, raw):
    mask = _int(raw, 2)
    p.hex0x("group_fwd_mask", "group_fwd_mask %s ", mask)
    names = []
    i, bits = 0, mask
    while bits:
        if bits & 1:
            names.append(FWD_MASK_NAMES.get(i, "0x%x" % (1 << i)))
        i, bits = i + 1, bits >> 1
    p.string("group_fwd_mask_str", "group_fwd_mask_str %s ", ",".join(names) or "0x0")


def _backup_port(p, key, fmt, raw):
    p.string("backup_port", "backup_port %s ", links.index_to_name(_int(raw, 4)))


# bridge_slave_print_opt(), in its order
PORT = (
    (IFLA_BRPORT_STATE, "state", None, _port_state),
    (IFLA_BRPORT_PRIORITY, "priority", "priority %d ", NUM),
    (IFLA_BRPORT_COST, "cost", "cost %d ", _sint(4)),
    (IFLA_BRPORT_MODE, "hairpin", "hairpin %s ", _on_off),
    (IFLA_BRPORT_GUARD, "guard", "guard %s ", _on_off),
    (IFLA_BRPORT_PROTECT, "root_block", "root_block %s ", _on_off),
    (IFLA_BRPORT_FAST_LEAVE, "fastleave", "fastleave %s ", _on_off),
    (IFLA_BRPORT_LEARNING, "learning", "learning %s ", _on_off),
    (IFLA_BRPORT_UNICAST_FLOOD, "flood", "flood %s ", _on_off),
    (IFLA_BRPORT_ID, "id", "port_id %s ", _hex16),
    (IFLA_BRPORT_NO, "no", "port_no %s ", _hex16),
    (IFLA_BRPORT_DESIGNATED_PORT, "designated_port", "designated_port %u ", NUM),
    (IFLA_BRPORT_DESIGNATED_COST, "designated_cost", "designated_cost %u ", NUM),
    (IFLA_BRPORT_BRIDGE_ID, "bridge_id", "designated_bridge %s ", _id),
    (IFLA_BRPORT_ROOT_ID, "root_id", "designated_root %s ", _id),
    (IFLA_BRPORT_HOLD_TIMER, "hold_timer", None, _timer),
    (IFLA_BRPORT_MESSAGE_AGE_TIMER, "message_age_timer", None, _timer),
    (IFLA_BRPORT_FORWARD_DELAY_TIMER, "forward_delay_timer", None, _timer),
    (IFLA_BRPORT_TOPOLOGY_CHANGE_ACK, "topology_change_ack", "topology_change_ack %u ", NUM),
    (IFLA_BRPORT_CONFIG_PENDING, "config_pending", "config_pending %u ", NUM),
    (IFLA_BRPORT_PROXYARP, "proxy_arp", "proxy_arp %s ", _on_off),
    (IFLA_BRPORT_PROXYARP_WIFI, "proxy_arp_wifi", "proxy_arp_wifi %s ", _on_off),
    (IFLA_BRPORT_MULTICAST_ROUTER, "multicast_router", "mcast_router %u ", NUM),
    (IFLA_BRPORT_FAST_LEAVE, None, None, _fast_leave_again),
    (IFLA_BRPORT_MCAST_FLOOD, "mcast_flood", "mcast_flood %s ", _on_off),
    (IFLA_BRPORT_BCAST_FLOOD, "bcast_flood", "bcast_flood %s ", _on_off),
    (IFLA_BRPORT_MCAST_TO_UCAST, "mcast_to_unicast", "mcast_to_unicast %s ", _on_off),
    (IFLA_BRPORT_NEIGH_SUPPRESS, "neigh_suppress", "neigh_suppress %s ", _on_off),
    (IFLA_BRPORT_NEIGH_VLAN_SUPPRESS, "neigh_vlan_suppress", "neigh_vlan_suppress %s ",
     _on_off),
    (IFLA_BRPORT_NEIGH_FORWARD_GRAT, "neigh_forward_grat", "neigh_forward_grat %s ",
     _on_off),
    (IFLA_BRPORT_GROUP_FWD_MASK, None, None, _fwd_mask),
    (IFLA_BRPORT_VLAN_TUNNEL, "vlan_tunnel", "vlan_tunnel %s ", _on_off),
    (IFLA_BRPORT_ISOLATED, "isolated", "isolated %s ", _on_off),
    (IFLA_BRPORT_LOCKED, "locked", "locked %s ", _on_off),
    (IFLA_BRPORT_MAB, "mab", "mab %s ", _on_off),
    (IFLA_BRPORT_BACKUP_PORT, None, None, _backup_port),
    (IFLA_BRPORT_BACKUP_NHID, "backup_nhid", "backup_nhid %u ", NUM),
)


def _print(p, tb, rows, layout, firsts):
    for attr, key, fmt, show in rows:
        raw = tb.get(attr)
        if raw is None or not known(attr, firsts):
            continue
        if show is NUM:
            p.num(key, fmt, layout[attr].read(raw))
        elif type(show) is int:           # a row that prints another attribute's value
            other = tb.get(show) if not since(ROOT_ID_FIXED_SINCE) else raw
            _id(p, key, fmt, other if other is not None else b"")
        else:
            show(p, key, fmt, raw)


def print_opt(p, tb):
    """bridge_print_opt()."""
    _print(p, tb, BRIDGE, LAYOUT, SINCE)


def print_slave_opt(p, tb):
    """bridge_slave_print_opt()."""
    _print(p, tb, PORT, PORT_LAYOUT, PORT_SINCE)


class BridgeLink(KindReading):
    """bridge_parse_opt(): each option's attribute as its word is read, the boolean
    options' bits in one IFLA_BR_MULTI_BOOLOPT at the end."""
    STARTS = ("bridge_link",)
    KIND, RULE, LAYOUT = "bridge", "bridge_link_word.", LAYOUT
    VALUES = {"stp_mode": {mode: i for i, mode in enumerate(STP_MODES)}}
    NUMBERS = {"forward_delay": IFLA_BR_FORWARD_DELAY, "hello_time": IFLA_BR_HELLO_TIME,
               "max_age": IFLA_BR_MAX_AGE, "ageing_time": IFLA_BR_AGEING_TIME,
               "stp_state": IFLA_BR_STP_STATE, "priority": IFLA_BR_PRIORITY,
               "vlan_filtering": IFLA_BR_VLAN_FILTERING,
               "group_fwd_mask": IFLA_BR_GROUP_FWD_MASK,
               "vlan_default_pvid": IFLA_BR_VLAN_DEFAULT_PVID,
               "vlan_stats_enabled": IFLA_BR_VLAN_STATS_ENABLED,
               "vlan_stats_per_port": IFLA_BR_VLAN_STATS_PER_PORT,
               "mcast_router": IFLA_BR_MCAST_ROUTER, "mcast_snooping": IFLA_BR_MCAST_SNOOPING,
               "mcast_query_use_ifaddr": IFLA_BR_MCAST_QUERY_USE_IFADDR,
               "mcast_querier": IFLA_BR_MCAST_QUERIER,
               "mcast_hash_elasticity": IFLA_BR_MCAST_HASH_ELASTICITY,
               "mcast_hash_max": IFLA_BR_MCAST_HASH_MAX,
               "mcast_last_member_count": IFLA_BR_MCAST_LAST_MEMBER_CNT,
               "mcast_startup_query_count": IFLA_BR_MCAST_STARTUP_QUERY_CNT,
               "mcast_last_member_interval": IFLA_BR_MCAST_LAST_MEMBER_INTVL,
               "mcast_membership_interval": IFLA_BR_MCAST_MEMBERSHIP_INTVL,
               "mcast_querier_interval": IFLA_BR_MCAST_QUERIER_INTVL,
               "mcast_query_interval": IFLA_BR_MCAST_QUERY_INTVL,
               "mcast_query_response_interval": IFLA_BR_MCAST_QUERY_RESPONSE_INTVL,
               "mcast_startup_query_interval": IFLA_BR_MCAST_STARTUP_QUERY_INTVL,
               "mcast_stats_enabled": IFLA_BR_MCAST_STATS_ENABLED,
               "mcast_igmp_version": IFLA_BR_MCAST_IGMP_VERSION,
               "mcast_mld_version": IFLA_BR_MCAST_MLD_VERSION,
               "nf_call_iptables": IFLA_BR_NF_CALL_IPTABLES,
               "nf_call_ip6tables": IFLA_BR_NF_CALL_IP6TABLES,
               "nf_call_arptables": IFLA_BR_NF_CALL_ARPTABLES,
               "fdb_max_learned": IFLA_BR_FDB_MAX_LEARNED}
    # alias -> its bit of struct br_boolopt_multi
    BOOLOPTS = dict(BOOLOPT_BITS)

    def __init__(self):
        KindReading.__init__(self)
        self.optval = self.optmask = 0

    bridge_link = KindReading.read_in_order
    bridge_link_word__help = KindReading.help
    locals().update(dict.fromkeys(["bridge_link_word__" + a for a in NUMBERS],
                                  KindReading.number))

    def bridge_link_word__vlan_protocol(self, node):
        v = self.word(node, 1)
        proto = ll_proto(v)
        if proto is None:
            self.invalid(node, v)
        self.add(IFLA_BR_VLAN_PROTOCOL, proto)

    def bridge_link_word__stp_mode(self, node):
        """parse_one_of() with matches_warn(): a prefix of a mode's name takes it, with a
        warning unless it is the whole name."""
        v = self.word(node, 1)
        mode = node.children[1].alias
        if v != mode:
            from pyip import out
            out.error("WARNING: '%s' matches '%s' by prefix.\nMatching by prefix is deprecated "
                      "in this context, please use the full string.\n" % (v, mode))
        self.add(IFLA_BR_STP_MODE, self.value(node.children[1]))

    def bad(self, index, rule):
        """parse_one_of()'s message: bridge_parse_opt() returns its error (status 1)."""
        if rule == "stp_mode":
            from pyip._tables import INVALID
            from pyip.errors import Failed
            raise Failed(INVALID["stp_mode.stp_mode"] % ("stp_mode", self.words[index]), 1)
        KindReading.bad(self, index, rule)

    def bridge_link_word__group_address(self, node):
        from pyip.link.modify import ll_addr
        self.add(IFLA_BR_GROUP_ADDR, ll_addr(self.word(node, 1)))

    def boolopt(self, node):
        v = self.word(node, 1)
        on = U8.word(v)
        if on is None:
            self.invalid(node, v)
        bit = self.BOOLOPTS[node.alias]
        self.optmask |= bit
        self.optval = self.optval | bit if on else self.optval & ~bit

    locals().update(dict.fromkeys(["bridge_link_word__" + a for a in BOOLOPTS], boolopt))

    def bridge_link_word__fdb_flush(self, node):
        self.add(IFLA_BR_FDB_FLUSH, b"")

    def data(self):
        if self.optmask:
            self.add(IFLA_BR_MULTI_BOOLOPT, _BOOLOPT.pack(self.optval, self.optmask))
        return KindReading.data(self)


class BridgeSlaveLink(KindReading):
    """bridge_slave_parse_opt(): each option's attribute as its word is read."""
    STARTS = ("bridge_slave_link",)
    KIND, RULE, LAYOUT = "bridge_slave", "bridge_slave_link_word.", PORT_LAYOUT
    UNKNOWN = '%s: unknown option "%s"?\n'
    VALUES = {"on_off_prefix": {"off": 0, "on": 1, "off_prefix": 0, "on_prefix": 1}}
    NUMBERS = {"state": IFLA_BRPORT_STATE, "priority": IFLA_BRPORT_PRIORITY,
               "cost": IFLA_BRPORT_COST, "mcast_router": IFLA_BRPORT_MULTICAST_ROUTER,
               "group_fwd_mask": IFLA_BRPORT_GROUP_FWD_MASK,
               "backup_nhid": IFLA_BRPORT_BACKUP_NHID}
    # alias -> the u8 attribute its on/off sets
    SWITCHES = {"hairpin": IFLA_BRPORT_MODE, "guard": IFLA_BRPORT_GUARD,
                "root_block": IFLA_BRPORT_PROTECT, "fastleave": IFLA_BRPORT_FAST_LEAVE,
                "learning": IFLA_BRPORT_LEARNING, "flood": IFLA_BRPORT_UNICAST_FLOOD,
                "mcast_flood": IFLA_BRPORT_MCAST_FLOOD, "bcast_flood": IFLA_BRPORT_BCAST_FLOOD,
                "mcast_to_unicast": IFLA_BRPORT_MCAST_TO_UCAST,
                "proxy_arp": IFLA_BRPORT_PROXYARP, "proxy_arp_wifi": IFLA_BRPORT_PROXYARP_WIFI,
                "mcast_fast_leave": IFLA_BRPORT_FAST_LEAVE,
                "neigh_suppress": IFLA_BRPORT_NEIGH_SUPPRESS,
                "vlan_tunnel": IFLA_BRPORT_VLAN_TUNNEL, "isolated": IFLA_BRPORT_ISOLATED,
                "locked": IFLA_BRPORT_LOCKED, "mab": IFLA_BRPORT_MAB,
                "neigh_vlan_suppress": IFLA_BRPORT_NEIGH_VLAN_SUPPRESS,
                "neigh_forward_grat": IFLA_BRPORT_NEIGH_FORWARD_GRAT}

    bridge_slave_link = KindReading.read_in_order
    bridge_slave_link_word__help = KindReading.help
    locals().update(dict.fromkeys(["bridge_slave_link_word__" + a for a in NUMBERS],
                                  KindReading.number))

    def switch(self, node):
        self.word(node, 1)
        self.add(self.SWITCHES[node.alias], self.value(node.children[1]))

    locals().update(dict.fromkeys(["bridge_slave_link_word__" + a for a in SWITCHES], switch))

    def bad(self, index, rule):
        """bridge_slave_parse_on_off(): parse_on_off()'s message, exit(1)."""
        from pyip.words import lookup
        self.on_off_exit(lookup(self.RULE[:-1], self.words[index - 1]), self.words[index])

    def bridge_slave_link_word__fdb_flush(self, node):
        self.add(IFLA_BRPORT_FLUSH, b"")

    def bridge_slave_link_word__backup_port(self, node):
        v = self.word(node, 1)
        index = links.name_to_index(v)
        if not index:
            self.invalid(node, v)
        self.add(IFLA_BRPORT_BACKUP_PORT, index)

    def bridge_slave_link_word__nobackup_port(self, node):
        self.add(IFLA_BRPORT_BACKUP_PORT, 0)


parse = BridgeLink.parse
parse_slave = BridgeSlaveLink.parse
