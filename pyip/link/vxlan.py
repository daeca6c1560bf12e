"""type vxlan (iproute2's ip/iplink_vxlan.c): parse (`type vxlan ARGS`), print (ip -d link
show) and help.  Each attribute's layout is declared once (LAYOUT): the reader encodes with
it, the printer reads with it."""
from pyip import links, out
from pyip import netlink as nl
from pyip.addr import AF_INET, AF_INET6, ntop
from pyip.errors import Failed
from pyip.link.kinds import device_index
from pyip.link.reader import (BE16, FLAG, INET, U8, U16, U32, U64, Address, Bytes, Int,
                              KindReading)
from pyip.link.tunnel import DF_VALUES, print_df, print_tos, print_ttl
from pyip.opts import opts
from pyip.words import strtoul

# IFLA_VXLAN_* (linux/if_link.h, iproute2 6.1)
(IFLA_VXLAN_ID, IFLA_VXLAN_GROUP, IFLA_VXLAN_LINK, IFLA_VXLAN_LOCAL, IFLA_VXLAN_TTL,
 IFLA_VXLAN_TOS, IFLA_VXLAN_LEARNING, IFLA_VXLAN_AGEING, IFLA_VXLAN_LIMIT,
 IFLA_VXLAN_PORT_RANGE, IFLA_VXLAN_PROXY, IFLA_VXLAN_RSC, IFLA_VXLAN_L2MISS,
 IFLA_VXLAN_L3MISS, IFLA_VXLAN_PORT, IFLA_VXLAN_GROUP6, IFLA_VXLAN_LOCAL6,
 IFLA_VXLAN_UDP_CSUM, IFLA_VXLAN_UDP_ZERO_CSUM6_TX, IFLA_VXLAN_UDP_ZERO_CSUM6_RX,
 IFLA_VXLAN_REMCSUM_TX, IFLA_VXLAN_REMCSUM_RX, IFLA_VXLAN_GBP, IFLA_VXLAN_REMCSUM_NOPARTIAL,
 IFLA_VXLAN_COLLECT_METADATA, IFLA_VXLAN_LABEL, IFLA_VXLAN_GPE, IFLA_VXLAN_TTL_INHERIT,
 IFLA_VXLAN_DF, IFLA_VXLAN_VNIFILTER, IFLA_VXLAN_LOCALBYPASS, IFLA_VXLAN_LABEL_POLICY,
 IFLA_VXLAN_RESERVED_BITS, IFLA_VXLAN_MC_ROUTE) = range(1, 35)
LABEL_MAX_MASK = 0xfffff
LAYOUT = {IFLA_VXLAN_ID: U32, IFLA_VXLAN_GROUP: Bytes, IFLA_VXLAN_LINK: U32,
          IFLA_VXLAN_LOCAL: Bytes, IFLA_VXLAN_TTL: U8, IFLA_VXLAN_TOS: U8,
          IFLA_VXLAN_LEARNING: U8, IFLA_VXLAN_AGEING: U32, IFLA_VXLAN_LIMIT: U32,
          IFLA_VXLAN_PORT_RANGE: Bytes, IFLA_VXLAN_PROXY: U8, IFLA_VXLAN_RSC: U8,
          IFLA_VXLAN_L2MISS: U8, IFLA_VXLAN_L3MISS: U8, IFLA_VXLAN_PORT: BE16,
          IFLA_VXLAN_GROUP6: Bytes, IFLA_VXLAN_LOCAL6: Bytes, IFLA_VXLAN_UDP_CSUM: U8,
          IFLA_VXLAN_UDP_ZERO_CSUM6_TX: U8, IFLA_VXLAN_UDP_ZERO_CSUM6_RX: U8,
          IFLA_VXLAN_REMCSUM_TX: U8, IFLA_VXLAN_REMCSUM_RX: U8, IFLA_VXLAN_GBP: FLAG,
          IFLA_VXLAN_REMCSUM_NOPARTIAL: FLAG, IFLA_VXLAN_COLLECT_METADATA: U8,
          IFLA_VXLAN_LABEL: Int(4, order="big"), IFLA_VXLAN_GPE: FLAG,
          IFLA_VXLAN_TTL_INHERIT: U8, IFLA_VXLAN_DF: U8, IFLA_VXLAN_VNIFILTER: U8,
          IFLA_VXLAN_LOCALBYPASS: U8, IFLA_VXLAN_RESERVED_BITS: Int(8, order="big"),
          IFLA_VXLAN_MC_ROUTE: U8}
# From 1215e9d3 and a183eba7 (6.4) vxlan_print_opt() prints every switch from one table,
# vxlan_opts (key, attribute, default), after the numbers: "[no]KEY " when the value is not
# the default (or with -d -d), a JSON boolean always; gbp and gpe as print_null().  Later
# rows by their first release: localbypass 98b0b0cb (6.5), mcroute 63314449 (6.17); and
# reserved_bits 1db4f568 (6.14).  6.15's binary prints the 6.4 shape; 6.5 to 6.14 derived.
CONSISTENT_SINCE = (6, 4)
BOOL_OPTS = (("external", IFLA_VXLAN_COLLECT_METADATA, 0),
             ("vnifilter", IFLA_VXLAN_VNIFILTER, 0), ("learning", IFLA_VXLAN_LEARNING, 1),
             ("proxy", IFLA_VXLAN_PROXY, 0), ("rsc", IFLA_VXLAN_RSC, 0),
             ("l2miss", IFLA_VXLAN_L2MISS, 0), ("l3miss", IFLA_VXLAN_L3MISS, 0),
             ("udp_csum", IFLA_VXLAN_UDP_CSUM, 1),
             ("udp_zero_csum6_tx", IFLA_VXLAN_UDP_ZERO_CSUM6_TX, 0),
             ("udp_zero_csum6_rx", IFLA_VXLAN_UDP_ZERO_CSUM6_RX, 0),
             ("remcsum_tx", IFLA_VXLAN_REMCSUM_TX, 0), ("remcsum_rx", IFLA_VXLAN_REMCSUM_RX, 0),
             ("localbypass", IFLA_VXLAN_LOCALBYPASS, 1), ("mcroute", IFLA_VXLAN_MC_ROUTE, 0))
RESERVED_BITS = "reserved_bits %s "
SINCE = {IFLA_VXLAN_LOCALBYPASS: (6, 5), IFLA_VXLAN_RESERVED_BITS: (6, 14),
         IFLA_VXLAN_MC_ROUTE: (6, 17)}
# u8 switches printed as a word when set: (attribute, JSON key, text)
SET_WORDS = ((IFLA_VXLAN_PROXY, "proxy", "proxy "), (IFLA_VXLAN_RSC, "rsc", "rsc "),
             (IFLA_VXLAN_L2MISS, "l2miss", "l2miss "), (IFLA_VXLAN_L3MISS, "l3miss", "l3miss "))
# u8 switches printed on or off: (attribute, JSON key, text after "no" or nothing)
ON_OFF_WORDS = ((IFLA_VXLAN_UDP_CSUM, "udp_csum", "udpcsum "),
                (IFLA_VXLAN_UDP_ZERO_CSUM6_TX, "udp_zero_csum6_tx", "udp6zerocsumtx "),
                (IFLA_VXLAN_UDP_ZERO_CSUM6_RX, "udp_zero_csum6_rx", "udp6zerocsumrx "))


def _value(tb, attr):
    """An attribute's number as its layout reads it, 0 if absent (rta_getattr of none)."""
    raw = tb.get(attr)
    return LAYOUT[attr].read(raw) if raw is not None else 0


def _be16(raw):
    return int.from_bytes(raw[:2].ljust(2, b"\0"), "big")


def print_opt(p, tb):
    """vxlan_print_opt(), as the run's release prints it."""
    from pyip.release import since
    if since(CONSISTENT_SINCE):
        _print_opt_table(p, tb, since)
    else:
        _print_opt_61(p, tb)


def _addresses(p, tb):
    """id, group or remote, local, dev, srcport, dstport: the same in every release."""
    get = tb.get
    vni = get(IFLA_VXLAN_ID)
    if vni is not None and len(vni) >= 4:
        p.num("id", "id %u ", LAYOUT[IFLA_VXLAN_ID].read(vni))
    if IFLA_VXLAN_GROUP in tb:
        addr = get(IFLA_VXLAN_GROUP)[:4].ljust(4, b"\0")
        if any(addr):
            multicast = addr[0] & 0xf0 == 0xe0
            p.string("group" if multicast else "remote",
                     "group %s " if multicast else "remote %s ", ntop(AF_INET, addr))
    elif IFLA_VXLAN_GROUP6 in tb:
        addr = get(IFLA_VXLAN_GROUP6)[:16].ljust(16, b"\0")
        if any(addr):
            multicast = addr[0] == 0xff
            p.string("group6" if multicast else "remote6",
                     "group %s " if multicast else "remote %s ", ntop(AF_INET6, addr))
    if IFLA_VXLAN_LOCAL in tb:
        addr = get(IFLA_VXLAN_LOCAL)[:4].ljust(4, b"\0")
        if any(addr):
            p.string("local", "local %s ", ntop(AF_INET, addr))
    elif IFLA_VXLAN_LOCAL6 in tb:
        addr = get(IFLA_VXLAN_LOCAL6)[:16].ljust(16, b"\0")
        if any(addr):
            p.string("local6", "local %s ", ntop(AF_INET6, addr))
    link = lower(tb)
    if link:
        p.string("link", "dev %s ", links.index_to_name(link))
    ports = get(IFLA_VXLAN_PORT_RANGE)
    if ports is not None:
        low, high = _be16(ports), _be16(ports[2:4])
        if p.jw is not None:
            p.open_object("port_range")
            p.jnum("low", low)
            p.jnum("high", high)
            p.close_object()
        else:
            p.fp("srcport %u %u " % (low, high))
    if IFLA_VXLAN_PORT in tb:
        p.num("port", "dstport %u ", _value(tb, IFLA_VXLAN_PORT))


def _numbers(p, tb):
    """tos, ttl, df, flowlabel, ageing, maxaddr: the same in every release."""
    print_tos(p, _value(tb, IFLA_VXLAN_TOS))
    print_ttl(p, _value(tb, IFLA_VXLAN_TTL_INHERIT),
              _value(tb, IFLA_VXLAN_TTL) if IFLA_VXLAN_TTL in tb else None)
    print_df(p, _value(tb, IFLA_VXLAN_DF) if IFLA_VXLAN_DF in tb else None)
    if IFLA_VXLAN_LABEL in tb:
        label = _value(tb, IFLA_VXLAN_LABEL)
        if label:
            p.hex0x("label", "flowlabel %s ", label)
    if IFLA_VXLAN_AGEING in tb:
        age = _value(tb, IFLA_VXLAN_AGEING)
        if age:
            p.num("ageing", "ageing %u ", age)
        else:
            _ageing_none(p)
    limit = _value(tb, IFLA_VXLAN_LIMIT)
    if limit:
        p.num("limit", "maxaddr %u ", limit)


def _print_opt_table(p, tb, since):
    """vxlan_print_opt() from 6.4: the switches from BOOL_OPTS, after the numbers."""
    _addresses(p, tb)
    _numbers(p, tb)
    if IFLA_VXLAN_RESERVED_BITS in tb and since(SINCE[IFLA_VXLAN_RESERVED_BITS]):
        # its JSON key is the text's word (spelt once: the same word is ip's message)
        p.hex0x(RESERVED_BITS.split()[0], RESERVED_BITS, _value(tb, IFLA_VXLAN_RESERVED_BITS))
    for attr, key in ((IFLA_VXLAN_GBP, "gbp"), (IFLA_VXLAN_GPE, "gpe")):
        if attr in tb:
            p.null(key, key + " %s", "")
    for key, attr, default in BOOL_OPTS:
        if attr not in tb or not since(SINCE.get(attr, CONSISTENT_SINCE)):
            continue
        val = _u8(tb[attr])
        if p.jw is not None:
            p.jbool(key, val)
        elif val != default or opts.show_details > 1:
            p.fp("%s%s " % ("" if val else "no", key))


def _u8(raw):
    """rta_getattr_u8() as a C bool: the first byte, 0 for none."""
    return 1 if raw[:1] not in (b"", b"\0") else 0


def _print_opt_61(p, tb):
    """vxlan_print_opt() before 6.4: the same addresses and numbers, the switches among them."""
    if _value(tb, IFLA_VXLAN_COLLECT_METADATA):
        p.boolean("external", "external ")
    if _value(tb, IFLA_VXLAN_VNIFILTER):
        p.boolean("vnifilter", "vnifilter")
    _addresses(p, tb)
    if IFLA_VXLAN_LEARNING in tb:
        learning = _value(tb, IFLA_VXLAN_LEARNING)
        p.jbool("learning", bool(learning))
        if not learning:
            p.fp("nolearning ")
    for attr, key, text in SET_WORDS:
        if _value(tb, attr):
            p.boolean(key, text)
    _numbers(p, tb)
    for attr, key, text in ON_OFF_WORDS:
        if attr in tb:
            on = _value(tb, attr)
            if p.jw is not None:
                p.jbool(key, bool(on))
            else:
                p.fp(text if on else "no" + text)
    if _value(tb, IFLA_VXLAN_REMCSUM_TX):
        p.boolean("remcsum_tx", "remcsumtx ")
    if _value(tb, IFLA_VXLAN_REMCSUM_RX):
        p.boolean("remcsum_rx", "remcsumrx ")
    if IFLA_VXLAN_GBP in tb:
        p.boolean("gbp", "gbp ")
    if IFLA_VXLAN_GPE in tb:
        p.boolean("gpe", "gpe ")


def _ageing_none(p):
    if p.jw is not None:
        p.jnum("ageing", 0)
    else:
        p.fp("ageing none ")


def lower(tb):
    return nl.u32(tb.get(IFLA_VXLAN_LINK))


# the switches: alias -> (attribute, the u8 it sets); a switch and its "no" form are one
# option (one attribute: ip's check_duparg() bit)
SWITCHES = {"noproxy": (IFLA_VXLAN_PROXY, 0), "proxy": (IFLA_VXLAN_PROXY, 1),
            "norsc": (IFLA_VXLAN_RSC, 0), "rsc": (IFLA_VXLAN_RSC, 1),
            "nol2miss": (IFLA_VXLAN_L2MISS, 0), "l2miss": (IFLA_VXLAN_L2MISS, 1),
            "nol3miss": (IFLA_VXLAN_L3MISS, 0), "l3miss": (IFLA_VXLAN_L3MISS, 1),
            "udpcsum": (IFLA_VXLAN_UDP_CSUM, 1), "noudpcsum": (IFLA_VXLAN_UDP_CSUM, 0),
            "udp6zerocsumtx": (IFLA_VXLAN_UDP_ZERO_CSUM6_TX, 1),
            "noudp6zerocsumtx": (IFLA_VXLAN_UDP_ZERO_CSUM6_TX, 0),
            "udp6zerocsumrx": (IFLA_VXLAN_UDP_ZERO_CSUM6_RX, 1),
            "noudp6zerocsumrx": (IFLA_VXLAN_UDP_ZERO_CSUM6_RX, 0),
            "remcsumtx": (IFLA_VXLAN_REMCSUM_TX, 1), "noremcsumtx": (IFLA_VXLAN_REMCSUM_TX, 0),
            "remcsumrx": (IFLA_VXLAN_REMCSUM_RX, 1), "noremcsumrx": (IFLA_VXLAN_REMCSUM_RX, 0),
            "vnifilter": (IFLA_VXLAN_VNIFILTER, 1), "novnifilter": (IFLA_VXLAN_VNIFILTER, 0),
            "localbypass": (IFLA_VXLAN_LOCALBYPASS, 1),
            "nolocalbypass": (IFLA_VXLAN_LOCALBYPASS, 0),
            "mcroute": (IFLA_VXLAN_MC_ROUTE, 1), "nomcroute": (IFLA_VXLAN_MC_ROUTE, 0)}
class VxlanLink(KindReading):
    """vxlan_parse_opt(): dev, ttl, tos, df, flowlabel, ageing, maxaddress, srcport and the
    switches as their words are read; id, local, group/remote, learning and dstport after
    the loop, with ip's checks across them."""
    STARTS = ("vxlan_link",)
    KIND, RULE, LAYOUT = "vxlan", "vxlan_link_word.", LAYOUT
    VALUES = DF_VALUES
    READ_BY_PARENT = ("vxlan_ttl", "vxlan_tos", "vxlan_ageing", "vxlan_maxaddr")

    def __init__(self, set_op):
        KindReading.__init__(self)
        self.set_op = set_op
        self.vni = None
        self.saddr, self.daddr = Address(), Address()
        self.learning, self.metadata, self.vnifilter = 1, False, False
        self.dstport = None


    vxlan_link = KindReading.read_in_order
    vxlan_link_word__help = KindReading.help

    def vxlan_link_word__id(self, node):
        v = self.word(node, 1)
        self.once(IFLA_VXLAN_ID, "id", v)
        n = strtoul(v)
        if n is None or n >= 1 << 24:
            self.invalid(node, v)
        self.vni = n

    def group_or_remote(self, node):
        group = node.alias == "group"
        if (self.daddr.not_multi() if group else self.daddr.multi()):
            raise Failed("vxlan: both group and remote cannot be specified\n", 1)
        v = self.word(node, 1)
        self.once(IFLA_VXLAN_GROUP, node.alias, v)
        self.daddr = Address(v, self.saddr.family)
        if not (self.daddr.multi() if group else self.daddr.not_multi()):
            self.invalid(node, v)

    vxlan_link_word__group = vxlan_link_word__remote = group_or_remote

    def vxlan_link_word__local(self, node):
        v = self.word(node, 1)
        self.once(IFLA_VXLAN_LOCAL, "local", v)
        self.saddr = Address(v, self.daddr.family)
        if not self.saddr.not_multi():
            self.invalid(node, v)

    def vxlan_link_word__dev(self, node):
        v = self.word(node, 1)
        self.once(IFLA_VXLAN_LINK, "dev", v)
        self.add(IFLA_VXLAN_LINK, device_index(v))

    def vxlan_link_word__ttl(self, node):
        v = self.word(node, 1)
        self.once(IFLA_VXLAN_TTL, "ttl", v)
        which = node.children[1].alias
        if which == "inherit":
            # ip sends a flag (addattr()); the kernel answers a u8 (the layout's)
            self.attrs.append(nl.attr(IFLA_VXLAN_TTL_INHERIT, b""))
        elif which == "auto":
            self.add(IFLA_VXLAN_TTL, 0)
        else:
            n = strtoul(v)
            if n is None:
                self.invalid(node, v)
            if n > 255:
                from pyip.errors import invalid
                invalid("vxlan_link_word.ttl_range", v)
            self.add(IFLA_VXLAN_TTL, n)

    def vxlan_link_word__tos(self, node):
        v = self.word(node, 1)
        self.once(IFLA_VXLAN_TOS, "tos", v)
        if node.children[1].alias == "inherit":
            tos = 1
        else:
            from pyip.rtnames import dsfield_a2n
            tos = dsfield_a2n(v)
            if tos is None:
                self.invalid(node, v)
        self.add(IFLA_VXLAN_TOS, tos)

    def bad(self, index, rule):
        """A df that is none of ip's words: a second df is a duplicate first (ip's
        check_duparg() comes before the value's check)."""
        self.once(IFLA_VXLAN_DF, "df", self.words[index])
        KindReading.bad(self, index, rule)

    def vxlan_link_word__df(self, node):
        v = self.word(node, 1)
        self.once(IFLA_VXLAN_DF, "df", v)
        self.add(IFLA_VXLAN_DF, self.value(node.children[1]))

    def vxlan_link_word__flowlabel(self, node):
        v = self.word(node, 1)
        self.once(IFLA_VXLAN_LABEL, "flowlabel", v)
        n = strtoul(v)
        if n is None or n & ~LABEL_MAX_MASK:
            self.invalid(node, v)
        self.add(IFLA_VXLAN_LABEL, n)

    def unlimited(self, node, attr):
        """ageing none, maxaddress unlimited: 0; else a u32."""
        v = self.word(node, 1)
        self.once(attr, node.alias, v)
        n = 0 if node.children[1].alias is not None else strtoul(v)
        if n is None:
            self.invalid(node, v)
        self.add(attr, n)

    def vxlan_link_word__ageing(self, node):
        self.unlimited(node, IFLA_VXLAN_AGEING)

    def vxlan_link_word__maxaddress(self, node):
        self.unlimited(node, IFLA_VXLAN_LIMIT)

    def vxlan_link_word__srcport(self, node):
        low = self.word(node, 1)
        self.once(IFLA_VXLAN_PORT_RANGE, "srcport", low)
        lo = U16.word(low)
        if lo is None:
            self.invalid(node, low)
        high = self.word(node, 2)
        hi = U16.word(high)
        if hi is None:
            from pyip.errors import invalid
            invalid("vxlan_link_word.srcport_max", high)
        if lo or hi:
            self.add(IFLA_VXLAN_PORT_RANGE, BE16.pack(lo) + BE16.pack(hi))

    def vxlan_link_word__dstport(self, node):
        v = self.word(node, 1)
        self.once(IFLA_VXLAN_PORT, "dstport", v)
        self.dstport = U16.word(v)
        if self.dstport is None:
            self.invalid(node, v)

    def learning_word(self, node):
        word = self.word(node, 0)
        self.once(IFLA_VXLAN_LEARNING, word, word)
        self.learning = 0 if node.alias == "nolearning" else 1

    vxlan_link_word__nolearning = vxlan_link_word__learning = learning_word

    def switch(self, node):
        word = self.word(node, 0)
        attr, value = SWITCHES[node.alias]
        self.once(attr, word, word)
        self.add(attr, value)
        if node.alias == "vnifilter":
            self.vnifilter = True

    locals().update(dict.fromkeys(["vxlan_link_word__" + a for a in SWITCHES], switch))

    def metadata_word(self, node):
        word = self.word(node, 0)
        self.once(IFLA_VXLAN_COLLECT_METADATA, word, word)
        self.metadata = node.alias == "external"
        if self.metadata:
            self.learning = 0
        self.add(IFLA_VXLAN_COLLECT_METADATA, int(self.metadata))

    vxlan_link_word__external = vxlan_link_word__noexternal = metadata_word

    def empty(self, node):
        word = self.word(node, 0)
        attr = IFLA_VXLAN_GBP if node.alias == "gbp" else IFLA_VXLAN_GPE
        self.once(attr, word, word)
        self.add(attr, b"")

    vxlan_link_word__gbp = vxlan_link_word__gpe = empty

    def vxlan_link_word__reserved_bits(self, node):
        """get_be64(): a 64-bit number, sent big-endian (check_duparg() names the value)."""
        v = self.word(node, 1)
        self.once(IFLA_VXLAN_RESERVED_BITS, v, v)
        bits = U64.word(v)
        if bits is None:
            self.invalid(node, v)
        self.add(IFLA_VXLAN_RESERVED_BITS, bits)

    def data(self):
        """The checks after ip's loop, and the attributes it adds there, in its order."""
        seen = self.seen
        if not self.metadata and self.vnifilter:
            raise Failed("vxlan: vnifilter is valid only when 'external' is set\n", 1)
        if self.metadata and IFLA_VXLAN_ID in seen:
            raise Failed("vxlan: both 'external' and vni cannot be specified\n", 1)
        if not self.metadata and not self.vnifilter and IFLA_VXLAN_ID not in seen \
                and not self.set_op:
            raise Failed("vxlan: missing virtual network identifier\n", 1)
        if self.daddr.multi() and IFLA_VXLAN_LINK not in seen:
            raise Failed("vxlan: 'group' requires 'dev' to be specified\n", 1)
        dstport = self.dstport or 0
        if IFLA_VXLAN_PORT not in seen and IFLA_VXLAN_GPE in seen:
            dstport = 4790
        elif IFLA_VXLAN_PORT not in seen and not self.set_op:
            out.error("vxlan: destination port not specified\n"
                      "Will use Linux kernel default (non-standard value)\n"
                      "Use 'dstport 4789' to get the IANA assigned value\n"
                      "Use 'dstport 0' to get default and quiet this message\n")
        if IFLA_VXLAN_ID in seen:
            self.add(IFLA_VXLAN_ID, self.vni)
        selected = False
        for addr, v4, v6 in ((self.saddr, IFLA_VXLAN_LOCAL, IFLA_VXLAN_LOCAL6),
                             (self.daddr, IFLA_VXLAN_GROUP, IFLA_VXLAN_GROUP6)):
            if addr.flags & INET:
                self.add(v4 if addr.family == AF_INET else v6, addr.data)
                selected = True
        if not selected:
            if opts.preferred_family == AF_INET:
                self.add(IFLA_VXLAN_GROUP, bytes(4))
            elif opts.preferred_family == AF_INET6:
                self.add(IFLA_VXLAN_GROUP6, bytes(16))
        if not self.set_op or IFLA_VXLAN_LEARNING in seen:
            self.add(IFLA_VXLAN_LEARNING, self.learning)
        if dstport:
            self.add(IFLA_VXLAN_PORT, dstport)
        return KindReading.data(self)


def parse(kind, argv, flags, ifi, iplink_parse):
    from pyip.netlink import NLM_F_CREATE
    reading = VxlanLink(ifi.get("type") == 16 and not flags & NLM_F_CREATE)
    reading.run(argv, "vxlan_link")
    return reading.data()
