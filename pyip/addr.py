"""Addresses as ip reads and prints them (lib/utils.c get_prefix/get_addr, rt_addr_n2a)."""
from _socket import AF_INET, AF_INET6, inet_ntop, inet_pton

from pyip._tables import TABLES
from pyip.errors import IpExit
from pyip.words import strtoul

AF_UNSPEC, AF_PACKET, AF_MPLS = 0, 17, 28
_FAMILY_NAME = {AF_UNSPEC: "any valid", AF_INET: "inet", AF_INET6: "inet6", AF_PACKET: "link",
                AF_MPLS: "mpls", 7: "bridge"}
_BITS = {AF_INET: 32, AF_INET6: 128, AF_MPLS: 20}


class Prefix:
    """inet_prefix: family, 16 bytes of address (zero padded), bitlen (-1: no length given,
    -2: "default"/"any"/"all")."""
    __slots__ = ("family", "data", "bitlen")

    def __init__(self, family=AF_UNSPEC, data=bytes(16), bitlen=0):
        self.family, self.data, self.bitlen = family, data, bitlen


def _ipv4(text):
    """get_addr_ipv4(): each part C strtoul(.., 0); "10.8" is 10.8.0.0."""
    try:
        # inet_pton takes only plain dotted quads, which ip's parser reads the same way
        return inet_pton(AF_INET, text)
    except (OSError, UnicodeError):     # a byte not UTF-8 (surrogateescape) is no address
        pass
    parts = text.split(".")
    if len(parts) > 4:
        return None
    out = bytearray(4)
    for i, part in enumerate(parts):
        n = strtoul(part, 64) if part else None
        if n is None or n > 255:
            return None
        out[i] = n
    return bytes(out)


# "default", "all", "any": the grammar's words for no address
_NO_ADDRESS = frozenset(word for word, _, _, _ in TABLES["address_word"])


def get_addr_1(name, family):
    if name in _NO_ADDRESS:
        if family == AF_MPLS:
            return None
        return Prefix(family, bytes(16), -2)
    if family == AF_PACKET or family == AF_MPLS:
        return None                          # not an xfrm/link-tunnel address
    if ":" in name:
        if family not in (AF_UNSPEC, AF_INET6):
            return None
        try:
            return Prefix(AF_INET6, inet_pton(AF_INET6, name), -1)
        except (OSError, ValueError):
            return None
    if family not in (AF_UNSPEC, AF_INET):
        return None
    data = _ipv4(name)
    if data is None:
        return None
    return Prefix(AF_INET, data + bytes(12), -1)


def _mask2bits(text):
    a = get_addr_1(text, AF_INET)
    if a is None or a.family != AF_INET:
        return None
    mask = int.from_bytes(a.data[:4], "big")
    host = ~mask & 0xffffffff
    if host & (host + 1):
        return None
    return 32 - (host.bit_length())


_prefixes = {}


def get_prefix_1(arg, family):
    """get_prefix_1(): a new Prefix, or None.  A -batch names the same addresses line after
    line: what each (text, family) gives is kept."""
    known = _prefixes.get((arg, family))
    if known is not None:
        return Prefix(*known) if known else None
    p = _get_prefix_1(arg, family)
    if len(_prefixes) < 4096:
        _prefixes[arg, family] = (p.family, p.data, p.bitlen) if p else ()
    return p


def _get_prefix_1(arg, family):
    addr, slash, plen_text = arg.partition("/")
    p = get_addr_1(addr, family)
    if p is None:
        return None
    bitlen = _BITS.get(p.family, 0)
    if slash:
        if p.bitlen == -2:
            return None
        plen = strtoul(plen_text)
        if plen is None:
            plen = _mask2bits(plen_text)
        if plen is None or plen > bitlen:
            return None
        bitlen = plen
    elif p.bitlen == -2:
        bitlen = 0
    p.bitlen = bitlen
    return p


def get_prefix(arg, family):
    if family == AF_PACKET:
        raise IpExit('Error: "%s" may be inet prefix, but it is not allowed in this context.\n'
                     % arg, 1)
    p = get_prefix_1(arg, family)
    if p is None:
        raise IpExit('Error: %s prefix is expected rather than "%s".\n'
                     % (_FAMILY_NAME.get(family, str(family)), arg), 1)
    return p


def get_addr(arg, family):
    p = get_addr_1(arg, family)
    if p is None:
        raise IpExit('Error: %s address is expected rather than "%s".\n'
                     % (_FAMILY_NAME.get(family, str(family)), arg), 1)
    return p


def get_addr32(name):
    p = get_addr_1(name, AF_INET)
    if p is None:
        raise IpExit('Error: an IP address is expected rather than "%s"\n' % name, 1)
    return p.data[:4]


class _Texts(dict):
    """Address bytes -> text, for one family.  Dumps repeat the same addresses over and over;
    as a dict with __missing__, a known one costs one lookup and no call."""

    def __init__(self, family, size):
        self.family, self.size = family, size

    def __missing__(self, data):
        if self.family == AF_PACKET:        # ll_addr_n2a(..., ARPHRD_VOID): hex bytes
            text = data[:self.size].hex(":")
        else:
            text = inet_ntop(self.family, data[:self.size])
            # a reader's text goes back into a request (pton()): the same bytes
            if len(data) == 16 and not any(data[self.size:]):
                DATAS.keep(text, data)
        if len(self) < 4096:        # as shapes.CACHED: a dump's memory must not grow
            self[data] = text
        return text


# rt_addr_n2a() for a 16-byte xfrm_address_t: AF_MPLS and AF_BRIDGE, which it reads beyond
# the 16 bytes, are left to "???" with the other families
TEXTS = {AF_INET: _Texts(AF_INET, 4), AF_INET6: _Texts(AF_INET6, 16),
         AF_PACKET: _Texts(AF_PACKET, 16)}


def ntop(family, data):
    """rt_addr_n2a() for xfrm_address_t (16 bytes)."""
    texts = TEXTS.get(family)
    return "???" if texts is None else texts[data]


class _Datas(dict):
    """Address text -> its 16 bytes (TEXTS' way back: a -batch of requests names the same
    addresses line after line).  The text's own form says its family: ip copies 16 bytes
    whatever family a message says."""

    def __missing__(self, text):
        if text == "???":                   # ntop()'s text for no known family: zeros
            return _ZERO16
        data = inet_pton(AF_INET6 if ":" in text else AF_INET, text)
        data += bytes(16 - len(data))
        self.keep(text, data)
        return data

    def keep(self, text, data):
        # bounded, and kept current: a -batch of new addresses line after line still finds
        # each line's own (its reader's ntop() put them here just before its encoder asks)
        if len(self) >= 4096:
            self.clear()
        self[text] = data


DATAS = _Datas()
_ZERO16 = bytes(16)


def pton(family, text):
    """ntop() undone: the 16 bytes of an xfrm_address_t (no text: zeros, which is what
    ip's requests hold there); the family is the text's own.  OSError for text that is no
    address."""
    return DATAS[text] if text else _ZERO16
