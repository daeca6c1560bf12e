"""Names of the netlink requests pyip sends: message types, C structs with their field names,
and attribute families (include/uapi/linux/xfrm.h, if_link.h, rtnetlink.h of 6.1).

Explain's decoder reads these tables; the structs' shapes are the ones pyip encodes with
(pyip/xfrm/msgs.py), so a struct cannot be laid out differently here than it is sent.
"""
from _struct import Struct

NETLINK_ROUTE, NETLINK_XFRM = 0, 6

NLM_FLAGS_NEW = ((0x1, "REQUEST"), (0x2, "MULTI"), (0x4, "ACK"), (0x8, "ECHO"),
                 (0x100, "REPLACE"), (0x200, "EXCL"), (0x400, "CREATE"), (0x800, "APPEND"))
NLM_FLAGS_GET = ((0x1, "REQUEST"), (0x2, "MULTI"), (0x4, "ACK"), (0x8, "ECHO"),
                 (0x300, "DUMP"), (0x100, "ROOT"), (0x200, "MATCH"), (0x400, "ATOMIC"))
AF_NAMES = {0: "AF_UNSPEC", 2: "AF_INET", 10: "AF_INET6", 7: "AF_BRIDGE", 17: "AF_PACKET",
            28: "AF_MPLS"}


class StructLayout:
    """A C struct: (field, struct format, codec) rows; codec None is padding, a StructLayout
    is a struct inside (its fields named "outer.inner").  `tail`: the codec of a variable
    part after the struct (an algorithm's key, a context string)."""

    def __init__(self, name, fields, tail=None, tail_name=None):
        self.name, self.fields = name, fields
        self.tail, self.tail_name = tail, tail_name
        self.size = sum(Struct("=" + f[1]).size if not isinstance(f[2], StructLayout)
                        else f[2].size for f in fields)

    def prefixed(self, prefix):
        return StructLayout(self.name, [(f if c is None else "%s.%s" % (prefix, f), fmt, c)
                                        for f, fmt, c in self.fields], self.tail,
                            self.tail_name)


def S(name, *fields, tail=None, tail_name=None):
    return StructLayout(name, [(f, fmt if not isinstance(c, StructLayout) else "0s", c)
                               for f, fmt, c in fields], tail, tail_name)


PAD = None
ADDR = ("16s", "addr")
SELECTOR = S("xfrm_selector", ("daddr",) + ADDR, ("saddr",) + ADDR,
             ("dport", "2s", "be16"), ("dport_mask", "2s", "be16"),
             ("sport", "2s", "be16"), ("sport_mask", "2s", "be16"),
             ("family", "H", "u16"), ("prefixlen_d", "B", "u8"), ("prefixlen_s", "B", "u8"),
             ("proto", "B", "u8"), ("pad", "3x", PAD), ("ifindex", "i", "s32"),
             ("user", "I", "u32"))
ID = S("xfrm_id", ("daddr",) + ADDR, ("spi", "4s", "be32"), ("proto", "B", "u8"),
       ("pad", "3x", PAD))
LFT_CFG = S("xfrm_lifetime_cfg", *[(f, "Q", "u64") for f in (
    "soft_byte_limit", "hard_byte_limit", "soft_packet_limit", "hard_packet_limit",
    "soft_add_expires_seconds", "hard_add_expires_seconds", "soft_use_expires_seconds",
    "hard_use_expires_seconds")])
LFT_CUR = S("xfrm_lifetime_cur", *[(f, "Q", "u64") for f in (
    "bytes", "packets", "add_time", "use_time")])
STATS = S("xfrm_stats", ("replay_window", "I", "u32"), ("replay", "I", "u32"),
          ("integrity_failed", "I", "u32"))
USERSA_INFO = S("xfrm_usersa_info", ("sel", "", SELECTOR), ("id", "", ID),
                ("saddr",) + ADDR, ("lft", "", LFT_CFG), ("curlft", "", LFT_CUR),
                ("stats", "", STATS), ("seq", "I", "u32"), ("reqid", "I", "u32"),
                ("family", "H", "u16"), ("mode", "B", "u8"), ("replay_window", "B", "u8"),
                ("flags", "B", "u8"), ("pad", "7x", PAD))
USERSA_ID = S("xfrm_usersa_id", ("daddr",) + ADDR, ("spi", "4s", "be32"),
              ("family", "H", "u16"), ("proto", "B", "u8"), ("pad", "x", PAD))
USERSPI_INFO = S("xfrm_userspi_info", ("info", "", USERSA_INFO), ("min", "I", "u32"),
                 ("max", "I", "u32"))
USERPOLICY_INFO = S("xfrm_userpolicy_info", ("sel", "", SELECTOR), ("lft", "", LFT_CFG),
                    ("curlft", "", LFT_CUR), ("priority", "I", "u32"), ("index", "I", "u32"),
                    ("dir", "B", "u8"), ("action", "B", "u8"), ("flags", "B", "u8"),
                    ("share", "B", "u8"), ("pad", "4x", PAD))
USERPOLICY_ID = S("xfrm_userpolicy_id", ("sel", "", SELECTOR), ("index", "I", "u32"),
                  ("dir", "B", "u8"), ("pad", "3x", PAD))
USERSA_FLUSH = S("xfrm_usersa_flush", ("proto", "B", "u8"))
U32_FLAGS = S("u32", ("flags", "I", "u32"))
POLICY_DEFAULT = S("xfrm_userpolicy_default", ("in", "B", "u8"), ("fwd", "B", "u8"),
                   ("out", "B", "u8"))
USER_TMPL = S("xfrm_user_tmpl", ("id", "", ID), ("family", "H", "u16"), ("pad", "2x", PAD),
              ("saddr",) + ADDR, ("reqid", "I", "u32"), ("mode", "B", "u8"),
              ("share", "B", "u8"), ("optional", "B", "u8"), ("pad", "x", PAD),
              ("aalgos", "I", "u32"), ("ealgos", "I", "u32"), ("calgos", "I", "u32"))
ALGO = S("xfrm_algo", ("alg_name", "64s", "str"), ("alg_key_len", "I", "u32"),
         tail="key", tail_name="alg_key")
ALGO_AUTH = S("xfrm_algo_auth", ("alg_name", "64s", "str"), ("alg_key_len", "I", "u32"),
              ("alg_trunc_len", "I", "u32"), tail="key", tail_name="alg_key")
ALGO_AEAD = S("xfrm_algo_aead", ("alg_name", "64s", "str"), ("alg_key_len", "I", "u32"),
              ("alg_icv_len", "I", "u32"), tail="key", tail_name="alg_key")
ENCAP_TMPL = S("xfrm_encap_tmpl", ("encap_type", "H", "u16"),
               ("encap_sport", "2s", "be16"), ("encap_dport", "2s", "be16"),
               ("pad", "2x", PAD), ("encap_oa",) + ADDR)
MARK = S("xfrm_mark", ("v", "I", "u32"), ("m", "I", "u32"))
REPLAY = S("xfrm_replay_state", ("oseq", "I", "u32"), ("seq", "I", "u32"),
           ("bitmap", "I", "u32"))
REPLAY_ESN = S("xfrm_replay_state_esn", ("bmp_len", "I", "u32"), ("oseq", "I", "u32"),
               ("seq", "I", "u32"), ("oseq_hi", "I", "u32"), ("seq_hi", "I", "u32"),
               ("replay_window", "I", "u32"), tail="hex", tail_name="bmp")
SEC_CTX = S("xfrm_user_sec_ctx", ("len", "H", "u16"), ("exttype", "H", "u16"),
            ("ctx_alg", "B", "u8"), ("ctx_doi", "B", "u8"), ("ctx_len", "H", "u16"),
            tail="str", tail_name="ctx_str")
POLICY_TYPE = S("xfrm_userpolicy_type", ("type", "B", "u8"), ("pad", "x", PAD),
                ("reserved1", "H", "u16"), ("reserved2", "B", "u8"), ("pad", "x", PAD))
ADDRESS_FILTER = S("xfrm_address_filter", ("saddr",) + ADDR, ("daddr",) + ADDR,
                   ("family", "H", "u16"), ("splen", "B", "u8"), ("dplen", "B", "u8"))
OFFLOAD = S("xfrm_user_offload", ("ifindex", "i", "s32"), ("flags", "B", "u8"),
            ("pad", "3x", PAD))
HTHRESH = S("xfrmu_spdhthresh", ("lbits", "B", "u8"), ("rbits", "B", "u8"))
IFINFOMSG = S("ifinfomsg", ("ifi_family", "B", "u8"), ("pad", "x", PAD),
              ("ifi_type", "H", "u16"), ("ifi_index", "i", "s32"), ("ifi_flags", "I", "u32"),
              ("ifi_change", "I", "u32"))

FAMILIES = {
    "xfrma": {
        1: ("XFRMA_ALG_AUTH", ALGO), 2: ("XFRMA_ALG_CRYPT", ALGO), 3: ("XFRMA_ALG_COMP", ALGO),
        4: ("XFRMA_ENCAP", ENCAP_TMPL), 5: ("XFRMA_TMPL", (USER_TMPL,)),
        6: ("XFRMA_SA", USERSA_INFO), 7: ("XFRMA_POLICY", USERPOLICY_INFO),
        8: ("XFRMA_SEC_CTX", SEC_CTX), 9: ("XFRMA_LTIME_VAL", LFT_CUR),
        10: ("XFRMA_REPLAY_VAL", REPLAY), 11: ("XFRMA_REPLAY_THRESH", "u32"),
        12: ("XFRMA_ETIMER_THRESH", "u32"), 13: ("XFRMA_SRCADDR", "addr"),
        14: ("XFRMA_COADDR", "addr"), 15: ("XFRMA_LASTUSED", "u64"),
        16: ("XFRMA_POLICY_TYPE", POLICY_TYPE), 18: ("XFRMA_ALG_AEAD", ALGO_AEAD),
        20: ("XFRMA_ALG_AUTH_TRUNC", ALGO_AUTH), 21: ("XFRMA_MARK", MARK),
        22: ("XFRMA_TFCPAD", "u32"), 23: ("XFRMA_REPLAY_ESN_VAL", REPLAY_ESN),
        24: ("XFRMA_SA_EXTRA_FLAGS", "u32"), 25: ("XFRMA_PROTO", "u8"),
        26: ("XFRMA_ADDRESS_FILTER", ADDRESS_FILTER), 28: ("XFRMA_OFFLOAD_DEV", OFFLOAD),
        29: ("XFRMA_SET_MARK", "u32"), 30: ("XFRMA_SET_MARK_MASK", "u32"),
        31: ("XFRMA_IF_ID", "u32"), 32: ("XFRMA_MTIMER_THRESH", "u32"),
        33: ("XFRMA_SA_DIR", "u8")},
    "spd": {1: ("XFRMA_SPD_INFO", "hex"), 2: ("XFRMA_SPD_HINFO", "hex"),
            3: ("XFRMA_SPD_IPV4_HTHRESH", HTHRESH), 4: ("XFRMA_SPD_IPV6_HTHRESH", HTHRESH)},
    "ifla": {
        1: ("IFLA_ADDRESS", "mac"), 2: ("IFLA_BROADCAST", "mac"), 3: ("IFLA_IFNAME", "str"),
        4: ("IFLA_MTU", "u32"), 5: ("IFLA_LINK", "u32"), 6: ("IFLA_QDISC", "str"),
        10: ("IFLA_MASTER", "u32"), 13: ("IFLA_TXQLEN", "u32"), 16: ("IFLA_OPERSTATE", "u8"),
        17: ("IFLA_LINKMODE", "u8"), 18: ("IFLA_LINKINFO", "nest:linkinfo"),
        19: ("IFLA_NET_NS_PID", "u32"), 20: ("IFLA_IFALIAS", "str"),
        26: ("IFLA_AF_SPEC", "nest:af_spec"), 27: ("IFLA_GROUP", "u32"),
        28: ("IFLA_NET_NS_FD", "u32"), 29: ("IFLA_EXT_MASK", "u32"),
        31: ("IFLA_NUM_TX_QUEUES", "u32"), 32: ("IFLA_NUM_RX_QUEUES", "u32"),
        37: ("IFLA_LINK_NETNSID", "s32"), 39: ("IFLA_PROTO_DOWN", "u8"),
        40: ("IFLA_GSO_MAX_SEGS", "u32"), 41: ("IFLA_GSO_MAX_SIZE", "u32"),
        43: ("IFLA_XDP", "nest:xdp"), 49: ("IFLA_NEW_IFINDEX", "s32"),
        52: ("IFLA_PROP_LIST", "nest:prop"), 53: ("IFLA_ALT_IFNAME", "str"),
        55: ("IFLA_PROTO_DOWN_REASON", "nest:down_reason"),
        56: ("IFLA_PARENT_DEV_NAME", "str"), 58: ("IFLA_GRO_MAX_SIZE", "u32"),
        59: ("IFLA_TSO_MAX_SIZE", "u32"), 60: ("IFLA_TSO_MAX_SEGS", "u32")},
    "prop": {53: ("IFLA_ALT_IFNAME", "str")},
    "xdp": {1: ("IFLA_XDP_FD", "s32"), 3: ("IFLA_XDP_FLAGS", "u32")},
    "down_reason": {1: ("IFLA_PROTO_DOWN_REASON_MASK", "u32"),
                    2: ("IFLA_PROTO_DOWN_REASON_VALUE", "u32")},
    "af_spec": {10: ("AF_INET6", "nest:inet6")},
    "inet6": {8: ("IFLA_INET6_ADDR_GEN_MODE", "u8")},
    "linkinfo": {1: ("IFLA_INFO_KIND", "str"), 2: ("IFLA_INFO_DATA", "nest:kind"),
                 4: ("IFLA_INFO_SLAVE_KIND", "str")},
    "xfrm": {1: ("IFLA_XFRM_LINK", "u32"), 2: ("IFLA_XFRM_IF_ID", "u32"),
             3: ("IFLA_XFRM_COLLECT_METADATA", "flag")},
    "vti": {1: ("IFLA_VTI_LINK", "u32"), 2: ("IFLA_VTI_IKEY", "be32"),
            3: ("IFLA_VTI_OKEY", "be32"), 4: ("IFLA_VTI_LOCAL", "addr"),
            5: ("IFLA_VTI_REMOTE", "addr"), 6: ("IFLA_VTI_FWMARK", "u32")},
    "veth": {1: ("VETH_INFO_PEER", IFINFOMSG)},
}
KIND_DATA = {"xfrm": "xfrm", "vti": "vti", "vti6": "vti", "veth": "veth"}

X, R = NETLINK_XFRM, NETLINK_ROUTE
MESSAGES = {
    (X, 0x10): ("XFRM_MSG_NEWSA", USERSA_INFO, "xfrma"),
    (X, 0x11): ("XFRM_MSG_DELSA", USERSA_ID, "xfrma"),
    (X, 0x12): ("XFRM_MSG_GETSA", USERSA_ID, "xfrma"),
    (X, 0x13): ("XFRM_MSG_NEWPOLICY", USERPOLICY_INFO, "xfrma"),
    (X, 0x14): ("XFRM_MSG_DELPOLICY", USERPOLICY_ID, "xfrma"),
    (X, 0x15): ("XFRM_MSG_GETPOLICY", USERPOLICY_ID, "xfrma"),
    (X, 0x16): ("XFRM_MSG_ALLOCSPI", USERSPI_INFO, "xfrma"),
    (X, 0x19): ("XFRM_MSG_UPDPOLICY", USERPOLICY_INFO, "xfrma"),
    (X, 0x1a): ("XFRM_MSG_UPDSA", USERSA_INFO, "xfrma"),
    (X, 0x1c): ("XFRM_MSG_FLUSHSA", USERSA_FLUSH, None),
    (X, 0x1d): ("XFRM_MSG_FLUSHPOLICY", None, "xfrma"),
    (X, 0x23): ("XFRM_MSG_GETSADINFO", U32_FLAGS, None),
    (X, 0x24): ("XFRM_MSG_NEWSPDINFO", U32_FLAGS, "spd"),
    (X, 0x25): ("XFRM_MSG_GETSPDINFO", U32_FLAGS, None),
    (X, 0x27): ("XFRM_MSG_SETDEFAULT", POLICY_DEFAULT, None),
    (X, 0x28): ("XFRM_MSG_GETDEFAULT", POLICY_DEFAULT, None),
    (R, 16): ("RTM_NEWLINK", IFINFOMSG, "ifla"),
    (R, 17): ("RTM_DELLINK", IFINFOMSG, "ifla"),
    (R, 18): ("RTM_GETLINK", IFINFOMSG, "ifla"),
}

# Field (last part of the name) -> names of its values, where a number stands for a word.
VALUE_NAMES = {
    "family": AF_NAMES,
    "mode": {0: "transport", 1: "tunnel", 2: "ro", 3: "in_trigger", 4: "beet"},
    "proto": {0: "any", 1: "icmp", 4: "IPPROTO_IPIP", 6: "tcp", 17: "udp", 41: "IPPROTO_IPV6",
              43: "route2 (IPPROTO_ROUTING)", 47: "gre", 50: "esp", 51: "ah", 58: "ipv6-icmp",
              60: "hao (IPPROTO_DSTOPTS)", 108: "comp", 132: "sctp", 135: "mobility-header",
              255: "ipsec-any"},
    "XFRMA_PROTO": {50: "esp", 51: "ah", 108: "comp", 43: "route2", 60: "hao",
                    255: "ipsec-any"},
    "dir": {0: "in", 1: "out", 2: "fwd"},
    "action": {0: "allow", 1: "block"},
    "share": {0: "any", 1: "session", 2: "user", 3: "unique"},
    "optional": {0: "level required", 1: "level use"},
    "encap_type": {1: "espinudp-nonike", 2: "espinudp", 7: "espintcp"},
    "type": {0: "main", 1: "sub"},
    "in": {0: "unspec", 1: "block", 2: "accept"},
    "out": {0: "unspec", 1: "block", 2: "accept"},
    "fwd": {0: "unspec", 1: "block", 2: "accept"},
    "XFRMA_SA_DIR": {1: "in", 2: "out"},
}
