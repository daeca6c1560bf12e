"""Decoding and printing of SAs (xfrm_state_info_print, __do_xfrm_state_print): used by
xfrm state and by the monitor."""
from pyip import out, shapes
from pyip.addr import AF_UNSPEC
from pyip.addr import TEXTS
from pyip.netlink import cstr, parse_rtattr
from pyip.opts import opts
from pyip.xfrm import common as c
from pyip.xfrm import msgs as m


def decode_sa(buf, off):
    sel = m.SELECTOR.unpack(buf, off)
    sel_zero = buf[off:off + m.SELECTOR.size] == bytes(m.SELECTOR.size)
    off += m.SELECTOR.size
    id_ = m.XFRM_ID.unpack(buf, off)
    off += m.XFRM_ID.size
    saddr = buf[off:off + 16]
    off += 16
    lft = m.LIFETIME_CFG.struct.unpack_from(buf, off)
    off += m.LIFETIME_CFG.size
    cur = m.LIFETIME_CUR.struct.unpack_from(buf, off)
    off += m.LIFETIME_CUR.size
    stats = m.STATS.unpack(buf, off)
    off += m.STATS.size
    sa = m.SA_TAIL.unpack(buf, off)
    sa.update(sel=sel, sel_zero=sel_zero, daddr=id_["daddr"], spi=id_["spi"],
              proto=id_["proto"], saddr=saddr, lft=lft, cur=cur, stats=stats)
    return sa


def filter_match(sa):
    """xfrm_state_filter_match()"""
    f = c.filter
    if not f.use:
        return True
    fs = f.sa
    if fs["family"] != AF_UNSPEC and fs["family"] != sa["family"]:
        return False
    if f.id_src_mask and not c.addr_match(sa["saddr"], fs["saddr"], f.id_src_mask):
        return False
    if f.id_dst_mask and not c.addr_match(sa["daddr"], fs["daddr"], f.id_dst_mask):
        return False
    if (sa["proto"] ^ fs["proto"]) & f.id_proto_mask:
        return False
    if f.id_spi_mask and sa["spi"] != fs["spi"]:
        return False
    if (sa["mode"] ^ fs["mode"]) & f.mode_mask:
        return False
    if (sa["reqid"] ^ fs["reqid"]) & f.reqid_mask:
        return False
    if f.state_flags_mask and not sa["flags"] & fs["flags"]:
        return False
    return True


def print_info(o, sa, tb, prefix, title, nokeys):
    """xfrm_state_info_print()"""
    sl = opts.SL
    stats = opts.show_stats > 0
    proto = sa["proto"]
    c.print_id_info(o, sa["saddr"], sa["daddr"], sa["spi"], proto, sa["mode"], sa["reqid"],
                    sa["family"], proto in (c.IPPROTO_ESP, c.IPPROTO_AH, c.IPPROTO_COMP),
                    prefix, title)
    buf = (prefix or "") + "\t"
    o.append(buf + "replay-window %u " % sa["replay_window"])
    if stats:
        o.append("seq 0x%08u " % sa["seq"])
    if stats or sa["flags"]:
        o.append("flag " + c.flag_names(sa["flags"], m.XFRM_STATE_FLAGS))
    if stats and m.XFRMA_SA_EXTRA_FLAGS in tb:
        o.append("extra_flag " + c.flag_names(c.u32_of(tb[m.XFRMA_SA_EXTRA_FLAGS]),
                                              m.XFRM_SA_XFLAGS))
    if stats:
        o.append(" (0x%s)" % c.mask8(sa["flags"]))
    o.append(sl)
    c.print_xfrma(o, tb, sa["family"], buf, nokeys)
    if not sa["sel_zero"]:
        c.print_selector(o, sa["sel"], sa["family"], buf + "sel ")
    if stats:
        c.print_lifetime(o, sa["lft"], sa["cur"], buf)
        st = sa["stats"]
        o.append("%sstats:%s%s  replay-window %u replay %u failed %u%s"
                 % (buf, sl, buf, st["replay_window"], st["replay"], st["integrity_failed"], sl))
    if m.XFRMA_SEC_CTX in tb:
        c.print_sec_ctx(o, tb[m.XFRMA_SEC_CTX])


def print_sa_msg(msg, o, nokeys):
    """__do_xfrm_state_print() for one message; returns ip's status."""
    mtype = int.from_bytes(msg[4:6], "little")
    if mtype not in (m.XFRM_MSG_NEWSA, m.XFRM_MSG_DELSA, m.XFRM_MSG_UPDSA, m.XFRM_MSG_EXPIRE):
        out.error("Not a state: %08x %08x %08x\n" % (len(msg), mtype,
                                                    int.from_bytes(msg[6:8], "little")))
        return 0
    if mtype == m.XFRM_MSG_DELSA:
        size = m.USERSA_ID.size
    elif mtype == m.XFRM_MSG_EXPIRE:
        size = m.USER_EXPIRE.size
    else:
        size = m.USERSA_INFO_SIZE
    if len(msg) - 16 - size < 0:
        out.error("BUG: wrong nlmsg len %d\n" % (len(msg) - 16 - size))
        return -1
    sa = None
    if mtype != m.XFRM_MSG_DELSA:
        sa = decode_sa(msg, 16)
        if not filter_match(sa):
            return 0
    if mtype == m.XFRM_MSG_DELSA:
        o.append("Deleted ")
    elif mtype == m.XFRM_MSG_UPDSA:
        o.append("Updated ")
    elif mtype == m.XFRM_MSG_EXPIRE:
        o.append("Expired ")
    tb = parse_rtattr(msg, 16 + size)
    if mtype == m.XFRM_MSG_DELSA:
        if m.XFRMA_SA not in tb:
            out.error("Buggy XFRM_MSG_DELSA: no XFRMA_SA\n")
            return -1
        if len(tb[m.XFRMA_SA]) < m.USERSA_INFO_SIZE:
            out.error("Buggy XFRM_MSG_DELPOLICY: too short XFRMA_POLICY len\n")
            return -1
        sa = decode_sa(tb[m.XFRMA_SA], 0)
    print_info(o, sa, tb, None, None, nokeys)
    if mtype == m.XFRM_MSG_EXPIRE:
        o.append("\thard %u%s" % (msg[16 + m.USERSA_INFO_SIZE], opts.SL))
    if opts.oneline:
        o.append("\n")
    return 0


# ---- the listing's fast path (see shapes.py) -----------------------------------------------
# SAs with an address selector (or none) and the attributes a plain SA carries: algorithms, the
# replay state, mark, if_id, lastused.  Anything else goes to print_sa_msg, and tests hold the
# two to the same text for any message.

_INFO_FMT = ("=4xH10x"                     # nlmsghdr: the type
             # xfrm_usersa_info: the selector (its pad read: ip memcmp()s it), xfrm_id,
             # saddr, lifetimes, stats, then seq, reqid, family, mode, replay_window, flags
             + m.format_of(m.SELECTOR.rows_as({}, {"dport": "H", "dport_mask": "H",
                                                   "sport": "H", "sport_mask": "H",
                                                   None: "3s"}))
             + m.XFRM_ID.fmt + "16s" + m.LIFETIME_CFG.fmt
             + m.LIFETIME_CUR.fmt + m.STATS.fmt
             + m.SA_TAIL.fmt)
_ATTRS_OFF = 16 + m.USERSA_INFO_SIZE


# an algorithm attribute's struct (msgs.ALGO_LAYOUTS: xfrm_algo, or xfrm_algo_auth /
# xfrm_algo_aead with one more length, which ip prints as an int) read as name, key bits,
# [that int]; the key bytes after it
ALGO_READS = {"alg_trunc_len": "i", "alg_icv_len": "i"}
ALGO_HEADS = {t: layout.size for t, layout in m.ALGO_LAYOUTS.items()}


def _algo_reader(layout):
    head, fmt = layout.size, m.format_of(layout.rows_as({}, ALGO_READS))
    return lambda n: "%s%ds" % (fmt, n - head) if n >= head else None


_READERS = {t: _algo_reader(layout) for t, layout in m.ALGO_LAYOUTS.items()}
_READERS.update({m.XFRMA_REPLAY_VAL: shapes.exactly(m.REPLAY_STATE.size,
                                                   m.REPLAY_STATE.fmt),
                 m.XFRMA_MARK: shapes.exactly(m.MARK.size, m.MARK.fmt),
                 m.XFRMA_IF_ID: shapes.exactly(4, "I"),
                 m.XFRMA_LASTUSED: shapes.exactly(8, "Q")})
# in ip's order; auth only where auth-trunc is absent
ALGOS = ((m.XFRMA_ALG_AUTH, "\tauth ", False), (m.XFRMA_ALG_AUTH_TRUNC, "\tauth-trunc ", True),
         (m.XFRMA_ALG_AEAD, "\taead ", True), (m.XFRMA_ALG_CRYPT, "\tenc ", False),
         (m.XFRMA_ALG_COMP, "\tcomp ", False))
_ZERO16 = bytes(16)
SPI_ALWAYS = (c.IPPROTO_ESP, c.IPPROTO_AH, c.IPPROTO_COMP)
_algo_names = {}


def sel_line(s_daddr, s_saddr, dport, sport, s_family, plen_d, plen_s, pad, user, family,
             stats, sl):
    """The selector line of a listed SA whose selector has no protocol, port masks or
    device: "" where ip prints none, None where only print_sa_msg() prints it."""
    if not (s_daddr != _ZERO16 or s_saddr != _ZERO16 or dport or sport or s_family or plen_d
            or plen_s or pad != b"\0\0\0" or user):
        return ""
    s_names = TEXTS.get(s_family or family)
    if s_names is None:
        return None
    return "\tsel src %s/%u dst %s/%u %s%s" % (s_names[s_saddr], plen_s, s_names[s_daddr],
                                             plen_d, "uid %u" % user if stats else "", sl)


def _plan(shape):
    """What a shape holds, worked out once: its algorithms in ip's order (index, title, has
    the extra int), then where mark, lastused, the replay state and if_id are (or None)."""
    where = shape.where
    algos = tuple((where[t], title, extra) for t, title, extra in ALGOS if t in where and not (
        t == m.XFRMA_ALG_AUTH and m.XFRMA_ALG_AUTH_TRUNC in where))
    return (algos, where.get(m.XFRMA_MARK), where.get(m.XFRMA_LASTUSED),
            where.get(m.XFRMA_REPLAY_VAL), where.get(m.XFRMA_IF_ID))


SHAPES = shapes.Shapes(_INFO_FMT, _ATTRS_OFF, _READERS, _plan)


def print_listed(msg, o, nokeys):
    """print_sa_msg() for a dumped SA, by the fast path where it applies."""
    shape = SHAPES.of(msg)
    if shape is None:
        return print_sa_msg(msg, o, nokeys)
    v = shape.st.unpack_from(msg)
    (mtype, s_daddr, s_saddr, dport, dmask, sport, smask, s_family, plen_d, plen_s, s_proto,
     pad, ifindex, user, daddr, spi, proto, saddr) = v[:18]
    seq, reqid, family, mode, replay_window, flags = v[33:39]
    names = TEXTS.get(family)
    if (mtype != m.XFRM_MSG_NEWSA or s_proto or dmask or smask or ifindex or flags
            or names is None or c.filter.use):
        return print_sa_msg(msg, o, nokeys)
    algos, i_mark, i_lastused, i_replay, i_if_id = shape.plan
    sl = opts.SL
    stats = opts.show_stats > 0
    mark = "" if i_mark is None else "\tmark %s/%s %s" % (c.hash_x(v[i_mark]),
                                                          c.hash_x(v[i_mark + 1]), sl)
    spi = int.from_bytes(spi, "big")
    t_proto = c.XFRM_PROTO_NAMES.get(proto) or "%u" % proto
    t_mode = c.MODE_NAMES.get(mode) or "%u" % mode
    start = len(o)
    if stats:
        o.append("src %s dst %s%s\tproto %s spi 0x%08x(%u) reqid %u(0x%08x) mode %s%s"
                 "\treplay-window %u seq 0x%08u flag  (0x00000000)%s%s"
                 % (names[saddr], names[daddr], sl, t_proto, spi, spi, reqid, reqid, t_mode, sl,
                    replay_window, seq, sl, mark))
    else:
        o.append("src %s dst %s%s\tproto %s %sreqid %u mode %s%s\treplay-window %u %s%s"
                 % (names[saddr], names[daddr], sl, t_proto,
                    "spi 0x%08x " % spi if spi or proto in SPI_ALWAYS else "", reqid, t_mode,
                    sl, replay_window, sl, mark))
    for i, title, extra in algos:
        key_bits = v[i + 1]
        key = v[i + 3] if extra else v[i + 2]
        keylen = key_bits // 8
        if keylen > len(key):
            del o[start:]
            return print_sa_msg(msg, o, nokeys)
        name = _algo_names.get(v[i])
        if name is None:
            if b"\0" not in v[i]:          # ip's printf runs on past the 64 bytes
                del o[start:]
                return print_sa_msg(msg, o, nokeys)
            name = _algo_names[v[i]] = cstr(v[i])
        if nokeys:
            key = "<<Keys hidden>>"
        elif not keylen:
            key = ""
        elif stats:
            key = "0x%s (%d bits)" % (key[:keylen].hex(), key_bits)
        else:
            key = "0x" + key[:keylen].hex()
        o.append("%s%s %s%s%s" % (title, name, key, " %d" % v[i + 2] if extra else "", sl))
    if i_lastused is not None:
        o.append("\tlastused %s%s" % (c.strxf_time(v[i_lastused]), sl))
    if i_replay is not None:
        o.append("\tanti-replay context: seq 0x%x, oseq 0x%x, bitmap 0x%08x%s"
                 % (v[i_replay + 1], v[i_replay], v[i_replay + 2], sl))
    if i_if_id is not None:
        o.append("\tif_id %s%s" % (c.hash_x(v[i_if_id]), sl))
    sel = sel_line(s_daddr, s_saddr, dport, sport, s_family, plen_d, plen_s, pad, user,
                   family, stats, sl)
    if sel is None:
        del o[start:]
        return print_sa_msg(msg, o, nokeys)
    o.append(sel)
    if stats:
        c.print_lifetime(o, v[18:26], v[26:30], "\t")
        o.append("\tstats:%s\t  replay-window %u replay %u failed %u%s"
                 % (sl, v[30], v[31], v[32], sl))
    if opts.oneline:
        o.append("\n")
    return 0
