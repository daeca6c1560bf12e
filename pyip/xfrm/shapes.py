"""Dumped messages by shape: the listings' fast paths (policy.print_listed, sa.print_listed).

A dump brings thousands of objects laid out alike: the same fixed struct, then the same
attributes of the same sizes.  For each message length seen, a Shape is one Struct that reads
a whole message into one tuple, with a second one that reads just its attribute headers, to
tell a message of that layout from another of the same length."""
from struct import Struct

from pyip.netlink import RTA, attrs


def count(fmt):
    """How many values a struct format gives."""
    st = Struct(fmt)
    return len(st.unpack(bytes(st.size)))


class Shape:
    """`where`: attribute type -> index of its first payload value in the tuple; `plan`:
    what a printer worked out once for the shape."""
    __slots__ = ("st", "heads", "expect", "where", "plan")

    def __init__(self, fixed_fmt, attrs_off, readers, tb):
        fmt, heads, expect, self.where = [fixed_fmt], ["=%dx" % attrs_off], [], {}
        n = count(fixed_fmt)
        for type_, payload in tb.items():
            payload_fmt = readers[type_](len(payload)) + "%dx" % (-len(payload) % 4)
            self.where[type_] = n + 2
            fmt.append("HH" + payload_fmt)
            heads.append("4s%dx" % ((len(payload) + 3) & ~3))
            expect.append(RTA.pack(4 + len(payload), type_))
            n += 2 + count("=" + payload_fmt)
        self.st = Struct("".join(fmt))
        self.heads = Struct("".join(heads))
        self.expect = tuple(expect)
        self.plan = None


class Shapes(dict):
    """Message length -> Shape, for one kind of dumped object: its fixed struct (`fixed_fmt`,
    attributes from `attrs_off`), `readers` (attribute type -> f(payload length) giving the
    payload's struct format, or None for a length the fast path does not take) and `plan`,
    what its printer works out once per shape from `where`."""

    def __init__(self, fixed_fmt, attrs_off, readers, plan):
        self.fixed_fmt, self.attrs_off, self.readers, self.plan = \
            fixed_fmt, attrs_off, readers, plan

    def of(self, msg):
        """The Shape of `msg`, or None where a reader is missing."""
        shape = self.get(len(msg))
        if shape is not None and shape.heads.unpack_from(msg) == shape.expect:
            return shape
        if len(msg) < self.attrs_off:
            return None
        tb = attrs(msg, self.attrs_off)
        for type_, payload in tb.items():
            reader = self.readers.get(type_)
            if reader is None or reader(len(payload)) is None:
                return None
        shape = Shape(self.fixed_fmt, self.attrs_off, self.readers, tb)
        if shape.st.size != len(msg) or shape.heads.unpack_from(msg) != shape.expect:
            return None         # a repeated attribute (the last one wins), a ragged end
        shape.plan = self.plan(shape.where)
        if len(self) < 512:     # as netlink.attrs bounds its layouts
            self[len(msg)] = shape
        return shape


def exactly(size, fmt):
    """A reader for an attribute of one size."""
    return lambda n: fmt if n == size else None
