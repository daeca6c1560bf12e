"""RTM_*LINK messages: struct ifinfomsg, the IFLA_* attribute numbers, device flags and the
names ip gives them (linux/if_link.h, linux/if.h, linux/if_arp.h as of 6.1)."""
from _struct import Struct

RTM_NEWLINK, RTM_DELLINK, RTM_GETLINK, RTM_SETLINK = 16, 17, 18, 19
# struct ifinfomsg: (field, struct format) rows (explain names the fields by them)
IFINFOMSG_ROWS = (("ifi_family", "B"), (None, "x"), ("ifi_type", "H"), ("ifi_index", "i"),
                  ("ifi_flags", "I"), ("ifi_change", "I"))
IFINFOMSG = Struct("=" + "".join(fmt for _, fmt in IFINFOMSG_ROWS))
RTEXT_FILTER_VF, RTEXT_FILTER_SKIP_STATS, RTEXT_FILTER_NAME_ONLY = 1, 8, 0x100

(IFLA_ADDRESS, IFLA_BROADCAST, IFLA_IFNAME, IFLA_MTU, IFLA_LINK, IFLA_QDISC,
 IFLA_STATS) = 1, 2, 3, 4, 5, 6, 7
IFLA_MASTER, IFLA_TXQLEN, IFLA_OPERSTATE, IFLA_LINKMODE, IFLA_LINKINFO = 10, 13, 16, 17, 18
IFLA_NET_NS_PID, IFLA_IFALIAS, IFLA_NUM_VF, IFLA_VFINFO_LIST, IFLA_STATS64 = 19, 20, 21, 22, 23
IFLA_AF_SPEC, IFLA_GROUP, IFLA_NET_NS_FD, IFLA_EXT_MASK, IFLA_PROMISCUITY = 26, 27, 28, 29, 30
IFLA_NUM_TX_QUEUES, IFLA_NUM_RX_QUEUES, IFLA_CARRIER, IFLA_PHYS_PORT_ID = 31, 32, 33, 34
IFLA_CARRIER_CHANGES, IFLA_PHYS_SWITCH_ID, IFLA_LINK_NETNSID, IFLA_PHYS_PORT_NAME = 35, 36, 37, 38
IFLA_PROTO_DOWN, IFLA_GSO_MAX_SEGS, IFLA_GSO_MAX_SIZE, IFLA_XDP, IFLA_EVENT = 39, 40, 41, 43, 44
IFLA_NEW_NETNSID, IFLA_NEW_IFINDEX, IFLA_MIN_MTU, IFLA_MAX_MTU = 45, 49, 50, 51
IFLA_TARGET_NETNSID = 46     # (IFLA_IF_NETNSID): a request about another namespace's device
IFLA_PROP_LIST, IFLA_ALT_IFNAME, IFLA_PERM_ADDRESS, IFLA_PROTO_DOWN_REASON = 52, 53, 54, 55
IFLA_PARENT_DEV_NAME, IFLA_PARENT_DEV_BUS_NAME, IFLA_GRO_MAX_SIZE = 56, 57, 58
IFLA_TSO_MAX_SIZE, IFLA_TSO_MAX_SEGS, IFLA_ALLMULTI = 59, 60, 61
# later kernels' (ip prints them from the release pyip.link.show's DETAIL_SINCE says)
IFLA_GSO_IPV4_MAX_SIZE, IFLA_GRO_IPV4_MAX_SIZE, IFLA_NETNS_IMMUTABLE = 63, 64, 67
IFLA_INFO_KIND, IFLA_INFO_DATA, IFLA_INFO_XSTATS = 1, 2, 3
IFLA_INFO_SLAVE_KIND, IFLA_INFO_SLAVE_DATA = 4, 5
IFLA_INET6_ADDR_GEN_MODE = 8
IFLA_XDP_FD, IFLA_XDP_ATTACHED, IFLA_XDP_FLAGS = 1, 2, 3
IFLA_PROTO_DOWN_REASON_MASK, IFLA_PROTO_DOWN_REASON_VALUE = 1, 2

IFF_UP, IFF_BROADCAST, IFF_DEBUG, IFF_LOOPBACK = 0x1, 0x2, 0x4, 0x8
IFF_POINTOPOINT, IFF_NOTRAILERS, IFF_RUNNING, IFF_NOARP = 0x10, 0x20, 0x40, 0x80
IFF_PROMISC, IFF_ALLMULTI, IFF_MASTER, IFF_SLAVE = 0x100, 0x200, 0x400, 0x800
IFF_MULTICAST, IFF_PORTSEL, IFF_AUTOMEDIA, IFF_DYNAMIC = 0x1000, 0x2000, 0x4000, 0x8000
IFF_LOWER_UP, IFF_DORMANT, IFF_ECHO = 0x10000, 0x20000, 0x40000

# print_link_flags(): the order ip prints them in
FLAG_NAMES = (
    (IFF_LOOPBACK, "LOOPBACK"), (IFF_BROADCAST, "BROADCAST"), (IFF_POINTOPOINT, "POINTOPOINT"),
    (IFF_MULTICAST, "MULTICAST"), (IFF_NOARP, "NOARP"), (IFF_ALLMULTI, "ALLMULTI"),
    (IFF_PROMISC, "PROMISC"), (IFF_MASTER, "MASTER"), (IFF_SLAVE, "SLAVE"),
    (IFF_DEBUG, "DEBUG"), (IFF_DYNAMIC, "DYNAMIC"), (IFF_AUTOMEDIA, "AUTOMEDIA"),
    (IFF_PORTSEL, "PORTSEL"), (IFF_NOTRAILERS, "NOTRAILERS"), (IFF_UP, "UP"),
    (IFF_LOWER_UP, "LOWER_UP"), (IFF_DORMANT, "DORMANT"), (IFF_ECHO, "ECHO"))
OPERSTATES = ("UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP")
LINK_MODES = ("DEFAULT", "DORMANT")
ADDR_GEN_MODES = ("eui64", "none", "stable_secret", "random")
LINK_EVENTS = ("NONE", "REBOOT", "FEATURE CHANGE", "BONDING FAILOVER", "NOTIFY PEERS",
               "RESEND IGMP", "BONDING OPTION")

# lib/ll_types.c: ARPHRD_* -> the name after "link/"
ARPHRD_NAMES = {
    0: "netrom", 1: "ether", 2: "eether", 3: "ax25", 4: "pronet", 5: "chaos", 6: "ieee802",
    7: "arcnet", 8: "atalk", 15: "dlci", 19: "atm", 23: "metricom", 24: "ieee1394",
    32: "infiniband", 256: "slip", 257: "cslip", 258: "slip6", 259: "cslip6", 260: "rsrvd",
    264: "adapt", 270: "rose", 271: "x25", 272: "hwx25", 280: "can", 512: "ppp", 513: "hdlc",
    516: "lapb", 517: "ddcmp", 518: "rawhdlc", 768: "ipip", 769: "tunnel6", 770: "frad",
    771: "skip", 772: "loopback", 773: "ltalk", 774: "fddi", 775: "bif", 776: "sit",
    777: "ip/ddp", 778: "gre", 779: "pimreg", 780: "hippi", 781: "ash", 782: "econet",
    783: "irda", 784: "fcpp", 785: "fcal", 786: "fcpl", 787: "fcfb0", 788: "fcfb1",
    789: "fcfb2", 790: "fcfb3", 791: "fcfb4", 792: "fcfb5", 793: "fcfb6", 794: "fcfb7",
    795: "fcfb8", 796: "fcfb9", 797: "fcfb10", 798: "fcfb11", 799: "fcfb12", 800: "tr",
    801: "ieee802.11", 802: "ieee802.11/prism", 803: "ieee802.11/radiotap",
    804: "ieee802.15.4", 805: "ieee802.15.4/monitor", 820: "phonet", 821: "phonet_pipe",
    822: "caif", 823: "gre6", 824: "netlink", 825: "6lowpan", 0xfffe: "none", 0xffff: "void"}
ARPHRD_TUNNEL, ARPHRD_TUNNEL6, ARPHRD_SIT, ARPHRD_IPGRE, ARPHRD_IP6GRE = 768, 769, 776, 778, 823
