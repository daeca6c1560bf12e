"""Decode netlink requests field by field: the message type and flags, each struct field and
each attribute with its name, value and size.

The same decoder reads the bytes pyip would send (explain) and the bytes ip sent (the
recordings, in the tests), so the two can be compared as decoded rows.
"""
from _struct import Struct

from pyip import netlink as nl
from pyip.explain import layouts as L


class Row:
    """One decoded piece: `name` (a C field path or an attribute name), its value as text,
    its size in bytes, its depth in the message, and `raw` (the value as a number or
    bytes, for tools)."""
    __slots__ = ("depth", "name", "value", "size", "raw", "note")

    def __init__(self, depth, name, value, size, raw=None, note=""):
        self.depth, self.name, self.value, self.size = depth, name, value, size
        self.raw, self.note = raw, note

    def key(self):
        return (self.depth, self.name, self.value, self.size)

    def as_dict(self):
        d = {"depth": self.depth, "name": self.name, "value": self.value, "size": self.size}
        if self.note:
            d["note"] = self.note
        return d


class Message:
    __slots__ = ("proto", "type", "name", "flags", "length", "rows")

    def __init__(self, proto, type_, name, flags, length, rows):
        self.proto, self.type, self.name = proto, type_, name
        self.flags, self.length, self.rows = flags, length, rows

    def flag_names(self):
        return flag_names(self.flags, L.NLM_FLAGS_GET if self.name.split("_")[-1][:3]
                          == "GET" else L.NLM_FLAGS_NEW)

    def key(self):
        return (self.proto, self.name, self.flags, [r.key() for r in self.rows])

    def as_dict(self):
        return {"protocol": "NETLINK_XFRM" if self.proto == nl.NETLINK_XFRM
                else "NETLINK_ROUTE", "type": self.name, "flags": self.flag_names(),
                "length": self.length, "fields": [r.as_dict() for r in self.rows]}


def flag_names(flags, table):
    names = []
    for bit, name in table:
        if flags & bit:
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
        n, mtype, flags, _, _ = nl.HDR.unpack_from(data, off)
        if n < 16 or off + n > len(data):
            break
        msgs.append(decode(proto, data[off:off + n]))
        off += nl.align(n)
    return msgs


def decode(proto, msg):
    n, mtype, flags, _, _ = nl.HDR.unpack_from(msg, 0)
    spec = L.MESSAGES.get((proto, mtype))
    if spec is None:
        return Message(proto, mtype, "type %d" % mtype, flags, n,
                       [Row(1, "body", msg[16:].hex(), n - 16)])
    name, body, family = spec
    rows = []
    ctx = {}
    off = 16
    if body is not None and len(msg) >= off + body.size:
        off = _struct(rows, 1, body.prefixed(body.name), msg, off, ctx)
    else:
        body = None
    if family is not None and off < len(msg):
        _attrs(rows, 1, L.FAMILIES[family], msg, nl.align(off), len(msg), ctx)
    elif off < len(msg):
        rows.append(Row(1, "(rest)", msg[off:].hex(), len(msg) - off))
    _addresses(rows)
    return Message(proto, mtype, name, flags, n, rows)


def _addresses(rows):
    """Addresses as the family of their struct says (the field comes after them), else the
    message's, else as their bytes look."""
    families = {r.name.rsplit(".", 1)[0]: r.raw for r in rows
                if r.name.endswith("family") and isinstance(r.raw, int) and r.raw}
    top = next(iter(families.values()), None)
    for r in rows:
        if r.value is None:
            family = families.get(r.name.rsplit(".", 1)[0], top)
            r.value = _addr(r.raw, family)


def _struct(rows, depth, layout, buf, off, ctx):
    """The fields of a C struct (Struct layout from layouts.py) as rows; returns the end."""
    for fname, fmt, codec in layout.fields:
        size = Struct("=" + fmt).size
        if codec is None:           # padding
            off += size
            continue
        if isinstance(codec, L.StructLayout):
            off = _struct(rows, depth, codec.prefixed(fname), buf, off, ctx)
            continue
        raw = buf[off:off + size]
        value, number = _value(codec, raw, ctx, fname)
        rows.append(Row(depth, fname, value, size, number))
        off += size
    return off


def _attrs(rows, depth, family, buf, off, end, ctx):
    while off + 4 <= end:
        n, raw_type = nl.RTA.unpack_from(buf, off)
        if n < 4 or off + n > end:
            rows.append(Row(depth, "(bad attribute)", buf[off:end].hex(), end - off))
            return
        type_ = raw_type & ~nl.NLA_F_NESTED
        name, codec = family.get(type_, ("attribute %d" % type_, "hex"))
        payload = buf[off + 4:off + n]
        if isinstance(codec, str) and codec.startswith("nest:"):
            rows.append(Row(depth, name, "", n))
            sub = codec[5:]
            if sub == "kind":           # IFLA_INFO_DATA: the family of the kind named before
                sub = L.KIND_DATA.get(ctx.get("kind"))
            if sub is None:
                if payload:
                    rows.append(Row(depth + 1, "(data)", payload.hex(), len(payload)))
            else:
                _attrs(rows, depth + 1, L.FAMILIES[sub], buf, off + 4, off + n, ctx)
        elif isinstance(codec, L.StructLayout):
            rows.append(Row(depth, name, "", n))
            if len(payload) >= codec.size:
                o = _struct(rows, depth + 1, codec.prefixed(codec.name), buf, off + 4, ctx)
                if codec.tail and o < off + n:
                    tail = buf[o:off + n]
                    value, number = _value(codec.tail, tail, ctx, codec.tail)
                    rows.append(Row(depth + 1, "%s.%s" % (codec.name, codec.tail_name), value,
                                    len(tail), number))
            else:
                rows.append(Row(depth + 1, "(short)", payload.hex(), len(payload)))
        elif isinstance(codec, tuple):          # an array of structs
            layout = codec[0]
            rows.append(Row(depth, name, "%d x %s" % (len(payload) // layout.size,
                                                      layout.name), n))
            o = off + 4
            i = 0
            while o + layout.size <= off + n:
                _struct(rows, depth + 1, layout.prefixed("%s[%d]" % (layout.name, i)), buf, o, ctx)
                o += layout.size
                i += 1
        else:
            value, number = _value(codec, payload, ctx, name)
            if name == "IFLA_INFO_KIND":
                ctx["kind"] = number
            rows.append(Row(depth, name, value, n, number))
        off += nl.align(n)


_UNPACK = {"u8": Struct("=B"), "u16": Struct("=H"), "u32": Struct("=I"), "u64": Struct("=Q"),
           "s32": Struct("=i"), "be16": Struct(">H"), "be32": Struct(">I")}


def _value(codec, raw, ctx, fname):
    """(text, number or bytes) of a field."""
    st = _UNPACK.get(codec)
    if st is not None:
        if len(raw) < st.size:
            return raw.hex() or "(empty)", raw
        v = st.unpack_from(raw)[0]
        names = L.VALUE_NAMES.get(fname.rsplit(".", 1)[-1])
        if names is not None and v in names:
            return "%d (%s)" % (v, names[v]), v
        if codec == "be32" and fname.startswith("IFLA_VTI_"):
            return "%d.%d.%d.%d (%d)" % (tuple(raw[:4]) + (v,)), v
        if codec == "be32" or v > 9:
            return "%#x (%d)" % (v, v), v
        return str(v), v
    if codec == "str":
        text = raw.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")
        return '"%s"' % text, text
    if codec == "addr":
        return None, raw            # formatted once the family is known (_addresses)
    if codec == "mac":
        return ":".join("%02x" % b for b in raw), raw
    if codec == "flag":
        return "(set)", raw
    if codec == "key":
        return ("0x" + raw.hex()) if raw else "(empty)", raw
    return raw.hex() or "(empty)", raw


def _addr(raw, family):
    if family is None and len(raw) == 16 and not any(raw[4:]):
        family = 2
    if len(raw) == 4 or (family == 2 and len(raw) >= 4):
        return ".".join(str(b) for b in raw[:4]) + ("" if len(raw) == 4 or not any(raw[4:])
                                                    else " +" + raw[4:].hex())
    if len(raw) == 16:
        import ipaddress
        if family == 10 or any(raw[4:]):
            return str(ipaddress.IPv6Address(raw))
        if family is None or family == 0:
            return "::" if not any(raw) else raw.hex()
    return raw.hex()
