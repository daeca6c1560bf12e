"""type gre, gretap and erspan (iproute2's ip/link_gre.c): parse (`type gre|gretap|erspan
ARGS`), print (ip -d link show) and help.  Each attribute's layout is declared once
(LAYOUT): the reader encodes with it and reads the device's current values with it, the
printer reads with it."""
from pyip import links
from pyip import netlink as nl
from pyip.addr import AF_INET, ntop
from pyip.errors import Failed, invalid
from pyip.link.kinds import device_index
from pyip.link.reader import BE16, FLAG, U8, U16, U32, Address, Bytes, KindReading
from pyip.link.tunnel import (
    IP6_TNL_F_ALLOW_LOCAL_REMOTE, IP6_TNL_F_IGN_ENCAP_LIMIT, IP6_TNL_F_RCV_DSCP_COPY,
    IP6_TNL_F_USE_ORIG_FWMARK, existing_info_data, print_encap, print_endpoint, print_flowinfo,
    tnl_key)
from pyip.words import strtoul

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
LAYOUT = {IFLA_GRE_LINK: U32, IFLA_GRE_IFLAGS: BE16, IFLA_GRE_OFLAGS: BE16,
          IFLA_GRE_IKEY: Bytes, IFLA_GRE_OKEY: Bytes, IFLA_GRE_LOCAL: Bytes,
          IFLA_GRE_REMOTE: Bytes, IFLA_GRE_TTL: U8, IFLA_GRE_TOS: U8, IFLA_GRE_PMTUDISC: U8,
          IFLA_GRE_ENCAP_TYPE: U16, IFLA_GRE_ENCAP_FLAGS: U16, IFLA_GRE_ENCAP_SPORT: BE16,
          IFLA_GRE_ENCAP_DPORT: BE16, IFLA_GRE_COLLECT_METADATA: FLAG, IFLA_GRE_IGNORE_DF: U8,
          IFLA_GRE_FWMARK: U32, IFLA_GRE_ERSPAN_INDEX: U32, IFLA_GRE_ERSPAN_VER: U8,
          IFLA_GRE_ERSPAN_DIR: U8, IFLA_GRE_ERSPAN_HWID: U16}
TUNNEL_ENCAP = {"none": 0, "fou": 1, "gue": 2}              # TUNNEL_ENCAP_*
ENCAP_CSUM, ENCAP_CSUM6, ENCAP_REMCSUM = 1, 2, 4           # TUNNEL_ENCAP_FLAG_*


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


# the words that set or clear flags: alias -> (iflags bits, oflags bits, set?)
GRE_FLAG_WORDS = {"seq": (GRE_SEQ, GRE_SEQ, True), "noseq": (GRE_SEQ, GRE_SEQ, False),
                  "iseq": (GRE_SEQ, 0, True), "noiseq": (GRE_SEQ, 0, False),
                  "oseq": (0, GRE_SEQ, True), "nooseq": (0, GRE_SEQ, False),
                  "csum": (GRE_CSUM, GRE_CSUM, True), "nocsum": (GRE_CSUM, GRE_CSUM, False),
                  "icsum": (GRE_CSUM, 0, True), "noicsum": (GRE_CSUM, 0, False),
                  "ocsum": (0, GRE_CSUM, True), "noocsum": (0, GRE_CSUM, False)}
ENCAP_FLAG_WORDS = {"encap_csum": (ENCAP_CSUM, True), "noencap_csum": (ENCAP_CSUM, False),
                    "encap_udp6_csum": (ENCAP_CSUM6, True),
                    "noencap_udp6_csum": (ENCAP_CSUM6, False),
                    "encap_remcsum": (ENCAP_REMCSUM, True),
                    "noencap_remcsum": (ENCAP_REMCSUM, False)}


class GreLink(KindReading):
    """gre_parse_opt(): the words change the device's values (none when creating); the
    attributes follow the loop, in ip's order."""
    STARTS = ("gre_link", "erspan_link")
    RULE, LAYOUT = "gre_link_word.", LAYOUT
    VALUES = {"tunnel_encap": TUNNEL_ENCAP, "erspan_dir": {"ingress": 0, "egress": 1}}
    READ_BY_PARENT = ("gre_ttl", "vxlan_tos", "encap_sport")

    def __init__(self, kind, current=None):
        KindReading.__init__(self)
        self.KIND = kind
        self.erspan = kind == "erspan"
        v = current or {}
        get = v.get
        self.iflags, self.oflags = get(IFLA_GRE_IFLAGS, 0), get(IFLA_GRE_OFLAGS, 0)
        self.ikey, self.okey = get(IFLA_GRE_IKEY, bytes(4)), get(IFLA_GRE_OKEY, bytes(4))
        self.saddr = get(IFLA_GRE_LOCAL) or Address()
        self.daddr = get(IFLA_GRE_REMOTE) or Address()
        self.pmtudisc, self.ignore_df = get(IFLA_GRE_PMTUDISC, 1), get(IFLA_GRE_IGNORE_DF, 0)
        self.tos, self.ttl, self.link = get(IFLA_GRE_TOS, 0), get(IFLA_GRE_TTL, 0), \
            get(IFLA_GRE_LINK, 0)
        self.encap = {a: get(a, 0) for a in (IFLA_GRE_ENCAP_TYPE, IFLA_GRE_ENCAP_FLAGS,
                                              IFLA_GRE_ENCAP_SPORT, IFLA_GRE_ENCAP_DPORT)}
        self.metadata = IFLA_GRE_COLLECT_METADATA in v
        self.fwmark = get(IFLA_GRE_FWMARK, 0)
        self.erspan_idx, self.erspan_ver = get(IFLA_GRE_ERSPAN_INDEX, 0), \
            get(IFLA_GRE_ERSPAN_VER, 1)
        self.erspan_dir, self.erspan_hwid = get(IFLA_GRE_ERSPAN_DIR, 0), \
            get(IFLA_GRE_ERSPAN_HWID, 0)

    gre_link = erspan_link = KindReading.read_in_order

    def stray(self, index):
        """gre_print_help() on stderr: no word of its own first."""
        raise Failed(self.usage(), 1)

    def key(self, node):
        alias = node.alias
        key = tnl_key("gre_link_word." + alias, self.word(node, 1))
        if alias != "okey":
            self.iflags |= GRE_KEY
            self.ikey = key
        if alias != "ikey":
            self.oflags |= GRE_KEY
            self.okey = key

    gre_link_word__key = gre_link_word__ikey = gre_link_word__okey = key

    def nokey(self, node):
        alias = node.alias
        if alias != "nookey":
            self.iflags &= ~GRE_KEY
            self.ikey = bytes(4)
        if alias != "noikey":
            self.oflags &= ~GRE_KEY
            self.okey = bytes(4)

    gre_link_word__nokey = gre_link_word__noikey = gre_link_word__nookey = nokey

    def flag(self, node):
        ibit, obit, on = GRE_FLAG_WORDS[node.alias]
        self.iflags = self.iflags | ibit if on else self.iflags & ~ibit
        self.oflags = self.oflags | obit if on else self.oflags & ~obit

    locals().update(dict.fromkeys(["gre_link_word__" + a for a in GRE_FLAG_WORDS], flag))

    def gre_link_word__nopmtudisc(self, node):
        self.pmtudisc = 0

    def gre_link_word__pmtudisc(self, node):
        self.pmtudisc = 1

    def gre_link_word__remote(self, node):
        self.daddr = Address(self.word(node, 1), AF_INET)

    def gre_link_word__local(self, node):
        self.saddr = Address(self.word(node, 1), AF_INET)

    def gre_link_word__dev(self, node):
        self.link = device_index(self.word(node, 1))

    def gre_link_word__ttl(self, node):
        v = self.word(node, 1)
        if node.children[1].alias == "inherit":
            self.ttl = 0
        else:
            self.ttl = U8.word(v)
            if self.ttl is None:
                self.invalid(node, v)

    def gre_link_word__tos(self, node):
        v = self.word(node, 1)
        if node.children[1].alias == "inherit":
            self.tos = 1
        else:
            from pyip.rtnames import dsfield_a2n
            self.tos = dsfield_a2n(v)
            if self.tos is None:
                self.invalid(node, v)

    def gre_link_word__noencap(self, node):
        self.encap[IFLA_GRE_ENCAP_TYPE] = 0

    def gre_link_word__encap(self, node):
        self.word(node, 1)
        self.encap[IFLA_GRE_ENCAP_TYPE] = self.value(node.children[1])

    def gre_link_word__encap_sport(self, node):
        v = self.word(node, 1)
        port = 0 if node.children[1].alias == "auto" else U16.word(v)
        if port is None:
            self.invalid(node, v)
        self.encap[IFLA_GRE_ENCAP_SPORT] = port

    def gre_link_word__encap_dport(self, node):
        v = self.word(node, 1)
        port = U16.word(v)
        if port is None:
            self.invalid(node, v)
        self.encap[IFLA_GRE_ENCAP_DPORT] = port

    def encap_flag(self, node):
        bit, on = ENCAP_FLAG_WORDS[node.alias]
        flags = self.encap[IFLA_GRE_ENCAP_FLAGS]
        self.encap[IFLA_GRE_ENCAP_FLAGS] = flags | bit if on else flags & ~bit

    locals().update(dict.fromkeys(["gre_link_word__" + a for a in ENCAP_FLAG_WORDS],
                                  encap_flag))

    def gre_link_word__external(self, node):
        self.metadata = True

    def gre_link_word__ignore_df(self, node):
        self.ignore_df = 1

    def gre_link_word__noignore_df(self, node):
        self.ignore_df = 2              # ip: "only the lsb is significant, 2 for presence"

    def gre_link_word__fwmark(self, node):
        v = self.word(node, 1)
        self.fwmark = strtoul(v)
        if self.fwmark is None:
            self.invalid(node, v)

    def erspan_link_word__erspan(self, node):
        v = self.word(node, 1)
        n = strtoul(v)
        if n is None:
            invalid("erspan_link_word.erspan", v)
        if n & ~((1 << 20) - 1) or n == 0:
            invalid("erspan_link_word.erspan_range", v)
        self.erspan_idx = n

    def erspan_link_word__erspan_ver(self, node):
        v = self.word(node, 1)
        n = U8.word(v)
        if n is None:
            invalid("erspan_link_word.erspan_ver", v)
        if n > 2:
            invalid("erspan_link_word.erspan_ver_range", v)
        self.erspan_ver = n

    def erspan_link_word__erspan_dir(self, node):
        self.word(node, 1)
        self.erspan_dir = self.value(node.children[1])

    def erspan_link_word__erspan_hwid(self, node):
        v = self.word(node, 1)
        n = U16.word(v)
        if n is None:
            invalid("erspan_link_word.erspan_hwid", v)
        self.erspan_hwid = n

    def data(self):
        """The checks and attributes after ip's loop, in its order."""
        if self.daddr.multi():
            if not any(self.ikey):
                self.ikey = self.daddr.data[:4]
                self.iflags |= GRE_KEY
            if not any(self.okey):
                self.okey = self.daddr.data[:4]
                self.oflags |= GRE_KEY
            if not self.saddr.not_unspec():
                raise Failed("A broadcast tunnel requires a source address.\n", 1)
        if self.metadata:
            self.add(IFLA_GRE_COLLECT_METADATA, b"")
            return KindReading.data(self)
        add = self.add
        add(IFLA_GRE_IKEY, self.ikey)
        add(IFLA_GRE_OKEY, self.okey)
        add(IFLA_GRE_IFLAGS, self.iflags)
        add(IFLA_GRE_OFLAGS, self.oflags)
        if self.saddr.not_unspec():
            add(IFLA_GRE_LOCAL, self.saddr.data)
        if self.daddr.not_unspec():
            add(IFLA_GRE_REMOTE, self.daddr.data)
        add(IFLA_GRE_PMTUDISC, self.pmtudisc)
        if self.ignore_df:
            add(IFLA_GRE_IGNORE_DF, self.ignore_df & 1)
        add(IFLA_GRE_TOS, self.tos)
        if self.link:
            add(IFLA_GRE_LINK, self.link)
        add(IFLA_GRE_TTL, self.ttl)
        add(IFLA_GRE_FWMARK, self.fwmark)
        if self.erspan:
            add(IFLA_GRE_ERSPAN_VER, self.erspan_ver)
            if self.erspan_ver == 1 and self.erspan_idx:
                add(IFLA_GRE_ERSPAN_INDEX, self.erspan_idx)
            elif self.erspan_ver == 2:
                add(IFLA_GRE_ERSPAN_DIR, self.erspan_dir)
                add(IFLA_GRE_ERSPAN_HWID, self.erspan_hwid)
        for attr in (IFLA_GRE_ENCAP_TYPE, IFLA_GRE_ENCAP_FLAGS, IFLA_GRE_ENCAP_SPORT,
                     IFLA_GRE_ENCAP_DPORT):
            add(attr, self.encap[attr])
        return KindReading.data(self)


def existing(ifindex):
    """The device's IFLA_GRE_* values as gre_parse_opt() reads them before a set/change
    (ip's RTM_GETLINK on its main socket), by its layout; None where ip says it failed."""
    data = existing_info_data(ifindex)
    if data is None:
        return None
    current = {}
    for attr, raw in data.items():
        if attr in (IFLA_GRE_LOCAL, IFLA_GRE_REMOTE):
            current[attr] = Address.of_attribute(raw, AF_INET)
            if current[attr] is None:
                return None
        elif attr in (IFLA_GRE_IKEY, IFLA_GRE_OKEY):
            current[attr] = raw[:4].ljust(4, b"\0")
        elif attr == IFLA_GRE_IGNORE_DF:
            current[attr] = int(bool(U8.read(raw)))
        elif attr in LAYOUT:
            current[attr] = LAYOUT[attr].read(raw)
    return current


def parse(kind, argv, flags, ifi, iplink_parse):
    from pyip.netlink import NLM_F_CREATE
    current = None
    if not flags & NLM_F_CREATE:            # set/change: start from the device's values
        current = existing(ifi["index"])
        if current is None:
            raise Failed("Failed to get existing tunnel info.\n", 1)
    reading = GreLink(kind, current)
    reading.run(argv, "erspan_link" if kind == "erspan" else "gre_link")
    return reading.data()


# ip6gre, ip6gretap, ip6erspan (iproute2's ip/link_gre6.c): printed only; their options go
# to the system's ip before anything is sent.  The IFLA_GRE_* attributes are gre's, with
# the IPv6 tunnel's flags (IFLA_GRE_FLAGS, tunnel.py's IP6_TNL_F_*) and flow information.
LAYOUT6 = dict(LAYOUT)
LAYOUT6.update({IFLA_GRE_FLAGS: U32, IFLA_GRE_FLOWINFO: Bytes, IFLA_GRE_ENCAP_LIMIT: U8})


def _v6(tb, attr):
    raw = tb.get(attr)
    return LAYOUT6[attr].read(raw) if raw is not None else 0


def print_opt6(p, tb):
    """gre_print_opt() of link_gre6.c."""
    from pyip.addr import AF_INET6
    if IFLA_GRE_COLLECT_METADATA in tb:
        p.boolean("external", "external ")
    flags = _v6(tb, IFLA_GRE_FLAGS)
    raw = tb.get(IFLA_GRE_FLOWINFO)
    flowinfo = int.from_bytes(raw[:4].ljust(4, b"\0"), "big") if raw is not None else None
    print_endpoint(p, "remote", tb.get(IFLA_GRE_REMOTE), AF_INET6)
    print_endpoint(p, "local", tb.get(IFLA_GRE_LOCAL), AF_INET6)
    link = lower(tb)
    if link:
        p.string("link", "dev %s ", links.index_to_name(link))
    ttl = _v6(tb, IFLA_GRE_TTL)
    if p.jw is not None or ttl:
        p.num("ttl", "hoplimit %u ", ttl)
    else:
        p.fp("hoplimit inherit ")
    if flags & IP6_TNL_F_IGN_ENCAP_LIMIT:
        p.boolean("ip6_tnl_f_ign_encap_limit", "encaplimit none ")
    elif IFLA_GRE_ENCAP_LIMIT in tb:
        p.num("encap_limit", "encaplimit %u ", _v6(tb, IFLA_GRE_ENCAP_LIMIT))
    print_flowinfo(p, flags, flowinfo)
    if flags & IP6_TNL_F_RCV_DSCP_COPY:
        p.boolean("ip6_tnl_f_rcv_dscp_copy", "dscp inherit ")
    iflags, oflags = _v6(tb, IFLA_GRE_IFLAGS), _v6(tb, IFLA_GRE_OFLAGS)
    for flags_, attr, key in ((iflags, IFLA_GRE_IKEY, "ikey"), (oflags, IFLA_GRE_OKEY, "okey")):
        if flags_ & GRE_KEY and attr in tb:
            p.string(key, key + " %s ", ntop(AF_INET, tb[attr][:4].ljust(4, b"\0")))
    for set_, key in ((iflags & GRE_SEQ, "iseq"), (oflags & GRE_SEQ, "oseq"),
                      (iflags & GRE_CSUM, "icsum"), (oflags & GRE_CSUM, "ocsum")):
        if set_:
            p.boolean(key, key + " ")
    if flags & IP6_TNL_F_ALLOW_LOCAL_REMOTE:
        p.boolean("ip6_tnl_f_allow_local_remote", "allow-localremote ")
    if flags & IP6_TNL_F_USE_ORIG_FWMARK:
        p.boolean("ip6_tnl_f_use_orig_fwmark", "fwmark inherit ")
    elif IFLA_GRE_FWMARK in tb:
        fwmark = _v6(tb, IFLA_GRE_FWMARK)
        if fwmark:
            p.hex0x("fwmark", "fwmark %s ", fwmark)
    if IFLA_GRE_ERSPAN_INDEX in tb:
        p.num("erspan_index", "erspan_index %u ", _v6(tb, IFLA_GRE_ERSPAN_INDEX))
    if IFLA_GRE_ERSPAN_VER in tb:
        p.num("erspan_ver", "erspan_ver %u ", _v6(tb, IFLA_GRE_ERSPAN_VER))
    if IFLA_GRE_ERSPAN_DIR in tb:
        p.string("erspan_dir", "erspan_dir %s ",
                 "ingress" if _v6(tb, IFLA_GRE_ERSPAN_DIR) == 0 else "egress")
    if IFLA_GRE_ERSPAN_HWID in tb:
        p.hex0x("erspan_hwid", "erspan_hwid %s ", _v6(tb, IFLA_GRE_ERSPAN_HWID))
    print_encap(p, tb, GRE_ENCAP)
