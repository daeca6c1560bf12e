"""type geneve (iproute2's ip/iplink_geneve.c): parse (`type geneve ARGS`), print (ip -d
link show) and help.  Each attribute's layout is declared once (LAYOUT): the reader encodes
with it, the printer reads with it."""
from pyip.addr import AF_INET, AF_INET6, AF_UNSPEC, ntop
from pyip.errors import Failed
from pyip.link.reader import BE16, FLAG, INET, U8, U16, U32, Address, Bytes, Int, KindReading
from pyip.link.tunnel import DF_VALUES, print_df, print_tos, print_ttl
from pyip.words import strtoul

# IFLA_GENEVE_* (linux/if_link.h of 7.3: PORT_RANGE and GRO_HINT no ip release sends)
(IFLA_GENEVE_ID, IFLA_GENEVE_REMOTE, IFLA_GENEVE_TTL, IFLA_GENEVE_TOS, IFLA_GENEVE_PORT,
 IFLA_GENEVE_COLLECT_METADATA, IFLA_GENEVE_REMOTE6, IFLA_GENEVE_UDP_CSUM,
 IFLA_GENEVE_UDP_ZERO_CSUM6_TX, IFLA_GENEVE_UDP_ZERO_CSUM6_RX, IFLA_GENEVE_LABEL,
 IFLA_GENEVE_TTL_INHERIT, IFLA_GENEVE_DF, IFLA_GENEVE_INNER_PROTO_INHERIT,
 IFLA_GENEVE_PORT_RANGE, IFLA_GENEVE_GRO_HINT, IFLA_GENEVE_LOCAL,
 IFLA_GENEVE_LOCAL6) = range(1, 19)
LAYOUT = {IFLA_GENEVE_ID: U32, IFLA_GENEVE_REMOTE: Bytes, IFLA_GENEVE_TTL: U8,
          IFLA_GENEVE_TOS: U8, IFLA_GENEVE_PORT: BE16, IFLA_GENEVE_COLLECT_METADATA: FLAG,
          IFLA_GENEVE_REMOTE6: Bytes, IFLA_GENEVE_UDP_CSUM: U8,
          IFLA_GENEVE_UDP_ZERO_CSUM6_TX: U8, IFLA_GENEVE_UDP_ZERO_CSUM6_RX: U8,
          IFLA_GENEVE_LABEL: Int(4, order="big"), IFLA_GENEVE_TTL_INHERIT: U8,
          IFLA_GENEVE_DF: U8, IFLA_GENEVE_INNER_PROTO_INHERIT: FLAG,
          IFLA_GENEVE_LOCAL: Bytes, IFLA_GENEVE_LOCAL6: Bytes}
# local (IFLA_GENEVE_LOCAL/LOCAL6) is parsed and printed from c9a9f12a: after 7.1 in git,
# taken as 7.2 (7.3's binary); the word itself is gated in the grammar (//@since 7.2)
LOCAL_SINCE = (7, 2)
LABEL_MAX_MASK = 0xfffff
# u8 switches printed on or off: (attribute, JSON key, text after "no" or nothing)
ON_OFF_WORDS = ((IFLA_GENEVE_UDP_CSUM, "udp_csum", "udpcsum "),
                (IFLA_GENEVE_UDP_ZERO_CSUM6_TX, "udp_zero_csum6_tx", "udp6zerocsumtx "),
                (IFLA_GENEVE_UDP_ZERO_CSUM6_RX, "udp_zero_csum6_rx", "udp6zerocsumrx "))


def _value(tb, attr):
    raw = tb.get(attr)
    return LAYOUT[attr].read(raw) if raw is not None else 0


def _local(p, tb):
    """The local address, as releases from LOCAL_SINCE print it: an IPv4 one always (0.0.0.0
    too), an IPv6 one unless it is ::."""
    if IFLA_GENEVE_LOCAL not in tb and IFLA_GENEVE_LOCAL6 not in tb:
        return
    from pyip.release import since
    if not since(LOCAL_SINCE):
        return
    if IFLA_GENEVE_LOCAL in tb:
        p.string("local", "local %s ", ntop(AF_INET, tb[IFLA_GENEVE_LOCAL][:4].ljust(4, b"\0")))
    else:
        addr = tb[IFLA_GENEVE_LOCAL6][:16].ljust(16, b"\0")
        if any(addr):
            p.string("local6", "local %s ", ntop(AF_INET6, addr))


def print_opt(p, tb):
    """geneve_print_opt()."""
    if IFLA_GENEVE_COLLECT_METADATA in tb:
        p.boolean("external", "external ")
    vni = tb.get(IFLA_GENEVE_ID)
    if vni is not None and len(vni) >= 4:
        p.num("id", "id %u ", _value(tb, IFLA_GENEVE_ID))
    if IFLA_GENEVE_REMOTE in tb:
        addr = tb[IFLA_GENEVE_REMOTE][:4].ljust(4, b"\0")
        if any(addr):
            p.string("remote", "remote %s ", ntop(AF_INET, addr))
    elif IFLA_GENEVE_REMOTE6 in tb:
        addr = tb[IFLA_GENEVE_REMOTE6][:16].ljust(16, b"\0")
        if any(addr) and addr[0] != 0xff:
            p.string("remote6", "remote %s ", ntop(AF_INET6, addr))
    _local(p, tb)
    print_ttl(p, _value(tb, IFLA_GENEVE_TTL_INHERIT),
              _value(tb, IFLA_GENEVE_TTL) if IFLA_GENEVE_TTL in tb else None)
    print_tos(p, _value(tb, IFLA_GENEVE_TOS))
    print_df(p, _value(tb, IFLA_GENEVE_DF) if IFLA_GENEVE_DF in tb else None)
    if IFLA_GENEVE_LABEL in tb:
        label = _value(tb, IFLA_GENEVE_LABEL)
        if label:
            p.hex0x("label", "flowlabel %s ", label)
    if IFLA_GENEVE_PORT in tb:
        p.num("port", "dstport %u ", _value(tb, IFLA_GENEVE_PORT))
    for attr, key, text in ON_OFF_WORDS:
        if attr in tb:
            on = _value(tb, attr)
            if p.jw is not None:
                p.jbool(key, bool(on))
            else:
                p.fp(text if on else "no" + text)
    if IFLA_GENEVE_INNER_PROTO_INHERIT in tb:
        p.boolean("inner_proto_inherit", "innerprotoinherit ")


# the switches: alias -> (attribute, the u8 it sends); a switch and its "no" form are one
# option (one attribute: ip's check_duparg() bit)
SWITCHES = {"udpcsum": (IFLA_GENEVE_UDP_CSUM, 1), "noudpcsum": (IFLA_GENEVE_UDP_CSUM, 0),
            "udp6zerocsumtx": (IFLA_GENEVE_UDP_ZERO_CSUM6_TX, 1),
            "noudp6zerocsumtx": (IFLA_GENEVE_UDP_ZERO_CSUM6_TX, 0),
            "udp6zerocsumrx": (IFLA_GENEVE_UDP_ZERO_CSUM6_RX, 1),
            "noudp6zerocsumrx": (IFLA_GENEVE_UDP_ZERO_CSUM6_RX, 0)}


class GeneveLink(KindReading):
    """geneve_parse_opt(): ttl inherit and df as their words are read; id, the addresses,
    flowlabel, ttl, tos, dstport and the switches after the loop, with ip's checks across
    them.  Each option once (check_duparg(): ip's duparg2(), exit 255)."""
    STARTS = ("geneve_link",)
    KIND, RULE, LAYOUT = "geneve", "geneve_link_word.", LAYOUT
    VALUES = DF_VALUES
    READ_BY_PARENT = ("vxlan_ttl", "vxlan_tos")

    def __init__(self, set_op):
        KindReading.__init__(self)
        self.set_op = set_op
        self.vni = self.label = self.ttl = self.tos = self.dstport = 0
        self.daddr, self.saddr = Address(), Address()
        self.metadata = self.inner_proto_inherit = False
        self.switches = {}

    geneve_link = KindReading.read_in_order
    geneve_link_word__help = KindReading.help

    def geneve_link_word__id(self, node):
        v = self.word(node, 1)
        self.once(IFLA_GENEVE_ID, "id", v)
        n = strtoul(v)
        if n is None or n >= 1 << 24:
            self.invalid(node, v)
        self.vni = n

    def address(self, node, attr):
        v = self.word(node, 1)
        self.once(attr, node.alias, v)
        a = Address(v, AF_UNSPEC)
        if not a.not_multi():
            self.invalid(node, v)
        return a

    def geneve_link_word__remote(self, node):
        self.daddr = self.address(node, IFLA_GENEVE_REMOTE)

    def geneve_link_word__local(self, node):
        self.saddr = self.address(node, IFLA_GENEVE_LOCAL)

    def geneve_link_word__ttl(self, node):
        v = self.word(node, 1)
        self.once(IFLA_GENEVE_TTL, "ttl", v)
        which = node.children[1].alias
        if which == "inherit":
            self.add(IFLA_GENEVE_TTL_INHERIT, 1)
        elif which != "auto":
            n = strtoul(v)
            if n is None:
                self.invalid(node, v)
            if n > 255:
                from pyip.errors import invalid
                invalid("geneve_link_word.ttl_range", v)
            self.ttl = n

    def geneve_link_word__tos(self, node):
        v = self.word(node, 1)
        self.once(IFLA_GENEVE_TOS, "tos", v)
        if node.children[1].alias == "inherit":
            self.tos = 1
        else:
            from pyip.rtnames import dsfield_a2n
            tos = dsfield_a2n(v)
            if tos is None:
                self.invalid(node, v)
            self.tos = tos & 0xff

    def bad(self, index, rule):
        """A df that is none of ip's words: a second df is a duplicate first."""
        self.once(IFLA_GENEVE_DF, "df", self.words[index])
        KindReading.bad(self, index, rule)

    def geneve_link_word__df(self, node):
        v = self.word(node, 1)
        self.once(IFLA_GENEVE_DF, "df", v)
        self.add(IFLA_GENEVE_DF, self.value(node.children[1]))

    def geneve_link_word__flowlabel(self, node):
        v = self.word(node, 1)
        self.once(IFLA_GENEVE_LABEL, "flowlabel", v)
        n = strtoul(v)
        if n is None or n & ~LABEL_MAX_MASK:
            self.invalid(node, v)
        self.label = n

    def geneve_link_word__dstport(self, node):
        v = self.word(node, 1)
        self.once(IFLA_GENEVE_PORT, "dstport", v)
        n = U16.word(v)
        if n is None:
            self.invalid(node, v)
        self.dstport = n

    def metadata_word(self, node):
        word = self.word(node, 0)
        self.once(IFLA_GENEVE_COLLECT_METADATA, word, word)
        self.metadata = node.alias == "external"

    geneve_link_word__external = geneve_link_word__noexternal = metadata_word

    def switch(self, node):
        word = self.word(node, 0)
        attr, value = SWITCHES[node.alias]
        self.once(attr, word, word)
        self.switches[attr] = value

    locals().update(dict.fromkeys(["geneve_link_word__" + a for a in SWITCHES], switch))

    def geneve_link_word__innerprotoinherit(self, node):
        word = self.word(node, 0)
        self.once(IFLA_GENEVE_INNER_PROTO_INHERIT, word, word)
        self.inner_proto_inherit = True

    def data(self):
        """The checks after ip's loop, and the attributes it adds there, in its order."""
        seen = self.seen
        if self.metadata and IFLA_GENEVE_ID in seen:
            raise Failed("geneve: both 'external' and vni cannot be specified\n", 1)
        if not self.metadata:
            if IFLA_GENEVE_ID not in seen:
                raise Failed("geneve: missing virtual network identifier\n", 1)
            if not self.set_op and not self.daddr.flags & INET:
                raise Failed("geneve: remote link partner not specified\n", 1)
        self.add(IFLA_GENEVE_ID, self.vni)
        for addr, v4, v6 in ((self.daddr, IFLA_GENEVE_REMOTE, IFLA_GENEVE_REMOTE6),
                             (self.saddr, IFLA_GENEVE_LOCAL, IFLA_GENEVE_LOCAL6)):
            if addr.flags & INET:
                self.add(v4 if addr.family == AF_INET else v6, addr.data)
        for attr, value in ((IFLA_GENEVE_LABEL, self.label), (IFLA_GENEVE_TTL, self.ttl),
                            (IFLA_GENEVE_TOS, self.tos)):
            if not self.set_op or attr in seen:
                self.add(attr, value)
        if self.dstport:
            self.add(IFLA_GENEVE_PORT, self.dstport)
        if self.metadata:
            self.add(IFLA_GENEVE_COLLECT_METADATA, b"")
        if self.inner_proto_inherit:
            self.add(IFLA_GENEVE_INNER_PROTO_INHERIT, b"")
        for attr in (IFLA_GENEVE_UDP_CSUM, IFLA_GENEVE_UDP_ZERO_CSUM6_TX,
                     IFLA_GENEVE_UDP_ZERO_CSUM6_RX):
            if attr in self.switches:
                self.add(attr, self.switches[attr])
        return KindReading.data(self)


def parse(kind, argv, flags, ifi, iplink_parse):
    from pyip.netlink import NLM_F_CREATE
    reading = GeneveLink(ifi.get("type") == 16 and not flags & NLM_F_CREATE)
    reading.run(argv, "geneve_link")
    return reading.data()
