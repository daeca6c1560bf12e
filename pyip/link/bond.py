"""type bond and its ports (iproute2's ip/iplink_bond.c, iplink_bond_slave.c): parse (`type
bond ARGS`, `type bond_slave ARGS`), print (ip -d link show: a bond's options, a port's
"bond_slave" line) and help.  Each attribute's layout is declared once (LAYOUT,
SLAVE_LAYOUT): the readers encode with it, the printers read with it."""
from pyip import links
from pyip import netlink as nl
from pyip.errors import Failed
from pyip.release import since
from pyip.link.reader import S32, U8, U16, U32, Bytes, KindReading, get_index

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
 IFLA_BOND_NS_IP6_TARGET, IFLA_BOND_COUPLED_CONTROL, IFLA_BOND_BROADCAST_NEIGH,
 IFLA_BOND_LACP_STRICT) = range(1, 35)
# What ip knows of the bond by its first release (the tag that first has the commit; the
# kernel sends the attribute whatever ip's release, an older ip leaves it out):
# coupled_control e8dcb121 (6.9; 6.15's binary prints it), broadcast_neighbor 1f792493 (6.18),
# lacp_strict (in no tag of the git history here; 7.3's binary has it: 7.3).
SINCE = {IFLA_BOND_COUPLED_CONTROL: (6, 9), IFLA_BOND_BROADCAST_NEIGH: (6, 18),
         IFLA_BOND_LACP_STRICT: (7, 3)}
(IFLA_BOND_AD_INFO_AGGREGATOR, IFLA_BOND_AD_INFO_NUM_PORTS, IFLA_BOND_AD_INFO_ACTOR_KEY,
 IFLA_BOND_AD_INFO_PARTNER_KEY, IFLA_BOND_AD_INFO_PARTNER_MAC) = range(1, 6)
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
 IFLA_BOND_SLAVE_PRIO, IFLA_BOND_SLAVE_ACTOR_PORT_PRIO, IFLA_BOND_SLAVE_AD_CHURN_ACTOR_STATE,
 IFLA_BOND_SLAVE_AD_CHURN_PARTNER_STATE) = range(1, 13)
# a port's, the same way: actor_port_prio 41b981c1 (6.18), the churn states e092ff4c (7.1)
SLAVE_SINCE = {IFLA_BOND_SLAVE_ACTOR_PORT_PRIO: (6, 18),
               IFLA_BOND_SLAVE_AD_CHURN_ACTOR_STATE: (7, 1),
               IFLA_BOND_SLAVE_AD_CHURN_PARTNER_STATE: (7, 1)}
CHURN_STATES = ("MONITOR", "CHURN", "NO_CHURN")                 # port_churn_state[]
SLAVE_STATES = ("ACTIVE", "BACKUP")                             # BOND_STATE_*
MII_STATUSES = ("UP", "GOING_DOWN", "DOWN", "GOING_BACK")       # BOND_LINK_*
# LACP_STATE_* (linux/if_bonding.h) as print_slave_oper_state() names them, in its order
LACP_STATES = ((0x1, "active"), (0x2, "short_timeout"), (0x4, "aggregating"),
               (0x8, "in_sync"), (0x10, "collecting"), (0x20, "distributing"),
               (0x40, "defaulted"), (0x80, "expired"))

LAYOUT = {IFLA_BOND_MODE: U8, IFLA_BOND_ACTIVE_SLAVE: U32, IFLA_BOND_MIIMON: U32,
          IFLA_BOND_UPDELAY: U32, IFLA_BOND_DOWNDELAY: U32, IFLA_BOND_PEER_NOTIF_DELAY: U32,
          IFLA_BOND_USE_CARRIER: U8, IFLA_BOND_ARP_INTERVAL: U32,
          IFLA_BOND_ARP_IP_TARGET: Bytes, IFLA_BOND_NS_IP6_TARGET: Bytes,
          IFLA_BOND_ARP_VALIDATE: U32, IFLA_BOND_ARP_ALL_TARGETS: U32,
          IFLA_BOND_MISSED_MAX: U8, IFLA_BOND_PRIMARY: U32, IFLA_BOND_PRIMARY_RESELECT: U8,
          IFLA_BOND_FAIL_OVER_MAC: U8, IFLA_BOND_XMIT_HASH_POLICY: U8,
          IFLA_BOND_RESEND_IGMP: U32, IFLA_BOND_NUM_PEER_NOTIF: U8,
          IFLA_BOND_ALL_SLAVES_ACTIVE: U8, IFLA_BOND_MIN_LINKS: U32,
          IFLA_BOND_LP_INTERVAL: U32, IFLA_BOND_PACKETS_PER_SLAVE: U32,
          IFLA_BOND_AD_LACP_RATE: U8, IFLA_BOND_AD_LACP_ACTIVE: U8, IFLA_BOND_AD_SELECT: U8,
          IFLA_BOND_AD_USER_PORT_KEY: U16, IFLA_BOND_AD_ACTOR_SYS_PRIO: U16,
          IFLA_BOND_AD_ACTOR_SYSTEM: Bytes, IFLA_BOND_TLB_DYNAMIC_LB: U8,
          IFLA_BOND_COUPLED_CONTROL: U8, IFLA_BOND_BROADCAST_NEIGH: U8,
          IFLA_BOND_LACP_STRICT: U8}
SLAVE_LAYOUT = {IFLA_BOND_SLAVE_STATE: U8, IFLA_BOND_SLAVE_MII_STATUS: U8,
                IFLA_BOND_SLAVE_LINK_FAILURE_COUNT: S32, IFLA_BOND_SLAVE_PERM_HWADDR: Bytes,
                IFLA_BOND_SLAVE_QUEUE_ID: U16, IFLA_BOND_SLAVE_PRIO: S32,
                IFLA_BOND_SLAVE_AD_AGGREGATOR_ID: U16,
                IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE: U8,
                IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE: U8,
                IFLA_BOND_SLAVE_ACTOR_PORT_PRIO: U16, IFLA_BOND_SLAVE_AD_CHURN_ACTOR_STATE: U8,
                IFLA_BOND_SLAVE_AD_CHURN_PARTNER_STATE: U8}
BOND_MAX_TARGETS = 16                   # BOND_MAX_ARP_TARGETS, BOND_MAX_NS_TARGETS


class BondLink(KindReading):
    """bond_parse_opt(): each option's attribute as its word is read."""
    STARTS = ("bond_link",)
    KIND, RULE, LAYOUT = "bond", "bond_link_word.", LAYOUT
    NUMBERS = {"miimon": IFLA_BOND_MIIMON, "updelay": IFLA_BOND_UPDELAY,
               "downdelay": IFLA_BOND_DOWNDELAY, "peer_notify_delay": IFLA_BOND_PEER_NOTIF_DELAY,
               "use_carrier": IFLA_BOND_USE_CARRIER, "arp_interval": IFLA_BOND_ARP_INTERVAL,
               "arp_missed_max": IFLA_BOND_MISSED_MAX, "resend_igmp": IFLA_BOND_RESEND_IGMP,
               "num_grat_arp": IFLA_BOND_NUM_PEER_NOTIF,
               "all_slaves_active": IFLA_BOND_ALL_SLAVES_ACTIVE,
               "min_links": IFLA_BOND_MIN_LINKS, "lp_interval": IFLA_BOND_LP_INTERVAL,
               "packets_per_slave": IFLA_BOND_PACKETS_PER_SLAVE,
               "ad_user_port_key": IFLA_BOND_AD_USER_PORT_KEY,
               "ad_actor_sys_prio": IFLA_BOND_AD_ACTOR_SYS_PRIO,
               "tlb_dynamic_lb": IFLA_BOND_TLB_DYNAMIC_LB}
    # alias -> (attribute, its names): a name, or its place in the list
    NAMED = {"mode": (IFLA_BOND_MODE, MODES),
             "arp_validate": (IFLA_BOND_ARP_VALIDATE, ARP_VALIDATE),
             "arp_all_targets": (IFLA_BOND_ARP_ALL_TARGETS, ARP_ALL_TARGETS),
             "primary_reselect": (IFLA_BOND_PRIMARY_RESELECT, PRIMARY_RESELECT),
             "fail_over_mac": (IFLA_BOND_FAIL_OVER_MAC, FAIL_OVER_MAC),
             "xmit_hash_policy": (IFLA_BOND_XMIT_HASH_POLICY, XMIT_HASH_POLICY),
             "lacp_rate": (IFLA_BOND_AD_LACP_RATE, LACP_RATE),
             "lacp_active": (IFLA_BOND_AD_LACP_ACTIVE, LACP_ACTIVE),
             "ad_select": (IFLA_BOND_AD_SELECT, AD_SELECT)}

    VALUES = {"on_off_prefix": {"off": 0, "on": 1, "off_prefix": 0, "on_prefix": 1}}

    bond_link = KindReading.read_in_order
    bond_link_word__help = KindReading.help

    bond_link_word__miimon = bond_link_word__updelay = bond_link_word__downdelay = \
        bond_link_word__peer_notify_delay = bond_link_word__use_carrier = \
        bond_link_word__arp_interval = bond_link_word__arp_missed_max = \
        bond_link_word__resend_igmp = bond_link_word__num_grat_arp = \
        bond_link_word__all_slaves_active = bond_link_word__min_links = \
        bond_link_word__lp_interval = bond_link_word__packets_per_slave = \
        bond_link_word__ad_user_port_key = bond_link_word__ad_actor_sys_prio = \
        bond_link_word__tlb_dynamic_lb = KindReading.number

    def named(self, node):
        attr, names = self.NAMED[node.alias]
        v = self.word(node, 1)
        i = get_index(names, v)
        if i < 0:
            self.invalid(node, v)
        self.add(attr, i)

    bond_link_word__mode = bond_link_word__arp_validate = bond_link_word__arp_all_targets = \
        bond_link_word__primary_reselect = bond_link_word__fail_over_mac = \
        bond_link_word__xmit_hash_policy = bond_link_word__lacp_rate = \
        bond_link_word__lacp_active = bond_link_word__ad_select = named

    def port(self, node):
        """active_slave, primary: the device's index; ip's nodev() for none (return -1)."""
        v = self.word(node, 1)
        index = links.name_to_index(v)
        if not index:
            raise Failed('Cannot find device "%s"\n' % v, 1)
        self.add(IFLA_BOND_ACTIVE_SLAVE if node.alias == "active_slave" else IFLA_BOND_PRIMARY,
                 index)

    bond_link_word__active_slave = bond_link_word__primary = port

    def bond_link_word__clear_active_slave(self, node):
        self.add(IFLA_BOND_ACTIVE_SLAVE, 0)

    def targets(self, node):
        """A nest of up to 16 addresses, numbered from 0; with no word after the option,
        an empty nest (the list emptied)."""
        nest = []
        if len(node.children) > 1:
            from pyip.addr import AF_INET6, get_addr, get_addr32
            for i, target in enumerate([t for t in self.word(node, 1).split(",") if t][
                    :BOND_MAX_TARGETS]):
                if node.alias == "arp_ip_target":
                    nest.append(nl.attr(i, get_addr32(target)))
                else:
                    nest.append(nl.attr(i, get_addr(target, AF_INET6).data[:16].ljust(16,
                                                                                  b"\0")))
        self.add(IFLA_BOND_ARP_IP_TARGET if node.alias == "arp_ip_target"
                 else IFLA_BOND_NS_IP6_TARGET, b"".join(nest))

    bond_link_word__arp_ip_target = bond_link_word__ns_ip6_target = targets

    SWITCHES = {"coupled_control": IFLA_BOND_COUPLED_CONTROL,
                "broadcast_neighbor": IFLA_BOND_BROADCAST_NEIGH,
                "lacp_strict": IFLA_BOND_LACP_STRICT}

    def switch(self, node):
        self.word(node, 1)
        self.add(self.SWITCHES[node.alias], self.value(node.children[1]))

    bond_link_word__coupled_control = bond_link_word__broadcast_neighbor = \
        bond_link_word__lacp_strict = switch

    def bad(self, index, rule):
        """parse_on_off()'s message (bond_parse_opt() returns its error: status 1)."""
        if rule == "on_off_prefix":
            from pyip._tables import INVALID
            from pyip.words import lookup
            raise Failed(INVALID["on_off_prefix.on_off_prefix"]
                         % (lookup(self.RULE[:-1], self.words[index - 1]), self.words[index]), 1)
        KindReading.bad(self, index, rule)

    def bond_link_word__ad_actor_system(self, node):
        from pyip.link.modify import ll_addr
        self.add(IFLA_BOND_AD_ACTOR_SYSTEM, ll_addr(self.word(node, 1)))


class BondSlaveLink(KindReading):
    """bond_slave_parse_opt(): queue_id, prio."""
    STARTS = ("bond_slave_link",)
    KIND, RULE, LAYOUT = "bond_slave", "bond_slave_link_word.", SLAVE_LAYOUT
    NUMBERS = {"queue_id": IFLA_BOND_SLAVE_QUEUE_ID, "prio": IFLA_BOND_SLAVE_PRIO,
               "actor_port_prio": IFLA_BOND_SLAVE_ACTOR_PORT_PRIO}
    UNKNOWN = '%s: unknown option "%s"?\n'

    bond_slave_link = KindReading.read_in_order
    bond_slave_link_word__queue_id = bond_slave_link_word__prio = \
        bond_slave_link_word__actor_port_prio = KindReading.number
    bond_slave_link_word__help = KindReading.help


def _slave(tb, attr):
    """A port's number, read as its layout says."""
    return SLAVE_LAYOUT[attr].read(tb[attr])


def _u8(raw):
    return raw[0] if raw else 0


def _u32(raw):
    return int.from_bytes(raw[:4].ljust(4, b"\0"), "little")


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
              _slave(tb, IFLA_BOND_SLAVE_LINK_FAILURE_COUNT))
    if IFLA_BOND_SLAVE_PERM_HWADDR in tb:
        from pyip.link.show import ll_addr
        p.string("perm_hwaddr", "perm_hwaddr %s ", ll_addr(get(IFLA_BOND_SLAVE_PERM_HWADDR), 0))
    if IFLA_BOND_SLAVE_QUEUE_ID in tb:
        p.num("queue_id", "queue_id %d ", _slave(tb, IFLA_BOND_SLAVE_QUEUE_ID))
    if IFLA_BOND_SLAVE_PRIO in tb:
        p.num("prio", "prio %d ", _slave(tb, IFLA_BOND_SLAVE_PRIO))
    if IFLA_BOND_SLAVE_AD_AGGREGATOR_ID in tb:
        p.num("ad_aggregator_id", "ad_aggregator_id %d ",
              _slave(tb, IFLA_BOND_SLAVE_AD_AGGREGATOR_ID))
    for attr, key in ((IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE, "ad_actor_oper_port_state"),
                      (IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE,
                       "ad_partner_oper_port_state")):
        if attr in tb:
            state = _u8(get(attr))
            p.num(key, key + " %d ", state)
            _oper_state(p, key + "_str", state)
    for attr, key in ((IFLA_BOND_SLAVE_AD_CHURN_ACTOR_STATE, "churn_actor_state"),
                      (IFLA_BOND_SLAVE_AD_CHURN_PARTNER_STATE, "churn_partner_state")):
        if attr in tb and since(SLAVE_SINCE[attr]):
            state = _u8(get(attr))
            if state >= len(CHURN_STATES):
                p.num(key, key + " %u ", state)
            else:
                p.string(key, key + " %s ", CHURN_STATES[state])
    prio = IFLA_BOND_SLAVE_ACTOR_PORT_PRIO
    if prio in tb and since(SLAVE_SINCE[prio]):
        p.num("actor_port_prio", "actor_port_prio %d ", _slave(tb, prio))


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


# the bond's on/off attributes (print_on_off())
ON_OFF = (IFLA_BOND_COUPLED_CONTROL, IFLA_BOND_BROADCAST_NEIGH, IFLA_BOND_LACP_STRICT)


def _on_off(p, key, fmt, value):
    """print_on_off(): "on"/"off", a JSON boolean."""
    if p.jw is None:
        p.fp(fmt % ("on" if value else "off"))
    else:
        p.jbool(key, value != 0)


def _uint(p, key, fmt, raw, size=4):
    p.num(key, fmt, int.from_bytes(raw[:size].ljust(size, b"\0"), "little"))


def _num(p, tb, attr, key, fmt):
    """A number of the bond's, read as its layout says."""
    p.num(key, fmt, LAYOUT[attr].read(tb[attr]))


def print_opt(p, tb):
    """bond_print_opt()."""
    from pyip.link.show import ll_addr
    get = tb.get
    if IFLA_BOND_MODE in tb:
        p.string("mode", "mode %s ", _name(MODES, _u8(get(IFLA_BOND_MODE))))
    active = _u32(get(IFLA_BOND_ACTIVE_SLAVE, b""))
    if active:
        p.string("active_slave", "active_slave %s ", links.index_to_name(active))
    for attr, key, fmt in ((IFLA_BOND_MIIMON, "miimon", "miimon %u "),
                           (IFLA_BOND_UPDELAY, "updelay", "updelay %u "),
                           (IFLA_BOND_DOWNDELAY, "downdelay", "downdelay %u "),
                           (IFLA_BOND_PEER_NOTIF_DELAY, "peer_notify_delay",
                            "peer_notify_delay %u "),
                           (IFLA_BOND_USE_CARRIER, "use_carrier", "use_carrier %u "),
                           (IFLA_BOND_ARP_INTERVAL, "arp_interval", "arp_interval %u "),
                           (IFLA_BOND_MISSED_MAX, "arp_missed_max", "arp_missed_max %u ")):
        if attr in tb:
            _num(p, tb, attr, key, fmt)
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
    for attr, key, fmt in (
            (IFLA_BOND_RESEND_IGMP, "resend_igmp", "resend_igmp %u "),
            (IFLA_BOND_NUM_PEER_NOTIF, "num_peer_notif", "num_grat_arp %u "),
            (IFLA_BOND_ALL_SLAVES_ACTIVE, "all_slaves_active", "all_slaves_active %u "),
            (IFLA_BOND_LACP_STRICT, "lacp_strict", "lacp_strict %s "),
            (IFLA_BOND_MIN_LINKS, "min_links", "min_links %u "),
            (IFLA_BOND_LP_INTERVAL, "lp_interval", "lp_interval %u "),
            (IFLA_BOND_PACKETS_PER_SLAVE, "packets_per_slave", "packets_per_slave %u ")):
        if attr not in tb or not since(SINCE.get(attr, (0, 0))):
            continue
        if attr in ON_OFF:
            _on_off(p, key, fmt, _u8(get(attr)))
        else:
            _num(p, tb, attr, key, fmt)
    for attr, key, fmt, table in (
            (IFLA_BOND_AD_LACP_ACTIVE, "ad_lacp_active", "lacp_active %s ", LACP_ACTIVE),
            (IFLA_BOND_AD_LACP_RATE, "ad_lacp_rate", "lacp_rate %s ", LACP_RATE),
            (IFLA_BOND_COUPLED_CONTROL, "coupled_control", "coupled_control %s ", None),
            (IFLA_BOND_BROADCAST_NEIGH, "broadcast_neighbor", "broadcast_neighbor %s ", None),
            (IFLA_BOND_AD_SELECT, "ad_select", "ad_select %s ", AD_SELECT)):
        if attr not in tb or not since(SINCE.get(attr, (0, 0))):
            continue
        if table is None:
            _on_off(p, key, fmt, _u8(get(attr)))
        else:
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
            _num(p, tb, attr, key, fmt)
    if IFLA_BOND_AD_ACTOR_SYSTEM in tb:
        p.string("ad_actor_system", "ad_actor_system %s ",
                 ll_addr(get(IFLA_BOND_AD_ACTOR_SYSTEM), 1))
    if IFLA_BOND_TLB_DYNAMIC_LB in tb:
        _num(p, tb, IFLA_BOND_TLB_DYNAMIC_LB, "tlb_dynamic_lb", "tlb_dynamic_lb %u ")


def lower(tb):
    """The device print_opt names first (ip knows it from the dump before it prints)."""
    return _u32(tb.get(IFLA_BOND_ACTIVE_SLAVE, b""))


parse = BondLink.parse
parse_slave = BondSlaveLink.parse
