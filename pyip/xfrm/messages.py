"""Every XFRM message as an object: one decoder for kernel replies, monitor events and the
requests pyip sends, and the objects of the messages that are neither a state nor a policy
(the counts' SadInfo/SpdInfo, the monitor's Acquire, Report, Aevent, Mapping; Raw for the
rest).  The states', policies' and their parts' classes are pyip.xfrm.objects'; this module
is loaded only by what decodes whole messages (JSON, the API, the monitor, save, explain,
check), not by the commands that print or send them.

    decode(msg_type, payload)   -> an object (payload: the bytes after the nlmsghdr);
                                   kernel replies and pyip's own requests alike.
    decode_message(msg)         -> decode() of one whole message (header included).
    MSG_TYPES                   {type number: MsgType(name, type, decoder)}.
"""
from _struct import error as StructError

from pyip.addr import ntop
from pyip.netlink import attr, attrs
from pyip.objects import Obj, flag_list, pad, u8, u32
from pyip.xfrm import msgs as m
from pyip.xfrm.msgs import PROTO_NAMES, name_of
from pyip.xfrm.objects import (SPDA, XFRMA, Flush, Proto, Selector, decode_allocspi,
                               decode_default, decode_expire, decode_flushpolicy,
                               decode_policy, decode_policy_id, decode_polexpire,
                               decode_sa_id, decode_state, fill_attrs, policy_at)

_U32 = m.U32


# ---- counts --------------------------------------------------------------------------------

class SadInfo(Obj):
    __slots__ = ("count", "buckets", "max_buckets")

    def as_dict(self, nokeys=False, stats=False):
        d = {"count": self.count}
        if stats and self.buckets is not None:
            d["buckets"] = {"count": self.buckets, "max": self.max_buckets}
        return d


class SpdInfo(Obj):
    __slots__ = ("in_", "out", "fwd", "sock_in", "sock_out", "sock_fwd", "buckets",
                 "max_buckets", "hthresh4", "hthresh6")

    def encode(self, order=None):
        """XFRM_MSG_NEWSPDINFO (`policy set`): the flags word, then the thresholds given,
        each (lbits, rbits), in `order` (the words' order: ip adds each as it reads it)."""
        out = [_U32.pack(0xffffffff)]
        for f in order or ("hthresh4", "hthresh6"):
            v = getattr(self, f)
            if v is not None:
                out.append(attr(SPDA.by_word[f].type, m.SPDHTHRESH.pack(*v)))
        return b"".join(out)

    def as_dict(self, nokeys=False, stats=False):
        d = {}
        if self.in_ is not None:
            d.update({"in": self.in_, "out": self.out, "fwd": self.fwd})
            if stats:
                d["sock"] = {"in": self.sock_in, "out": self.sock_out, "fwd": self.sock_fwd}
        if stats > 1:
            if self.buckets is not None:
                d["buckets"] = {"count": self.buckets, "max": self.max_buckets}
            for f in ("hthresh4", "hthresh6"):
                v = getattr(self, f)
                if v is not None:
                    d[f] = {"local": v[0], "remote": v[1]}
        return d


def _sadinfo(payload):
    tb = attrs(payload, 4)
    o = SadInfo()
    if m.XFRMA_SAD_CNT in tb:
        o.count = u32(tb[m.XFRMA_SAD_CNT])
    if m.XFRMA_SAD_HINFO in tb:
        o.buckets, o.max_buckets = m.SADHINFO.unpack_from(pad(tb[m.XFRMA_SAD_HINFO], 8))
    return o


def _spdinfo(payload):
    tb = attrs(payload, 4)
    o = SpdInfo()
    if m.XFRMA_SPD_INFO in tb:
        (o.in_, o.out, o.fwd, o.sock_in, o.sock_out,
         o.sock_fwd) = m.SPDINFO.unpack_from(pad(tb[m.XFRMA_SPD_INFO], 24))
    if m.XFRMA_SPD_HINFO in tb:
        o.buckets, o.max_buckets = m.SPDHINFO.unpack_from(pad(tb[m.XFRMA_SPD_HINFO], 8))
    for t, f in ((m.XFRMA_SPD_IPV4_HTHRESH, "hthresh4"), (m.XFRMA_SPD_IPV6_HTHRESH, "hthresh6")):
        if t in tb:
            setattr(o, f, m.SPDHTHRESH.unpack_from(pad(tb[t], 2)))
    return o


# ---- monitor events --------------------------------------------------------------------------

class Acquire(Obj):
    __slots__ = ("proto", "spi", "dst", "sel", "policy", "aalgos", "ealgos", "calgos", "seq",
                 "attrs")

    def as_dict(self, nokeys=False, stats=False):
        return {"proto": name_of(PROTO_NAMES, self.proto), "spi": self.spi,
                "sel": self.sel.as_dict(), "policy": self.policy.as_dict(nokeys, stats),
                "seq": self.seq, "enc_mask": self.ealgos, "auth_mask": self.aalgos,
                "comp_mask": self.calgos}


def _acquire(payload):
    xid = m.XFRM_ID.unpack(pad(payload, m.XFRM_ID.size))
    at = m.USER_ACQUIRE.offsets
    sel = Selector.decode(payload, at["sel"])
    pol = policy_at(payload, at["policy"], None)
    t = m.USER_ACQUIRE_TAIL.unpack(payload, at[None])
    end = m.USER_ACQUIRE.size
    family = sel.family or pol.sel.family
    fill_attrs(pol, XFRMA.decode(payload, end, family))
    sel = Selector.decode(payload, at["sel"], family)
    return Acquire(proto=Proto.of(xid["proto"]), spi=int.from_bytes(xid["spi"], "big"),
                   dst=ntop(family, xid["daddr"]), sel=sel, policy=pol, aalgos=t["aalgos"],
                   ealgos=t["ealgos"], calgos=t["calgos"], seq=t["seq"])


class Report(Obj):
    __slots__ = ("proto", "sel", "coa", "attrs")

    def as_dict(self, nokeys=False, stats=False):
        d = {"proto": name_of(PROTO_NAMES, self.proto), "sel": self.sel.as_dict()}
        if self.coa is not None:
            d["coa"] = self.coa
        return d


def _report(payload):
    sel = Selector.decode(payload, 4)
    r = Report(proto=Proto.of(payload[0] if payload else 0), sel=sel)
    fill_attrs(r, XFRMA.decode(payload, 4 + m.SELECTOR.size, sel.family))
    return r


class Aevent(Obj):
    __slots__ = ("dst", "spi", "family", "proto", "src", "flags", "reqid", "attrs")

    def as_dict(self, nokeys=False, stats=False):
        return {"flags": flag_list(self.flags, ((1, "replay update"), (2, "timer expired"),
                                                (4, "policy updated"))),
                "src": self.src, "dst": self.dst, "reqid": self.reqid,
                "proto": name_of(PROTO_NAMES, self.proto), "spi": self.spi}


def _aevent(payload):
    body = pad(payload, m.AEVENT_ID.size)
    i = m.USERSA_ID.unpack(body)
    t = m.AEVENT_ID_TAIL.unpack(body, m.USERSA_ID.size)
    f = i["family"]
    o = Aevent(dst=ntop(f, i["daddr"]), spi=int.from_bytes(i["spi"], "big"), family=f,
               proto=Proto.of(i["proto"]), src=ntop(f, t["saddr"]), flags=t["flags"],
               reqid=t["reqid"])
    o.attrs = XFRMA.decode(payload, m.AEVENT_ID.size, f)
    return o


class Mapping(Obj):
    __slots__ = ("dst", "spi", "family", "proto", "reqid", "old_src", "old_sport", "new_src",
                 "new_sport")


def _mapping(payload):
    body = pad(payload, m.USER_MAPPING.size)
    i = m.USERSA_ID.unpack(body)
    t = m.USER_MAPPING_TAIL.unpack(body, m.USERSA_ID.size)
    f = i["family"]
    return Mapping(dst=ntop(f, i["daddr"]), spi=int.from_bytes(i["spi"], "big"), family=f,
                   proto=Proto.of(i["proto"]), reqid=t["reqid"], old_src=ntop(f, t["old_saddr"]),
                   old_sport=int.from_bytes(t["old_sport"], "big"),
                   new_src=ntop(f, t["new_saddr"]),
                   new_sport=int.from_bytes(t["new_sport"], "big"))


class Raw(Obj):
    """A message this module has no object for: its type and payload."""
    __slots__ = ("type", "payload")


# ---- message types ----------------------------------------------------------------------------

class MsgType:
    __slots__ = ("name", "type", "decoder")

    def __init__(self, name, type_, decoder):
        self.name, self.type, self.decoder = name, type_, decoder


MSG_TYPES = {t: MsgType(name, t, fn) for name, t, fn in (
    ("XFRM_MSG_NEWSA", m.XFRM_MSG_NEWSA, decode_state),
    ("XFRM_MSG_DELSA", m.XFRM_MSG_DELSA, decode_sa_id),
    ("XFRM_MSG_GETSA", m.XFRM_MSG_GETSA, decode_sa_id),
    ("XFRM_MSG_NEWPOLICY", m.XFRM_MSG_NEWPOLICY, decode_policy),
    ("XFRM_MSG_DELPOLICY", m.XFRM_MSG_DELPOLICY, decode_policy_id),
    ("XFRM_MSG_GETPOLICY", m.XFRM_MSG_GETPOLICY, decode_policy_id),
    ("XFRM_MSG_ALLOCSPI", m.XFRM_MSG_ALLOCSPI, decode_allocspi),
    ("XFRM_MSG_ACQUIRE", m.XFRM_MSG_ACQUIRE, _acquire),
    ("XFRM_MSG_EXPIRE", m.XFRM_MSG_EXPIRE, decode_expire),
    ("XFRM_MSG_UPDPOLICY", m.XFRM_MSG_UPDPOLICY, lambda p: decode_policy(p, "updated")),
    ("XFRM_MSG_UPDSA", m.XFRM_MSG_UPDSA, lambda p: decode_state(p, "updated")),
    ("XFRM_MSG_POLEXPIRE", m.XFRM_MSG_POLEXPIRE, decode_polexpire),
    ("XFRM_MSG_FLUSHSA", m.XFRM_MSG_FLUSHSA,
     lambda p: Flush(object="state", proto=Proto.of(u8(p)))),
    ("XFRM_MSG_FLUSHPOLICY", m.XFRM_MSG_FLUSHPOLICY, decode_flushpolicy),
    ("XFRM_MSG_NEWAE", m.XFRM_MSG_NEWAE, _aevent),
    ("XFRM_MSG_GETAE", m.XFRM_MSG_GETAE, _aevent),
    ("XFRM_MSG_REPORT", m.XFRM_MSG_REPORT, _report),
    ("XFRM_MSG_MIGRATE", m.XFRM_MSG_MIGRATE, None),
    ("XFRM_MSG_NEWSADINFO", m.XFRM_MSG_NEWSADINFO, _sadinfo),
    ("XFRM_MSG_GETSADINFO", m.XFRM_MSG_GETSADINFO, None),
    ("XFRM_MSG_NEWSPDINFO", m.XFRM_MSG_NEWSPDINFO, _spdinfo),
    ("XFRM_MSG_GETSPDINFO", m.XFRM_MSG_GETSPDINFO, None),
    ("XFRM_MSG_MAPPING", m.XFRM_MSG_MAPPING, _mapping),
    ("XFRM_MSG_SETDEFAULT", m.XFRM_MSG_SETDEFAULT, decode_default),
    ("XFRM_MSG_GETDEFAULT", m.XFRM_MSG_GETDEFAULT, decode_default))}


def decode(msg_type, payload):
    """One XFRM message's payload (after the nlmsghdr) as an object (Raw if none fits)."""
    t = MSG_TYPES.get(msg_type)
    payload = bytes(payload)
    if t is None or t.decoder is None:
        return Raw(type=msg_type, payload=payload)
    try:
        return t.decoder(payload)
    except (StructError, IndexError, ValueError):   # shorter than its layout: no object
        return Raw(type=msg_type, payload=payload)


def decode_message(msg):
    return decode(msg[4] | msg[5] << 8, msg[16:])
