"""type bond and its ports (iproute2's ip/iplink_bond.c, iplink_bond_slave.c): print (ip -d
link show: a bond's options, a port's "bond_slave" line).  pyip parses neither bond's nor
bond_slave's options yet: `ip link add|set ... type bond|bond_slave ARGS` goes to the
system's ip."""
from pyip import links

# IFLA_BOND_* (linux/if_link.h, iproute2 6.1)
(IFLA_BOND_MODE, IFLA_BOND_ACTIVE_SLAVE, IFLA_BOND_MIIMON, IFLA_BOND_UPDELAY,
 IFLA_BOND_DOWNDELAY, IFLA_BOND_USE_CARRIER, IFLA_BOND_ARP_INTERVAL, IFLA_BOND_ARP_IP_TARGET,
 IFLA_BOND_ARP_VALIDATE, IFLA_BOND_ARP_ALL_TARGETS, IFLA_BOND_PRIMARY,
 IFLA_BOND_PRIMARY_RESELECT, IFLA_BOND_FAIL_OVER_MAC, IFLA_BOND_XMIT_HASH_POLICY,
 IFLA_BOND_RESEND_IGMP, IFLA_BOND_NUM_PEER_NOTIF, IFLA_BOND_ALL_SLAVES_ACTIVE,
 IFLA_BOND_MIN_LINKS, IFLA_BOND_LP_INTERVAL, IFLA_BOND_PACKETS_PER_SLAVE,
 IFLA_BOND_AD_LACP_RATE, IFLA_BOND_AD_SELECT, IFLA_BOND_AD_INFO, IFLA_BOND_AD_ACTOR_SYS_PRIO,
 IFLA_BOND_AD_USER_PORT_KEY, IFLA_BOND_AD_ACTOR_SYSTEM, IFLA_BOND_TLB_DYNAMIC_LB,
 IFLA_BOND_PEER_NOTIF_DELAY, IFLA_BOND_AD_LACP_ACTIVE, IFLA_BOND_MISSED_MAX,
 IFLA_BOND_NS_IP6_TARGET) = range(1, 32)
(IFLA_BOND_AD_INFO_AGGREGATOR, IFLA_BOND_AD_INFO_NUM_PORTS, IFLA_BOND_AD_INFO_ACTOR_KEY,
 IFLA_BOND_AD_INFO_PARTNER_KEY, IFLA_BOND_AD_INFO_PARTNER_MAC) = range(1, 6)
BOND_MAX_TARGETS = 16                   # BOND_MAX_ARP_TARGETS, BOND_MAX_NS_TARGETS
# iplink_bond.c's name tables (get_name(): "UNKNOWN" past the end)
MODES = ("balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad", "balance-tlb",
         "balance-alb")
ARP_VALIDATE = ("none", "active", "backup", "all", "filter", "filter_active",
                "filter_backup")
ARP_ALL_TARGETS = ("any", "all")
PRIMARY_RESELECT = ("always", "better", "failure")
FAIL_OVER_MAC = ("none", "active", "follow")
XMIT_HASH_POLICY = ("layer2", "layer3+4", "layer2+3", "encap2+3", "encap3+4", "vlan+srcmac")
LACP_ACTIVE = ("off", "on")
LACP_RATE = ("slow", "fast")
AD_SELECT = ("stable", "bandwidth", "count")
# IFLA_BOND_SLAVE_* (linux/if_link.h)
(IFLA_BOND_SLAVE_STATE, IFLA_BOND_SLAVE_MII_STATUS, IFLA_BOND_SLAVE_LINK_FAILURE_COUNT,
 IFLA_BOND_SLAVE_PERM_HWADDR, IFLA_BOND_SLAVE_QUEUE_ID, IFLA_BOND_SLAVE_AD_AGGREGATOR_ID,
 IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE, IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE,
 IFLA_BOND_SLAVE_PRIO) = range(1, 10)
SLAVE_STATES = ("ACTIVE", "BACKUP")                             # BOND_STATE_*
MII_STATUSES = ("UP", "GOING_DOWN", "DOWN", "GOING_BACK")       # BOND_LINK_*
# LACP_STATE_* (linux/if_bonding.h) as print_slave_oper_state() names them, in its order
LACP_STATES = ((0x1, "active"), (0x2, "short_timeout"), (0x4, "aggregating"),
               (0x8, "in_sync"), (0x10, "collecting"), (0x20, "distributing"),
               (0x40, "defaulted"), (0x80, "expired"))


def _u8(raw):
    return raw[0] if raw else 0


def _u32(raw):
    return int.from_bytes(raw[:4].ljust(4, b"\0"), "little")


def _u16(raw):
    return int.from_bytes(raw[:2].ljust(2, b"\0"), "little")


def _s32(raw):
    return int.from_bytes(raw[:4].ljust(4, b"\0"), "little", signed=True)


def _named(p, key, fmt, names, value):
    if value >= len(names):
        p.num(key + "_index", fmt.replace("%s", "%d"), value)
    else:
        p.string(key, fmt, names[value])


def _oper_state(p, key, state):
    p.open_array(key, key)              # open_json_array(PRINT_ANY, name): the name as text
    p.fp(" <")
    for bit, name in LACP_STATES:
        if state & bit:
            state &= ~bit
            p.string(None, "%s," if state else "%s", name)
    p.close_array("> ")


def print_slave_opt(p, tb):
    """bond_slave_print_opt()."""
    get = tb.get
    if IFLA_BOND_SLAVE_STATE in tb:
        _named(p, "state", "state %s ", SLAVE_STATES, _u8(get(IFLA_BOND_SLAVE_STATE)))
    if IFLA_BOND_SLAVE_MII_STATUS in tb:
        _named(p, "mii_status", "mii_status %s ", MII_STATUSES,
               _u8(get(IFLA_BOND_SLAVE_MII_STATUS)))
    if IFLA_BOND_SLAVE_LINK_FAILURE_COUNT in tb:
        p.num("link_failure_count", "link_failure_count %d ",
              _s32(get(IFLA_BOND_SLAVE_LINK_FAILURE_COUNT)))
    if IFLA_BOND_SLAVE_PERM_HWADDR in tb:
        from pyip.link.show import ll_addr
        p.string("perm_hwaddr", "perm_hwaddr %s ", ll_addr(get(IFLA_BOND_SLAVE_PERM_HWADDR), 0))
    if IFLA_BOND_SLAVE_QUEUE_ID in tb:
        p.num("queue_id", "queue_id %d ", _u16(get(IFLA_BOND_SLAVE_QUEUE_ID)))
    if IFLA_BOND_SLAVE_PRIO in tb:
        p.num("prio", "prio %d ", _s32(get(IFLA_BOND_SLAVE_PRIO)))
    if IFLA_BOND_SLAVE_AD_AGGREGATOR_ID in tb:
        p.num("ad_aggregator_id", "ad_aggregator_id %d ",
              _u16(get(IFLA_BOND_SLAVE_AD_AGGREGATOR_ID)))
    for attr, key in ((IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE, "ad_actor_oper_port_state"),
                      (IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE,
                       "ad_partner_oper_port_state")):
        if attr in tb:
            state = _u8(get(attr))
            p.num(key, key + " %d ", state)
            _oper_state(p, key + "_str", state)



def _name(table, value):
    return table[value] if 0 <= value < len(table) else "UNKNOWN"


def _each(raw):
    off, n = 0, len(raw)
    while off + 4 <= n:
        alen = int.from_bytes(raw[off:off + 2], "little")
        if alen < 4 or alen > n - off:
            break
        yield int.from_bytes(raw[off + 2:off + 4], "little"), raw[off + 4:off + alen]
        off += (alen + 3) & ~3


def _targets(p, key, text, raw, family):
    """The ARP / NS targets: parse_rtattr_nested() by index, joined by commas."""
    from pyip.addr import ntop
    targets = {}
    for t, payload in _each(raw):
        t &= 0x7fff
        if t <= BOND_MAX_TARGETS and t not in targets:
            targets[t] = payload
    if 0 in targets:
        if p.jw is not None:
            p.jw.name(key)
            p.jw.start_array()
        else:
            p.fp(text)
    for i in range(BOND_MAX_TARGETS):
        if i in targets:
            p.string(None, "%s", _addr(family, targets[i], ntop))
        if p.jw is None and i < BOND_MAX_TARGETS - 1 and i + 1 in targets:
            p.fp(",")
    if 0 in targets:
        p.fp(" ")
        if p.jw is not None:
            p.jw.end_array()


def _addr(family, raw, ntop):
    """rt_addr_n2a_rta(): the address of a payload of its family's size."""
    size = 4 if family == 2 else 16
    if len(raw) != size:
        return "???"
    return ntop(family, raw)


def _uint(p, key, fmt, raw, size=4):
    p.num(key, fmt, int.from_bytes(raw[:size].ljust(size, b"\0"), "little"))


def print_opt(p, tb):
    """bond_print_opt()."""
    from pyip.link.show import ll_addr
    get = tb.get
    if IFLA_BOND_MODE in tb:
        p.string("mode", "mode %s ", _name(MODES, _u8(get(IFLA_BOND_MODE))))
    active = _u32(get(IFLA_BOND_ACTIVE_SLAVE, b""))
    if active:
        p.string("active_slave", "active_slave %s ", links.index_to_name(active))
    for attr, key, fmt, size in ((IFLA_BOND_MIIMON, "miimon", "miimon %u ", 4),
                                 (IFLA_BOND_UPDELAY, "updelay", "updelay %u ", 4),
                                 (IFLA_BOND_DOWNDELAY, "downdelay", "downdelay %u ", 4),
                                 (IFLA_BOND_PEER_NOTIF_DELAY, "peer_notify_delay",
                                  "peer_notify_delay %u ", 4),
                                 (IFLA_BOND_USE_CARRIER, "use_carrier", "use_carrier %u ", 1),
                                 (IFLA_BOND_ARP_INTERVAL, "arp_interval", "arp_interval %u ",
                                  4),
                                 (IFLA_BOND_MISSED_MAX, "arp_missed_max", "arp_missed_max %u ",
                                  1)):
        if attr in tb:
            _uint(p, key, fmt, get(attr), size)
    if IFLA_BOND_ARP_IP_TARGET in tb:
        _targets(p, "arp_ip_target", "arp_ip_target ", get(IFLA_BOND_ARP_IP_TARGET), 2)
    if IFLA_BOND_NS_IP6_TARGET in tb:
        _targets(p, "ns_ip6_target", "ns_ip6_target ", get(IFLA_BOND_NS_IP6_TARGET), 10)
    if IFLA_BOND_ARP_VALIDATE in tb:
        v = _u32(get(IFLA_BOND_ARP_VALIDATE))
        if not v and p.jw is not None:
            p.jw.value("arp_validate", "null")
        else:
            p.string("arp_validate", "arp_validate %s ", _name(ARP_VALIDATE, v))
    if IFLA_BOND_ARP_ALL_TARGETS in tb:
        p.string("arp_all_targets", "arp_all_targets %s ",
                 _name(ARP_ALL_TARGETS, _u32(get(IFLA_BOND_ARP_ALL_TARGETS))))
    primary = _u32(get(IFLA_BOND_PRIMARY, b""))
    if primary:
        p.string("primary", "primary %s ", links.index_to_name(primary))
    for attr, key, fmt, table in (
            (IFLA_BOND_PRIMARY_RESELECT, "primary_reselect", "primary_reselect %s ",
             PRIMARY_RESELECT),
            (IFLA_BOND_FAIL_OVER_MAC, "fail_over_mac", "fail_over_mac %s ", FAIL_OVER_MAC),
            (IFLA_BOND_XMIT_HASH_POLICY, "xmit_hash_policy", "xmit_hash_policy %s ",
             XMIT_HASH_POLICY)):
        if attr in tb:
            p.string(key, fmt, _name(table, _u8(get(attr))))
    for attr, key, fmt, size in (
            (IFLA_BOND_RESEND_IGMP, "resend_igmp", "resend_igmp %u ", 4),
            (IFLA_BOND_NUM_PEER_NOTIF, "num_peer_notif", "num_grat_arp %u ", 1),
            (IFLA_BOND_ALL_SLAVES_ACTIVE, "all_slaves_active", "all_slaves_active %u ", 1),
            (IFLA_BOND_MIN_LINKS, "min_links", "min_links %u ", 4),
            (IFLA_BOND_LP_INTERVAL, "lp_interval", "lp_interval %u ", 4),
            (IFLA_BOND_PACKETS_PER_SLAVE, "packets_per_slave", "packets_per_slave %u ", 4)):
        if attr in tb:
            _uint(p, key, fmt, get(attr), size)
    for attr, key, fmt, table in (
            (IFLA_BOND_AD_LACP_ACTIVE, "ad_lacp_active", "lacp_active %s ", LACP_ACTIVE),
            (IFLA_BOND_AD_LACP_RATE, "ad_lacp_rate", "lacp_rate %s ", LACP_RATE),
            (IFLA_BOND_AD_SELECT, "ad_select", "ad_select %s ", AD_SELECT)):
        if attr in tb:
            p.string(key, fmt, _name(table, _u8(get(attr))))
    if IFLA_BOND_AD_INFO in tb:
        ad = {}
        for t, payload in _each(get(IFLA_BOND_AD_INFO)):
            ad.setdefault(t & 0x7fff, payload)
        p.open_object("ad_info")
        for attr, key, fmt in ((IFLA_BOND_AD_INFO_AGGREGATOR, "aggregator", "ad_aggregator %d "),
                               (IFLA_BOND_AD_INFO_NUM_PORTS, "num_ports", "ad_num_ports %d "),
                               (IFLA_BOND_AD_INFO_ACTOR_KEY, "actor_key", "ad_actor_key %d "),
                               (IFLA_BOND_AD_INFO_PARTNER_KEY, "partner_key",
                                "ad_partner_key %d ")):
            if attr in ad:
                _uint(p, key, fmt, ad[attr], 2)
        if IFLA_BOND_AD_INFO_PARTNER_MAC in ad:
            p.string("partner_mac", "ad_partner_mac %s ",
                     ll_addr(ad[IFLA_BOND_AD_INFO_PARTNER_MAC][:6].ljust(6, b"\0"), 0))
        p.close_object()
    for attr, key, fmt in ((IFLA_BOND_AD_ACTOR_SYS_PRIO, "ad_actor_sys_prio",
                            "ad_actor_sys_prio %u "),
                           (IFLA_BOND_AD_USER_PORT_KEY, "ad_user_port_key",
                            "ad_user_port_key %u ")):
        if attr in tb:
            _uint(p, key, fmt, get(attr), 2)
    if IFLA_BOND_AD_ACTOR_SYSTEM in tb:
        p.string("ad_actor_system", "ad_actor_system %s ",
                 ll_addr(get(IFLA_BOND_AD_ACTOR_SYSTEM), 1))
    if IFLA_BOND_TLB_DYNAMIC_LB in tb:
        _uint(p, "tlb_dynamic_lb", "tlb_dynamic_lb %u ", get(IFLA_BOND_TLB_DYNAMIC_LB), 1)


def lower(tb):
    """The device print_opt names first (ip knows it from the dump before it prints)."""
    return _u32(tb.get(IFLA_BOND_ACTIVE_SLAVE, b""))
