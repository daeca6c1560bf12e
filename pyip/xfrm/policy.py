"""ip xfrm policy (xfrm_policy.c): parse -> request -> kernel -> print, one function each."""
from pyip import out
from pyip.addr import AF_INET, AF_UNSPEC
from pyip.errors import IpExit, duparg, duparg2, invalid, invarg, missarg
from pyip.netlink import attr, attrs, xfrm
from pyip.opts import opts
from pyip.words import MEANINGS, Args, lookup, strtoul
from pyip.xfrm import common as c
from pyip.xfrm import dispatch
from pyip.xfrm import msgs as m
from pyip.xfrm.policy_print import (DIR_NAMES, decode_info, filter_match, print_default,
                                    print_listed, print_policy_msg)

DIRS = {"in": m.XFRM_POLICY_IN, "out": m.XFRM_POLICY_OUT, "fwd": m.XFRM_POLICY_FWD}
PTYPES = {"main": m.XFRM_POLICY_TYPE_MAIN, "sub": m.XFRM_POLICY_TYPE_SUB}
ACTIONS = {"allow": m.XFRM_POLICY_ALLOW, "block": m.XFRM_POLICY_BLOCK}
FLAGS = {"localok": m.XFRM_POLICY_LOCALOK, "icmp": m.XFRM_POLICY_ICMP}
DEFAULTS = {"block": m.XFRM_USERPOLICY_BLOCK, "accept": m.XFRM_USERPOLICY_ACCEPT}
TMPLS_BUF_SIZE = 1024
DELETEALL_BUF_SIZE = 8192


# ---- parsing -------------------------------------------------------------------------------

def parse_dir(a):
    return c.choose("policy_dir", a.word, DIRS)


def parse_ptype(a):
    return c.choose("policy_ptype", a.word, PTYPES)


def parse_action(a):
    return c.choose("policy_action", a.word, ACTIONS)


def parse_flags(a, flags):
    """xfrm_policy_flag_parse(): one hex value, or a run of flag names."""
    w = a.word
    if len(w) > 2 and w.startswith("0x"):
        v = strtoul(w, 8, 16)
        if v is None:
            invalid("policy_flag_list.hex", w)
        return v
    while True:
        f = lookup("policy_flag", a.word)
        if f is None:
            a.prev()
            break
        flags |= FLAGS[f]
        if not a.next_ok():
            break
        a.next()
    return flags


def parse_tmpl(a, t):
    """xfrm_tmpl_parse(): one ID, then mode/reqid/level, until another word."""
    v = a.v
    n = len(v)
    start = n - a.i
    have_id = False
    words = MEANINGS["tmpl_word"]
    while True:
        what = words[v[a.i]]
        if what == "mode":
            a.next()
            t["mode"] = c.parse_mode(a)
        elif what == "reqid":
            a.next()
            t["reqid"] = c.parse_reqid(a, "tmpl_word.reqid")
        elif what == "level":
            t["optional"] = c.choose("tmpl_level", a.next(),
                                     {"required": 0, "use": 1})
        else:
            if have_id:
                a.prev()
                break
            have_id = True
            opts.preferred_family = AF_UNSPEC
            c.parse_id(a, t, False)
            opts.preferred_family = t["family"]
        if a.i + 1 >= n:            # NEXT_ARG_OK(), then NEXT_ARG()
            break
        a.i += 1
    if n - a.i == start:
        missarg("TMPL")


def sec_ctx(text):
    raw = text.encode("utf-8", "surrogateescape") + b"\0"
    head = m.SEC_CTX.pack({"len": 8 + len(raw), "exttype": m.XFRMA_SEC_CTX, "ctx_alg": 1,
                           "ctx_doi": 1, "ctx_len": len(raw)})
    return attr(m.XFRMA_SEC_CTX, head + raw)


def ptype_attr(ptype):
    return attr(m.XFRMA_POLICY_TYPE, m.POLICY_TYPE.pack({"type": ptype}))


def parse_policy(argv):
    """xfrm_policy_modify()'s loop: returns the request body (userpolicy_info + attributes)."""
    a = Args(argv)
    sel = c.new_selector()
    sel["family"] = opts.preferred_family
    lft = c.new_lifetime()
    info = {"priority": 0, "index": 0, "dir": 0, "action": 0, "flags": 0, "share": 0}
    dirp = selp = ptypep = ctxp = False
    ptype = 0
    tmpls = []
    mark = (0, 0)
    ctx = None
    if_id = None
    # argc > 0 and the keyword lookup by index and dict: a -batch of policies runs this
    # loop ten times a line
    v, n, words = argv, len(argv), MEANINGS["policy_add_word"]
    while a.i < n:
        what = words[v[a.i]]
        if what == "dir":
            if dirp:
                duparg("dir", a.word)
            dirp = True
            a.next()
            info["dir"] = parse_dir(a)
        elif what == "ctx":
            if ctxp:
                duparg("ctx", a.word)
            ctxp = True
            ctx = a.next()
        elif what == "mark":
            mark = c.parse_mark(a)
        elif what == "index":
            info["index"] = c.u32(a.next(), "policy_add_word.index")
        elif what == "ptype":
            if ptypep:
                duparg("ptype", a.word)
            ptypep = True
            a.next()
            ptype = parse_ptype(a)
        elif what == "action":
            a.next()
            info["action"] = parse_action(a)
        elif what == "priority":
            info["priority"] = c.u32(a.next(), "policy_add_word.priority")
        elif what == "flag":
            a.next()
            info["flags"] = parse_flags(a, info["flags"])
        elif what == "limit":
            a.next()
            c.parse_lifetime(a, lft)
        elif what == "tmpl":
            if (len(tmpls) + 1) * m.USER_TMPL.size > TMPLS_BUF_SIZE:
                raise IpExit("Too many tmpls: buffer overflow\n", 1)
            t = c.new_id()
            t.update(family=opts.preferred_family, reqid=0, mode=0, share=0, optional=0,
                     aalgos=c.FULL, ealgos=c.FULL, calgos=c.FULL)
            a.next()
            parse_tmpl(a, t)
            tmpls.append(t)
        elif what == "if_id":
            if_id = c.u32(a.next(), "policy_add_word.if_id")
        else:
            if selp:
                duparg("unknown", a.word)
            selp = True
            c.parse_selector(a, sel)
            if opts.preferred_family == AF_UNSPEC:
                opts.preferred_family = sel["family"]
        a.i += 1
    if not dirp:
        raise IpExit("Not enough information: DIR is required.\n", 1)
    body = []
    if ptypep:
        body.append(ptype_attr(ptype))
    if tmpls:
        body.append(attr(m.XFRMA_TMPL, b"".join(m.USER_TMPL.pack(t) for t in tmpls)))
    if mark[1]:
        body.append(attr(m.XFRMA_MARK, m.MARK.pack({"v": mark[0], "m": mark[1]})))
    if ctxp:
        body.append(sec_ctx(ctx))
    if if_id is not None:
        body.append(attr(m.XFRMA_IF_ID, m.U32.pack(if_id)))
    if sel["family"] == AF_UNSPEC:
        sel["family"] = AF_INET
    head = m.SELECTOR.pack(sel) + m.LIFETIME_CFG.pack(lft) + bytes(m.LIFETIME_CUR.size) + \
        m.POLICY_TAIL.pack(info)
    return head + b"".join(body)


def parse_policy_id(argv):
    """xfrm_policy_get_or_delete()'s loop: the userpolicy_id request body."""
    a = Args(argv)
    sel = c.new_selector()
    index = direction = 0
    dirp = selp = indexp = ptypep = ctxp = False
    ptype = 0
    mark = (0, 0)
    ctx = None
    if_id = None
    while a.argc > 0:
        what = lookup("policy_get_word", a.word)
        if what == "dir":
            if dirp:
                duparg("dir", a.word)
            dirp = True
            a.next()
            direction = parse_dir(a)
        elif what == "ctx":
            if ctxp:
                duparg("ctx", a.word)
            ctxp = True
            ctx = a.next()
        elif what == "mark":
            mark = c.parse_mark(a)
        elif what == "index":
            if indexp:
                duparg("index", a.word)
            indexp = True
            index = c.u32(a.next(), "policy_get_word.index")
        elif what == "ptype":
            if ptypep:
                duparg("ptype", a.word)
            ptypep = True
            a.next()
            ptype = parse_ptype(a)
        elif what == "if_id":
            if_id = c.u32(a.next(), "policy_get_word.if_id")
        else:
            if selp:
                invarg("unknown", a.word)
            selp = True
            c.parse_selector(a, sel)
            if opts.preferred_family == AF_UNSPEC:
                opts.preferred_family = sel["family"]
        a.i += 1
    if not dirp:
        raise IpExit("Not enough information: DIR is required.\n", 1)
    body = []
    if ptypep:
        body.append(ptype_attr(ptype))
    if not selp and not indexp:
        raise IpExit("Not enough information: either SELECTOR or INDEX is required.\n", 1)
    if selp and indexp:
        duparg2("SELECTOR", "INDEX")
    if sel["family"] == AF_UNSPEC:
        sel["family"] = AF_INET
    if mark[0] & mark[1]:
        body.append(attr(m.XFRMA_MARK, m.MARK.pack({"v": mark[0], "m": mark[1]})))
    if ctxp:
        body.append(sec_ctx(ctx))
    if if_id is not None:
        body.append(attr(m.XFRMA_IF_ID, m.U32.pack(if_id)))
    return m.SELECTOR.pack(sel) + m.POLICY_ID_TAIL.pack({"index": index, "dir": direction}) + \
        b"".join(body)


def parse_filter(argv):
    """xfrm_policy_list_or_deleteall()'s loop: fills the global filter."""
    f = c.filter
    f.sel = c.new_selector()
    a = Args(argv)
    if a.argc > 0 or opts.preferred_family != AF_UNSPEC:
        f.use = True
    f.sel["family"] = opts.preferred_family
    selp = False
    while a.argc > 0:
        what = lookup("policy_list_word", a.word)
        if what == "dir":
            a.next()
            f.dir = parse_dir(a)
            f.dir_mask = 0xff
        elif what == "index":
            f.index = c.u32(a.next(), "policy_list_word.index")
            f.index_mask = c.FULL
        elif what == "ptype":
            a.next()
            f.ptype = parse_ptype(a)
            f.ptype_mask = 0xff
        elif what == "action":
            a.next()
            f.action = parse_action(a)
            f.action_mask = 0xff
        elif what == "priority":
            f.priority = c.u32(a.next(), "policy_list_word.priority")
            f.priority_mask = c.FULL
        elif what == "flag":
            a.next()
            f.flags = parse_flags(a, f.flags)
            f.policy_flags_mask = 0xff
        elif what == "nosock":
            f.filter_socket = True
        else:
            if selp:
                invarg("unknown", a.word)
            selp = True
            c.parse_selector(a, f.sel)
            if opts.preferred_family == AF_UNSPEC:
                opts.preferred_family = f.sel["family"]
        a.i += 1


# ---- commands ------------------------------------------------------------------------------

def _talk(type_, flags, body, answer=False):
    nl = xfrm()
    return nl.talk(type_, flags, body, answer=answer)


def modify(type_, argv):
    _talk(type_, 0, parse_policy(argv))
    return 0


def add(argv):
    return modify(m.XFRM_MSG_NEWPOLICY, argv)


def update(argv):
    return modify(m.XFRM_MSG_UPDPOLICY, argv)


def delete(argv):
    _talk(m.XFRM_MSG_DELPOLICY, 0, parse_policy_id(argv))
    return 0


def get(argv):
    msg = _talk(m.XFRM_MSG_GETPOLICY, 0, parse_policy_id(argv), answer=True)
    if opts.json:
        from pyip.xfrm import jsonout
        return jsonout.answer(msg)
    o = []
    status = print_policy_msg(msg, o)
    out.write("".join(o))
    if status < 0:
        raise IpExit("An error :-)\n", 1)
    return 0


def list_(argv):
    parse_filter(argv)
    if opts.json:
        from pyip.xfrm import jsonout
        jsonout.dump(xfrm(), m.XFRM_MSG_GETPOLICY, b"", _listed_object)
    runs = None
    if not c.filter.use:
        from pyip.xfrm.policy_runs import list_runs as runs
    c.print_dump(xfrm(), m.XFRM_MSG_GETPOLICY, b"", print_listed, runs=runs,
                 mode=(opts.SL, opts.oneline, bool(opts.show_stats)))


def save(argv):
    """pyip's own: the policies list would show (its filter) as -batch lines that add them;
    oldest first, so that a replay lists them in the same order."""
    parse_filter(argv)
    from pyip.xfrm import jsonout
    lines = []
    for p in jsonout.collect(xfrm(), m.XFRM_MSG_GETPOLICY, b"", _listed_object):
        line = p.command()
        if line is None:
            line = "# a socket policy (dir %s index %d): only its socket makes it" % (
                DIR_NAMES.get(p.dir, p.dir), p.index)
        lines.append(line + "\n")
    out.write("".join(reversed(lines)))
    return 0


def _listed_object(msg):
    """The XfrmPolicy of a dumped policy the filter keeps (for -j)."""
    from pyip.xfrm.objects import decode_message
    if int.from_bytes(msg[4:6], "little") != m.XFRM_MSG_NEWPOLICY or \
            len(msg) < 16 + m.USERPOLICY_INFO_SIZE:
        return None
    tb = attrs(msg, 16 + m.USERPOLICY_INFO_SIZE)
    ptype = tb.get(m.XFRMA_POLICY_TYPE, b"\0")[:1] or b"\0"
    if not filter_match(decode_info(msg, 16), ptype[0]):
        return None
    return decode_message(msg)


def _keep(msg, offset):
    """xfrm_policy_keep(): the XFRM_MSG_DELPOLICY for one dumped policy, if it matches."""
    mtype = int.from_bytes(msg[4:6], "little")
    if mtype != m.XFRM_MSG_NEWPOLICY:
        out.error("Not a policy: %08x %08x %08x\n" % (len(msg), mtype,
                                                     int.from_bytes(msg[6:8], "little")))
        return None
    if len(msg) - 16 - m.USERPOLICY_INFO_SIZE < 0:
        raise IpExit("BUG: wrong nlmsg len %d\nDelete-all terminated\n"
                     % (len(msg) - 16 - m.USERPOLICY_INFO_SIZE), 1)
    off = 16 + m.USERPOLICY_INFO_SIZE
    tb = attrs(msg, off)
    ptype = m.XFRM_POLICY_TYPE_MAIN
    if m.XFRMA_POLICY_TYPE in tb:
        if len(tb[m.XFRMA_POLICY_TYPE]) < m.POLICY_TYPE.size:
            raise IpExit("too short XFRMA_POLICY_TYPE len\nDelete-all terminated\n", 1)
        ptype = tb[m.XFRMA_POLICY_TYPE][0]
    p = decode_info(msg, 16)
    if not filter_match(p, ptype) or p["dir"] >= m.XFRM_POLICY_MAX:
        return None             # socket policies cannot be deleted
    if offset + 16 + m.SELECTOR.size + m.POLICY_ID_TAIL.size > DELETEALL_BUF_SIZE:
        return None
    body = msg[16:16 + m.SELECTOR.size] + m.POLICY_ID_TAIL.pack(p) + c.copied_mark(msg, off)
    if m.XFRMA_IF_ID in tb:
        body += attr(m.XFRMA_IF_ID, tb[m.XFRMA_IF_ID][:4])
    return m.XFRM_MSG_DELPOLICY, body


def deleteall(argv):
    parse_filter(argv)
    c.delete_all(xfrm(), m.XFRM_MSG_GETPOLICY, _keep, "Failed to send delete-all request")


def flush(argv):
    a = Args(argv)
    ptypep = False
    ptype = 0
    while a.argc > 0:
        if a.word == "ptype":
            if ptypep:
                duparg("ptype", a.word)
            ptypep = True
            a.next()
            ptype = parse_ptype(a)
        else:
            invarg("unknown", a.word)
        a.i += 1
    body = ptype_attr(ptype) if ptypep else b""
    nl = xfrm()
    if opts.show_stats > 1:
        out.error("Flush policy\n")
    nl.talk(m.XFRM_MSG_FLUSHPOLICY, 0, body, answer=False)
    return 0


def count(argv):
    """XFRM_MSG_GETSPDINFO; words after "count" are ignored, as in ip."""
    msg = _talk(m.XFRM_MSG_GETSPDINFO, 0, m.U32.pack(0xffffffff), answer=True)
    bad = "SPDinfo: Wrong len %d\n" % (len(msg) - 20)
    if len(msg) < 20:
        raise IpExit(bad, 0)
    tb = attrs(msg, 20)
    if opts.json:
        from pyip.xfrm import jsonout
        return jsonout.answer(msg)
    sl = opts.SL
    text = ["\t SPD"]
    # ip prints as it goes; what it printed before a short attribute stays printed
    try:
        if m.XFRMA_SPD_INFO in tb:
            si = _unpack(m.SPDINFO, tb[m.XFRMA_SPD_INFO], bad)
            text.append(" IN  %d OUT %d FWD %d" % si[:3])
            if opts.show_stats:
                text.append(" (Sock: IN %d OUT %d FWD %d)" % si[3:])
            text.append(sl)
        if opts.show_stats > 1:
            if m.XFRMA_SPD_HINFO in tb:
                h = _unpack(m.SPDHINFO, tb[m.XFRMA_SPD_HINFO], bad)
                text.append("\t SPD buckets: count %d Max %d%s" % (h + (sl,)))
            for key, v in ((m.XFRMA_SPD_IPV4_HTHRESH, 4), (m.XFRMA_SPD_IPV6_HTHRESH, 6)):
                if key in tb:
                    th = _unpack(m.SPDHTHRESH, tb[key], bad)
                    text.append("\t SPD IPv%d thresholds: local %d remote %d%s"
                                % ((v,) + th + (sl,)))
        if opts.oneline:
            text.append("\n")
    finally:
        out.write("".join(text))
    return 0


def _unpack(layout, payload, bad):
    if len(payload) < layout.size:
        raise IpExit(bad, 0)
    return layout.unpack_from(payload)


def set_(argv):
    """xfrm_spd_setinfo(): hthresh4/hthresh6 LBITS RBITS."""
    a = Args(argv)
    body = []
    seen = set()
    while a.argc > 0:
        what = lookup("policy_set_word", a.word)
        if what is None:
            invarg("unknown", a.word)
        if what in seen:
            duparg(what, a.word)
        seen.add(what)
        limit = 32 if what == "hthresh4" else 128
        bits = []
        for side in ("LBITS", "RBITS"):
            v = strtoul(a.next(), 8)
            if v is None or v > limit:
                invalid("policy_set_word.%s.%s" % (what, side), a.word)
            bits.append(v)
        key = m.XFRMA_SPD_IPV4_HTHRESH if what == "hthresh4" else m.XFRMA_SPD_IPV6_HTHRESH
        body.append(attr(key, m.SPDHTHRESH.pack(*bits)))
        a.i += 1
    _talk(m.XFRM_MSG_NEWSPDINFO, 0, m.U32.pack(0xffffffff) + b"".join(body))
    return 0


def setdefault(argv):
    a = Args(argv)
    values = {"in": 0, "fwd": 0, "out": 0}
    while a.argc > 0:
        d = lookup("policy_default_dir", a.word)
        if d is None:
            invalid("policy_default_dir.policy_default_dir", a.word)
        if values[d]:
            duparg(d, a.word)
        values[d] = c.choose("policy_default_action", a.next(), DEFAULTS,
                             "policy_default_dir." + d)
        a.i += 1
    _talk(m.XFRM_MSG_SETDEFAULT, 0, m.POLICY_DEFAULT.pack(values))
    return 0


def getdefault(argv):
    msg = _talk(m.XFRM_MSG_GETDEFAULT, 0, bytes(m.POLICY_DEFAULT.size), answer=True)
    if opts.json:
        from pyip.xfrm import jsonout
        return jsonout.answer(msg)
    print_default(msg)
    return 0


HANDLERS = {"add": add, "update": update, "delete": delete, "deleteall": deleteall,
            "list": list_, "get": get, "flush": flush, "count": count, "set": set_,
            "setdefault": setdefault, "getdefault": getdefault, "save": save}


def do_policy(argv):
    return dispatch("xfrm_policy", argv, HANDLERS, "list")
