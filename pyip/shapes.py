"""Dumped messages by shape: the listings' fast paths (xfrm policy and state list, link show).

A dump brings thousands of objects laid out alike: the same fixed struct, then the same
attributes of the same sizes.  For each message length seen, a Shape is one Struct that reads
a whole message into one tuple, with a second one that reads just its attribute headers, to
tell a message of that layout from another of the same length."""
from _struct import Struct

from pyip.netlink import RTA


def count(fmt):
    """How many values a struct format gives."""
    st = Struct(fmt)
    return len(st.unpack(bytes(st.size)))


def skip(n):
    """A reader for an attribute the printer does not look at."""
    return "%dx" % n


def refuse(n):
    """A reader for an attribute whose presence sends the message to the general printer."""
    return None


def u32_or_raw(n):
    """A reader taking a 4-byte payload as a number (no bytes object made), others as bytes
    (which never equal a number: memo keys of the two cannot meet)."""
    return "I" if n == 4 else "%ds" % n


def exactly(size, fmt):
    """A reader for an attribute of one size."""
    return lambda n: fmt if n == size else None


def raw(n):
    """A reader taking an attribute's payload as bytes."""
    return "%ds" % n


# How many values a text cache keeps.  Dumps repeat few values over and over (a hit is what
# a cache is for); past this many, a dump of distinct ones would only make the process grow
# with the dump (ip's listings stream in constant memory), and a miss costs what no cache does.
CACHED = 4096


class Memo(dict):
    """f(value), kept (up to `limit` values): a converter whose hits are one C-level lookup,
    no Python call."""
    __slots__ = ("f", "limit")

    def __init__(self, f, limit=CACHED):
        self.f, self.limit = f, limit

    def __missing__(self, value):
        text = self.f(value)
        if len(self) < self.limit:
            self[value] = text
        return text


class Shape:
    """`where`: attribute type -> index of its first payload value in the tuple (types read
    as values only); `plan`: what a printer worked out once for the shape."""
    __slots__ = ("st", "heads", "expect", "where", "plan", "formats")

    def __init__(self, fixed_fmt, attrs_off, formats, ignore):
        fmt, heads, expect, self.where = [fixed_fmt], ["=%dx" % attrs_off], [], {}
        self.formats = formats
        n = count(fixed_fmt)
        for ln, type_, payload_fmt in formats:
            k = count("=" + payload_fmt)
            if k:
                self.where[type_ & ~ignore] = n
            fmt.append("4x" + payload_fmt + "%dx" % (-ln % 4))
            heads.append("HH%dx" % ((ln - 1) & ~3))    # small ints: no object made
            expect += (ln, type_)
            n += k
        self.st = Struct("".join(fmt))
        self.heads = Struct("".join(heads))
        self.expect = tuple(expect)
        self.plan = None


class Shapes(dict):
    """Message length -> Shape, for one kind of dumped object: its fixed struct (`fixed_fmt`,
    attributes from `attrs_off`), `readers` (attribute type -> f(payload length) giving the
    payload's struct format, or None for a length the fast path does not take; `other` for
    types not in the table, None when those are not taken) and `plan`, what its printer
    works out once per shape from the Shape.  Types are compared as the general printer's
    netlink.attrs() compares them, with the `ignore` flag bits cleared."""

    def __init__(self, fixed_fmt, attrs_off, readers, plan, other=None, ignore=0):
        self.fixed_fmt, self.attrs_off, self.readers, self.plan, self.other = \
            fixed_fmt, attrs_off, readers, plan, other
        self.ignore = ignore

    def of(self, msg):
        """The Shape of `msg`, or None where a reader refuses it, an attribute repeats (ip
        keeps the first one) or the attributes do not end where the message does."""
        shape = self.get(len(msg))
        if shape is not None and shape.heads.unpack_from(msg) == shape.expect:
            return shape
        end = len(msg)
        i = self.attrs_off
        if end < i:
            return None
        formats, seen = [], set()
        readers, other, keep = self.readers, self.other, ~self.ignore
        while i + 4 <= end:
            ln, t = RTA.unpack_from(msg, i)
            if ln < 4 or i + ln > end or (t & keep) in seen:
                return None
            seen.add(t & keep)
            reader = readers.get(t & keep, other)
            payload_fmt = None if reader is None else reader(ln - 4)
            if payload_fmt is None:
                return None
            formats.append((ln, t, payload_fmt))
            i += (ln + 3) & ~3
        shape = Shape(self.fixed_fmt, self.attrs_off, formats, self.ignore)
        if shape.st.size != end:
            return None         # a ragged end
        shape.plan = self.plan(shape)
        if len(self) < 512:     # as netlink.attrs bounds its layouts
            self[end] = shape
        return shape
