"""Decode netlink requests field by field: the message type and flags, each struct field and
each attribute with its name, value and size.

The same decoder reads the bytes pyip would send (explain) and the bytes ip sent (the
recordings, in the tests), so the two can be compared as decoded rows.  Struct bodies are
read with explain/layouts.py (C field names); attributes with pyip's own attribute tables
(pyip.xfrm.objects.XFRMA, pyip.link.objects.IFLA, ...): one table per family, one place.
"""
from _struct import Struct

from pyip import netlink as nl
from pyip.explain import layouts as L
from pyip.objects import Obj


class Row:
    """One decoded piece: `name` (a C field path or an attribute name), its value as text,
    its size in bytes, its depth in the message, and `raw` (the value itself, for tools)."""
    __slots__ = ("depth", "name", "value", "size", "raw")

    def __init__(self, depth, name, value, size, raw=None):
        self.depth, self.name, self.value, self.size, self.raw = depth, name, value, size, raw

    def key(self):
        return (self.depth, self.name, self.value, self.size)

    def as_dict(self):
        return {"depth": self.depth, "name": self.name, "value": self.value,
                "size": self.size}


class Message:
    __slots__ = ("proto", "type", "name", "flags", "length", "rows")

    def __init__(self, proto, type_, name, flags, length, rows):
        self.proto, self.type, self.name = proto, type_, name
        self.flags, self.length, self.rows = flags, length, rows

    def flag_names(self):
        get = "_GET" in self.name
        return flag_names(self.flags, L.NLM_FLAGS_GET if get else L.NLM_FLAGS_NEW)

    def key(self):
        return (self.proto, self.name, self.flags, [r.key() for r in self.rows])

    def as_dict(self):
        return {"protocol": "NETLINK_XFRM" if self.proto == nl.NETLINK_XFRM
                else "NETLINK_ROUTE", "type": self.name, "flags": self.flag_names(),
                "length": self.length, "fields": [r.as_dict() for r in self.rows]}


def flag_names(flags, table):
    names = []
    for bit, name in table:
        if flags & bit == bit:
            names.append(name)
            flags &= ~bit
    if flags:
        names.append("%#x" % flags)
    return names


def decode_all(proto, data):
    """The messages of one datagram."""
    msgs = []
    off = 0
    while off + 16 <= len(data):
        n = nl.HDR.unpack_from(data, off)[0]
        if n < 16 or off + n > len(data):
            break
        msgs.append(decode(proto, data[off:off + n]))
        off += nl.align(n)
    return msgs


def _type_name(proto, mtype):
    if proto == nl.NETLINK_XFRM:
        from pyip.xfrm.messages import MSG_TYPES
        t = MSG_TYPES.get(mtype)
        return t.name if t else "XFRM message type %d" % mtype
    return L.RTM_NAMES.get(mtype, "RTM message type %d" % mtype)


def decode(proto, msg):
    n, mtype, flags, _, _ = nl.HDR.unpack_from(msg, 0)
    body, fam = L.MESSAGES.get((proto, mtype), (None, None))
    if (proto, mtype) in L.DUMPS_WITHOUT_BODY and flags & 0x300 == 0x300:
        body = None
    rows = []
    off = 16
    if body is not None and len(msg) >= off + body.size:
        off = _struct(rows, 1, body.prefixed(body.name), msg, off)
    _addresses(rows)
    family = next((r.raw for r in rows if r.name.endswith(".family") and r.raw), 0)
    if fam is not None and off < len(msg):
        _attrs(rows, 1, L.family(fam), msg, nl.align(off), len(msg), family, {})
    elif off < len(msg):
        rows.append(Row(1, "(rest)", msg[off:].hex(), len(msg) - off))
    return Message(proto, mtype, _type_name(proto, mtype), flags, n, rows)


def _struct(rows, depth, layout, buf, off):
    """The fields of a C struct as rows; returns where it ends."""
    for fname, fmt, codec in layout.fields:
        if isinstance(codec, L.StructLayout):
            off = _struct(rows, depth, codec.prefixed(fname), buf, off)
            continue
        size = Struct("=" + fmt).size
        if codec is not None:           # None: padding
            raw = buf[off:off + size]
            value, number = _value(codec, raw, fname)
            rows.append(Row(depth, fname, value, size, number))
        off += size
    return off


def _addresses(rows):
    """Addresses as the family of their struct says (the field comes after them), else the
    message's, else as their bytes look."""
    families = {r.name.rsplit(".", 1)[0]: r.raw for r in rows
                if r.name.endswith("family") and isinstance(r.raw, int) and r.raw}
    top = next(iter(families.values()), None)
    for r in rows:
        if r.value is None:
            r.value = _addr(r.raw, families.get(r.name.rsplit(".", 1)[0], top))


def _attrs(rows, depth, fam, buf, off, end, family, ctx):
    while off + 4 <= end:
        n, raw_type = nl.RTA.unpack_from(buf, off)
        if n < 4 or off + n > end:
            rows.append(Row(depth, "(bad attribute)", buf[off:end].hex(), end - off))
            return
        type_ = raw_type & ~nl.NLA_F_NESTED
        attr = fam.get(type_)
        name = attr.name if attr else "%s%d" % (fam.prefix, type_)
        payload = buf[off + 4:off + n]
        nested = L.NESTED.get(name)
        if nested == "kind":
            nested = L.KIND_DATA.get(ctx.get("kind"))
        if nested:
            rows.append(Row(depth, name, "", n))
            _attrs(rows, depth + 1, L.family(nested), buf, off + 4, off + n, family, ctx)
        elif name in L.STRUCT_OF:
            layout = L.STRUCT_OF[name]
            rows.append(Row(depth, name, "", n))
            if len(payload) >= layout.size:
                sub = []
                _struct(sub, depth + 1, layout.prefixed(layout.name), buf, off + 4)
                _addresses(sub)
                rows += sub
        elif attr is None or name in L.NESTED:
            rows.append(Row(depth, name, bytes(payload).hex(), n, bytes(payload)))
        else:
            value = attr.codec(payload, family)
            if name == "IFLA_INFO_KIND":
                ctx["kind"] = value
            if isinstance(value, list) and value and isinstance(value[0], Obj):
                rows.append(Row(depth, name, "%d x %s" % (len(value), type(value[0]).__name__),
                                n, value))
                for i, v in enumerate(value):
                    rows.append(Row(depth + 1, "[%d]" % i, _text(name, v), 0, v))
            else:
                rows.append(Row(depth, name, _text(name, value), n, value))
        off += nl.align(n)


def _text(name, v):
    """An attribute's decoded value as text."""
    if isinstance(v, Obj):
        return ", ".join("%s %s" % (f, _field(f, getattr(v, f))) for f in v.__slots__
                         if getattr(v, f) is not None and f != "attrs")
    if isinstance(v, bool):
        return "(set)" if v else "(not set)"
    if isinstance(v, int):
        names = L.value_names(name)
        if names is not None and v in names:
            return "%d (%s)" % (v, names[v])
        if name.endswith(("_IKEY", "_OKEY")):
            return "%d.%d.%d.%d (%d)" % (v >> 24, v >> 16 & 255, v >> 8 & 255, v & 255, v)
        return str(v) if v < 10 else "%d (%#x)" % (v, v)
    if isinstance(v, str):
        return '"%s"' % v if name.endswith(("NAME", "KIND", "name", "ALIAS", "QDISC")) else v
    if isinstance(v, (bytes, bytearray)):
        return "0x" + bytes(v).hex() if v else "(empty)"
    if isinstance(v, (list, tuple)):
        return "[%s]" % ", ".join(_text(name, x) for x in v)
    return str(v)


def _field(f, v):
    names = L.value_names({"proto": "id.proto", "level": "level"}.get(f, f))
    if names is not None and v in names:
        return "%d (%s)" % (v, names[v])
    return _text(f, v)


_UNPACK = {"u8": Struct("=B"), "u16": Struct("=H"), "u32": Struct("=I"), "u64": Struct("=Q"),
           "s32": Struct("=i"), "be16": Struct(">H"), "be32": Struct(">I")}


def _value(codec, raw, fname):
    """(text, number or bytes) of a struct field."""
    st = _UNPACK.get(codec)
    if st is not None:
        v = st.unpack_from(raw)[0]
        parts = fname.split(".")
        names = L.value_names(".".join(parts[-2:])) or L.value_names(parts[-1])
        if names is not None and v in names:
            return "%d (%s)" % (v, names[v]), v
        if codec == "be32":         # an spi: ip prints it in hex
            return "%#x (%d)" % (v, v), v
        return (str(v) if v < 10 else "%d (%#x)" % (v, v)), v
    if codec == "str":
        text = raw.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")
        return '"%s"' % text, text
    if codec == "addr":
        return None, raw            # formatted once the family is known (_addresses)
    return raw.hex() or "(empty)", raw


def _addr(raw, family):
    from pyip.addr import ntop
    if family not in (2, 10):
        family = 10 if any(raw[4:]) else 2
    return ntop(family, bytes(raw))
