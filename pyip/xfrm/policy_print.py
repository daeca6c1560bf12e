"""Decoding and printing of policies (xfrm_policy_info_print, xfrm_policy_print): used by xfrm
policy (get, list: print_listed, the listing's per-message fast path; policy_runs.py prints
runs of a dump's policies), by the monitor and by acquire events."""
from pyip import out, shapes
from pyip.addr import AF_UNSPEC, TEXTS
from pyip.netlink import parse_rtattr
from pyip.opts import opts
from pyip.xfrm import common as c
from pyip.xfrm import msgs as m
from pyip.xfrm.msgs import DEFAULT_NAMES, DIR_NAMES, PTYPE_NAMES

FLAG_NAMES = m.POLICY_FLAGS
LEVELS = m.LEVEL_NAMES         # (the fast paths take levels 0 and 1 only)
ACTION_NAMES = ("allow", "block")


_TAIL_OFF = m.USERPOLICY_INFO.offsets[None]


def decode_info(buf, off):
    """struct xfrm_userpolicy_info; the lifetimes only where they are printed (-s)."""
    info = m.POLICY_TAIL.unpack(buf, off + _TAIL_OFF)
    info["sel"] = m.SELECTOR.unpack(buf, off)
    if opts.show_stats:
        off += m.SELECTOR.size
        info["lft"] = m.LIFETIME_CFG.struct.unpack_from(buf, off)
        info["cur"] = m.LIFETIME_CUR.struct.unpack_from(buf, off + m.LIFETIME_CFG.size)
    return info


def filter_match(p, ptype):
    f = c.filter
    if not f.use:
        return True
    sel, fs = p["sel"], f.sel
    if fs["family"] != AF_UNSPEC and fs["family"] != sel["family"]:
        return False
    if (p["dir"] ^ f.dir) & f.dir_mask:
        return False
    if f.filter_socket and p["dir"] >= m.XFRM_POLICY_MAX:
        return False
    if (ptype ^ f.ptype) & f.ptype_mask:
        return False
    if f.sel_src_mask and not c.addr_match(sel["saddr"], fs["saddr"], f.sel_src_mask):
        return False
    if f.sel_dst_mask and not c.addr_match(sel["daddr"], fs["daddr"], f.sel_dst_mask):
        return False
    if (sel["ifindex"] ^ fs["ifindex"]) & f.sel_dev_mask:
        return False
    if (sel["proto"] ^ fs["proto"]) & f.upspec_proto_mask:
        return False
    if f.upspec_sport_mask and sel["sport"] != fs["sport"]:
        return False
    if f.upspec_dport_mask and sel["dport"] != fs["dport"]:
        return False
    if (p["index"] ^ f.index) & f.index_mask:
        return False
    if (p["action"] ^ f.action) & f.action_mask:
        return False
    if (p["priority"] ^ f.priority) & f.priority_mask:
        return False
    if f.policy_flags_mask and not p["flags"] & f.flags:
        return False
    return True


def print_info(o, p, tb, prefix, title):
    """xfrm_policy_info_print()"""
    sl = opts.SL
    stats = opts.show_stats
    c.print_selector(o, p["sel"], opts.preferred_family, title)
    if m.XFRMA_SEC_CTX in tb:
        c.print_sec_ctx(o, tb[m.XFRMA_SEC_CTX])
    buf = (prefix or "") + "\t"
    d = p["dir"]
    if d >= m.XFRM_POLICY_MAX:
        d -= m.XFRM_POLICY_MAX
        o.append(buf + "socket ")
    else:
        o.append(buf + "dir ")
    o.append(DIR_NAMES.get(d, "%u" % d) + " ")
    action = p["action"]
    if action == m.XFRM_POLICY_ALLOW:
        if stats > 0:
            o.append("action allow ")
    elif action == m.XFRM_POLICY_BLOCK:
        o.append("action block ")
    else:
        o.append("action %u " % action)
    if stats:
        o.append("index %u " % p["index"])
    o.append("priority %u " % p["priority"])
    if m.XFRMA_POLICY_TYPE in tb:
        o.append("ptype ")
        t = tb[m.XFRMA_POLICY_TYPE]
        if len(t) < m.POLICY_TYPE.size:
            o.append("(ERROR truncated)")
        ptype = t[0] if t else 0
        o.append(PTYPE_NAMES.get(ptype, "%u" % ptype) + " ")
    if stats > 0:
        o.append("share %s " % c.SHARES.get(p["share"], "%u" % p["share"]))
    if stats > 0 or p["flags"]:
        o.append("flag " + c.flag_names(p["flags"], FLAG_NAMES))
    if stats > 0:
        o.append(" (0x%s)" % c.mask8(p["flags"]))
    o.append(sl)
    if stats > 0:
        c.print_lifetime(o, p["lft"], p["cur"], buf)
    c.print_xfrma(o, tb, p["sel"]["family"], buf, False, False)


def print_policy_msg(msg, o):
    """xfrm_policy_print() for one netlink message (whole bytes); returns ip's status."""
    mtype = int.from_bytes(msg[4:6], "little")
    if mtype not in (m.XFRM_MSG_NEWPOLICY, m.XFRM_MSG_DELPOLICY, m.XFRM_MSG_UPDPOLICY,
                     m.XFRM_MSG_POLEXPIRE):
        out.error("Not a policy: %08x %08x %08x\n" % (len(msg), mtype,
                                                     int.from_bytes(msg[6:8], "little")))
        return 0
    if mtype == m.XFRM_MSG_DELPOLICY:
        size = m.USERPOLICY_ID.size
    elif mtype == m.XFRM_MSG_POLEXPIRE:
        size = m.USER_POLEXPIRE.size
    else:
        size = m.USERPOLICY_INFO_SIZE
    if len(msg) - 16 - size < 0:
        out.error("BUG: wrong nlmsg len %d\n" % (len(msg) - 16 - size))
        return -1
    tb = parse_rtattr(msg, 16 + size)
    ptype = m.XFRM_POLICY_TYPE_MAIN
    if m.XFRMA_POLICY_TYPE in tb:
        if len(tb[m.XFRMA_POLICY_TYPE]) < m.POLICY_TYPE.size:
            out.error("too short XFRMA_POLICY_TYPE len\n")
            return -1
        ptype = tb[m.XFRMA_POLICY_TYPE][0]
    p = None
    if mtype != m.XFRM_MSG_DELPOLICY:
        p = decode_info(msg, 16)
        if not filter_match(p, ptype):
            return 0
    if mtype == m.XFRM_MSG_DELPOLICY:
        o.append("Deleted ")
    elif mtype == m.XFRM_MSG_UPDPOLICY:
        o.append("Updated ")
    elif mtype == m.XFRM_MSG_POLEXPIRE:
        o.append("Expired ")
    if mtype == m.XFRM_MSG_DELPOLICY:
        if m.XFRMA_POLICY not in tb:
            out.error("Buggy XFRM_MSG_DELPOLICY: no XFRMA_POLICY\n")
            return -1
        if len(tb[m.XFRMA_POLICY]) < m.USERPOLICY_INFO_SIZE:
            out.error("Buggy XFRM_MSG_DELPOLICY: too short XFRMA_POLICY len\n")
            return -1
        p = decode_info(tb[m.XFRMA_POLICY], 0)
    print_info(o, p, tb, None, None)
    if mtype == m.XFRM_MSG_POLEXPIRE:
        o.append("\thard %u%s" % (msg[16 + m.USERPOLICY_INFO_SIZE], opts.SL))
    if opts.oneline:
        o.append("\n")
    return 0


# ---- the listing's fast path ---------------------------------------------------------------
# A dump brings thousands of policies of one plain shape: an address selector, one template,
# perhaps a mark, an if_id and the policy type.  print_policy_msg decodes each into dicts and
# prints it piece by piece (~15 us a policy; ip takes ~3); this reads such a message with one
# unpack and prints it in a few formats.  Whatever it does not know goes the general way, and
# tests hold the two to the same text for any message.

_INFO_FMT = ("=4xH10x"                     # nlmsghdr: the type
             # xfrm_userpolicy_info: the selector (its port masks only tested), lifetimes,
             # then priority, index, dir, action, flags, share
             + m.format_of(m.SELECTOR.rows_as({"dport": "", "sport": ""},
                                              {"dport_mask": "H", "sport_mask": "H"}))
             + m.LIFETIME_CFG.fmt + m.LIFETIME_CUR.fmt
             + m.POLICY_TAIL.fmt)
_ATTRS_OFF = 16 + m.USERPOLICY_INFO_SIZE
_TMPL_FMT = m.USER_TMPL.fmt
MAX_TMPLS = 3           # templates a listed policy's shape may have (the runs print up to 3)


def _tmpls(n):
    """XFRMA_TMPL: 1 to MAX_TMPLS whole templates."""
    k, rest = divmod(n, m.USER_TMPL.size)
    return _TMPL_FMT * k if 0 < k <= MAX_TMPLS and not rest else None


_READERS = {m.XFRMA_TMPL: _tmpls,
            m.XFRMA_POLICY_TYPE: shapes.exactly(m.POLICY_TYPE.size, m.format_of(
                m.POLICY_TYPE.rows_as({"reserved1": "", "reserved2": ""}))),
            m.XFRMA_MARK: shapes.exactly(m.MARK.size, m.MARK.fmt),
            m.XFRMA_IF_ID: shapes.exactly(4, "I")}


def _plan(shape):
    """Where a shape's template (None unless just one), policy type, mark and if_id are (or
    None)."""
    where = shape.where
    tmpl = where.get(m.XFRMA_TMPL)
    if any(t == m.XFRMA_TMPL and ln - 4 != m.USER_TMPL.size for ln, t, _ in shape.formats):
        tmpl = None             # two or three templates: the runs' (or the general printer's)
    return (tmpl, where.get(m.XFRMA_POLICY_TYPE), where.get(m.XFRMA_MARK),
            where.get(m.XFRMA_IF_ID))


SHAPES = shapes.Shapes(_INFO_FMT, _ATTRS_OFF, _READERS, _plan)


def print_listed(msg, o):
    """print_policy_msg() for a dumped policy, by the fast path where it applies."""
    shape = SHAPES.of(msg)
    if shape is None or shape.plan[0] is None:
        return print_policy_msg(msg, o)
    i, i_ptype, i_mark, i_if_id = shape.plan
    v = shape.st.unpack_from(msg)
    (mtype, daddr, saddr, dmask, smask, family, plen_d, plen_s, proto, ifindex, user) = v[:11]
    priority, index, dir_, action, flags, share = v[23:29]
    (t_daddr, spi, t_proto, t_family, t_saddr, reqid, mode, t_share, optional, aalgos, ealgos,
     calgos) = v[i:i + 12]
    if (mtype != m.XFRM_MSG_NEWPOLICY or proto or dmask or smask or ifindex or flags
            or not family or dir_ > 2 or action > 1 or optional > 1 or c.filter.use):
        return print_policy_msg(msg, o)
    names = TEXTS.get(family)
    t_names = TEXTS.get(t_family)
    if names is None or t_names is None:
        return print_policy_msg(msg, o)
    sl = opts.SL
    ptype = "" if i_ptype is None else "ptype %s " % PTYPE_NAMES.get(v[i_ptype],
                                                                     "%u" % v[i_ptype])
    mark = "" if i_mark is None else "\tmark %s/%s %s" % (c.hash_x(v[i_mark]),
                                                          c.hash_x(v[i_mark + 1]), sl)
    if_id = "" if i_if_id is None else "\tif_id %s%s" % (c.hash_x(v[i_if_id]), sl)
    t_mode = c.MODE_NAMES.get(mode) or "%u" % mode
    t_proto = c.XFRM_PROTO_NAMES.get(t_proto) or "%u" % t_proto
    spi = int.from_bytes(spi, "big")
    if opts.show_stats:
        o.append("src %s/%u dst %s/%u uid %u%s\tdir %s action %s index %u priority %u %sshare %s"
                 " flag  (0x00000000)%s"
                 % (names[saddr], plen_s, names[daddr], plen_d, user, sl, DIR_NAMES[dir_],
                    ACTION_NAMES[action], index, priority, ptype,
                    c.SHARES.get(share, "%u" % share), sl))
        c.print_lifetime(o, v[11:19], v[19:23], "\t")
        o.append("%s\ttmpl src %s dst %s%s\t\tproto %s spi 0x%08x(%u) reqid %u(0x%08x) mode %s%s"
                 "\t\tlevel %s share %s %s\t\tenc-mask %.8x auth-mask %.8x comp-mask %.8x%s%s"
                 % (mark, t_names[t_saddr], t_names[t_daddr], sl, t_proto, spi, spi, reqid,
                    reqid, t_mode, sl, LEVELS[optional], c.SHARES.get(t_share, "%u" % t_share),
                    sl, ealgos, aalgos, calgos, sl, if_id))
    else:
        o.append("src %s/%u dst %s/%u %s\tdir %s %spriority %u %s%s%s\ttmpl src %s dst %s%s"
                 "\t\tproto %s %sreqid %u mode %s%s%s%s"
                 % (names[saddr], plen_s, names[daddr], plen_d, sl, DIR_NAMES[dir_],
                    "action block " if action else "", priority, ptype, sl, mark,
                    t_names[t_saddr], t_names[t_daddr], sl, t_proto,
                    "spi 0x%08x " % spi if spi else "", reqid, t_mode, sl,
                    "\t\tlevel use %s" % sl if optional else "", if_id))
    if opts.oneline:
        o.append("\n")
    return 0


def print_default(msg):
    """xfrm_policy_default_print() (also used by the monitor)."""
    need = 16 + ((m.POLICY_DEFAULT.size + 3) & ~3)
    if len(msg) < need:
        out.error("BUG: short nlmsg len %u (expect %u) for XFRM_MSG_GETDEFAULT\n"
                  % (len(msg), need))
        return -1
    d = m.POLICY_DEFAULT.unpack(msg, 16)
    out.write("Default policies:\n in:  %s\n fwd: %s\n out: %s\n"
              % tuple(DEFAULT_NAMES.get(d[k], "unknown") for k in ("in", "fwd", "out")))
    return 0
