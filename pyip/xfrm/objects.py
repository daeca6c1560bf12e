"""SAs, policies and their parts as data: the attribute family declared once as a table,
typed objects with ip-xfrm(8)'s names, each with the decoder of its message and the encoder
of the request pyip sends (pyip.xfrm.messages decodes any whole message into them).

API (for the JSON printer, the Python API, save, explain and check):

    XFRMA                       the attribute family: XFRMA.rows are Attr(name, type, codec,
                                word); XFRMA["XFRMA_MARK"] / XFRMA[21] find a row;
                                XFRMA.decode(buf, start, family) -> {name: value} (as ip reads
                                them: the first of a repeated type wins).

    XfrmState   src dst family proto spi reqid mode replay_window flags extra_flags seq sel
                lifetime lifetime_cur stats mark output_mark auth auth_trunc aead enc comp
                encap coa lastused anti_replay anti_replay_esn offload if_id tfcpad ctx attrs
                event (None, "deleted", "updated", "expired") hard (expire only)
    XfrmPolicy  sel dir socket action priority index flags share lifetime lifetime_cur ptype
                tmpls [XfrmTmpl] mark if_id ctx attrs event hard
    XfrmTmpl    src dst family proto spi reqid mode share level aalgos ealgos calgos
    XfrmSaId    dst spi family proto src mark if_id attrs       (get/delete of an SA)
    XfrmPolicyId sel index dir ptype mark if_id ctx attrs       (get/delete of a policy)
    Selector    src dst prefixlen_s prefixlen_d family proto sport dport sport_mask dport_mask
                ifindex user
    Mark(value, mask)  Lifetime (the 8 limits, man page names)  LifetimeCur(bytes, packets,
    add_time, use_time)  Stats(replay_window, replay, failed)  Algo(kind, name, key, key_bits,
    icv_len / trunc_len)  Encap(type, sport, dport, addr)  Offload(ifindex, dir)
    ReplayState(seq, oseq, bitmap)  ReplayEsn(...)  SecCtx(alg, doi, ctx)
    DefaultPolicy(in_, fwd, out)  Flush AllocSpi
    (pyip.xfrm.messages: SadInfo SpdInfo Acquire Report Aevent Mapping Raw)

XfrmState and XfrmPolicy have command(nokeys=False): the -batch line that makes them again
(pyip.xfrm.save; None where no command can).
Every object has as_dict(nokeys=False, stats=False) -- the object `pyip -j [-s] xfrm ...`
prints (see README, "JSON") -- and equality by value.  Addresses are text, numbers are ints,
byte-order quirks are undone (spi, ports are plain numbers).
"""
from _struct import Struct

from pyip.addr import ntop, pton
from pyip.netlink import attr, attrs
from pyip.objects import (Family, Named, Obj, flag_list, jsonable, pad, put_bytes, put_u8,
                          put_u32, put_u64, raw_bytes, u8, u32, u64)
from pyip.xfrm import msgs as m
from pyip.xfrm.msgs import (ACTION_NAMES, DEFAULT_NAMES, DIR_NAMES, ENCAP_NAMES, LEVEL_NAMES,
                            MODE_NAMES, POLICY_FLAGS, PROTO_NAMES, PTYPE_NAMES, SHARE_NAMES,
                            name_of)

_U32, _I32 = Struct("=I"), Struct("=i")
_MARK = Struct("=II")
_SELECTOR_PACK = m.SELECTOR.struct.pack
INF = m.XFRM_INF
_ALL = 0xffffffff               # a template's algorithm masks where none are given: any
_ENCAP_TYPES = {name: t for t, name in ENCAP_NAMES.items()}


_BE16 = {None: b"\0\0", 0: b"\0\0", 0xffff: b"\xff\xff"}     # the ports and masks most have


def _be16(v):
    """A port (or a key half) as the kernel keeps it: network order."""
    b = _BE16.get(v)
    return v.to_bytes(2, "big") if b is None else b


# ---- numbers ip prints as words (the tables are msgs') -----------------------------------

class Proto(Named):
    """An XFRM protocol (XFRM-PROTO): esp, ah, comp, route2, hao, ipsec-any."""
    __slots__ = ()
    NAMES = PROTO_NAMES


class Mode(Named):
    """An SA's or template's mode: transport, tunnel, ro, in_trigger, beet."""
    __slots__ = ()
    NAMES = MODE_NAMES


class Share(Named):
    """A policy's or template's share: any, session, user, unique."""
    __slots__ = ()
    NAMES = SHARE_NAMES


class Dir(Named):
    """A policy's direction: in, out, fwd."""
    __slots__ = ()
    NAMES = DIR_NAMES


class Action(Named):
    """A policy's action: allow, block."""
    __slots__ = ()
    NAMES = ACTION_NAMES


class PolicyType(Named):
    """A policy's type (ptype): main, sub."""
    __slots__ = ()
    NAMES = PTYPE_NAMES


class Level(Named):
    """A template's level: required (0), use (1)."""
    __slots__ = ()
    NAMES = LEVEL_NAMES


class DefaultAction(Named):
    """A direction's default policy: unspec, block, accept."""
    __slots__ = ()
    NAMES = DEFAULT_NAMES


class IpProto(Named):
    """A selector's upper-layer protocol: its name in /etc/protocols (tcp, ipv6-icmp, ...),
    as ip prints it; 0 is any protocol (ip prints no proto then)."""
    __slots__ = ()

    @classmethod
    def name_of(cls, number):
        from pyip.xfrm.common import proto_name
        name = proto_name(number) if number else "0"     # not /etc/protocols' "ip"
        return None if name.isdigit() else name

    @classmethod
    def of(cls, number):
        v = cls._interned.get(number)
        if v is None:           # a u8: at most 256 of them
            v = cls._interned[number] = cls(number)
        return v

    @classmethod
    def number_of(cls, name):
        return next((n for n in range(256) if cls.name_of(n) == name), None)

    @classmethod
    def names(cls):
        return [n for n in map(cls.name_of, range(256)) if n is not None]


# ---- the pieces ------------------------------------------------------------------------------

class Selector(Obj):
    """A selector: the traffic a policy (or an SA) applies to."""
    __slots__ = ("src", "dst", "prefixlen_s", "prefixlen_d", "family", "proto", "sport",
                 "dport", "sport_mask", "dport_mask", "ifindex", "user")
    NAMED = {"proto": IpProto}

    @classmethod
    def decode(cls, buf, off=0, family=0):
        d = m.SELECTOR.unpack(pad(buf[off:off + m.SELECTOR.size], m.SELECTOR.size))
        f = d["family"] or family
        return cls(src=ntop(f, d["saddr"]), dst=ntop(f, d["daddr"]),
                   prefixlen_s=d["prefixlen_s"], prefixlen_d=d["prefixlen_d"],
                   family=d["family"], proto=IpProto.of(d["proto"]),
                   sport=int.from_bytes(d["sport"], "big"),
                   dport=int.from_bytes(d["dport"], "big"),
                   sport_mask=int.from_bytes(d["sport_mask"], "big"),
                   dport_mask=int.from_bytes(d["dport_mask"], "big"),
                   ifindex=d["ifindex"], user=d["user"])

    def encode(self, family=0):
        """struct xfrm_selector (decode() undone; addresses in the message's family where
        the selector has none)."""
        f = self.family or family
        return _SELECTOR_PACK(
            pton(f, self.dst), pton(f, self.src), _be16(self.dport), _be16(self.dport_mask),
            _be16(self.sport), _be16(self.sport_mask), self.family or 0, self.prefixlen_d or 0,
            self.prefixlen_s or 0, self.proto or 0, self.ifindex or 0, self.user or 0)

    def as_dict(self, nokeys=False, stats=False):
        """The words of xfrm_selector_print(): "src A/N dst B/M [proto P] [ports|type/code|
        key] [dev D] [uid U]"; proto by name where /etc/protocols has it."""
        from pyip.xfrm.common import proto_name
        d = {"src": "%s/%u" % (self.src, self.prefixlen_s),
             "dst": "%s/%u" % (self.dst, self.prefixlen_d)}
        p = self.proto
        if p:
            name = proto_name(p)
            d["proto"] = int(name) if name.isdigit() else name
        if p in (1, 58):
            if self.sport_mask:
                d["type"] = self.sport
            if self.dport_mask:
                d["code"] = self.dport
        elif p == 47:
            if self.sport_mask or self.dport_mask:
                d["key"] = (self.sport << 16) + self.dport
        elif p == 135:
            if self.sport_mask:
                d["type"] = self.sport
            if self.dport_mask:
                d["dport"] = self.dport
        else:
            if self.sport_mask:
                d["sport"] = self.sport
            if self.dport_mask:
                d["dport"] = self.dport
        if self.ifindex > 0:
            from pyip import links
            d["dev"] = links.index_to_name(self.ifindex)
        d["uid"] = self.user
        return d


class Mark(Obj):
    """A mark and its mask: packets whose mark & mask equals value."""
    __slots__ = ("value", "mask")

    @classmethod
    def decode(cls, raw, family=0):
        v, k = _U32.unpack_from(pad(raw, 8)), _U32.unpack_from(pad(raw, 8), 4)
        return cls(value=v[0], mask=k[0])

    def encode(self, family=0):
        return _MARK.pack(self.value, self.mask)


class Lifetime(Obj):
    """struct xfrm_lifetime_cfg under the man page's LIMIT names."""
    __slots__ = ("byte_soft", "byte_hard", "packet_soft", "packet_hard", "time_soft",
                 "time_hard", "time_use_soft", "time_use_hard")

    @classmethod
    def decode(cls, buf, off=0):
        return cls(**dict(zip(cls.__slots__, m.LIFETIME_CFG.struct.unpack_from(buf, off))))

    @classmethod
    def unlimited(cls):
        """What a command without `limit` sends: no byte or packet limit, no time limit."""
        return cls(byte_soft=INF, byte_hard=INF, packet_soft=INF, packet_hard=INF,
                   time_soft=0, time_hard=0, time_use_soft=0, time_use_hard=0)

    def encode(self):
        return m.LIFETIME_CFG.struct.pack(*[getattr(self, f) for f in self.__slots__])


class LifetimeCur(Obj):
    __slots__ = ("bytes", "packets", "add_time", "use_time")

    @classmethod
    def decode(cls, raw, off=0, family=0):
        raw = pad(raw[off:], m.LIFETIME_CUR.size)
        return cls(**dict(zip(cls.__slots__, m.LIFETIME_CUR.struct.unpack_from(raw))))

    def encode(self, family=0):
        return m.LIFETIME_CUR.struct.pack(*[getattr(self, f) for f in self.__slots__])


class Stats(Obj):
    __slots__ = ("replay_window", "replay", "failed")

    @classmethod
    def decode(cls, buf, off=0):
        return cls(**dict(zip(cls.__slots__, m.STATS.struct.unpack_from(buf, off))))

    def encode(self):
        return m.STATS.struct.pack(*[getattr(self, f) for f in self.__slots__])


# the kinds whose struct carries one more length after xfrm_algo's: its Algo field, the struct
_ALGO_EXTRA = {"aead": ("icv_len", m.XFRM_ALGO_AEAD),
               "auth-trunc": ("trunc_len", m.XFRM_ALGO_AUTH)}
_ALGO_KEY_LEN_AT = m.XFRM_ALGO.at("alg_key_len")


class Algo(Obj):
    """An algorithm attribute: struct xfrm_algo, or xfrm_algo_auth / xfrm_algo_aead with one
    more length (trunc_len / icv_len, in bits) before the key."""
    __slots__ = ("kind", "name", "key", "key_bits", "icv_len", "trunc_len")

    def encode(self, family=0):
        """xfrm_algo_parse()'s struct: the name cut to 63 bytes, its key length in bits
        (from the key where none is given), the ICV or truncation length, the key."""
        name = self.name.encode("utf-8", "surrogateescape")[:63]
        key = self.key or b""
        bits = len(key) * 8 if self.key_bits is None else self.key_bits
        field, layout = _ALGO_EXTRA.get(self.kind, (None, m.XFRM_ALGO))
        extra = getattr(self, field) if field else None
        if extra is None:
            return m.XFRM_ALGO.struct.pack(name, bits) + key
        return layout.struct.pack(name, bits, extra & 0xffffffff) + key

    def as_dict(self, nokeys=False, stats=False):
        d = {"name": self.name}
        if not nokeys:
            d["key"] = "0x" + self.key.hex() if self.key else ""
        d["key_bits"] = self.key_bits
        for f in ("icv_len", "trunc_len"):
            if getattr(self, f) is not None:
                d[f] = getattr(self, f)
        return d


def _algo(kind):
    """The codec of an algorithm attribute of `kind` (Algo.kind)."""
    extra, layout = _ALGO_EXTRA.get(kind, (None, m.XFRM_ALGO))
    head = layout.size

    def codec(raw, family=0):
        from pyip.netlink import cstr
        raw = pad(raw, head)
        bits = _U32.unpack_from(raw, _ALGO_KEY_LEN_AT)[0]
        a = Algo(kind=kind, name=cstr(raw[:_ALGO_KEY_LEN_AT]), key_bits=bits,
                 key=bytes(raw[head:head + bits // 8]))
        if extra:
            setattr(a, extra, _I32.unpack_from(raw, m.XFRM_ALGO.size)[0])
        return a
    return codec


class Encap(Obj):
    """An SA's UDP or TCP encapsulation (NAT traversal)."""
    __slots__ = ("type", "sport", "dport", "addr")

    @classmethod
    def decode(cls, raw, family=0):
        d = m.ENCAP_TMPL.unpack(pad(raw, m.ENCAP_TMPL.size))
        return cls(type=name_of(ENCAP_NAMES, d["encap_type"]),
                   sport=int.from_bytes(d["encap_sport"], "big"),
                   dport=int.from_bytes(d["encap_dport"], "big"),
                   addr=ntop(family, d["encap_oa"]))

    def encode(self, family=0):
        t = self.type
        if isinstance(t, str):
            t = _ENCAP_TYPES[t]
        return m.ENCAP_TMPL.struct.pack(t, _be16(self.sport), _be16(self.dport),
                                        pton(0, self.addr))


class Offload(Obj):
    """An SA's hardware offload: the device, the direction and the mode ("crypto" or
    "packet": XFRM_OFFLOAD_PACKET; ip >= 6.2 prints and sends it)."""
    __slots__ = ("ifindex", "dir", "mode")

    @classmethod
    def decode(cls, raw, family=0):
        d = m.USER_OFFLOAD.unpack(pad(raw, 8))
        return cls(ifindex=d["ifindex"] & 0xffffffff,
                   dir="in" if d["flags"] & m.XFRM_OFFLOAD_INBOUND else "out",
                   mode="packet" if d["flags"] & m.XFRM_OFFLOAD_PACKET else "crypto")

    def encode(self, family=0):
        flags = (m.XFRM_OFFLOAD_INBOUND if self.dir == "in" else 0) | (
            m.XFRM_OFFLOAD_PACKET if self.mode == "packet" else 0)
        return m.USER_OFFLOAD.struct.pack(_I32.unpack(_U32.pack(self.ifindex))[0], flags)

    def as_dict(self, nokeys=False, stats=False):
        from pyip import links
        from pyip.release import since
        from pyip.xfrm.common import PRINTED_SINCE
        d = {"dev": links.index_to_name(self.ifindex), "dir": self.dir}
        if since(PRINTED_SINCE["offload_mode"]):       # what ip's text says, from 6.2 on
            d["mode"] = self.mode
        return d


class ReplayState(Obj):
    __slots__ = ("seq", "oseq", "bitmap")

    @classmethod
    def decode(cls, raw, family=0):
        d = m.REPLAY_STATE.unpack(pad(raw, 12))
        return cls(seq=d["seq"], oseq=d["oseq"], bitmap=d["bitmap"])

    def encode(self, family=0):
        return m.REPLAY_STATE.struct.pack(self.oseq, self.seq, self.bitmap or 0)


class ReplayEsn(Obj):
    __slots__ = ("seq_hi", "seq", "oseq_hi", "oseq", "replay_window", "bmp_len", "bmp")

    @classmethod
    def decode(cls, raw, family=0):
        d = m.REPLAY_STATE_ESN.unpack(pad(raw, 24))
        words = [_U32.unpack_from(raw, off)[0] for off in range(24, len(raw) - 3, 4)]
        return cls(seq_hi=d["seq_hi"], seq=d["seq"], oseq_hi=d["oseq_hi"], oseq=d["oseq"],
                   replay_window=d["replay_window"], bmp_len=d["bmp_len"], bmp=words)

    def encode(self, family=0):
        """The state and its bitmap's words (ip's requests give bmp_len and no words)."""
        bmp = self.bmp or ()
        return m.REPLAY_STATE_ESN.struct.pack(
            len(bmp) if self.bmp_len is None else self.bmp_len, self.oseq or 0,
            self.seq or 0, self.oseq_hi or 0, self.seq_hi or 0, self.replay_window) + \
            b"".join(_U32.pack(w) for w in bmp)


class SecCtx(Obj):
    __slots__ = ("alg", "doi", "ctx")

    @classmethod
    def decode(cls, raw, family=0):
        d = m.SEC_CTX.unpack(pad(raw, 8))
        text = bytes(raw[8:8 + d["ctx_len"]]).split(b"\0", 1)[0]
        return cls(alg=d["ctx_alg"], doi=d["ctx_doi"],
                   ctx=text.decode("utf-8", "surrogateescape"))

    def encode(self, family=0):
        """xfrm_user_sec_ctx and the text with its NUL (ip's alg and doi: 1)."""
        raw = self.ctx.encode("utf-8", "surrogateescape") + b"\0"
        return m.SEC_CTX.struct.pack(8 + len(raw), m.XFRMA_SEC_CTX,
                                     1 if self.alg is None else self.alg,
                                     1 if self.doi is None else self.doi, len(raw)) + raw

    def as_dict(self, nokeys=False, stats=False):
        return self.ctx


class XfrmTmpl(Obj):
    """A policy's template: the SA (ID, mode, reqid, level) its traffic needs."""
    __slots__ = ("src", "dst", "family", "proto", "spi", "reqid", "mode", "share", "level",
                 "aalgos", "ealgos", "calgos")
    NAMED = {"proto": Proto, "mode": Mode, "share": Share, "level": Level}

    def encode(self, family=0):
        f = self.family or 0
        return m.USER_TMPL.struct.pack(
            pton(f, self.dst), (self.spi or 0).to_bytes(4, "big"), self.proto or 0, f,
            pton(f, self.src), self.reqid or 0, self.mode or 0, self.share or 0,
            self.level or 0, _ALL if self.aalgos is None else self.aalgos,
            _ALL if self.ealgos is None else self.ealgos,
            _ALL if self.calgos is None else self.calgos)

    def as_dict(self, nokeys=False, stats=False):
        return {"src": self.src, "dst": self.dst, "proto": name_of(PROTO_NAMES, self.proto),
                "spi": self.spi, "reqid": self.reqid, "mode": name_of(MODE_NAMES, self.mode),
                "level": name_of(LEVEL_NAMES, self.level),
                "share": name_of(SHARE_NAMES, self.share), "enc_mask": self.ealgos,
                "auth_mask": self.aalgos, "comp_mask": self.calgos}


def _put_tmpls(tmpls, family=0):
    if len(tmpls) == 1:
        return tmpls[0].encode(family)
    return b"".join([t.encode(family) for t in tmpls])


def _tmpls(raw, family=0):
    size = m.USER_TMPL.size
    out = []
    for off in range(0, len(raw) - size + 1, size):
        d = m.USER_TMPL.unpack(raw, off)
        out.append(XfrmTmpl(src=ntop(d["family"], d["saddr"]), dst=ntop(d["family"], d["daddr"]),
                            family=d["family"], proto=Proto.of(d["proto"]),
                            spi=int.from_bytes(d["spi"], "big"), reqid=d["reqid"],
                            mode=Mode.of(d["mode"]), share=Share.of(d["share"]),
                            level=Level.of(d["optional"]),
                            aalgos=d["aalgos"], ealgos=d["ealgos"], calgos=d["calgos"]))
    return out


def _addr(raw, family=0):
    return ntop(family, bytes(pad(raw, 16)[:16]))


def _put_addr(text, family=0):
    return pton(family, text)


def _encode(value, family=0):
    return value.encode(family)


def _nested_state(raw, family=0):
    return _state(pad(raw, m.USERSA_INFO_SIZE), 0, {})


def _nested_policy(raw, family=0):
    return policy_at(pad(raw, m.USERPOLICY_INFO_SIZE), 0, {})


def _put_ptype(ptype, family=0):
    return m.POLICY_TYPE.struct.pack(int(ptype), 0, 0)


# ---- the attribute family ------------------------------------------------------------------
# (name, type, decoder, the objects' field, encoder: for what requests carry)

XFRMA = Family("XFRMA_", [
    ("ALG_AUTH", m.XFRMA_ALG_AUTH, _algo("auth"), "auth", _encode),
    ("ALG_CRYPT", m.XFRMA_ALG_CRYPT, _algo("enc"), "enc", _encode),
    ("ALG_COMP", m.XFRMA_ALG_COMP, _algo("comp"), "comp", _encode),
    ("ENCAP", m.XFRMA_ENCAP, Encap.decode, "encap", _encode),
    ("TMPL", m.XFRMA_TMPL, _tmpls, "tmpls", _put_tmpls),
    ("SA", m.XFRMA_SA, _nested_state, "sa"),
    ("POLICY", m.XFRMA_POLICY, _nested_policy, "policy"),
    ("SEC_CTX", m.XFRMA_SEC_CTX, SecCtx.decode, "ctx", _encode),
    ("LTIME_VAL", m.XFRMA_LTIME_VAL, LifetimeCur.decode, "ltime", _encode),
    ("REPLAY_VAL", m.XFRMA_REPLAY_VAL, ReplayState.decode, "anti_replay", _encode),
    ("REPLAY_THRESH", m.XFRMA_REPLAY_THRESH, u32, "replay_thresh", put_u32),
    ("ETIMER_THRESH", m.XFRMA_ETIMER_THRESH, u32, "etimer_thresh", put_u32),
    ("SRCADDR", m.XFRMA_SRCADDR, _addr, "src", _put_addr),
    ("COADDR", m.XFRMA_COADDR, _addr, "coa", _put_addr),
    ("LASTUSED", m.XFRMA_LASTUSED, u64, "lastused", put_u64),
    ("POLICY_TYPE", m.XFRMA_POLICY_TYPE, u8, "ptype", _put_ptype),
    ("MIGRATE", m.XFRMA_MIGRATE, raw_bytes, "migrate"),
    ("ALG_AEAD", m.XFRMA_ALG_AEAD, _algo("aead"), "aead", _encode),
    ("KMADDRESS", m.XFRMA_KMADDRESS, raw_bytes, "kmaddress"),
    ("ALG_AUTH_TRUNC", m.XFRMA_ALG_AUTH_TRUNC, _algo("auth-trunc"), "auth_trunc",
     _encode),
    ("MARK", m.XFRMA_MARK, Mark.decode, "mark", _encode),
    ("TFCPAD", m.XFRMA_TFCPAD, u32, "tfcpad", put_u32),
    ("REPLAY_ESN_VAL", m.XFRMA_REPLAY_ESN_VAL, ReplayEsn.decode, "anti_replay_esn", _encode),
    ("SA_EXTRA_FLAGS", m.XFRMA_SA_EXTRA_FLAGS, u32, "extra_flags", put_u32),
    ("PROTO", m.XFRMA_PROTO, u8, "proto", put_u8),
    ("ADDRESS_FILTER", m.XFRMA_ADDRESS_FILTER, raw_bytes, "address_filter", put_bytes),
    ("PAD", m.XFRMA_PAD, raw_bytes, "pad"),
    ("OFFLOAD_DEV", m.XFRMA_OFFLOAD_DEV, Offload.decode, "offload", _encode),
    ("SET_MARK", m.XFRMA_SET_MARK, u32, "output_mark", put_u32),
    ("SET_MARK_MASK", m.XFRMA_SET_MARK_MASK, u32, "output_mark_mask", put_u32),
    ("IF_ID", m.XFRMA_IF_ID, u32, "if_id", put_u32),
    ("MTIMER_THRESH", m.XFRMA_MTIMER_THRESH, u32, "mtimer_thresh"),
    # later kernels' (ip >= 6.11 sends and prints dir, >= 6.19 pcpu-num)
    ("SA_DIR", m.XFRMA_SA_DIR, u8, "sa_dir", put_u8),
    ("NAT_KEEPALIVE_INTERVAL", m.XFRMA_NAT_KEEPALIVE_INTERVAL, u32, "nat_keepalive_interval"),
    ("SA_PCPU", m.XFRMA_SA_PCPU, u32, "pcpu_num", put_u32),
])

# XFRM_MSG_NEWSPDINFO attributes
SPDA = Family("XFRMA_SPD_", [("INFO", m.XFRMA_SPD_INFO, raw_bytes, "info"),
                             ("HINFO", m.XFRMA_SPD_HINFO, raw_bytes, "hinfo"),
                             ("IPV4_HTHRESH", m.XFRMA_SPD_IPV4_HTHRESH, raw_bytes, "hthresh4"),
                             ("IPV6_HTHRESH", m.XFRMA_SPD_IPV6_HTHRESH, raw_bytes, "hthresh6")])


_TMPL_ROW = XFRMA[m.XFRMA_TMPL].name

# attribute values ip prints as words (the rest are as the family's codecs decode them)
_NAMED_WORDS = {"ptype": PolicyType, "proto": Proto}


def fill_attrs(obj, tb):
    """Set the object's fields from decoded attributes (by each row's word); a policy
    without templates has an empty list of them."""
    slots = type(obj).__slots__
    for name, value in tb.items():
        r = XFRMA.get(name)
        if r is not None and r.word in slots and getattr(obj, r.word) is None:
            named = _NAMED_WORDS.get(r.word)
            setattr(obj, r.word, value if named is None else named.of(value))
    if "tmpls" in slots and obj.tmpls is None:
        obj.tmpls = []
    obj.attrs = tb


# ---- SAs -------------------------------------------------------------------------------------

STATE_FLAGS = m.XFRM_STATE_FLAGS
EXTRA_FLAGS = m.XFRM_SA_XFLAGS


class XfrmState(Obj):
    """An SA.  command(nokeys=False): the -batch line that makes it again."""
    __slots__ = ("event", "src", "dst", "family", "proto", "spi", "reqid", "mode",
                 "replay_window", "flags", "extra_flags", "seq", "sel", "lifetime",
                 "lifetime_cur", "stats", "mark", "output_mark", "output_mark_mask", "auth",
                 "auth_trunc", "aead", "enc", "comp", "encap", "coa", "lastused", "anti_replay",
                 "anti_replay_esn", "offload", "if_id", "tfcpad", "ctx", "hard", "attrs",
                 "sa_dir", "pcpu_num")
    NAMED = {"proto": Proto, "mode": Mode}

    # the attributes ip adds as it reads their words (xfrm_state_modify()): in the command's
    # order; by default the order `command()` writes them in
    INLINE = ("auth_trunc", "aead", "enc", "comp", "auth", "encap", "coa", "ctx")
    # the ones it adds after the words, in its order (sa_dir: ip >= 6.11, pcpu_num: >= 6.19)
    TAIL = ("offload", "anti_replay_esn", "anti_replay", "extra_flags", "mark", "if_id",
            "tfcpad", "output_mark", "output_mark_mask", "sa_dir", "pcpu_num")

    def command(self, nokeys=False):
        from pyip.xfrm.save import state_command
        return state_command(self, nokeys)

    def encode_info(self):
        """struct xfrm_usersa_info."""
        f = self.family or 0
        return ((_NO_SELECTOR if self.sel is None else self.sel.encode(f))
                + m.XFRM_ID.struct.pack(pton(f, self.dst), (self.spi or 0).to_bytes(4, "big"),
                                        int(self.proto or 0))
                + pton(f, self.src)
                + (_UNLIMITED if self.lifetime is None else self.lifetime.encode())
                + (_NO_CUR if self.lifetime_cur is None else self.lifetime_cur.encode())
                + (_NO_STATS if self.stats is None else self.stats.encode())
                + m.SA_TAIL.struct.pack(self.seq or 0, self.reqid or 0, f, int(self.mode or 0),
                                        self.replay_window or 0, self.flags or 0))

    def encode_attrs(self, order=None):
        """The attributes of the fields set: INLINE in `order`, then TAIL.  order: the
        INLINE fields in the order a command gave them, as names (None: the order the object
        was decoded in, else INLINE's) or as (name, value) pairs, which are the INLINE
        attributes then (a reader's: ip adds an `encap` as often as it is given)."""
        if order and type(order[0]) is tuple:
            f = self.family or 0
            return b"".join([XFRMA.encode(w, v, f) for w, v in order]) + \
                _encode_fields(self, self.TAIL, f)
        f = self.family or 0
        return _encode_fields(self, _inline_order(self, order), f) + \
            _encode_fields(self, self.TAIL, f)

    def encode(self, order=None):
        """The payload of XFRM_MSG_NEWSA/UPDSA that makes this SA: decode() undone, and the
        bytes ip sends for the command that says the same (tests/offline/test_encode.py)."""
        return self.encode_info() + self.encode_attrs(order)

    def as_dict(self, nokeys=False, stats=False):
        """The -j object: the words of `ip xfrm state` text, in its order."""
        d = {"src": self.src, "dst": self.dst, "proto": name_of(PROTO_NAMES, self.proto),
             "spi": self.spi, "reqid": self.reqid, "mode": name_of(MODE_NAMES, self.mode),
             "replay_window": self.replay_window, "seq": self.seq,
             "flags": flag_list(self.flags, STATE_FLAGS)}
        if self.extra_flags is not None:
            d["extra_flags"] = flag_list(self.extra_flags, EXTRA_FLAGS)
        _xfrma_dict(self, d, nokeys)
        if self.sel is not None:
            d["sel"] = self.sel.as_dict()
        if stats:
            d["lifetime"] = self.lifetime.as_dict()
            d["lifetime_cur"] = self.lifetime_cur.as_dict()
            d["stats"] = self.stats.as_dict()
        if self.ctx is not None:
            d["ctx"] = self.ctx.ctx
        if self.hard is not None:
            d["hard"] = self.hard
        return d


_NO_SELECTOR = bytes(m.SELECTOR.size)
_UNLIMITED = m.LIFETIME_CFG.struct.pack(INF, INF, INF, INF, 0, 0, 0, 0)    # no `limit` given
_NO_CUR = bytes(m.LIFETIME_CUR.size)
_NO_STATS = bytes(m.STATS.size)


def _inline_order(o, order):
    if order is None:
        tb = o.attrs
        if tb:
            words = [XFRMA[name].word for name in tb if XFRMA.get(name) is not None]
            return tuple(w for w in words if w in o.INLINE) + \
                tuple(w for w in o.INLINE if w not in words)
        return o.INLINE
    return tuple(order) + tuple(w for w in o.INLINE if w not in order)


def _encode_fields(o, fields, family):
    """The attributes of o's fields that are set (an empty list is none), in fields'
    order; family: the object's, for the attributes that carry an address."""
    fn = _FIELD_ENCODERS.get(fields)
    if fn is None:
        # a single command encodes a handful of objects: compiling their encoder costs more
        # than the loop below; a -batch's tenth object of one order gets it
        seen = _ENCODED.get(fields, 0)
        if seen < _LOOPED or len(_FIELD_ENCODERS) >= 256:   # INLINE orders vary: bounded
            if len(_ENCODED) < 1024:
                _ENCODED[fields] = seen + 1
            return _encode_by_loop(o, fields, family)
        fn = _FIELD_ENCODERS[fields] = _make_field_encoder(fields)
    return fn(o, family)


def _encode_by_loop(o, fields, family):
    """What _make_field_encoder's code does, row by row."""
    out = []
    for f in fields:
        r = XFRMA.by_word[f]
        v = getattr(o, f)
        if v is not None and not (r.encoder is _put_tmpls and v == []):
            out.append(attr(r.type, r.encoder(v, family)))
    return b"".join(out)


def _make_field_encoder(fields):
    """Straight-line code for the rows of `fields` (a -batch encodes one object a line:
    a loop over the table cost a microsecond more)."""
    lines = ["def encode(o, family):", "    out = []"]
    scope = {"attr": attr, "fields": fields}
    for i, f in enumerate(fields):
        r = XFRMA.by_word[f]
        scope["enc%d" % i] = r.encoder
        empty = " and v != []" if r.encoder is _put_tmpls else ""
        lines += ["    v = o.%s" % f, "    if v is not None%s:" % empty,
                  "        out.append(attr(%d, enc%d(v, family)))" % (r.type, i)]
    lines.append("    return b''.join(out)")
    exec("\n".join(lines), scope)
    return scope["encode"]


_FIELD_ENCODERS = {}    # a tuple of fields -> its encoder
_ENCODED = {}           # a tuple of fields -> objects encoded by the loop
_LOOPED = 10


def _sel_family(sel):
    return 0 if sel is None else sel.family or 0




def _xfrma_dict(o, d, nokeys):
    """The attributes xfrm_xfrma_print() shows, in its order."""
    if o.mark is not None:
        d["mark"] = o.mark.as_dict()
    if getattr(o, "output_mark", None) is not None:
        d["output_mark"] = {"value": o.output_mark}
        if o.output_mark_mask is not None:
            d["output_mark"]["mask"] = o.output_mark_mask
    for f in ("auth", "auth_trunc", "aead", "enc", "comp"):
        a = getattr(o, f, None)
        if a is not None and not (f == "auth" and o.auth_trunc is not None):
            d[f] = a.as_dict(nokeys)
    for f in ("encap", "tmpls", "coa", "lastused", "anti_replay", "anti_replay_esn", "offload",
              "if_id", "tfcpad"):
        v = getattr(o, f, None)
        if f == "tmpls" and v is not None and not v:
            # no templates: "tmpl" as the kernel sent it (an empty XFRMA_TMPL), else nothing
            attrs = getattr(o, "attrs", None)
            v = v if attrs and _TMPL_ROW in attrs else None
        if v is not None:
            d["tmpl" if f == "tmpls" else f] = jsonable(v, nokeys, False)
    # the SA's dir and pcpu-num, where the release's text has them (pyip.xfrm.common)
    if getattr(o, "sa_dir", None) is not None or getattr(o, "pcpu_num", None) is not None:
        from pyip.release import since
        from pyip.xfrm.common import PRINTED_SINCE, SA_DIR_NAMES
        if o.sa_dir is not None and since(PRINTED_SINCE[m.XFRMA_SA_DIR]):
            d["dir"] = SA_DIR_NAMES.get(o.sa_dir, o.sa_dir)
        if o.pcpu_num is not None and since(PRINTED_SINCE[m.XFRMA_SA_PCPU]):
            d["pcpu_num"] = o.pcpu_num


def _state(buf, off, tb):
    sel_raw = buf[off:off + m.SELECTOR.size]
    off2 = off + m.SELECTOR.size
    xid = m.XFRM_ID.unpack(buf, off2)
    off2 += m.XFRM_ID.size
    saddr = bytes(buf[off2:off2 + 16])
    off2 += 16
    lft = Lifetime.decode(buf, off2)
    off2 += m.LIFETIME_CFG.size
    cur = LifetimeCur.decode(buf, off2)
    off2 += m.LIFETIME_CUR.size
    st = Stats.decode(buf, off2)
    off2 += m.STATS.size
    tail = m.SA_TAIL.unpack(buf, off2)
    f = tail["family"]
    s = XfrmState(src=ntop(f, saddr), dst=ntop(f, xid["daddr"]), family=f,
                  proto=Proto.of(xid["proto"]), spi=int.from_bytes(xid["spi"], "big"),
                  reqid=tail["reqid"], mode=Mode.of(tail["mode"]),
                  replay_window=tail["replay_window"], flags=tail["flags"], seq=tail["seq"],
                  lifetime=lft, lifetime_cur=cur, stats=st)
    if any(sel_raw):
        s.sel = Selector.decode(sel_raw, 0, f)
    return s


def decode_state(payload, event=None):
    s = _state(payload, 0, None)
    fill_attrs(s, XFRMA.decode(payload, m.USERSA_INFO_SIZE, s.family))
    s.event = event
    return s


def decode_expire(payload):
    s = _state(payload, 0, None)
    s.hard = payload[m.USERSA_INFO_SIZE] if len(payload) > m.USERSA_INFO_SIZE else 0
    fill_attrs(s, XFRMA.decode(payload, m.USER_EXPIRE.size, s.family))
    s.event = "expired"
    return s


class XfrmSaId(Obj):
    """struct xfrm_usersa_id (+ XFRMA_SRCADDR, mark, if_id): get and delete of one SA."""
    __slots__ = ("dst", "spi", "family", "proto", "src", "mark", "if_id", "attrs")
    NAMED = {"proto": Proto}
    TAIL = ("src", "mark", "if_id")

    def encode(self, order=None):
        f = self.family or 0
        return m.USERSA_ID.struct.pack(pton(f, self.dst), (self.spi or 0).to_bytes(4, "big"),
                                       f, self.proto or 0) + _encode_fields(self, self.TAIL, f)


def decode_sa_id(payload, event=None):
    d = m.USERSA_ID.unpack(pad(payload, m.USERSA_ID.size))
    tb = XFRMA.decode(payload, m.USERSA_ID.size, d["family"])
    if "XFRMA_SA" in tb:            # a kernel's XFRM_MSG_DELSA carries the whole SA
        s = tb["XFRMA_SA"]
        fill_attrs(s, tb)
        s.event = "deleted"
        return s
    o = XfrmSaId(dst=ntop(d["family"], d["daddr"]), spi=int.from_bytes(d["spi"], "big"),
                 family=d["family"], proto=Proto.of(d["proto"]))
    fill_attrs(o, tb)
    return o


class AllocSpi(Obj):
    """XFRM_MSG_ALLOCSPI's request: an SA's info and the SPI range."""
    __slots__ = ("state", "min", "max")

    # ip's allocspi ends its request with these (its mark between dir and pcpu-num)
    TAIL = ("sa_dir", "mark", "pcpu_num")

    def encode(self, order=None):
        s = self.state
        return s.encode_info() + m.USERSPI_TAIL.struct.pack(self.min, self.max) + \
            _encode_fields(s, self.TAIL, s.family or 0)


def decode_allocspi(payload):
    s = decode_state(payload[:m.USERSA_INFO_SIZE] + payload[m.USERSPI_INFO.size:])
    t = m.USERSPI_TAIL.unpack(pad(payload, m.USERSPI_INFO.size), m.USERSA_INFO_SIZE)
    return AllocSpi(state=s, min=t["min"], max=t["max"])


# ---- policies --------------------------------------------------------------------------------

class XfrmPolicy(Obj):
    """A policy.  command(): the -batch line that makes it again."""
    __slots__ = ("event", "sel", "dir", "socket", "action", "priority", "index", "flags",
                 "share", "lifetime", "lifetime_cur", "ptype", "tmpls", "mark", "if_id", "ctx",
                 "offload", "hard", "attrs")
    NAMED = {"dir": Dir, "action": Action, "share": Share, "ptype": PolicyType}

    INLINE = ()
    # the attributes xfrm_policy_modify() adds, in its order
    TAIL = ("ptype", "tmpls", "mark", "ctx", "if_id", "offload")   # offload: ip >= 6.2

    def command(self, nokeys=False):
        from pyip.xfrm.save import policy_command
        return policy_command(self, nokeys)

    def encode(self, order=None):
        """The payload of XFRM_MSG_NEWPOLICY/UPDPOLICY: struct xfrm_userpolicy_info (a socket
        policy's dir is 3 more), then the attributes."""
        d = int(self.dir or 0)
        info = ((_NO_SELECTOR if self.sel is None else self.sel.encode())
                + (_UNLIMITED if self.lifetime is None else self.lifetime.encode())
                + (_NO_CUR if self.lifetime_cur is None else self.lifetime_cur.encode())
                + m.POLICY_TAIL.struct.pack(self.priority or 0, self.index or 0,
                                            d + m.XFRM_POLICY_MAX if self.socket else d,
                                            int(self.action or 0), self.flags or 0,
                                            int(self.share or 0)))
        return info + _encode_fields(self, self.TAIL, _sel_family(self.sel))

    def as_dict(self, nokeys=False, stats=False):
        """The -j object: the words of `ip xfrm policy` text, in its order."""
        d = {"sel": self.sel.as_dict()}
        if self.ctx is not None:
            d["ctx"] = self.ctx.ctx
        d.update({"dir": name_of(DIR_NAMES, self.dir), "socket": self.socket,
                  "action": name_of(ACTION_NAMES, self.action), "index": self.index,
                  "priority": self.priority})
        if self.ptype is not None:
            d["ptype"] = name_of(PTYPE_NAMES, self.ptype)
        d["share"] = name_of(SHARE_NAMES, self.share)
        d["flags"] = flag_list(self.flags, POLICY_FLAGS)
        if stats:
            d["lifetime"] = self.lifetime.as_dict()
            d["lifetime_cur"] = self.lifetime_cur.as_dict()
        _xfrma_dict(self, d, nokeys)
        if self.hard is not None:
            d["hard"] = self.hard
        return d


_POLICY_TAIL_OFF = m.USERPOLICY_INFO.offsets[None]


def policy_at(buf, off, tb):
    t = m.POLICY_TAIL.unpack(buf, off + _POLICY_TAIL_OFF)
    sel = Selector.decode(buf, off)
    d = t["dir"]
    socket = d >= m.XFRM_POLICY_MAX         # ip prints a socket policy's dir less 3
    return XfrmPolicy(sel=sel, dir=Dir.of(d - m.XFRM_POLICY_MAX if socket else d),
                      socket=socket, action=Action.of(t["action"]),
                      priority=t["priority"], index=t["index"], flags=t["flags"],
                      share=Share.of(t["share"]),
                      lifetime=Lifetime.decode(buf, off + m.SELECTOR.size),
                      lifetime_cur=LifetimeCur.decode(
                          buf, off + m.SELECTOR.size + m.LIFETIME_CFG.size))


def decode_policy(payload, event=None, extra=0):
    p = policy_at(payload, 0, None)
    fill_attrs(p, XFRMA.decode(payload, m.USERPOLICY_INFO_SIZE + extra, p.sel.family))
    p.event = event
    return p


def decode_polexpire(payload):
    p = decode_policy(payload, "expired", m.EXPIRE_TAIL.size)
    p.hard = payload[m.USERPOLICY_INFO_SIZE] if len(payload) > m.USERPOLICY_INFO_SIZE else 0
    return p


class XfrmPolicyId(Obj):
    """struct xfrm_userpolicy_id (+ attributes): get and delete of one policy."""
    __slots__ = ("sel", "index", "dir", "ptype", "mark", "if_id", "ctx", "attrs")
    NAMED = {"dir": Dir, "ptype": PolicyType}
    TAIL = ("ptype", "mark", "ctx", "if_id")

    def encode(self, order=None):
        return (_NO_SELECTOR if self.sel is None else self.sel.encode()) + \
            m.POLICY_ID_TAIL.struct.pack(self.index or 0, self.dir or 0) + \
            _encode_fields(self, self.TAIL, _sel_family(self.sel))


def decode_policy_id(payload, event=None):
    size = m.USERPOLICY_ID.size
    payload_ = pad(payload, size)
    sel = Selector.decode(payload_, 0)
    tb = XFRMA.decode(payload, size, sel.family)
    if "XFRMA_POLICY" in tb:        # a kernel's XFRM_MSG_DELPOLICY carries the whole policy
        p = tb["XFRMA_POLICY"]
        fill_attrs(p, tb)
        p.event = "deleted"
        return p
    t = m.POLICY_ID_TAIL.unpack(payload_, m.SELECTOR.size)
    o = XfrmPolicyId(sel=sel, index=t["index"], dir=Dir.of(t["dir"]))
    fill_attrs(o, tb)
    return o


class DefaultPolicy(Obj):
    __slots__ = ("in_", "fwd", "out")

    def encode(self, order=None):
        return m.POLICY_DEFAULT.struct.pack(int(self.in_ or 0), int(self.fwd or 0),
                                            int(self.out or 0))

    def as_dict(self, nokeys=False, stats=False):
        return {"in": name_of(DEFAULT_NAMES, self.in_), "fwd": name_of(DEFAULT_NAMES, self.fwd),
                "out": name_of(DEFAULT_NAMES, self.out)}


def decode_default(payload):
    d = m.POLICY_DEFAULT.unpack(pad(payload, 3))
    return DefaultPolicy(in_=DefaultAction.of(d["in"]), fwd=DefaultAction.of(d["fwd"]),
                         out=DefaultAction.of(d["out"]))


class Flush(Obj):
    """XFRM_MSG_FLUSHSA (proto, 0 = all) or XFRM_MSG_FLUSHPOLICY (ptype, None = main)."""
    __slots__ = ("object", "proto", "ptype")

    def encode(self, order=None):
        """FLUSHSA: the proto (0: all); FLUSHPOLICY: the policy type if one was named."""
        if self.object == "state":
            return bytes((int(self.proto or 0),))
        return b"" if self.ptype is None else XFRMA.encode("ptype", self.ptype)

    def as_dict(self, nokeys=False, stats=False):
        if self.object == "state":
            return {"object": "state", "proto": name_of(PROTO_NAMES, self.proto)}
        d = {"object": "policy"}
        if self.ptype is not None:
            d["ptype"] = name_of(PTYPE_NAMES, self.ptype)
        return d


def decode_flushpolicy(payload):
    tb = attrs(payload, 0)
    t = tb.get(m.XFRMA_POLICY_TYPE)
    return Flush(object="policy", ptype=None if t is None else PolicyType.of(u8(t)))
