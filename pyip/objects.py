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


class Named(int):
    """A number ip prints as a word: Proto(50) is "esp".  It is the int (arithmetic, %d,
    struct.pack, int() give the number) and is equal to its name as well:
    Proto(50) == 50 == "esp" == Proto("esp").  str() is the name (the number's digits when
    the table has none), repr() Proto('esp'), .name the name or None.

    It hashes as the number, so a dict or set keyed by numbers finds it and one keyed by
    names does not (look up .name there).  json.dumps() writes it as the number, as it does
    any int; as_dict() of the object holding it has the name, as `pyip -j` prints it.
    A subclass gives NAMES (number -> the man page's word)."""
    __slots__ = ()
    NAMES = {}
    _interned = {}

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        cls._interned = {}

    def __new__(cls, value=0):
        if isinstance(value, str):
            number = cls.number_of(value)
            if number is None:
                try:
                    number = int(value, 0)
                except ValueError:
                    raise ValueError("%s has no value %r; its names: %s" % (
                        cls.__name__, value, ", ".join(cls.names()))) from None
            value = number
        return int.__new__(cls, value)

    @classmethod
    def of(cls, number):
        """The value for a decoded number (one object per named value)."""
        v = cls._interned.get(number)
        if v is None:
            v = cls(number)
            if number in cls.NAMES:
                cls._interned[number] = v
        return v

    @classmethod
    def names(cls):
        return list(cls.NAMES.values())

    @classmethod
    def words(cls):
        """{the grammar's alias (the word, "_" for "-"): the value}: a reader's VALUES table,
        whose values need no converting when an object takes them."""
        return {name.replace("-", "_"): cls.of(number) for number, name in cls.NAMES.items()}

    @classmethod
    def number_of(cls, name):
        for number, n in cls.NAMES.items():
            if n == name:
                return number
        return None

    @classmethod
    def name_of(cls, number):
        return cls.NAMES.get(number)

    @property
    def name(self):
        return self.name_of(int(self))

    def __str__(self):
        n = self.name
        return int.__repr__(self) if n is None else n

    def __format__(self, spec):
        # "{}" and "%s" read the name; a numeric spec ("{:d}", "{:x}") the number
        return str(self) if not spec else int.__format__(int(self), spec)

    def __repr__(self):
        n = self.name
        return "%s(%r)" % (type(self).__name__, int(self) if n is None else n)

    def __eq__(self, other):
        if isinstance(other, str):
            return other == self.name
        return int.__eq__(self, other)

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    __hash__ = int.__hash__


class Obj:
    """A small value object: __slots__ are its fields, all keyword arguments.  NAMED maps the
    fields ip prints as words to their Named class: a value given by hand as a name or a
    number becomes one (Proto("esp")), as the decoder makes them."""
    __slots__ = ()
    NAMED = {}

    def __init__(self, **kw):
        # a class that is made often makes its own __init__, with every field a keyword
        # argument defaulting to None (as dataclasses do): a reader builds one or more per
        # -batch line, and a loop over 36 fields cost it several microseconds.  Its first
        # objects take the loop: compiling that __init__ costs a single command ~0.1 ms a class
        cls = type(self)
        made = _MADE.get(cls, 0)
        if made < _LOOPED:
            _MADE[cls] = made + 1
            _init_by_loop(self, cls, kw)
            return
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


_MADE = {}      # class -> objects made by the loop
_LOOPED = 16


def _init_by_loop(self, cls, kw):
    """What _make_init's __init__ does, field by field."""
    named = cls.NAMED
    for f in cls.__slots__:
        v = kw.pop(f, None)
        if v is not None and f in named:
            n = named[f]
            if type(v) is not n:
                v = n.of(v) if type(v) is int else n(v)
        setattr(self, f, v)
    if kw:
        raise TypeError("%s.__init__() got an unexpected keyword argument '%s'"
                        % (cls.__qualname__, next(iter(kw))))


def _make_init(cls):
    """cls's __init__: each field a keyword argument, None by default; a NAMED field's value
    becomes its Named class's (a decoded number: the interned one)."""
    fields = cls.__slots__
    scope = {}
    lines = []
    for i, (f, named) in enumerate(sorted(cls.NAMED.items())):
        scope["N%d" % i] = named
        lines.append("if %s is not None and type(%s) is not N%d: %s = N%d.of(%s) if type(%s) "
                     "is int else N%d(%s)" % (f, f, i, f, i, f, f, i, f))
    lines += ["self.%s = %s" % (f, f) for f in fields]
    src = "def __init__(self, *, %s):\n    %s\n" % (
        ", ".join("%s=None" % f for f in fields), "\n    ".join(lines) or "pass")
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
