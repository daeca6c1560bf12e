"""What the kinds' readers share (iproute2's link_util parse_opt() loops): an attribute's
layout, declared once per kind and used both to encode what a word sets and to read what
the kernel sends back, and the reader of a kind whose options ip adds as it reads them."""
from pyip import netlink as nl
from pyip.errors import Failed, IpExit, duparg2
from pyip.interpret import Interpreter
from pyip.addr import AF_INET, AF_INET6, AF_UNSPEC, get_addr
from pyip.words import get_integer, strtoul


class Int:
    """An integer attribute: its width, sign and byte order; `word()` reads it as ip's
    get_uN()/get_s32() does (None where ip refuses it)."""

    def __init__(self, size, signed=False, order="little"):
        self.size, self.signed, self.order = size, signed, order

    def pack(self, n):
        return n.to_bytes(self.size, self.order, signed=self.signed)

    def read(self, raw):
        """rta_getattr_*(): the first bytes, zeros past a short attribute."""
        return int.from_bytes(raw[:self.size].ljust(self.size, b"\0"), self.order,
                              signed=self.signed)

    def word(self, text):
        if self.signed:
            return get_integer(text)
        return strtoul(text, self.size * 8)


U8, U16, U32, U64, S32 = Int(1), Int(2), Int(4), Int(8), Int(4, signed=True)
BE16 = Int(2, order="big")


class Bytes:
    """An attribute whose payload is the bytes themselves (a link-layer address)."""

    @staticmethod
    def pack(raw):
        return raw

    @staticmethod
    def read(raw):
        return raw


FLAG = Bytes        # an attribute without payload (addattr(n, max, type))


def get_index(table, text):
    """iplink_bond.c get_index(): a number (strtol base 10, as an int) that is a place in
    the table, else a name of it; -1 for neither."""
    s = text.lstrip(" \t\n\v\f\r")
    neg = s[:1] == "-"
    digits = s[1:] if s[:1] in ("+", "-") else s
    if digits[:1].isalnum():
        n = strtoul(digits, 64, 10)
        if n is not None and n <= (0x80000000 if neg else 0x7fffffff):
            n = -n if neg else n
            if 0 <= n < len(table):
                return n
    return table.index(text) if text in table else -1


# ll_proto_a2n()'s names (lib/ll_proto.c, in its order; compared ignoring case), ETH_P_*
LL_PROTOS = (
    ("loop", 0x0060), ("pup", 0x0200), ("pupat", 0x0201), ("ip", 0x0800), ("x25", 0x0805),
    ("arp", 0x0806), ("bpq", 0x08ff), ("ieeepup", 0x0a00), ("ieeepupat", 0x0a01),
    ("dec", 0x6000), ("dna_dl", 0x6001), ("dna_rc", 0x6002), ("dna_rt", 0x6003),
    ("lat", 0x6004), ("diag", 0x6005), ("cust", 0x6006), ("sca", 0x6007), ("rarp", 0x8035),
    ("atalk", 0x809b), ("aarp", 0x80f3), ("ipx", 0x8137), ("ipv6", 0x86dd),
    ("ppp_disc", 0x8863), ("ppp_ses", 0x8864), ("atmmpoa", 0x884c), ("atmfate", 0x8884),
    ("802_3", 0x0001), ("ax25", 0x0002), ("all", 0x0003), ("802_2", 0x0004),
    ("snap", 0x0005), ("ddcmp", 0x0006), ("wan_ppp", 0x0007), ("ppp_mp", 0x0008),
    ("localtalk", 0x0009), ("can", 0x000c), ("ppptalk", 0x0010), ("tr_802_2", 0x0011),
    ("mobitex", 0x0015), ("control", 0x0016), ("irda", 0x0017), ("econet", 0x0018),
    ("tipc", 0x88ca), ("profinet", 0x8892), ("aoe", 0x88a2), ("ethercat", 0x88a4),
    ("802.1Q", 0x8100), ("802.1ad", 0x88a8), ("mpls_uc", 0x8847), ("mpls_mc", 0x8848),
    ("teb", 0x6558), ("802.1Q", 0x8100), ("LLDP", 0x88cc), ("ipv4", 0x0800))


def ll_proto(text):
    """ll_proto_a2n(): a protocol's number (host order), or None."""
    low = text.lower()
    for name, number in LL_PROTOS:
        if name.lower() == low:
            return number
    return strtoul(text, 16)


INET, UNSPEC, MULTI = 2, 4, 8           # ADDRTYPE_* (include/utils.h)


class Address:
    """An inet_prefix as get_addr() leaves it: family, the bytes it holds (bytelen: none
    for any/all) and set_address_type()'s flags."""

    def __init__(self, text=None, family=AF_UNSPEC):
        self.family, self.data, self.flags = family, b"", 0
        if text is None:
            return
        p = get_addr(text, family)
        size = 4 if p.family == AF_INET else 16 if p.family == AF_INET6 else 0
        self.typed(p.family, p.data[:size])
        if text in ("any", "all"):
            self.data = b""

    @classmethod
    def of_attribute(cls, raw, family):
        """get_addr_rta(): an attribute's address (4 or 16 bytes of `family`), or None."""
        got = AF_INET if len(raw) == 4 else AF_INET6 if len(raw) == 16 else None
        if got is None or family not in (AF_UNSPEC, got):
            return None
        a = cls()
        a.typed(got, raw)
        return a

    def typed(self, family, raw):
        """set_address_type()."""
        self.family, self.data = family, raw
        if family in (AF_INET, AF_INET6):
            if not any(raw):
                self.flags = INET | UNSPEC
            elif (raw[0] & 0xf0 == 0xe0) if family == AF_INET else raw[0] == 0xff:
                self.flags = INET | MULTI
            else:
                self.flags = INET

    def multi(self):
        return self.flags & (INET | MULTI) == INET | MULTI

    def not_multi(self):
        return self.flags & (INET | MULTI) == INET

    def not_unspec(self):
        return self.flags & (INET | UNSPEC) == INET


class KindReading(Interpreter):
    """A kind's parse_opt(): each option's attribute goes into the request as its word is
    read (ip's addattr in the loop), laid out as the kind's LAYOUT says.  `help` and a word
    the kind has no place for print the kind's usage on stderr and fail the command (ip's
    `return -1`: status 1)."""
    KIND = None
    RULE = None             # its word rule's //@invalid keys' prefix ("bond_link_word.")
    LAYOUT = {}             # IFLA_<KIND>_* -> Int / Bytes
    NUMBERS = {}            # alias -> IFLA_<KIND>_*: a number of the attribute's width
    UNKNOWN = '%s: unknown command "%s"?\n'

    def __init__(self):
        self.attrs = []
        self.seen = set()                # check_duparg()'s bits (vxlan, geneve)

    def add(self, attr, value):
        self.attrs.append(nl.attr(attr, self.LAYOUT[attr].pack(value)))

    def once(self, attr, key, word):
        """check_duparg(): each attribute's option once ('either "KEY" is duplicate')."""
        if attr in self.seen:
            duparg2(key, word)
        self.seen.add(attr)

    def number(self, node):
        """A numeric option: get_uN() of its width, ip's invarg() if it is not one."""
        attr = self.NUMBERS[node.alias]
        v = self.word(node, 1)
        n = self.LAYOUT[attr].word(v)
        if n is None:
            self.invalid(node, v)
        self.add(attr, n)

    def invalid(self, node, v):
        from pyip.errors import invalid
        invalid(self.RULE + node.alias, v)

    def usage(self):
        from pyip._tables import USAGE
        from pyip.release import pick
        return pick(USAGE, "link_" + self.KIND)

    def help(self, node):
        raise Failed(self.usage(), 1)

    def stray(self, index):
        raise Failed(self.UNKNOWN % (self.KIND, self.words[index]) + self.usage(), 1)

    def on_off_exit(self, what, v):
        """parse_on_off() and exit(1): a prefix of off or on, else ip's message."""
        from pyip._tables import INVALID
        raise IpExit(INVALID["on_off_prefix.on_off_prefix"] % (what, v), 1)

    def data(self):
        """IFLA_INFO_DATA's payload."""
        return b"".join(self.attrs)

    @classmethod
    def parse(cls, kind, argv, flags, ifi, iplink_parse):
        """kinds.PARSERS' entry: the words after `type KIND`."""
        reading = cls()
        reading.run(argv, cls.STARTS[0])
        return reading.data()


def family_of(module, prefix, layout="LAYOUT"):
    """A kind's attribute family (pyip.objects.Family) from its module's IFLA_<KIND>_*
    numbers and its layout: how explain decodes what the kind's reader encoded."""
    from pyip.objects import Family
    table = getattr(module, layout)
    rows = []
    for name, number in sorted(vars(module).items()):
        if name.startswith(prefix) and type(number) is int and number in table:
            codec = table[number]
            rows.append((name[len(prefix):], number,
                         (lambda raw, family=0, c=codec: c.read(bytes(raw))), name[len(prefix):]
                         .lower()))
    return Family(prefix, rows)
