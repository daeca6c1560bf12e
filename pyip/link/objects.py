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
from pyip.link import ifla as i
from pyip.netlink import NLA_F_NESTED, cstr
from pyip.objects import Family, Obj, flag_list, put_u32, raw_bytes, u8, u32


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
    ("ADDRESS", i.IFLA_ADDRESS, _hw, "address"), ("BROADCAST", i.IFLA_BROADCAST, _hw, "broadcast"),
    ("IFNAME", i.IFLA_IFNAME, _str, "ifname"), ("MTU", i.IFLA_MTU, u32, "mtu"),
    ("LINK", i.IFLA_LINK, u32, "link"), ("QDISC", i.IFLA_QDISC, _str, "qdisc"),
    ("MASTER", i.IFLA_MASTER, u32, "master"), ("TXQLEN", i.IFLA_TXQLEN, u32, "txqlen"),
    ("OPERSTATE", i.IFLA_OPERSTATE, u8, "operstate"),
    ("LINKMODE", i.IFLA_LINKMODE, u8, "linkmode"),
    ("LINKINFO", i.IFLA_LINKINFO, _linkinfo, "linkinfo"),
    ("NET_NS_PID", i.IFLA_NET_NS_PID, u32, "netns_pid"),
    ("IFALIAS", i.IFLA_IFALIAS, _str, "alias"),
    ("GROUP", i.IFLA_GROUP, u32, "group"), ("NET_NS_FD", i.IFLA_NET_NS_FD, u32, "netns_fd"),
    ("EXT_MASK", i.IFLA_EXT_MASK, u32, "ext_mask"),
    ("PROMISCUITY", i.IFLA_PROMISCUITY, u32, "promiscuity"),
    ("NUM_TX_QUEUES", i.IFLA_NUM_TX_QUEUES, u32, "num_tx_queues"),
    ("NUM_RX_QUEUES", i.IFLA_NUM_RX_QUEUES, u32, "num_rx_queues"),
    ("CARRIER", i.IFLA_CARRIER, u8, "carrier"),
    ("LINK_NETNSID", i.IFLA_LINK_NETNSID, u32, "link_netnsid"),
    ("GSO_MAX_SEGS", i.IFLA_GSO_MAX_SEGS, u32, "gso_max_segs"),
    ("GSO_MAX_SIZE", i.IFLA_GSO_MAX_SIZE, u32, "gso_max_size"),
    ("MIN_MTU", i.IFLA_MIN_MTU, u32, "min_mtu"), ("MAX_MTU", i.IFLA_MAX_MTU, u32, "max_mtu"),
    ("PROP_LIST", i.IFLA_PROP_LIST, _altnames, "altnames"),
    ("PERM_ADDRESS", i.IFLA_PERM_ADDRESS, _hw, "permaddr"),
    ("ALLMULTI", i.IFLA_ALLMULTI, u32, "allmulti"),
    # in requests: addrgenmode's nest, and the name of a device looked up by an alt name
    ("AF_SPEC", i.IFLA_AF_SPEC, raw_bytes, "af_spec"),
    ("ALT_IFNAME", i.IFLA_ALT_IFNAME, _str, "alt_ifname"),
], NLA_F_NESTED)


class Link(Obj):
    """A network device, as `ip link show` lists it."""
    __slots__ = ("index", "ifname", "flags", "mtu", "link", "master", "txqlen", "operstate",
                 "group", "address", "broadcast", "alias", "altnames", "kind", "info",
                 "link_netnsid", "type", "change", "attrs")

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
