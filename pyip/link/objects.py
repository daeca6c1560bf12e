"""Links as data: the IFLA_* families pyip reads and writes (top level, IFLA_INFO_*, and the
kinds' IFLA_XFRM_* / IFLA_VTI_*) as tables, a typed Link with its kind's info, and one decoder
for RTM_NEWLINK replies and for the RTM_NEWLINK/SETLINK requests pyip sends.

API:
    decode(msg_type, payload) -> Link     (payload: after the nlmsghdr; ifinfomsg + IFLA_*)
    decode_message(msg)       -> Link
    IFLA, IFLA_INFO, IFLA_XFRM, IFLA_VTI  Family tables (see pyip.objects.Family):
                              rows Attr(name, type, codec, word), family["IFLA_XFRM_IF_ID"]
    Link      index ifname flags (list of IFF_ names, ip's words) mtu link master txqlen
              operstate group address broadcast alias altnames kind info (XfrmInfo, VtiInfo or
              {name: value}) netnsid attrs
    XfrmInfo  link if_id external           (type xfrm)
    VtiInfo   family link ikey okey local remote fwmark     (type vti / vti6)

as_dict() of a Link gives ip -j link show's main keys (ifindex, ifname, flags, mtu, ...,
linkinfo {info_kind, info_data}); `-j link show` itself stays ip's own printer.
"""
from pyip.addr import AF_INET, AF_INET6, ntop, pton
from pyip import ifla as i
from pyip.netlink import NLA_F_NESTED, addattr_l, attr, attrs, cstr, nest_l
from pyip.objects import Family, Obj, flag_list, put_bytes, put_u8, put_u32, raw_bytes, u8, u32


def _str(raw, family=0):
    return cstr(raw)


def _hw(raw, family=0):
    return bytes(raw).hex(":")


def _flag(raw, family=0):
    return True


def _key(raw, family=0):
    """IFLA_VTI_[IO]KEY: a big-endian u32, which ip prints as a dotted quad."""
    return int.from_bytes(bytes(raw[:4]).ljust(4, b"\0"), "big")


def _endpoint(raw, family=0):
    if len(raw) == 4:
        return ntop(AF_INET, bytes(raw) + bytes(12))
    if len(raw) == 16:
        return ntop(AF_INET6, bytes(raw))
    return bytes(raw)


def _put_hw(text, family=0):
    return bytes.fromhex(text.replace(":", ""))


def _put_text(text, family=0):
    """IFLA_IFALIAS: the text, no NUL (ip's addattr_l of strlen())."""
    return text.encode("utf-8", "surrogateescape")


def _put_cstr(text, family=0):
    return text.encode("utf-8", "surrogateescape") + b"\0"


def _put_operstate(v, family=0):
    return bytes((i.OPERSTATES.index(v) if isinstance(v, str) else v,))


def _reason(raw, family=0):
    """IFLA_PROTO_DOWN_REASON in a request: (mask, value)."""
    tb = attrs(raw, 0, None, NLA_F_NESTED)
    return (u32(tb.get(i.IFLA_PROTO_DOWN_REASON_MASK, b"")),
            u32(tb.get(i.IFLA_PROTO_DOWN_REASON_VALUE, b"")))


def _put_reason(v, family=0):
    return attr(i.IFLA_PROTO_DOWN_REASON_MASK, put_u32(v[0])) + \
        attr(i.IFLA_PROTO_DOWN_REASON_VALUE, put_u32(v[1]))


def _xdp(raw, family=0):
    """IFLA_XDP in a request: (fd, flags or None)."""
    tb = attrs(raw, 0, None, NLA_F_NESTED)
    fd = int.from_bytes(bytes(tb.get(i.IFLA_XDP_FD, b""))[:4].ljust(4, b"\0"), "little",
                        signed=True)
    return fd, (u32(tb[i.IFLA_XDP_FLAGS]) if i.IFLA_XDP_FLAGS in tb else None)


def _put_xdp(v, family=0):
    fd, flags = v
    return attr(i.IFLA_XDP_FD, (fd & 0xffffffff).to_bytes(4, "little")) + (
        attr(i.IFLA_XDP_FLAGS, put_u32(flags)) if flags is not None else b"")


def _put_flag(v, family=0):
    return b""


def _put_key(v, family=0):
    return v.to_bytes(4, "big")


def _put_endpoint(text, family=0):
    """An endpoint's address in its family's size (vti: 4 bytes, vti6: 16)."""
    data = pton(family, text)
    return data[:4] if family == AF_INET else data


# (name, number, decoder, the object's field, encoder)
IFLA_XFRM = Family("IFLA_XFRM_", [
    ("LINK", 1, u32, "link", put_u32), ("IF_ID", 2, u32, "if_id", put_u32),
    ("COLLECT_METADATA", 3, _flag, "external", _put_flag)], NLA_F_NESTED)
IFLA_VTI = Family("IFLA_VTI_", [
    ("LINK", 1, u32, "link", put_u32), ("IKEY", 2, _key, "ikey", _put_key),
    ("OKEY", 3, _key, "okey", _put_key), ("LOCAL", 4, _endpoint, "local", _put_endpoint),
    ("REMOTE", 5, _endpoint, "remote", _put_endpoint),
    ("FWMARK", 6, u32, "fwmark", put_u32)], NLA_F_NESTED)


def _encode(table, obj, fields, family=0):
    return b"".join([table.encode(f, getattr(obj, f), family) for f in fields
                     if getattr(obj, f) is not None])


class XfrmInfo(Obj):
    """An xfrm interface's options (type xfrm)."""
    __slots__ = ("link", "if_id", "external")

    def encode(self, order=None):
        """IFLA_INFO_DATA as xfrm_parse_opt() builds it: the if_ids as the words gave them
        (`order`: the values, in word order; default: this object's), then external, or
        else the lower device."""
        ids = [self.if_id] if order is None and self.if_id is not None else order or []
        out = b"".join([IFLA_XFRM.encode("if_id", v) for v in ids])
        if self.external:
            return out + IFLA_XFRM.encode("external", True)
        return out + _encode(IFLA_XFRM, self, ("link",)) if self.link else out

    def as_dict(self, nokeys=False, stats=False):
        d = {}
        if self.link:
            d["link"] = self.link
        if self.if_id is not None:
            d["if_id"] = "%#x" % self.if_id if self.if_id else "0"
        if self.external:
            d["external"] = True
        return d


class VtiInfo(Obj):
    """A vti or vti6 device's options."""
    __slots__ = ("family", "link", "ikey", "okey", "local", "remote", "fwmark")

    def encode(self, order=None):
        """IFLA_INFO_DATA as vti(6)_parse_opt() builds it: both keys, the endpoints that are
        not "any", the fwmark, the lower device if any."""
        return _encode(IFLA_VTI, self, ("ikey", "okey"), self.family) + \
            _encode(IFLA_VTI, self, [f for f in ("local", "remote")
                                     if getattr(self, f) not in (None, "0.0.0.0", "::")],
                    self.family) + \
            _encode(IFLA_VTI, self, ("fwmark",) + (("link",) if self.link else ()))

    def as_dict(self, nokeys=False, stats=False):
        d = {"remote": self.remote or "any", "local": self.local or "any"}
        for f in ("link", "ikey", "okey", "fwmark"):
            v = getattr(self, f)
            if v:
                d[f] = v
        return d


def _fill(obj, table, raw):
    tb = table.decode(raw, 0)
    for name, value in tb.items():
        r = table.get(name)
        if r is not None:
            setattr(obj, r.word, value)
    return obj


def _info_data(kind, raw):
    if kind == "xfrm":
        return _fill(XfrmInfo(), IFLA_XFRM, raw)
    if kind in ("vti", "vti6"):
        return _fill(VtiInfo(family=AF_INET6 if kind == "vti6" else AF_INET), IFLA_VTI, raw)
    return bytes(raw)


def _linkinfo(raw, family=0):
    tb = IFLA_INFO.decode(raw, 0)
    kind = tb.get("IFLA_INFO_KIND")
    data = tb.get("IFLA_INFO_DATA")
    return kind, None if data is None else _info_data(kind, data)


def _altnames(raw, family=0):
    out = []
    off = 0
    while off + 4 <= len(raw):          # repeated IFLA_ALT_IFNAME: attrs() keeps one
        n = raw[off] | raw[off + 1] << 8
        if n < 4:
            break
        if (raw[off + 2] | raw[off + 3] << 8) & ~NLA_F_NESTED == i.IFLA_ALT_IFNAME:
            out.append(cstr(raw[off + 4:off + n]))
        off += (n + 3) & ~3
    return out


IFLA_INFO = Family("IFLA_INFO_", [
    ("KIND", i.IFLA_INFO_KIND, _str, "kind"), ("DATA", i.IFLA_INFO_DATA, raw_bytes, "data"),
    ("XSTATS", i.IFLA_INFO_XSTATS, raw_bytes, "xstats"),
    ("SLAVE_KIND", i.IFLA_INFO_SLAVE_KIND, _str, "slave_kind"),
    ("SLAVE_DATA", i.IFLA_INFO_SLAVE_DATA, raw_bytes, "slave_data")], NLA_F_NESTED)

IFLA = Family("IFLA_", [
    ("ADDRESS", i.IFLA_ADDRESS, _hw, "address", _put_hw),
    ("BROADCAST", i.IFLA_BROADCAST, _hw, "broadcast", _put_hw),
    ("IFNAME", i.IFLA_IFNAME, _str, "ifname", _put_cstr),
    ("MTU", i.IFLA_MTU, u32, "mtu", put_u32),
    ("LINK", i.IFLA_LINK, u32, "link", put_u32), ("QDISC", i.IFLA_QDISC, _str, "qdisc"),
    ("MASTER", i.IFLA_MASTER, u32, "master", put_u32),
    ("TXQLEN", i.IFLA_TXQLEN, u32, "txqlen", put_u32),
    ("OPERSTATE", i.IFLA_OPERSTATE, u8, "operstate", _put_operstate),
    ("LINKMODE", i.IFLA_LINKMODE, u8, "linkmode", put_u8),
    ("LINKINFO", i.IFLA_LINKINFO, _linkinfo, "linkinfo"),
    ("NET_NS_PID", i.IFLA_NET_NS_PID, u32, "netns_pid", put_u32),
    ("IFALIAS", i.IFLA_IFALIAS, _str, "alias", _put_text),
    ("GROUP", i.IFLA_GROUP, u32, "group", put_u32),
    ("NET_NS_FD", i.IFLA_NET_NS_FD, u32, "netns_fd", put_u32),
    ("EXT_MASK", i.IFLA_EXT_MASK, u32, "ext_mask", put_u32),
    ("PROMISCUITY", i.IFLA_PROMISCUITY, u32, "promiscuity"),
    ("NUM_TX_QUEUES", i.IFLA_NUM_TX_QUEUES, u32, "num_tx_queues", put_u32),
    ("NUM_RX_QUEUES", i.IFLA_NUM_RX_QUEUES, u32, "num_rx_queues", put_u32),
    ("CARRIER", i.IFLA_CARRIER, u8, "carrier", put_u8),
    ("PROTO_DOWN", i.IFLA_PROTO_DOWN, u8, "proto_down", put_u8),
    ("LINK_NETNSID", i.IFLA_LINK_NETNSID, u32, "link_netnsid", put_u32),
    ("GSO_MAX_SEGS", i.IFLA_GSO_MAX_SEGS, u32, "gso_max_segs", put_u32),
    ("GSO_MAX_SIZE", i.IFLA_GSO_MAX_SIZE, u32, "gso_max_size", put_u32),
    ("XDP", i.IFLA_XDP, _xdp, "xdp", _put_xdp),
    ("NEW_IFINDEX", i.IFLA_NEW_IFINDEX, u32, "new_index", put_u32),
    ("MIN_MTU", i.IFLA_MIN_MTU, u32, "min_mtu"), ("MAX_MTU", i.IFLA_MAX_MTU, u32, "max_mtu"),
    ("PROP_LIST", i.IFLA_PROP_LIST, _altnames, "altnames"),
    ("PERM_ADDRESS", i.IFLA_PERM_ADDRESS, _hw, "permaddr"),
    ("PROTO_DOWN_REASON", i.IFLA_PROTO_DOWN_REASON, _reason, "proto_down_reason", _put_reason),
    ("PARENT_DEV_NAME", i.IFLA_PARENT_DEV_NAME, _str, "parent_dev", _put_cstr),
    ("GRO_MAX_SIZE", i.IFLA_GRO_MAX_SIZE, u32, "gro_max_size", put_u32),
    ("ALLMULTI", i.IFLA_ALLMULTI, u32, "allmulti"),
    # in requests: addrgenmode's and inet's nests, and the name of a device looked up by an
    # alt name
    ("AF_SPEC", i.IFLA_AF_SPEC, raw_bytes, "af_spec", put_bytes),
    ("ALT_IFNAME", i.IFLA_ALT_IFNAME, _str, "alt_ifname", _put_cstr),
    # link DEV beside link-netns/link-netnsid (ip 6.12): DEV asked of the namespace by its nsid
    ("TARGET_NETNSID", i.IFLA_TARGET_NETNSID, u32, "target_netnsid", put_u32),
], NLA_F_NESTED)


class Link(Obj):
    """A network device, as `ip link show` lists it, and the device an `ip link add|set|
    change|delete` request describes (pyip.link.modify reads the words into one)."""
    __slots__ = ("index", "ifname", "flags", "mtu", "link", "master", "txqlen", "operstate",
                 "group", "address", "broadcast", "alias", "altnames", "kind", "info",
                 "link_netnsid", "type", "change",
                 # what requests carry
                 "linkmode", "carrier", "proto_down", "num_tx_queues", "num_rx_queues",
                 "gso_max_size", "gso_max_segs", "gro_max_size", "netns_fd", "netns_pid",
                 "af_spec", "new_index", "parent_dev", "proto_down_reason", "xdp",
                 "alt_ifname", "ext_mask", "target_netnsid", "attrs")

    def encode(self, order, length=32, kind_nul=False):
        """The attributes of a request, as iplink_parse() and iplink_modify() add them:
        `order` the (field, value) pairs in the words' order (ip adds an attribute each time
        a word gives one, so a word given twice sends two); `length` the request's length so
        far, for ip's bounds (the device's name and the parent device's against its
        1056-byte request, a kind's options against 1024: past them ip says so and leaves
        the attribute out); `kind_nul`: IFLA_INFO_KIND with its NUL (ip 6.19 on)."""
        from pyip.links import LL_REQ
        out = []
        for word, value in order:
            if word == "linkinfo":
                data = _encode_linkinfo(self.kind, value, kind_nul)
                out.append(nest_l(length, LL_REQ, i.IFLA_LINKINFO, data, KIND_DATA_BOUND))
            elif word in BOUNDED:
                r = IFLA.by_word[word]
                out.append(addattr_l(length, LL_REQ, r.type, r.encoder(value)))
            else:
                r = IFLA.by_word[word]
                t = r.type | NLA_F_NESTED if word in _NESTED else r.type
                out.append(attr(t, r.encoder(value)))
            length += len(out[-1])
        return b"".join(out)

    def as_dict(self, nokeys=False, stats=False):
        d = {"ifindex": self.index}
        for f in ("ifname", "flags", "mtu", "master", "operstate", "group", "txqlen",
                  "address", "broadcast", "alias", "altnames", "link_netnsid"):
            v = getattr(self, f)
            if v is not None:
                d[f] = v
        if self.link is not None:
            d["link_index"] = self.link
        if self.kind is not None:
            d["linkinfo"] = {"info_kind": self.kind}
            if self.info is not None:
                d["linkinfo"]["info_data"] = (self.info.as_dict() if isinstance(self.info, Obj)
                                              else "0x" + self.info.hex())
        return d


# the attributes ip adds with addattr_l() against its request's size, and the one it sends
# with NLA_F_NESTED set
BOUNDED = ("ifname", "parent_dev")
_NESTED = ("proto_down_reason",)
# a kind's options go into IFLA_INFO_DATA with ip's bound of 1024 (link_vti.c, ...)
KIND_DATA_BOUND = {i.IFLA_INFO_DATA: 1024, i.IFLA_INFO_SLAVE_DATA: 1024}


def _encode_linkinfo(kind, info, kind_nul):
    """IFLA_LINKINFO's inside: the kind, then its options (IFLA_INFO_SLAVE_DATA for a
    port's kind): an XfrmInfo or VtiInfo encodes itself, another kind's are its bytes; None
    for a kind given without options."""
    out = attr(i.IFLA_INFO_KIND, kind.encode("utf-8", "surrogateescape") +
               (b"\0" if kind_nul else b""))
    if info is None:
        return out
    data = info if isinstance(info, (bytes, bytearray)) else info.encode()
    return out + attr(i.IFLA_INFO_SLAVE_DATA if kind.endswith("_slave") else i.IFLA_INFO_DATA,
                      bytes(data))


def request_order(payload):
    """(Link, order, kind_nul) of an RTM_*LINK request's payload (after the nlmsghdr), each
    attribute in its place (repeats kept), and whether its kind carried a NUL: what
    Link.encode() takes to give the request back."""
    payload = bytes(payload)
    link = decode(0, payload)
    order = []
    kind_nul = False
    off = 16
    while off + 4 <= len(payload):
        n = payload[off] | payload[off + 1] << 8
        if n < 4:
            break
        t = (payload[off + 2] | payload[off + 3] << 8) & ~NLA_F_NESTED
        raw = payload[off + 4:off + n]
        r = IFLA.get(t)
        if r is None:
            raise ValueError("IFLA attribute %d has no row in IFLA" % t)
        if r.word == "linkinfo":
            tb = attrs(raw, 0, None, NLA_F_NESTED)
            kind = bytes(tb.get(i.IFLA_INFO_KIND, b""))
            link.kind = cstr(kind)
            data = tb.get(i.IFLA_INFO_DATA, tb.get(i.IFLA_INFO_SLAVE_DATA))
            order.append(("linkinfo", None if data is None else bytes(data)))
            kind_nul = kind.endswith(b"\0")
        else:
            order.append((r.word, r.codec(raw, 0)))
        off += (n + 3) & ~3
    return link, order, kind_nul


def decode(msg_type, payload):
    """One RTM_*LINK payload as a Link."""
    payload = bytes(payload)
    _, ltype, index, flags, change = i.IFINFOMSG.unpack_from(payload.ljust(16, b"\0"))
    tb = IFLA.decode(payload, 16)
    link = Link(index=index, type=ltype, change=change,
                flags=flag_list(flags, i.FLAG_NAMES), attrs=tb)
    for name, value in tb.items():
        r = IFLA.get(name)
        if r is None:
            continue
        if r.word == "linkinfo":
            link.kind, link.info = value
        elif r.word == "operstate":
            link.operstate = (i.OPERSTATES[value] if value < len(i.OPERSTATES)
                              else str(value))
        elif r.word in Link.__slots__:
            setattr(link, r.word, value)
    return link


def decode_message(msg):
    return decode(msg[4] | msg[5] << 8, msg[16:])
