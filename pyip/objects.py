"""What the decoded objects share (pyip.xfrm.objects, pyip.link.objects): attribute families
as tables of named rows, and the small value object they decode into (pyip.decode reads a
whole message into one)."""
from _struct import Struct

from pyip.netlink import attr, attrs

_U32, _U64 = Struct("=I"), Struct("=Q")


def flag_list(flags, names):
    """Flag bits as a list of names; unknown bits as one hex string, as ip prints them."""
    out = []
    for bit, name in names:
        if flags & bit:
            flags &= ~bit
            out.append(name)
    if flags:
        out.append("%x" % flags)
    return out


def pad(raw, n):
    return raw if len(raw) >= n else raw + bytes(n - len(raw))


class Obj:
    """A small value object: __slots__ are its fields, all keyword arguments."""
    __slots__ = ()

    def __init__(self, **kw):
        # the first object of a class makes its own __init__, with every field a keyword
        # argument defaulting to None (as dataclasses do): a reader builds one or more per
        # -batch line, and a loop over 36 fields cost it several microseconds
        cls = type(self)
        if "__init__" not in cls.__dict__:
            cls.__init__ = _make_init(cls)
        cls.__init__(self, **kw)

    def __eq__(self, other):
        return type(self) is type(other) and all(
            getattr(self, f) == getattr(other, f) for f in self.__slots__)

    def __repr__(self):
        return "%s(%s)" % (type(self).__name__, ", ".join(
            "%s=%r" % (f, getattr(self, f)) for f in self.__slots__
            if getattr(self, f) is not None and f != "attrs"))

    def as_dict(self, nokeys=False, stats=False):
        return {f: jsonable(getattr(self, f), nokeys, stats) for f in self.__slots__
                if getattr(self, f) is not None and f != "attrs"}


def _make_init(cls):
    fields = cls.__slots__
    src = "def __init__(self, *, %s):\n    %s\n" % (
        ", ".join("%s=None" % f for f in fields),
        "\n    ".join("self.%s = %s" % (f, f) for f in fields) if fields else "pass")
    scope = {}
    exec(src, scope)
    init = scope["__init__"]
    init.__qualname__ = cls.__qualname__ + ".__init__"
    return init


def jsonable(v, nokeys, stats):
    if isinstance(v, Obj):
        return v.as_dict(nokeys, stats)
    if isinstance(v, list):
        return [jsonable(x, nokeys, stats) for x in v]
    if isinstance(v, bytes):
        return "0x" + v.hex()
    return v


class Attr:
    """One attribute type: its name, number, codec (payload, family -> value), the field
    of the decoded object it fills (the man page's word) and, for the attributes requests
    carry, the encoder (value, family -> payload) that undoes the codec."""
    __slots__ = ("name", "type", "codec", "word", "encoder")

    def __init__(self, name, type_, codec, word, encoder=None):
        self.name, self.type, self.codec, self.word = name, type_, codec, word
        self.encoder = encoder

    def __repr__(self):
        return "Attr(%s, %d)" % (self.name, self.type)


class Family:
    """A netlink attribute family as a table of Attr rows."""

    def __init__(self, prefix, rows, ignore=0):
        self.prefix, self.ignore = prefix, ignore
        self.rows = [Attr(prefix + row[0], *row[1:]) for row in rows]
        self._by = {}
        self.by_word = {}
        for r in self.rows:
            self._by[r.type] = self._by[r.name] = r
            self.by_word.setdefault(r.word, r)

    def __getitem__(self, key):
        return self._by[key]

    def get(self, key):
        return self._by.get(key)

    def decode(self, buf, start=0, family=0, end=None):
        """{row.name: decoded value} of the attributes in buf[start:end]; unknown types
        appear as "<prefix>type" with their bytes."""
        out = {}
        for t, raw in attrs(buf, start, end, self.ignore).items():
            r = self._by.get(t)
            if r is None:
                out["%s%d" % (self.prefix, t)] = bytes(raw)
            else:
                out[r.name] = r.codec(raw, family)
        return out


    def encode(self, word, value, family=0):
        """The attribute that carries the field `word` holding value."""
        r = self.by_word[word]
        return attr(r.type, r.encoder(value, family))


# codecs: an attribute's payload (and the message's address family) -> a value; a payload
# shorter than its type reads as if zeros followed (pyip's rule for short attributes)

def u8(raw, family=0):
    return raw[0] if raw else 0


def u32(raw, family=0):
    return _U32.unpack_from(pad(raw, 4))[0]


def u64(raw, family=0):
    return _U64.unpack_from(pad(raw, 8))[0]


def raw_bytes(raw, family=0):
    return bytes(raw)


# encoders: the codecs undone

def put_u8(v, family=0):
    return bytes((v,))


def put_u32(v, family=0):
    return _U32.pack(v)


def put_u64(v, family=0):
    return _U64.pack(v)


def put_bytes(v, family=0):
    return bytes(v)
