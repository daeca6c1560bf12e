"""type bond's ports (iproute2's ip/iplink_bond_slave.c): print (ip -d link show of a bond's
port: the "bond_slave" line).  pyip parses neither bond's nor bond_slave's options yet, nor
prints a bond's own: those commands go to the system's ip."""
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

