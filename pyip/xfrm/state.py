"""ip xfrm state (xfrm_state.c): parse -> request -> kernel -> print, one function each."""
from pyip import out
from pyip.addr import AF_UNSPEC, AF_INET, get_addr, get_prefix
from pyip.errors import IpExit, duparg, invalid, invarg, missarg
from pyip.netlink import attr, attrs, fresh_xfrm, xfrm
from pyip.opts import opts
from pyip.words import MEANINGS, Args, lookup, strtoul
from pyip.xfrm import common as c
from pyip.xfrm import dispatch
from pyip.xfrm import msgs as m
from pyip.xfrm.sa import decode_sa, filter_match, print_listed, print_sa_msg

STATE_FLAGS = {"noecn": 1, "decap_dscp": 2, "nopmtudisc": 4, "wildrecv": 8, "icmp": 16,
               "af_unspec": 32, "align4": 64, "esn": 128}
EXTRA_FLAGS = {"dont_encap_dscp": 1, "oseq_may_wrap": 2}
KEY_BUF_SIZE = 512
DELETEALL_BUF_SIZE = 8192


# ---- parsing -------------------------------------------------------------------------------

def parse_seq(a, key):
    """xfrm_seq_parse(): get_be32(), so the u32 field holds the number in network order."""
    v = strtoul(a.word)
    if v is None:
        invalid(key, a.word)
    return int.from_bytes(v.to_bytes(4, "big"), "little")


def parse_flag_words(a, rule, names, start, bits, key):
    """xfrm_state_flag_parse()/xfrm_state_extra_flag_parse(): one hex value, or a run."""
    w = a.word
    if len(w) > 2 and w.startswith("0x"):
        v = strtoul(w, bits, 16)
        if v is None:
            invalid(key, w)
        return v
    flags = start
    while True:
        f = lookup(rule, a.word)
        if f is None:
            a.prev()
            break
        flags |= names[f]
        if not a.next_ok():
            break
        a.next()
    return flags


def parse_flags(a, start):
    return parse_flag_words(a, "state_flag", STATE_FLAGS, start, 8, "flag_list.hex")


def keymat(name, key):
    """xfrm_algo_parse(): '0x..' hex (odd length: a leading 0), else the string's bytes."""
    if len(key) > 2 and key.startswith("0x"):
        # ip pairs bytes, not characters
        digits = key[2:] if key.isascii() else \
            key.encode("utf-8", "surrogateescape")[2:].decode("latin-1")
        n = (len(digits) + 1) // 2
        if n > KEY_BUF_SIZE:
            invalid("KEYMAT.overflow", key)
        if len(digits) % 2:
            digits = "0" + digits
        if digits.isalnum() and digits.isascii():
            try:                # plain hex digits: what get_u8(.., 16) of each pair gives
                return bytes.fromhex(digits)
            except ValueError:
                pass            # a non-hex letter: the loop finds which pair ip refuses
        out_ = bytearray()
        for i in range(0, len(digits), 2):
            v = strtoul(digits[i:i + 2], 8, 16)
            if v is None:
                invalid("KEYMAT.KEYMAT", key)
            out_.append(v)
        return bytes(out_)
    raw = key.encode("utf-8", "surrogateescape")
    if len(raw) > KEY_BUF_SIZE:
        invalid("KEYMAT.overflow", key)
    return raw


# the third word of the ALGO kinds that have one (aead's ICV length, auth-trunc's length):
# the name ip says when it is missing (a bad one: the grammar's //@invalid algo.KIND)
_ALGO_LENGTHS = {"aead": "ALGO-ICV-LEN", "auth_trunc": "ALGO-TRUNC-LEN"}


def parse_algo(a, kind):
    """The ALGO words at a.word (enc/auth/auth-trunc/aead/comp): the XFRMA_ALG_* attribute.
    Reads a.v by index (each NEXT_ARG_OK(), NEXT_ARG() as a bound test): a -batch of SAs
    parses two of these a line."""
    type_ = m.ALGO_TYPES[kind]
    v, i = a.v, a.i + 1
    n = len(v)
    if i >= n:
        missarg("ALGO-NAME")
    name = v[i]
    key = ""
    if kind != "comp":
        i += 1
        if i >= n:
            missarg("ALGO-KEYMAT")
        key = v[i]
    extra = b""
    length = _ALGO_LENGTHS.get(kind)
    if length is not None:
        i += 1
        if i >= n:
            missarg(length)
        extra = m.U32.pack(c.u32(v[i], "algo." + kind))
    a.i = i
    raw_name = name.encode("utf-8", "surrogateescape")[:63]
    keybytes = keymat(name, key)
    body = raw_name.ljust(64, b"\0") + m.U32.pack(len(keybytes) * 8) + extra + keybytes
    return type_, attr(type_, body)


_NEW_SA = dict(c.new_id(), mode=0, reqid=0, seq=0, flags=0, replay_window=0)


def new_sa():
    """The ID and scalar fields of an xfrm_usersa_info, before its words fill them."""
    sa = _NEW_SA.copy()
    sa["family"] = opts.preferred_family
    return sa


# which algorithms exclude which (enc and auth each once; aead with neither; comp once)
_ALGO_GROUPS = {"enc": "e", "auth": "a", "auth_trunc": "a", "aead": "aead", "comp": "c"}
_ALGO_CLASHES = {"aead": ("e", "a", "aead"), "e": ("e", "aead"), "a": ("a", "aead"),
                 "c": ("c",)}


def parse_state(argv):
    """xfrm_state_modify()'s loop and checks: the request body."""
    a = Args(argv)
    n = len(argv)
    words, algo_words = MEANINGS["state_add_word"], MEANINGS["algo"]
    sa = new_sa()
    sel = lft = None            # made by the first "sel" / "limit": most SAs have neither
    inline = []                 # attributes ip adds while it parses, in that order
    replay = {"replay_window": 0, "seq": 0, "oseq": 0, "seq_hi": 0, "oseq_hi": 0}
    offload = None
    idp = coap = ctxp = False
    algos = set()
    extra_flags = 0
    mark = (0, 0)
    output_mark = [0, 0]
    if_id = None
    tfcpad = 0
    while a.i < n:              # argc > 0
        word = argv[a.i]
        what = words[word]
        if what is None:        # ip's last branch, and the commonest words: ALGO or ID
            kind = algo_words[word]
            if kind is not None:
                group = _ALGO_GROUPS[kind]
                if algos.intersection(_ALGO_CLASHES[group]):
                    duparg("ALGO-TYPE", word)
                algos.add(group)
                inline.append(parse_algo(a, kind)[1])
            else:
                if idp:
                    invarg("unknown", word)
                idp = True
                c.parse_id(a, sa, False)
                if opts.preferred_family == AF_UNSPEC:
                    opts.preferred_family = sa["family"]
        elif what == "mode":
            a.next()
            sa["mode"] = c.parse_mode(a)
        elif what == "mark":
            mark = c.parse_mark(a)
        elif what == "reqid":
            a.next()
            sa["reqid"] = c.parse_reqid(a, "state_add_word.reqid")
        elif what == "seq":
            a.next()
            sa["seq"] = parse_seq(a, "state_add_word.seq")
        elif what in ("replay_window", "replay_seq", "replay_seq_hi", "replay_oseq",
                      "replay_oseq_hi"):
            v = strtoul(a.next())
            if v is None:
                invalid("state_add_word." + what, a.word)
            replay[{"replay_seq": "seq", "replay_seq_hi": "seq_hi", "replay_oseq": "oseq",
                    "replay_oseq_hi": "oseq_hi"}.get(what, what)] = v
        elif what == "flag":
            a.next()
            sa["flags"] = parse_flags(a, sa["flags"])
        elif what == "extra_flag":
            a.next()
            extra_flags = parse_flag_words(a, "state_extra_flag", EXTRA_FLAGS, extra_flags, 32,
                                           "extra_flag_list.hex")
        elif what == "sel":
            a.next()
            opts.preferred_family = AF_UNSPEC
            if sel is None:
                sel = c.new_selector()
            c.parse_selector(a, sel)
            opts.preferred_family = sel["family"]
        elif what == "limit":
            a.next()
            if lft is None:
                lft = c.new_lifetime()
            c.parse_lifetime(a, lft)
        elif what == "encap":
            etype = c.choose("encap_type", a.next(), m.ENCAP_TYPES)
            sport = strtoul(a.next())
            if sport is None or sport > 0xffff:
                invalid("encap.sport", a.word)
            dport = strtoul(a.next())
            if dport is None or dport > 0xffff:
                invalid("encap.dport", a.word)
            oa = get_addr(a.next(), AF_UNSPEC)
            inline.append(attr(m.XFRMA_ENCAP, m.ENCAP_TMPL.pack({
                "encap_type": etype, "encap_sport": sport.to_bytes(2, "big"),
                "encap_dport": dport.to_bytes(2, "big"), "encap_oa": oa.data})))
        elif what == "coa":
            if coap:
                duparg("coa", a.word)
            coap = True
            coa = get_prefix(a.next(), opts.preferred_family)
            if coa.family == AF_UNSPEC:
                invalid("state_add_word.coa", a.word)
            inline.append(attr(m.XFRMA_COADDR, coa.data))
        elif what == "ctx":
            if ctxp:
                duparg("ctx", a.word)
            ctxp = True
            from pyip.xfrm.policy import sec_ctx
            inline.append(sec_ctx(a.next()))
        elif what == "offload":
            ifindex = direction = 0
            a.next()
            if lookup("offload_dev", a.word) == "dev":
                name = a.next()
                from pyip import links
                ifindex = links.name_to_index(name)
                if not ifindex:
                    invalid("offload.dev", name)
                a.next()
            if lookup("offload_dir_word", a.word) == "dir":
                direction = c.choose("offload_dir", a.next(),
                                     {"in": m.XFRM_OFFLOAD_INBOUND, "out": 0})
            else:
                invalid("offload.dir", a.word)
            offload = (ifindex, direction)
        elif what == "output_mark":
            output_mark[0] = c.u32(a.next(), "state_add_word.output_mark")
            if a.argc > 1:
                a.next()
                if lookup("mask", a.word) == "mask":
                    output_mark[1] = c.u32(a.next(), "state_add_word.output_mark.mask")
                else:
                    a.prev()
        elif what == "if_id":
            if_id = c.u32(a.next(), "state_add_word.if_id")
        elif what == "tfcpad":
            tfcpad = c.u32(a.next(), "state_add_word.tfcpad")
        a.i += 1
    window = replay["replay_window"]
    if sa["flags"] & m.XFRM_STATE_ESN and window == 0:
        raise IpExit("Error: esn flag set without replay-window.\n", 255)
    if window > m.XFRMA_REPLAY_ESN_MAX:
        raise IpExit("Error: replay-window (%u) > XFRMA_REPLAY_ESN_MAX (%u).\n"
                     % (window, m.XFRMA_REPLAY_ESN_MAX), 255)
    body = inline
    if offload is not None:
        body.append(attr(m.XFRMA_OFFLOAD_DEV, m.USER_OFFLOAD.pack(
            {"ifindex": offload[0], "flags": offload[1]})))
    if sa["flags"] & m.XFRM_STATE_ESN or window > 32:
        esn = dict(replay, bmp_len=(window + 31) // 32)
        body.append(attr(m.XFRMA_REPLAY_ESN_VAL, m.REPLAY_STATE_ESN.pack(esn)))
    else:
        if replay["seq"] or replay["oseq"]:
            body.append(attr(m.XFRMA_REPLAY_VAL, m.REPLAY_STATE.pack(replay)))
        sa["replay_window"] = window & 0xff
    if extra_flags:
        body.append(attr(m.XFRMA_SA_EXTRA_FLAGS, m.U32.pack(extra_flags)))
    if not idp:
        raise IpExit("Not enough information: ID is required\n", 1)
    if mark[1]:
        body.append(attr(m.XFRMA_MARK, m.MARK.pack({"v": mark[0], "m": mark[1]})))
    if if_id is not None:
        body.append(attr(m.XFRMA_IF_ID, m.U32.pack(if_id)))
    if tfcpad:
        body.append(attr(m.XFRMA_TFCPAD, m.U32.pack(tfcpad)))
    check(sa, algos, coap)
    if output_mark[0]:
        body.append(attr(m.XFRMA_OUTPUT_MARK, m.U32.pack(output_mark[0])))
    if output_mark[1]:
        body.append(attr(m.XFRMA_SET_MARK_MASK, m.U32.pack(output_mark[1])))
    if sa["family"] == AF_UNSPEC:
        sa["family"] = AF_INET
    return usersa_info(sa, _NO_SELECTOR if sel is None else m.SELECTOR.pack(sel),
                       _NO_LIMITS if lft is None else m.LIFETIME_CFG.pack(lft)) + b"".join(body)


def check(sa, algos, coap):
    """The protocol/mode/algorithm/coa consistency checks of xfrm_state_modify()."""
    proto = sa["proto"]
    name = c.xfrm_proto_name(proto)
    if proto in (c.IPPROTO_ESP, c.IPPROTO_AH, c.IPPROTO_COMP):
        mode = sa["mode"]
        if not (mode in (0, 1) or (mode == 4 and proto == c.IPPROTO_ESP)):
            raise IpExit('MODE value is invalid with XFRM-PROTO value "%s"\n' % name, 1)
        if proto == c.IPPROTO_ESP:
            if "c" in algos:
                raise IpExit('ALGO-TYPE value "comp" is invalid with XFRM-PROTO value "%s"\n'
                             % name, 1)
            if "e" not in algos and "aead" not in algos:
                raise IpExit('ALGO-TYPE value "enc" or "aead" is required with XFRM-PROTO '
                             'value "%s"\n' % name, 1)
        elif proto == c.IPPROTO_AH:
            if algos & {"e", "aead", "c"}:
                raise IpExit('ALGO-TYPE values "enc", "aead", and "comp" are invalid with '
                             'XFRM-PROTO value "%s"\n' % name, 1)
            if "a" not in algos:
                raise IpExit('ALGO-TYPE value "auth" or "auth-trunc" is required with '
                             'XFRM-PROTO value "%s"\n' % name, 1)
        else:
            if algos & {"e", "a", "aead"}:
                raise IpExit('ALGO-TYPE values "enc", "auth", "auth-trunc", and "aead" are '
                             'invalid with XFRM-PROTO value "%s"\n' % name, 1)
            if "c" not in algos:
                raise IpExit('ALGO-TYPE value "comp" is required with XFRM-PROTO value "%s"\n'
                             % name, 1)
    elif algos:
        raise IpExit('ALGO is invalid with XFRM-PROTO value "%s"\n' % name, 1)
    if proto in (c.IPPROTO_ROUTING, c.IPPROTO_DSTOPTS):
        if sa["mode"] == 0:
            raise IpExit('"mode" is required with XFRM-PROTO value "%s"\n' % name, 1)
        if sa["mode"] not in (2, 3):
            raise IpExit('MODE value is invalid with XFRM-PROTO value "%s"\n' % name, 1)
        if not coap:
            raise IpExit('"coa" is required with XFRM-PROTO value "%s"\n' % name, 1)
    elif coap:
        raise IpExit('"coa" is invalid with XFRM-PROTO value "%s"\n' % name, 1)


_NO_SELECTOR = m.SELECTOR.pack(c.new_selector())
_NO_LIMITS = m.LIFETIME_CFG.pack(c.new_lifetime())
_NO_CUR_STATS = bytes(m.LIFETIME_CUR.size + m.STATS.size)


def usersa_info(sa, sel, lft):
    """struct xfrm_usersa_info from the sa dict and the packed selector and lifetime_cfg."""
    return (sel + m.XFRM_ID.pack(sa) + sa["saddr"] + lft + _NO_CUR_STATS + m.SA_TAIL.pack(sa))


def parse_allocspi(argv):
    a = Args(argv)
    sa = new_sa()
    idp = minp = maxp = False
    lo = hi = 0
    mark = (0, 0)
    while a.argc > 0:
        what = lookup("state_allocspi_word", a.word)
        if what == "mode":
            a.next()
            sa["mode"] = c.parse_mode(a)
        elif what == "mark":
            mark = c.parse_mark(a)
        elif what == "reqid":
            a.next()
            sa["reqid"] = c.parse_reqid(a, "state_allocspi_word.reqid")
        elif what == "seq":
            a.next()
            sa["seq"] = parse_seq(a, "state_allocspi_word.seq")
        elif what in ("min", "max"):
            if (minp if what == "min" else maxp):
                duparg(what, a.word)
            v = c.u32(a.next(), "state_allocspi_word." + what)
            if what == "min":
                minp, lo = True, v
            else:
                maxp, hi = True, v
        else:
            if idp:
                invarg("unknown", a.word)
            idp = True
            c.parse_id(a, sa, False)
            if sa["spi"] != bytes(4):
                raise IpExit('"spi" is invalid\n', 1)
            if opts.preferred_family == AF_UNSPEC:
                opts.preferred_family = sa["family"]
        a.i += 1
    if not idp:
        raise IpExit("Not enough information: ID is required\n", 1)
    if minp:
        if not maxp:
            raise IpExit('"max" is missing\n', 1)
        if lo > hi:
            raise IpExit('value after "min" is larger than value after "max"\n', 1)
    else:
        if maxp:
            raise IpExit('"min" is missing\n', 1)
        lo, hi = 0x100, 0x0fffffff
        if sa["proto"] == c.IPPROTO_COMP:
            hi = 0xffff
    body = b""
    if mark[0] & mark[1]:
        body = attr(m.XFRMA_MARK, m.MARK.pack({"v": mark[0], "m": mark[1]}))
    if sa["family"] == AF_UNSPEC:
        sa["family"] = AF_INET
    return usersa_info(sa, _NO_SELECTOR, bytes(m.LIFETIME_CFG.size)) + \
        m.USERSPI_TAIL.pack({"min": lo, "max": hi}) + body


def parse_sa_id(argv):
    """xfrm_state_get_or_delete()'s loop: usersa_id + XFRMA_SRCADDR (+ XFRMA_MARK)."""
    a = Args(argv)
    family = opts.preferred_family
    xsid = {"daddr": bytes(16), "spi": bytes(4), "proto": 0}
    inline = []
    idp = False
    mark = (0, 0)
    while a.argc > 0:
        if lookup("state_get_word", a.word) == "mark":
            mark = c.parse_mark(a)
        else:
            if idp:
                invarg("unknown", a.word)
            idp = True
            id_ = c.new_id()
            id_["family"] = family
            c.parse_id(a, id_, False)
            family = id_["family"]
            xsid.update(daddr=id_["daddr"], spi=id_["spi"], proto=id_["proto"])
            inline.append(attr(m.XFRMA_SRCADDR, id_["saddr"]))
        a.i += 1
    if mark[0] & mark[1]:
        inline.append(attr(m.XFRMA_MARK, m.MARK.pack({"v": mark[0], "m": mark[1]})))
    xsid["family"] = family or AF_INET
    return m.USERSA_ID.pack(xsid) + b"".join(inline)


def parse_filter(argv):
    """xfrm_state_list_or_deleteall()'s loop: fills the global filter; returns nokeys."""
    f = c.filter
    f.sa = c.new_sa_filter()
    a = Args(argv)
    if a.argc > 0 or opts.preferred_family != AF_UNSPEC:
        f.use = True
    f.sa["family"] = opts.preferred_family
    idp = nokeys = False
    while a.argc > 0:
        what = lookup("state_list_word", a.word)
        if what == "nokeys":
            nokeys = True
        elif what == "mode":
            a.next()
            f.sa["mode"] = c.parse_mode(a)
            f.mode_mask = 0xff
        elif what == "reqid":
            a.next()
            f.sa["reqid"] = c.parse_reqid(a, "state_list_word.reqid")
            f.reqid_mask = c.FULL
        elif what == "flag":
            a.next()
            f.sa["flags"] = parse_flags(a, f.sa["flags"])
            f.state_flags_mask = 0xff
        else:
            if idp:
                invarg("unknown", a.word)
            idp = True
            c.parse_id(a, f.sa, True)
            if opts.preferred_family == AF_UNSPEC:
                opts.preferred_family = f.sa["family"]
        a.i += 1
    return nokeys


# ---- commands ------------------------------------------------------------------------------

def _talk(type_, body, answer=False):
    nl = xfrm()
    return nl.talk(type_, 0, body, answer=answer)


def _print_answer(msg):
    if opts.json:
        from pyip.xfrm import jsonout
        return jsonout.answer(msg)
    o = []
    status = print_sa_msg(msg, o, False)
    out.write("".join(o))
    if status < 0:
        raise IpExit("An error :-)\n", 1)
    return 0


def add(argv):
    _talk(m.XFRM_MSG_NEWSA, parse_state(argv))
    return 0


def update(argv):
    _talk(m.XFRM_MSG_UPDSA, parse_state(argv))
    return 0


def allocspi(argv):
    return _print_answer(_talk(m.XFRM_MSG_ALLOCSPI, parse_allocspi(argv), answer=True))


def delete(argv):
    _talk(m.XFRM_MSG_DELSA, parse_sa_id(argv))
    return 0


def get(argv):
    return _print_answer(_talk(m.XFRM_MSG_GETSA, parse_sa_id(argv), answer=True))


def _list_request():
    """The dump request of list: the filter's proto and addresses, for the kernel to use."""
    f = c.filter
    req = b""
    if f.sa["proto"]:
        req += attr(m.XFRMA_PROTO, bytes([f.sa["proto"]]))
    return req + attr(m.XFRMA_ADDRESS_FILTER, m.ADDRESS_FILTER.pack({
        "saddr": f.sa["saddr"], "daddr": f.sa["daddr"], "family": f.sa["family"],
        "splen": f.id_src_mask, "dplen": f.id_dst_mask}))


def list_(argv):
    nokeys = parse_filter(argv)
    f = c.filter
    req = _list_request()
    if opts.json:
        from pyip.xfrm import jsonout
        jsonout.dump(xfrm(), m.XFRM_MSG_GETSA, req, _listed_object, nokeys)
    runs = None
    if not opts.show_stats and not f.use:
        from pyip.xfrm.sa_runs import list_runs as runs
    c.print_dump(xfrm(), m.XFRM_MSG_GETSA, req, print_listed, nokeys, runs=runs,
                 mode=(opts.SL, opts.oneline, nokeys))


def save(argv):
    """pyip's own: the SAs list would show (its filter, nokeys), as -batch lines that add
    them; oldest first, so that a replay lists them in the same order."""
    nokeys = parse_filter(argv)
    from pyip.xfrm import jsonout
    lines = []
    for sa in jsonout.collect(xfrm(), m.XFRM_MSG_GETSA, _list_request(), _listed_object):
        line = sa.command(nokeys)
        if line is not None:
            lines.append(line + "\n")
    out.write("".join(reversed(lines)))
    return 0


def _listed_object(msg):
    """The XfrmState of a dumped SA the filter keeps (for -j)."""
    from pyip.xfrm.objects import decode_message
    if int.from_bytes(msg[4:6], "little") != m.XFRM_MSG_NEWSA or \
            len(msg) < 16 + m.USERSA_INFO_SIZE or not filter_match(decode_sa(msg, 16)):
        return None
    return decode_message(msg)


def _keep(msg, offset, past):
    """xfrm_state_keep(): the XFRM_MSG_DELSA for one dumped SA, if it matches."""
    mtype = int.from_bytes(msg[4:6], "little")
    if mtype != m.XFRM_MSG_NEWSA:
        out.error("Not a state: %08x %08x %08x\n" % (len(msg), mtype,
                                                    int.from_bytes(msg[6:8], "little")))
        return None
    if len(msg) - 16 - m.USERSA_INFO_SIZE < 0:
        raise IpExit("BUG: wrong nlmsg len %d\nDelete-all terminated\n"
                     % (len(msg) - 16 - m.USERSA_INFO_SIZE), 1)
    sa = decode_sa(msg, 16)
    if not filter_match(sa) or sa["proto"] in (m.IPPROTO_IPIP, m.IPPROTO_IPV6):
        return None
    if offset > DELETEALL_BUF_SIZE:
        raise IpExit("State buffer overflow\nDelete-all terminated\n", 1)
    body = m.USERSA_ID.pack(sa) + attr(m.XFRMA_SRCADDR, sa["saddr"]) + \
        c.copied_mark(msg, 16 + m.USERSA_INFO_SIZE, past)
    return m.XFRM_MSG_DELSA, body


def deleteall(argv):
    parse_filter(argv)
    # ip's perror() text has a newline inside it
    c.delete_all(fresh_xfrm(), m.XFRM_MSG_GETSA, _keep, "Failed to send delete-all request\n")


def flush(argv):
    a = Args(argv)
    protop = False
    proto = 0
    while a.argc > 0:
        if lookup("state_flush_word", a.word) == "proto":
            if protop:
                duparg("proto", a.word)
            protop = True
            proto = c.choose("xfrm_proto", a.next(), c.XFRM_PROTOS)
        else:
            invarg("unknown", a.word)
        a.i += 1
    nl = xfrm()
    if opts.show_stats > 1:
        out.error('Flush state with XFRM-PROTO value "%s"\n' % c.xfrm_proto_name(proto))
    nl.talk(m.XFRM_MSG_FLUSHSA, 0, bytes([proto]), answer=False)
    return 0


def count(argv):
    """XFRM_MSG_GETSADINFO; words after "count" are ignored, as in ip."""
    msg = _talk(m.XFRM_MSG_GETSADINFO, m.U32.pack(0xffffffff), answer=True)
    if len(msg) < 20:
        raise IpExit("SADinfo: Wrong len %d\n" % (len(msg) - 20), 0)
    tb = attrs(msg, 20)
    if opts.json:
        from pyip.xfrm import jsonout
        return jsonout.answer(msg)
    if m.XFRMA_SAD_CNT not in tb:
        out.write("BAD SAD info returned\n")
        return 0
    text = "\t SAD count %u" % m.U32.unpack_from(tb[m.XFRMA_SAD_CNT])[0]
    if opts.show_stats and m.XFRMA_SAD_HINFO in tb:
        h = tb[m.XFRMA_SAD_HINFO]
        if len(h) < m.SADHINFO.size:
            out.write(text + "BAD SAD length returned\n")
            return 0
        text += " (buckets count %d Max %d)" % m.SADHINFO.unpack_from(h)
    out.write(text + "\n")
    return 0


HANDLERS = {"add": add, "update": update, "allocspi": allocspi, "delete": delete,
            "deleteall": deleteall, "list": list_, "get": get, "flush": flush, "count": count,
            "save": save}


def do_state(argv):
    return dispatch("xfrm_state", argv, HANDLERS, "list")
