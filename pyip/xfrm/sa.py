"""Decoding and printing of SAs (xfrm_state_info_print, __do_xfrm_state_print): used by
xfrm state and by the monitor."""
from pyip import out
from pyip.addr import AF_UNSPEC
from pyip.netlink import attrs
from pyip.opts import opts
from pyip.xfrm import common as c
from pyip.xfrm import msgs as m
from pyip.xfrm.policy import addr_match


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
    sa.update(sel=sel, sel_zero=sel_zero, daddr=id_["daddr"], spi=id_["spi"], proto=id_["proto"], saddr=saddr,
              lft=lft, cur=cur, stats=stats)
    return sa


def filter_match(sa):
    """xfrm_state_filter_match()"""
    f = c.filter
    if not f.use:
        return True
    fs = f.sa
    if fs["family"] != AF_UNSPEC and fs["family"] != sa["family"]:
        return False
    if f.id_src_mask and not addr_match(sa["saddr"], fs["saddr"], f.id_src_mask):
        return False
    if f.id_dst_mask and not addr_match(sa["daddr"], fs["daddr"], f.id_dst_mask):
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
        o.append("extra_flag " + c.flag_names(c._u32(tb[m.XFRMA_SA_EXTRA_FLAGS]),
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
        size = m.USERSA_INFO_SIZE + 8
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
    tb = attrs(msg, 16 + size)
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
