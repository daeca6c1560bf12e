"""The handlers of the rules ip xfrm's commands share (ipxfrm.c): ID, SELECTOR, UPSPEC, MARK,
LIMIT, MODE, XFRM-PROTO.  Each checks its own words with ip's message, in ip's order; the
value tables (MODE, XFRM-PROTO, ENCAP-TYPE, ...) are keyed by the grammar's aliases.

Addresses are read in the family the command has seen so far (ip's preferred_family, which
xfrm's parsers move as they read): `self.family`, state of this reading, not of the run.
"""
from pyip.addr import AF_UNSPEC, get_addr32, get_prefix, ntop
from pyip.errors import IpExit, invalid, invarg, missarg
from pyip.interpret import Interpreter
from pyip.words import strtoul
from pyip.xfrm import common as c
from pyip.xfrm import msgs as m
from pyip.xfrm.objects import IpProto, Mode, Proto, Selector

FULL = 0xffffffff
STATE_FLAGS = m.words_of(m.XFRM_STATE_FLAGS)
EXTRA_FLAGS = m.words_of(m.XFRM_SA_XFLAGS)
_PORT_PROTOS = (c.IPPROTO_TCP, c.IPPROTO_UDP, c.IPPROTO_SCTP, c.IPPROTO_DCCP, 0)


class XfrmInterpreter(Interpreter):
    VALUES = {"mode": Mode.words(), "xfrm_proto": Proto.words(),
              "encap_type": m.words_of(m.ENCAP_NAMES),
              "offload_dir": {"in": m.XFRM_OFFLOAD_INBOUND, "out": 0},
              "sa_dir": {"in": m.XFRM_SA_DIR_IN, "out": m.XFRM_SA_DIR_OUT}}
    VALUES["state_flag"] = STATE_FLAGS
    VALUES["state_extra_flag"] = EXTRA_FLAGS
    READ_BY_PARENT = ("selector_dev", "upspec_proto")

    def __init__(self, family):
        self.family = family
        self.masks = {}     # which fields a list/deleteall filter compares (Filter's names)

    def u32(self, node, k, key, missing=None):
        """The k-th word of node as a u32, or the grammar's message for key; where it ran
        out, ip's `argument "MISSING" is required` if named, else NEXT_ARG()'s message."""
        text = self.word(node, k, None if missing is None else lambda: missarg(missing))
        v = strtoul(text)
        if v is None:
            invalid(key, text)
        return v

    # ---- ID: src/dst/proto/spi in any order, contiguous (xfrm_id_parse()) -----------------

    def read_id(self, node, obj, loose=False):
        """Fill obj's ID fields (an XfrmState's, XfrmTmpl's or XfrmSaId's src, dst, family,
        proto, spi) from the ID's words, then ip's checks."""
        self.id_ = obj
        self.id_src = self.id_dst = None
        for child in node.children:
            self.visit(child)
        c.same_family(self.id_src, self.id_dst, _At(self.words[node.end - 1]))
        self.check_id(obj, loose)

    @staticmethod
    def check_id(obj, loose):
        spi = obj.spi or 0
        proto = obj.proto or 0
        if spi and proto:
            if proto in (c.IPPROTO_ROUTING, c.IPPROTO_DSTOPTS):
                raise IpExit('"spi" is invalid with XFRM-PROTO value "%s"\n'
                             % c.xfrm_proto_name(proto), 1)
            if proto == c.IPPROTO_COMP and spi >= 0x10000:
                raise IpExit('SPI value is too large with XFRM-PROTO value "%s"\n'
                             % c.xfrm_proto_name(proto), 1)
        if not loose and proto == 0:
            missarg("XFRM-PROTO")

    def address(self, node, key):
        text = self.word(node, 1)
        p = get_prefix(text, self.family)
        if p.family == AF_UNSPEC:
            invalid(key, text)
        return p

    def id_word__src(self, node):
        p = self.id_src = self.address(node, "id_word.src")
        o = self.id_
        o.family, o.src = p.family, text_of(p)
        self.masks["id_src_mask"] = p.bitlen & 0xff

    def id_word__dst(self, node):
        p = self.id_dst = self.address(node, "id_word.dst")
        o = self.id_
        o.family, o.dst = p.family, text_of(p)
        self.masks["id_dst_mask"] = p.bitlen & 0xff

    def id_word__proto(self, node):
        self.word(node, 1)
        self.id_.proto = self.value(node.children[1])
        self.masks["id_proto_mask"] = 0xff

    def id_word__spi(self, node):
        self.id_.spi = self.u32(node, 1, "id_word.spi")
        self.masks["id_spi_mask"] = FULL

    # ---- MARK [ mask MASK ] (xfrm_parse_mark()) --------------------------------------------

    given_mark = (0, 0)         # (value, mask) of the command's "mark", none: (0, 0)

    def mark_option(self, node):
        """The handler of any command's `"mark" mark`."""
        self.word(node, 1)
        self.given_mark = self.visit(node.children[1])

    def mark(self, node):
        """(value, mask); no mask is all ones."""
        text = self.word(node, 0)
        value = strtoul(text)
        if value is None:
            invalid("mark.mark", text)
        mask = FULL
        for child in node.children[1:]:
            mask = self.visit(child)
        return value, mask

    def mask__mask(self, node):
        text = self.word(node, 1)
        v = strtoul(text)
        if v is None:
            invalid("mask.mask", text)
        return v

    # ---- LIMIT (xfrm_lifetime_cfg_parse()) -------------------------------------------------

    def read_limit(self, node):
        """Into self.lft, the Lifetime the command's "limit" made (its fields are LIMIT's
        aliases)."""
        key = "limit." + node.alias
        text = self.word(node, 1)
        v = strtoul(text, 64)
        if v is None:
            invalid(key, text)
        setattr(self.lft, node.alias, v)

    limit__time_soft = limit__time_hard = limit__time_use_soft = limit__time_use_hard = \
        limit__byte_soft = limit__byte_hard = limit__packet_soft = limit__packet_hard = read_limit

    # ---- SELECTOR (xfrm_selector_parse()) and UPSPEC ---------------------------------------

    def selector(self, node):
        """Into self.sel, the selector the command made."""
        self.sel_src = self.sel_dst = None
        for child in node.children:
            self.visit(child)
        c.same_family(self.sel_src, self.sel_dst, _At(self.words[node.end - 1]))

    def selector_word__src(self, node):
        p = self.sel_src = self.address(node, "selector_word.src")
        sel = self.sel
        sel.family, sel.src, sel.prefixlen_s = p.family, text_of(p), p.bitlen & 0xff
        self.masks["sel_src_mask"] = p.bitlen & 0xff

    def selector_word__dst(self, node):
        p = self.sel_dst = self.address(node, "selector_word.dst")
        sel = self.sel
        sel.family, sel.dst, sel.prefixlen_d = p.family, text_of(p), p.bitlen & 0xff
        self.masks["sel_dst_mask"] = p.bitlen & 0xff

    def selector_word__dev(self, node):
        self.word(node, 1)
        dev = node.children[1]
        if dev.alias == "none":
            ifindex = 0
        else:
            from pyip import links
            name = self.word(dev, 0)
            ifindex = links.name_to_index(name)
            if ifindex <= 0:
                invalid("selector_word.dev", name)
        self.sel.ifindex = ifindex
        self.masks["sel_dev_mask"] = FULL

    def upspec(self, node):
        self.ports = self.typecode = self.grekey = False
        for child in node.children:
            self.visit(child)
        proto = self.sel.proto
        if self.ports and proto not in _PORT_PROTOS:
            raise IpExit('"sport" and "dport" are invalid with PROTO value "%s"\n'
                         % c.proto_name(proto), 1)
        if self.typecode and proto not in (c.IPPROTO_ICMP, c.IPPROTO_ICMPV6, c.IPPROTO_MH):
            raise IpExit('"type" and "code" are invalid with PROTO value "%s"\n'
                         % c.proto_name(proto), 1)
        if self.grekey and proto != c.IPPROTO_GRE:
            raise IpExit('"key" is invalid with PROTO value "%s"\n' % c.proto_name(proto), 1)

    def upspec_word__proto(self, node):
        w = self.word(node, 1)
        if node.children[1].alias == "any":
            p = 0
        else:
            p = c.proto_by_name(w)
            if p is None:
                p = strtoul(w)
                if p is None or p > 255:
                    invalid("upspec_word.proto", w)
        self.sel.proto = p
        self.masks["upspec_proto_mask"] = 0xff

    def upspec_word__sport(self, node):
        self.port(node, "sport")

    def upspec_word__dport(self, node):
        self.port(node, "dport")

    def port(self, node, what):
        self.ports = True
        text = self.word(node, 1)
        v = strtoul(text)
        if v is None or v > 0xffff:
            invalid("upspec_word." + what, text)
        setattr(self.sel, what, v)
        if v:
            setattr(self.sel, what + "_mask", 0xffff)
        self.masks["upspec_%s_mask" % what] = 0xffff

    def upspec_word__type(self, node):
        self.type_code(node, "type", "sport")

    def upspec_word__code(self, node):
        self.type_code(node, "code", "dport")

    def type_code(self, node, what, port):
        self.typecode = True
        text = self.word(node, 1)
        v = strtoul(text)
        if v is None or v > 0xffff or v & ~0xff:
            invalid("upspec_word." + what, text)
        setattr(self.sel, port, v)
        setattr(self.sel, port + "_mask", 0xffff)
        self.masks["upspec_%s_mask" % port] = 0xffff

    def upspec_word__key(self, node):
        from pyip._tables import INVALID
        self.grekey = True
        w = self.word(node, 1)
        if "." in w:
            uval = int.from_bytes(get_addr32(w), "big")
        else:
            uval = strtoul(w)
            if uval is None:
                raise IpExit(INVALID["upspec_word.key"], 255)    # ip's fprintf, no invarg
        sel = self.sel
        sel.sport, sel.dport = uval >> 16, uval & 0xffff
        sel.sport_mask = sel.dport_mask = 0xffff
        self.masks["upspec_dport_mask"] = 0xffff    # ip's: the key's high half is not compared

    # ---- FLAG-LIST, EXTRA-FLAG-LIST (xfrm_state_flag_parse()) -----------------------------

    def flags(self, node, current):
        """The flags after `flag`/`extra-flag` (node): one hex value replaces them, names add
        to them, and nothing at the end of the command is ip's NEXT_ARG() failing."""
        if len(node.children) > 1:
            got = node.children[1]
            value = self.visit(got)
            return value if got.alias == "hex" else current | value
        if self.last(node):
            self.word(node, 1)
        return current

    def flag_list__hex(self, node):
        return hex_flags(self.word(node, 0), 8, "flag_list.hex")

    def extra_flag_list__hex(self, node):
        return hex_flags(self.word(node, 0), 32, "extra_flag_list.hex")

    def flag_list(self, node):
        bits = 0
        for f in node.children:
            bits |= self.value(f)
        return bits

    extra_flag_list = flag_list

    # ---- a second ID, or a word nothing takes (the loops' last `else`) ---------------------

    def unknown(self, index):
        invarg("unknown", self.words[index])


def text_of(p):
    """An address word's text as the objects hold it (ntop's); None for no address
    ("any": zeros, in whatever family the object ends up with)."""
    return ntop(p.family, p.data) if p.family else None


def no_address(o, family):
    """The addresses no word gave, as the objects hold ip's zeros: the family's text for
    them ("0.0.0.0", "::"; "???" where there is no family)."""
    if o.src is None:
        o.src = ntop(family, _ZEROS)
    if o.dst is None:
        o.dst = ntop(family, _ZEROS)


_ZEROS = bytes(16)
NO_PROTO = IpProto(0)           # a selector's "any" protocol (one object: values are ints)


def new_selector(family=AF_UNSPEC):
    """The selector before its words (ip's zeroed struct xfrm_selector)."""
    return Selector(src=None, dst=None, prefixlen_s=0, prefixlen_d=0, family=family, proto=NO_PROTO,
                    sport=0, dport=0, sport_mask=0, dport_mask=0, ifindex=0, user=0)


def selector_fields(sel):
    """A Selector as the filters compare it: struct xfrm_selector's fields (bytes where the
    kernel keeps bytes), from the one encoder."""
    return m.SELECTOR.unpack(sel.encode())


def hex_flags(text, bits, key):
    """FLAG-LIST's one hexadecimal value (0x...), or the grammar's message for key."""
    v = strtoul(text, bits, 16)
    if v is None:
        invalid(key, text)
    return v


class _At:
    """The word ip's same-family message names (its argv at the end of the run)."""
    __slots__ = ("word",)

    def __init__(self, word):
        self.word = word
