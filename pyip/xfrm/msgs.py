"""XFRM netlink message types and layouts (include/uapi/linux/xfrm.h), as tables."""
from _operator import itemgetter     # operator.py itself costs half a millisecond
from _struct import Struct, calcsize

# message types
XFRM_MSG_NEWSA, XFRM_MSG_DELSA, XFRM_MSG_GETSA = 0x10, 0x11, 0x12
XFRM_MSG_NEWPOLICY, XFRM_MSG_DELPOLICY, XFRM_MSG_GETPOLICY = 0x13, 0x14, 0x15
XFRM_MSG_ALLOCSPI, XFRM_MSG_ACQUIRE, XFRM_MSG_EXPIRE = 0x16, 0x17, 0x18
XFRM_MSG_UPDPOLICY, XFRM_MSG_UPDSA, XFRM_MSG_POLEXPIRE = 0x19, 0x1a, 0x1b
XFRM_MSG_FLUSHSA, XFRM_MSG_FLUSHPOLICY = 0x1c, 0x1d
XFRM_MSG_NEWAE, XFRM_MSG_GETAE, XFRM_MSG_REPORT, XFRM_MSG_MIGRATE = 0x1e, 0x1f, 0x20, 0x21
XFRM_MSG_NEWSADINFO, XFRM_MSG_GETSADINFO = 0x22, 0x23
XFRM_MSG_NEWSPDINFO, XFRM_MSG_GETSPDINFO = 0x24, 0x25
XFRM_MSG_MAPPING, XFRM_MSG_SETDEFAULT, XFRM_MSG_GETDEFAULT = 0x26, 0x27, 0x28

U32 = Struct("=I")
I32 = Struct("=i")
# XFRM_MSG_GETSADINFO / GETSPDINFO: a u32 of flags (INFO_FLAGS), then these attributes
XFRMA_SAD_CNT, XFRMA_SAD_HINFO = 1, 2
# (the policy module reads these via msgs)
SADHINFO = Struct("=II")                    # sadhcnt, sadhmcnt
XFRMA_SPD_INFO, XFRMA_SPD_HINFO = 1, 2
XFRMA_SPD_IPV4_HTHRESH, XFRMA_SPD_IPV6_HTHRESH = 3, 4
SPDINFO = Struct("=iiiiii")                 # in, out, fwd, in-sock, out-sock, fwd-sock (%d)
SPDHINFO = Struct("=ii")                    # spdhcnt, spdhmcnt
# (the thresholds' struct, xfrmu_spdhthresh, is HTHRESH below)


class Layout:
    """A C struct as a table of (field, struct format) rows; pad fields have no name.  What a
    field holds (for explain's decoder) follows from its format: CODECS."""
    # pack()'s helpers, made the first time it runs: most of these structs are only read, and
    # every xfrm command imports them all
    pairs = getter = None

    def __init__(self, name, fields):
        self.name, self.rows = name, fields
        self.fields = [f for f, fmt in fields if f]
        self.fmt = "".join([fmt for _, fmt in fields])     # (without its "=")
        self.struct = Struct("=" + self.fmt)
        self.size = self.struct.size

    def unpack(self, buf, off=0):
        return dict(zip(self.fields, self.struct.unpack_from(buf, off)))

    def pack(self, values):
        if self.pairs is None:
            self.pairs = [(f, b"" if fmt.endswith("s") else 0) for f, fmt in self.rows if f]
            self.getter = itemgetter(*self.fields) if len(self.fields) > 1 else None
        if self.getter is not None:
            try:            # a dict may hold more fields than this struct's: the getter skips them
                return self.struct.pack(*self.getter(values))
            except KeyError:
                pass
        get = values.get
        return self.struct.pack(*[get(f, d) for f, d in self.pairs])

    def at(self, field):
        """Where `field` starts in the struct."""
        off = 0
        for f, fmt in self.rows:
            if f == field:
                return off
            off += calcsize("=" + fmt)
        raise KeyError(field)

    def rows_as(self, names, formats=None):
        """The struct's (name, struct format) rows under the names a reader of some of its
        fields gives them (the listing's runs): `names` maps a field to its name there, ""
        where it is not read (padding of its size); a field not in it keeps its name.
        `formats` reads a field by another format of its size (a port as a number; under None,
        the padding's, for a reader that compares it)."""
        rows = []
        for f, fmt in self.rows:
            if not f:
                rows.append(("", formats.get(None, fmt) if formats else fmt))
                continue
            name = names.get(f, f)
            if not name:
                rows.append(("", "%dx" % calcsize("=" + fmt)))
            else:
                rows.append((name, formats.get(f, fmt) if formats else fmt))
        return tuple(rows)


def format_of(rows):
    """The struct format of (name, struct format) rows (Layout.rows_as()'s)."""
    return "".join([fmt for _, fmt in rows])


class Composite:
    """A C struct made of others: (field, Layout, Composite or struct format) rows; a row named
    None is a tail, fields the C struct declares inline.  `offsets`: where each row starts
    (the tail's under None)."""

    def __init__(self, name, parts):
        self.name, self.parts, self.offsets = name, parts, {}
        off = 0
        for f, part in parts:
            self.offsets[f] = off
            off += calcsize(part) if part.__class__ is str else part.size
        self.size = off


# Byte-order note: fields the kernel keeps in network order (ports, spi) are raw bytes here.
# So a field's format says what it holds (2s, 4s: such a number; 16s: an xfrm_address_t; 64s:
# an algorithm's name, a C string), and CODECS, by format, is each field's codec: how explain
# decodes and shows it.
CODECS = {"B": "u8", "H": "u16", "I": "u32", "Q": "u64", "i": "s32", "2s": "be16",
          "4s": "be32", "16s": "addr", "64s": "str"}
SELECTOR = Layout("xfrm_selector", [
    ("daddr", "16s"), ("saddr", "16s"), ("dport", "2s"), ("dport_mask", "2s"),
    ("sport", "2s"), ("sport_mask", "2s"), ("family", "H"), ("prefixlen_d", "B"),
    ("prefixlen_s", "B"), ("proto", "B"), (None, "3x"), ("ifindex", "i"), ("user", "I")])
LIFETIME_CFG = Layout("xfrm_lifetime_cfg", [
    ("soft_byte_limit", "Q"), ("hard_byte_limit", "Q"), ("soft_packet_limit", "Q"),
    ("hard_packet_limit", "Q"), ("soft_add_expires_seconds", "Q"),
    ("hard_add_expires_seconds", "Q"), ("soft_use_expires_seconds", "Q"),
    ("hard_use_expires_seconds", "Q")])
LIFETIME_CUR = Layout("xfrm_lifetime_cur", [
    ("bytes", "Q"), ("packets", "Q"), ("add_time", "Q"), ("use_time", "Q")])
POLICY_TAIL = Layout("xfrm_userpolicy_info tail", [
    ("priority", "I"), ("index", "I"), ("dir", "B"), ("action", "B"), ("flags", "B"),
    ("share", "B"), (None, "4x")])
POLICY_ID_TAIL = Layout("xfrm_userpolicy_id tail", [("index", "I"), ("dir", "B"), (None, "3x")])
USER_TMPL = Layout("xfrm_user_tmpl", [
    ("daddr", "16s"), ("spi", "4s"), ("proto", "B"), (None, "3x"), ("family", "H"),
    (None, "2x"), ("saddr", "16s"), ("reqid", "I"), ("mode", "B"), ("share", "B"),
    ("optional", "B"), (None, "x"), ("aalgos", "I"), ("ealgos", "I"), ("calgos", "I")])
MARK = Layout("xfrm_mark", [("v", "I"), ("m", "I")])
POLICY_TYPE = Layout("xfrm_userpolicy_type", [("type", "B"), (None, "x"), ("reserved1", "H"),
                                              ("reserved2", "B"), (None, "x")])
SEC_CTX = Layout("xfrm_user_sec_ctx", [("len", "H"), ("exttype", "H"), ("ctx_alg", "B"),
                                       ("ctx_doi", "B"), ("ctx_len", "H")])
POLICY_DEFAULT = Layout("xfrm_userpolicy_default", [("in", "B"), ("fwd", "B"), ("out", "B")])
# the bodies of XFRM_MSG_GETSADINFO / GETSPDINFO (a u32 of flags) and XFRM_MSG_FLUSHSA
INFO_FLAGS = Layout("u32", [("flags", "I")])
USERSA_FLUSH = Layout("xfrm_usersa_flush", [("proto", "B")])
HTHRESH = Layout("xfrmu_spdhthresh", [("lbits", "B"), ("rbits", "B")])
SPDHTHRESH = HTHRESH.struct

XFRM_INF = 0xffffffffffffffff

# XFRMA_* attribute types
(XFRMA_ALG_AUTH, XFRMA_ALG_CRYPT, XFRMA_ALG_COMP, XFRMA_ENCAP, XFRMA_TMPL, XFRMA_SA,
 XFRMA_POLICY, XFRMA_SEC_CTX, XFRMA_LTIME_VAL, XFRMA_REPLAY_VAL, XFRMA_REPLAY_THRESH,
 XFRMA_ETIMER_THRESH, XFRMA_SRCADDR, XFRMA_COADDR, XFRMA_LASTUSED, XFRMA_POLICY_TYPE,
 XFRMA_MIGRATE, XFRMA_ALG_AEAD, XFRMA_KMADDRESS, XFRMA_ALG_AUTH_TRUNC, XFRMA_MARK,
 XFRMA_TFCPAD, XFRMA_REPLAY_ESN_VAL, XFRMA_SA_EXTRA_FLAGS, XFRMA_PROTO,
 XFRMA_ADDRESS_FILTER, XFRMA_PAD, XFRMA_OFFLOAD_DEV, XFRMA_SET_MARK, XFRMA_SET_MARK_MASK,
 XFRMA_IF_ID) = range(1, 32)
XFRMA_OUTPUT_MARK = XFRMA_SET_MARK
# later kernels' (ip prints and sends them from the release pyip.release says)
XFRMA_MTIMER_THRESH, XFRMA_SA_DIR, XFRMA_NAT_KEEPALIVE_INTERVAL, XFRMA_SA_PCPU = 32, 33, 34, 35
XFRM_SA_DIR_IN, XFRM_SA_DIR_OUT = 1, 2

XFRM_POLICY_IN, XFRM_POLICY_OUT, XFRM_POLICY_FWD, XFRM_POLICY_MAX = 0, 1, 2, 3
XFRM_POLICY_ALLOW, XFRM_POLICY_BLOCK = 0, 1
XFRM_POLICY_LOCALOK, XFRM_POLICY_ICMP = 1, 2
XFRM_POLICY_TYPE_MAIN, XFRM_POLICY_TYPE_SUB = 0, 1
XFRM_USERPOLICY_UNSPEC, XFRM_USERPOLICY_BLOCK, XFRM_USERPOLICY_ACCEPT = 0, 1, 2

XFRM_ID = Layout("xfrm_id", [("daddr", "16s"), ("spi", "4s"), ("proto", "B"), (None, "3x")])
STATS = Layout("xfrm_stats", [("replay_window", "I"), ("replay", "I"),
                              ("integrity_failed", "I")])
SA_TAIL = Layout("xfrm_usersa_info tail", [
    ("seq", "I"), ("reqid", "I"), ("family", "H"), ("mode", "B"), ("replay_window", "B"),
    ("flags", "B"), (None, "7x")])
USERSA_ID = Layout("xfrm_usersa_id", [("daddr", "16s"), ("spi", "4s"), ("family", "H"),
                                      ("proto", "B"), (None, "x")])
USER_ACQUIRE_TAIL = Layout("xfrm_user_acquire tail", [("aalgos", "I"), ("ealgos", "I"),
                                                      ("calgos", "I"), ("seq", "I")])
AEVENT_ID_TAIL = Layout("xfrm_aevent_id tail", [("saddr", "16s"), ("flags", "I"),
                                                ("reqid", "I")])
USER_MAPPING_TAIL = Layout("xfrm_user_mapping tail", [
    ("reqid", "I"), ("old_saddr", "16s"), ("new_saddr", "16s"), ("old_sport", "2s"),
    ("new_sport", "2s")])

XFRM_STATE_FLAGS = ((1, "noecn"), (2, "decap-dscp"), (4, "nopmtudisc"), (8, "wildrecv"),
                    (16, "icmp"), (32, "af-unspec"), (64, "align4"), (128, "esn"))
XFRM_SA_XFLAGS = ((1, "dont-encap-dscp"), (2, "oseq-may-wrap"))

# multicast groups (XFRMNLGRP_*), for the monitor
XFRMNLGRP_ACQUIRE, XFRMNLGRP_EXPIRE, XFRMNLGRP_SA, XFRMNLGRP_POLICY = 1, 2, 3, 4
XFRMNLGRP_AEVENTS, XFRMNLGRP_REPORT = 5, 6

# an algorithm attribute: one of these structs, then the key (alg_key_len bits of it)
XFRM_ALGO = Layout("xfrm_algo", [("alg_name", "64s"), ("alg_key_len", "I")])
XFRM_ALGO_AUTH = Layout("xfrm_algo_auth", [("alg_name", "64s"), ("alg_key_len", "I"),
                                           ("alg_trunc_len", "I")])
XFRM_ALGO_AEAD = Layout("xfrm_algo_aead", [("alg_name", "64s"), ("alg_key_len", "I"),
                                           ("alg_icv_len", "I")])
ALGO_LAYOUTS = {XFRMA_ALG_AUTH: XFRM_ALGO, XFRMA_ALG_CRYPT: XFRM_ALGO, XFRMA_ALG_COMP: XFRM_ALGO,
                XFRMA_ALG_AUTH_TRUNC: XFRM_ALGO_AUTH, XFRMA_ALG_AEAD: XFRM_ALGO_AEAD}
ALGO_TYPES = {"enc": XFRMA_ALG_CRYPT, "auth": XFRMA_ALG_AUTH, "comp": XFRMA_ALG_COMP,
              "aead": XFRMA_ALG_AEAD, "auth_trunc": XFRMA_ALG_AUTH_TRUNC}
XFRM_STATE_ESN = 128
XFRMA_REPLAY_ESN_MAX = 4096
XFRM_OFFLOAD_INBOUND = 2
XFRM_OFFLOAD_PACKET = 4          # ip >= 6.2 sends it (offload packet)
USERSPI_TAIL = Layout("xfrm_userspi_info tail", [("min", "I"), ("max", "I")])
ADDRESS_FILTER = Layout("xfrm_address_filter", [("saddr", "16s"), ("daddr", "16s"),
                                                ("family", "H"), ("splen", "B"),
                                                ("dplen", "B")])
REPLAY_STATE = Layout("xfrm_replay_state", [("oseq", "I"), ("seq", "I"), ("bitmap", "I")])
REPLAY_STATE_ESN = Layout("xfrm_replay_state_esn", [
    ("bmp_len", "I"), ("oseq", "I"), ("seq", "I"), ("oseq_hi", "I"), ("seq_hi", "I"),
    ("replay_window", "I")])
ENCAP_TMPL = Layout("xfrm_encap_tmpl", [("encap_type", "H"), ("encap_sport", "2s"),
                                        ("encap_dport", "2s"), (None, "2x"),
                                        ("encap_oa", "16s")])
USER_OFFLOAD = Layout("xfrm_user_offload", [("ifindex", "i"), ("flags", "B"), (None, "3x")])
IPPROTO_IPIP, IPPROTO_IPV6 = 4, 41

# the structs made of the ones above, as C declares them (the tails are their own fields)
USERSA_INFO = Composite("xfrm_usersa_info", [
    ("sel", SELECTOR), ("id", XFRM_ID), ("saddr", "16s"), ("lft", LIFETIME_CFG),
    ("curlft", LIFETIME_CUR), ("stats", STATS), (None, SA_TAIL)])
USERSA_INFO_SIZE = USERSA_INFO.size
USERPOLICY_INFO = Composite("xfrm_userpolicy_info", [
    ("sel", SELECTOR), ("lft", LIFETIME_CFG), ("curlft", LIFETIME_CUR), (None, POLICY_TAIL)])
USERPOLICY_INFO_SIZE = USERPOLICY_INFO.size
USERPOLICY_ID = Composite("xfrm_userpolicy_id", [("sel", SELECTOR), (None, POLICY_ID_TAIL)])
USERSPI_INFO = Composite("xfrm_userspi_info", [("info", USERSA_INFO), (None, USERSPI_TAIL)])
USER_ACQUIRE = Composite("xfrm_user_acquire", [
    ("id", XFRM_ID), ("saddr", "16s"), ("sel", SELECTOR), ("policy", USERPOLICY_INFO),
    (None, USER_ACQUIRE_TAIL)])
AEVENT_ID = Composite("xfrm_aevent_id", [("sa_id", USERSA_ID), (None, AEVENT_ID_TAIL)])
USER_MAPPING = Composite("xfrm_user_mapping", [("id", USERSA_ID), (None, USER_MAPPING_TAIL)])
EXPIRE_TAIL = Layout("xfrm_user_expire tail", [("hard", "B"), (None, "7x")])
USER_EXPIRE = Composite("xfrm_user_expire", [("state", USERSA_INFO), (None, EXPIRE_TAIL)])
USER_POLEXPIRE = Composite("xfrm_user_polexpire", [("pol", USERPOLICY_INFO),
                                                   (None, EXPIRE_TAIL)])


# value -> the man page's word, as ip prints it (and the JSON, save and the API say it)
PROTO_NAMES = {50: "esp", 51: "ah", 108: "comp", 43: "route2", 60: "hao", 255: "ipsec-any"}
MODE_NAMES = {0: "transport", 1: "tunnel", 2: "ro", 3: "in_trigger", 4: "beet"}
SHARE_NAMES = {0: "any", 1: "session", 2: "user", 3: "unique"}
DIR_NAMES = {0: "in", 1: "out", 2: "fwd"}
ACTION_NAMES = {0: "allow", 1: "block"}
PTYPE_NAMES = {0: "main", 1: "sub"}
LEVEL_NAMES = {0: "required", 1: "use"}
ENCAP_NAMES = {1: "espinudp-nonike", 2: "espinudp", 7: "espintcp"}
DEFAULT_NAMES = {0: "unspec", 1: "block", 2: "accept"}
POLICY_FLAGS = ((1, "localok"), (2, "icmp"))


def words_of(names):
    """{the grammar's alias: value} of a {value: word} table or a ((bit, word), ...) one: the
    grammar spells each word with "_" for "-" (so the reading's VALUES come from here, not
    from a second table)."""
    pairs = names.items() if isinstance(names, dict) else names
    return {word.replace("-", "_"): v for v, word in pairs}


def name_of(names, v):
    return names.get(v, v)
