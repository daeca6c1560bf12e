"""What ip xfrm state and policy share (ipxfrm.c): the value tables and empty structs their
readings fill (pyip.xfrm.reading reads the words), and the printers of ids, selectors,
lifetimes and XFRMA_* attributes."""
from pyip.addr import ntop
from pyip.errors import IpExit, invarg
from pyip.netlink import attr, cstr
from pyip.opts import opts
from pyip.xfrm import msgs as m
from pyip.xfrm.msgs import ENCAP_NAMES, MODE_NAMES

IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_DCCP = 1, 6, 17, 33
IPPROTO_ROUTING, IPPROTO_GRE, IPPROTO_ESP, IPPROTO_AH = 43, 47, 50, 51
IPPROTO_ICMPV6, IPPROTO_DSTOPTS, IPPROTO_SCTP, IPPROTO_MH = 58, 60, 132, 135
IPPROTO_COMP, IPSEC_PROTO_ANY = 108, 255

# the names are msgs' (one table each); the readers' VALUES are derived from them
XFRM_PROTO_NAMES = m.PROTO_NAMES
SHARES = m.SHARE_NAMES
FULL = 0xffffffff


class Filter:
    """ip's global `filter` (xfrm.h): what list/deleteall keep; masks say which fields count.
    The scalars start as class attributes: a -batch makes one Filter per line."""
    use = False
    mode_mask = reqid_mask = state_flags_mask = 0
    id_src_mask = id_dst_mask = id_proto_mask = id_spi_mask = 0
    sel_src_mask = sel_dst_mask = sel_dev_mask = 0
    upspec_proto_mask = upspec_sport_mask = upspec_dport_mask = 0
    dir = index = action = priority = flags = ptype = 0
    dir_mask = index_mask = action_mask = priority_mask = 0
    policy_flags_mask = ptype_mask = 0
    filter_socket = False
    sel = None              # the policy filter's selector, made by its parser
    sa = None               # the SA filter's ID and fields, made by its parser


def new_sa_filter():
    return {"family": 0, "saddr": bytes(16), "daddr": bytes(16), "proto": 0, "spi": bytes(4),
            "mode": 0, "reqid": 0, "flags": 0}


filter = Filter()


def addr_match(a, b, bits):
    """xfrm_addr_match(): the first `bits` bits equal."""
    words, bits = bits >> 5, bits & 0x1f
    if words and a[:words * 4] != b[:words * 4]:
        return False
    if bits:
        mask = (0xffffffff << (32 - bits)) & 0xffffffff
        w1 = int.from_bytes(a[words * 4:words * 4 + 4], "big")
        w2 = int.from_bytes(b[words * 4:words * 4 + 4], "big")
        if (w1 ^ w2) & mask:
            return False
    return True


def same_family(src, dst, a):
    if src and dst and src.family and dst.family and src.family != dst.family:
        invarg('the same address family is required between values after "src" and "dst"',
               a.word)


CTX_BUF_SIZE = 256


def ctx_word(text):
    """The word after "ctx", refused where ip's xfrm_sctx_parse() would copy it past its
    char[256] (ip aborts or sends what its stack holds: README "Differences")."""
    if len(text.encode("utf-8", "surrogateescape")) >= CTX_BUF_SIZE:
        raise IpExit('Error: CTX "%s" is longer than 255 bytes.\n' % text, 255)
    return text


def proto_by_name(name):
    try:
        from _socket import getprotobyname
        return getprotobyname(name)
    except (OSError, UnicodeError):     # a name no /etc/protocols line can hold
        return None


_protocols = None


def proto_name(number):
    """strxf_proto(): getprotobynumber() reads /etc/protocols; else the number."""
    global _protocols
    if _protocols is None:
        _protocols = {}
        try:
            with open("/etc/protocols", encoding="latin-1") as f:
                for line in f:
                    parts = line.split("#", 1)[0].split()
                    if len(parts) >= 2 and parts[1].isdigit():
                        _protocols.setdefault(int(parts[1]), parts[0])
        except OSError:
            pass
    return _protocols.get(number, "%u" % number)


# ---- printers: each appends text to the list `o` -----------------------------------------

def xfrm_proto_name(p):
    return XFRM_PROTO_NAMES.get(p, "%u" % p)


def print_id_info(o, saddr, daddr, spi, proto, mode, reqid, family, force_spi, prefix,
                  title):
    """xfrm_id_info_print()"""
    sl = opts.SL
    stats = opts.show_stats > 0
    if title:
        o.append(title)
    o.append("src %s dst %s%s" % (ntop(family, saddr), ntop(family, daddr), sl))
    if prefix:
        o.append(prefix)
    o.append("\tproto %s " % xfrm_proto_name(proto))
    spi = int.from_bytes(spi, "big")
    if stats or force_spi or spi:
        o.append("spi 0x%08x(%u) " % (spi, spi) if stats else "spi 0x%08x " % spi)
    o.append("reqid %u(0x%08x) " % (reqid, reqid) if stats else "reqid %u " % reqid)
    o.append("mode %s%s" % (MODE_NAMES.get(mode, "%u" % mode), sl))


def _limit(v):
    return "(INF)" if v == m.XFRM_INF else "%u" % v


MAX_BITMAP_WORDS = 16384
_time_cache = {}


# strxf_time() of a time localtime() cannot tell (it returns NULL): "invalid-time" from
# iproute2 55446264 (6.15); before, ip hands the NULL to strftime() and crashes (pyip: the
# seconds themselves)
INVALID_TIME_SINCE = (6, 15)


def strxf_time(t):
    """strxf_time(): local time, "-" for 0 (kept: a dump's times repeat)."""
    if t == 0:
        return "-"
    text = _time_cache.get(t)
    if text is None:
        import time
        seconds = t if t < 1 << 63 else t - (1 << 64)
        try:
            tm = time.localtime(seconds)
        except (OverflowError, OSError, ValueError):
            # NULL from localtime(): what follows depends on the release (not kept)
            from pyip import release
            return "invalid-time" if release.since(INVALID_TIME_SINCE) else "%d" % seconds
        try:
            text = time.strftime("%Y-%m-%d %H:%M:%S", tm)
        except (OverflowError, ValueError):
            # a year past INT_MAX, which glibc's localtime() still tells (its tm_year is the
            # year - 1900) and Python's strftime() does not take back: %Y as glibc prints
            # it, tm_year + 1900 in a C int (wrapped: "-2147483648-01-01 00:00:00")
            year = (tm[0] + (1 << 31)) % (1 << 32) - (1 << 31)
            text = "%d-%02d-%02d %02d:%02d:%02d" % ((year,) + tuple(tm[1:6]))
        if len(_time_cache) < 4096:     # bounded, as shapes.CACHED
            _time_cache[t] = text
    return text


_LIFETIME_CFG = ("%slifetime config:%s"
                 "%s  limit: soft %s(bytes), hard %s(bytes)%s"
                 "%s  limit: soft %s(packets), hard %s(packets)%s"
                 "%s  expire add: soft %u(sec), hard %u(sec)%s"
                 "%s  expire use: soft %u(sec), hard %u(sec)%s")


_lifetime_texts = {}


def print_lifetime(o, cfg, cur, prefix):
    """xfrm_lifetime_print(): cfg and cur are struct xfrm_lifetime_cfg / _cur as tuples (the
    texts kept, as strxf_time's: a dump's SAs and policies share their lifetimes)."""
    key = (cfg, cur, prefix, opts.SL)
    text = _lifetime_texts.get(key)
    if text is None:
        at = len(o)
        _print_lifetime(o, cfg, cur, prefix)
        text = "".join(o[at:])
        del o[at:]
        if len(_lifetime_texts) < 4096:
            _lifetime_texts[key] = text
    o.append(text)


def _print_lifetime(o, cfg, cur, prefix):
    sl = opts.SL
    p = prefix or ""
    if cfg is not None:
        sb, hb, sp, hp, sa, ha, su, hu = cfg
        o.append(_LIFETIME_CFG % (p, sl, p, _limit(sb), _limit(hb), sl, p, _limit(sp),
                                  _limit(hp), sl, p, sa, ha, sl, p, su, hu, sl))
    if cur is not None:
        o.append("%slifetime current:%s%s  %u(bytes), %u(packets)%s%s  add %s use %s%s"
                 % (p, sl, p, cur[0], cur[1], sl, p, strxf_time(cur[2]), strxf_time(cur[3]),
                    sl))


def print_selector(o, sel, family, prefix):
    """xfrm_selector_print()"""
    f = sel["family"] or family or opts.preferred_family
    if prefix:
        o.append(prefix)
    o.append("src %s/%u dst %s/%u " % (ntop(f, sel["saddr"]), sel["prefixlen_s"],
                                       ntop(f, sel["daddr"]), sel["prefixlen_d"]))
    proto = sel["proto"]
    if proto:
        o.append("proto %s " % proto_name(proto))
    sport = int.from_bytes(sel["sport"], "big")
    dport = int.from_bytes(sel["dport"], "big")
    smask = sel["sport_mask"] != b"\0\0"
    dmask = sel["dport_mask"] != b"\0\0"
    if proto in (IPPROTO_ICMP, IPPROTO_ICMPV6):
        if smask:
            o.append("type %u " % sport)
        if dmask:
            o.append("code %u " % dport)
    elif proto == IPPROTO_GRE:
        if smask or dmask:
            o.append("key %u " % ((sport << 16) + dport))
    elif proto == IPPROTO_MH:
        if smask:
            o.append("type %u " % sport)
        if dmask and opts.show_stats > 0:
            o.append("(dport) 0x%.4x " % int.from_bytes(sel["dport"], "little"))
    else:
        if smask:
            o.append("sport %u " % sport)
        if dmask:
            o.append("dport %u " % dport)
    if sel["ifindex"] > 0:
        from pyip import links     # only where a device is named
        o.append("dev %s " % links.index_to_name(sel["ifindex"]))
    if opts.show_stats > 0:
        o.append("uid %u" % sel["user"])
    o.append(opts.SL)


def flag_names(flags, names):
    """XFRM_FLAG_PRINT(): each known flag, a space after it only if bits remain; then the
    unknown rest in hex."""
    out = []
    for bit, name in names:
        if flags & bit:
            flags &= ~bit
            out.append(name + (" " if flags else ""))
    if flags:
        out.append("%x" % flags)
    return "".join(out)


def mask8(v):
    return format(v & 0xff, "08b")


def print_sec_ctx(o, payload):
    o.append("\tsecurity context ")
    if len(payload) < m.SEC_CTX.size:
        o.append("(ERROR truncated)")
    ctx_len = m.SEC_CTX.unpack(payload + bytes(8))["ctx_len"]
    text = payload[8:8 + ctx_len].split(b"\0", 1)[0]
    o.append("%s %s" % (text.decode("utf-8", "surrogateescape"), opts.SL))


def print_tmpls(o, payload, prefix):
    sl = opts.SL
    stats = opts.show_stats > 0
    n = len(payload) // m.USER_TMPL.size
    if n <= 0:
        o.append('%s(ERROR "tmpl" truncated)%s' % (prefix or "", sl))
        return
    unpack = m.USER_TMPL.struct.unpack_from
    for i in range(n):
        (daddr, spi, proto, family, saddr, reqid, mode, share, optional, aalgos, ealgos,
         calgos) = unpack(payload, i * m.USER_TMPL.size)
        if prefix:
            o.append(prefix)
        print_id_info(o, saddr, daddr, spi, proto, mode, reqid, family, False, prefix, "tmpl ")
        if stats or optional:
            o.append((prefix or "") + "\t")
            if optional == 0:
                if stats:
                    o.append("level required ")
            elif optional == 1:
                o.append("level use ")
            else:
                o.append("level %u " % optional)
            if stats:
                o.append("share %s " % SHARES.get(share, "%u" % share))
            o.append(sl)
        if stats:
            o.append("%s\tenc-mask %.8x auth-mask %.8x comp-mask %.8x%s"
                     % (prefix or "", ealgos, aalgos, calgos, sl))


ALGO_NAMES = {m.XFRMA_ALG_CRYPT: "enc", m.XFRMA_ALG_AUTH: "auth", m.XFRMA_ALG_COMP: "comp",
              m.XFRMA_ALG_AEAD: "aead", m.XFRMA_ALG_AUTH_TRUNC: "auth-trunc"}


_ALGO_KEY_LEN_AT = m.XFRM_ALGO.at("alg_key_len")


def _algo(o, payload, kind, prefix, nokeys):
    """__xfrm_algo_print(): struct xfrm_algo is name[64], key_len (bits), key; aead and
    auth-trunc carry one more u32 (icv_len / trunc_len) before the key (their struct is
    longer: msgs.ALGO_LAYOUTS)."""
    o.append("%s%s " % (prefix or "", ALGO_NAMES[kind]))
    base = m.XFRM_ALGO.size
    head = m.ALGO_LAYOUTS[kind].size
    if len(payload) < base:
        o.append("(ERROR truncated)")
    else:
        # printf("%s", alg_name): a name that fills its 64 bytes runs on into key_len
        o.append(cstr(payload) + " ")
        key_bits = m.U32.unpack_from(payload, _ALGO_KEY_LEN_AT)[0]
        keylen = key_bits // 8
        if len(payload) - base < keylen:
            o.append("(ERROR truncated)")
        elif nokeys:
            o.append("<<Keys hidden>>")
        elif keylen > 0:
            o.append("0x" + payload[head:head + keylen].hex())
            if opts.show_stats > 0:
                o.append(" (%d bits)" % key_bits)
    if head > base:
        o.append(" %d" % m.I32.unpack_from(payload + bytes(head), base)[0])
    o.append(opts.SL)


# What ip prints of an attribute, by the first release that prints it so (xfrm_xfrma_print()):
# the offload line's "mode crypto|packet" (6.2; a policy's line without "dir"), the SA's
# "\tdir in|out" line (6.11) and "\tpcpu-num N" line (6.19).  Before: not printed.
PRINTED_SINCE = {"offload_mode": (6, 2), m.XFRMA_SA_DIR: (6, 11), m.XFRMA_SA_PCPU: (6, 19)}
SA_DIR_NAMES = {1: "in", 2: "out"}


def print_xfrma(o, tb, family, prefix, nokeys, is_sa=True):
    """xfrm_xfrma_print(), attribute by attribute in ip's order (is_sa: its `dir` argument,
    false for a policy)."""
    sl = opts.SL
    p = prefix or ""
    u32 = m.U32.unpack_from
    if m.XFRMA_MARK in tb:
        mk = m.MARK.unpack(tb[m.XFRMA_MARK] + bytes(8))
        o.append("\tmark %s/%s " % (hash_x(mk["v"]), hash_x(mk["m"])))
        if m.XFRMA_OUTPUT_MARK in tb:
            _output_mark(o, tb)
        o.append(sl)
    elif m.XFRMA_OUTPUT_MARK in tb:
        o.append("\t")
        _output_mark(o, tb)
        o.append(sl)
    if m.XFRMA_ALG_AUTH in tb and m.XFRMA_ALG_AUTH_TRUNC not in tb:
        _algo(o, tb[m.XFRMA_ALG_AUTH], m.XFRMA_ALG_AUTH, prefix, nokeys)
    if m.XFRMA_ALG_AUTH_TRUNC in tb:
        _algo(o, tb[m.XFRMA_ALG_AUTH_TRUNC], m.XFRMA_ALG_AUTH_TRUNC, prefix, nokeys)
    if m.XFRMA_ALG_AEAD in tb:
        _algo(o, tb[m.XFRMA_ALG_AEAD], m.XFRMA_ALG_AEAD, prefix, nokeys)
    if m.XFRMA_ALG_CRYPT in tb:
        _algo(o, tb[m.XFRMA_ALG_CRYPT], m.XFRMA_ALG_CRYPT, prefix, nokeys)
    if m.XFRMA_ALG_COMP in tb:
        _algo(o, tb[m.XFRMA_ALG_COMP], m.XFRMA_ALG_COMP, prefix, nokeys)
    if m.XFRMA_ENCAP in tb:
        e = tb[m.XFRMA_ENCAP]
        o.append(p + "encap ")
        if len(e) < 24:
            o.append("(ERROR truncated)" + sl)
            return
        etype = int.from_bytes(e[0:2], "little")
        o.append("type %s " % ENCAP_NAMES.get(etype, "%u" % etype))
        o.append("sport %u dport %u " % (int.from_bytes(e[2:4], "big"),
                                         int.from_bytes(e[4:6], "big")))
        o.append("addr %s%s" % (ntop(family, e[8:24]), sl))
    if m.XFRMA_TMPL in tb:
        print_tmpls(o, tb[m.XFRMA_TMPL], prefix)
    if m.XFRMA_COADDR in tb:
        o.append(p + "coa ")
        if len(tb[m.XFRMA_COADDR]) < 16:
            o.append("(ERROR truncated)" + sl)
            return
        o.append(ntop(family, tb[m.XFRMA_COADDR]) + sl)
    if m.XFRMA_LASTUSED in tb:
        o.append(p + "lastused ")
        if len(tb[m.XFRMA_LASTUSED]) < 8:
            o.append("(ERROR truncated)" + sl)
            return
        o.append(strxf_time(int.from_bytes(tb[m.XFRMA_LASTUSED][:8], "little")) + sl)
    if m.XFRMA_REPLAY_VAL in tb:
        o.append(p + "anti-replay context: ")
        r = tb[m.XFRMA_REPLAY_VAL]
        if len(r) < 12:
            o.append("(ERROR truncated)" + sl)
            return
        o.append("seq 0x%x, oseq 0x%x, bitmap 0x%08x%s"
                 % (u32(r, 4)[0], u32(r, 0)[0], u32(r, 8)[0], sl))
    if m.XFRMA_REPLAY_ESN_VAL in tb:
        r = tb[m.XFRMA_REPLAY_ESN_VAL]
        o.append(p + "anti-replay esn context:")
        if len(r) < 24:
            o.append("(ERROR truncated)" + sl)
            return
        o.append(sl)
        bmp_len, oseq, seq, oseq_hi, seq_hi, window = (u32(r, i)[0] for i in range(0, 24, 4))
        o.append("%s seq-hi 0x%x, seq 0x%x, oseq-hi 0x%0x, oseq 0x%0x%s"
                 % (p, seq_hi, seq, oseq_hi, oseq, sl))
        o.append("%s replay_window %u, bitmap-length %u" % (p, window, bmp_len))
        j = 0
        # words past the attribute are ip's reads past it (zeros here); past a netlink
        # buffer's worth (64 KiB) ip has left its buffer: pyip prints no more of them
        first = min(bmp_len, max(MAX_BITMAP_WORDS, (len(r) - 24) // 4))
        for i in range(first, 0, -1):
            if j % 8 == 0:
                o.append(sl + p + " ")
            j += 1
            off = 24 + 4 * (i - 1)
            word = u32(r, off)[0] if off + 4 <= len(r) else 0
            o.append("%08x " % word)
        o.append(sl)
    if m.XFRMA_OFFLOAD_DEV in tb:
        x = tb[m.XFRMA_OFFLOAD_DEV]
        o.append(p + "crypto offload parameters: ")
        if len(x) < 8:
            o.append("(ERROR truncated)" + sl)
            return
        ifindex = int.from_bytes(x[0:4], "little", signed=True)
        from pyip import links     # only where a device is named
        name = links.index_to_name(ifindex & 0xffffffff)
        from pyip import release
        if release.since(PRINTED_SINCE["offload_mode"]):
            o.append("dev %s %smode %s%s" % (
                name, ("dir %s " % ("in" if x[4] & 2 else "out")) if is_sa else "",
                "packet" if x[4] & 4 else "crypto", sl))
        else:
            o.append("dev %s dir %s%s" % (name, "in" if x[4] & 2 else "out", sl))
    if m.XFRMA_IF_ID in tb:
        o.append("%sif_id %s%s" % (p, hash_x(u32_of(tb[m.XFRMA_IF_ID])), sl))
    if m.XFRMA_TFCPAD in tb:
        o.append("%stfcpad %u%s" % (p, u32_of(tb[m.XFRMA_TFCPAD]), sl))
    # always a tab, whatever the prefix (ip's fprintf)
    if m.XFRMA_SA_DIR in tb or m.XFRMA_SA_PCPU in tb:
        _dir_pcpu(o, tb, sl)


def _dir_pcpu(o, tb, sl):
    """The SA's dir and pcpu-num lines, where the run's release prints them."""
    from pyip import release
    if m.XFRMA_SA_DIR in tb and release.since(PRINTED_SINCE[m.XFRMA_SA_DIR]):
        d = tb[m.XFRMA_SA_DIR][:1] or b"\0"
        o.append("\tdir %s%s" % (SA_DIR_NAMES.get(d[0]) or "other (%d)" % d[0], sl))
    if m.XFRMA_SA_PCPU in tb and release.since(PRINTED_SINCE[m.XFRMA_SA_PCPU]):
        o.append("\tpcpu-num %u%s" % (u32_of(tb[m.XFRMA_SA_PCPU]), sl))


def u32_of(payload):
    return m.U32.unpack_from(payload + bytes(4))[0]


def hash_x(v):
    """C's %#x: 0 is "0", others "0x..." (Python's %#x would print 0x0)."""
    return "%#x" % v if v else "0"


def _output_mark(o, tb):
    o.append("output-mark 0x%x" % u32_of(tb[m.XFRMA_OUTPUT_MARK]))
    if m.XFRMA_SET_MARK_MASK in tb:
        o.append("/0x%x" % u32_of(tb[m.XFRMA_SET_MARK_MASK]))


# ---- deleteall (xfrm_state.c and xfrm_policy.c share its shape) ---------------------------

def attr_offset(msg, off, type_):
    """Offset of the first attribute of `type_` (where ip's parse_rtattr() points)."""
    while off + 4 <= len(msg):
        n = int.from_bytes(msg[off:off + 2], "little")
        if n < 4 or off + n > len(msg):
            break
        if int.from_bytes(msg[off + 2:off + 4], "little") == type_:
            return off
        off += (n + 3) & ~3
    return None


def copied_attr(msg, off, type_, past):
    """The first `type_` attribute as ip's keep functions copy it (addattr_l(...,
    RTA_DATA(tb[T]), tb[T]->rta_len)): rta_len bytes of payload, so the 4 bytes after a
    12-byte mark ride along -- the next message's nlmsg_len, or what ip's receive buffer holds
    past the datagram (netlink.past).  b"" where there is none."""
    a = attr_offset(msg, off, type_)
    if a is None:
        return b""
    n = int.from_bytes(msg[a:a + 2], "little")
    return attr(type_, past(a + 4, n))


def copied_mark(msg, off, past):
    return copied_attr(msg, off, m.XFRMA_MARK, past)


def delete_all(nl, dump_type, keep, failed):
    """ip's deleteall rounds: dump, collect a delete request for each kept object (`keep`
    appends to the batch), send them in one go, again until a dump finds nothing; exit 0.
    keep(msg, offset, past): past(i, n) is n bytes from the message's offset i in ip's
    receive buffer, where ip reads past the message.
    `failed` is the text before strerror when the kernel refuses a round."""
    from pyip import out
    from pyip.netlink import HDR, NLM_F_REQUEST, KernelError, past
    i = 0
    while True:
        if opts.show_stats > 1:
            out.error("Delete-all round = %d\n" % i)
        batch = {"offset": 0, "msgs": []}
        try:
            for msg in nl.dump(dump_type, b""):
                at = nl.at
                request = keep(msg, batch["offset"], lambda i, n: past(at + i, n))
                if request is not None:
                    type_, body = request
                    nl.seq = (nl.seq + 1) & 0xffffffff
                    batch["msgs"].append(HDR.pack(16 + len(body), type_, NLM_F_REQUEST,
                                                  nl.seq, 0) + body)
                    batch["offset"] += 16 + len(body)
        except KernelError as e:
            raise IpExit(e.message + "Delete-all terminated\n", 1)
        if not batch["msgs"]:
            if opts.show_stats > 1:
                out.error("Delete-all completed\n")
            break
        err = nl.send_check(b"".join(batch["msgs"]))
        if err:
            raise IpExit("%s: %s\n" % (failed, err), 1)
        if opts.show_stats > 1:
            out.error("Delete-all nlmsg count = %d\n" % len(batch["msgs"]))
        i += 1
    raise IpExit("", 0)


def print_dump(nl, dump_type, request, print_msg, *extra, runs=None, mode=None, o=None,
               end=None, chunk=512):
    """rtnl_dump_filter() with a printer, as list does it: print each answer (by
    print_msg(msg, o, *extra), or a run of them by `runs` in print mode `mode`), stop with "Dump terminated"
    where ip does, warn of an interrupted dump, then exit 0 as ip's list does (even in the
    middle of a -batch).  `o` is the list the printer appends its text to (JSON's writer
    holds its own), written out past `chunk` pieces; `end(o)` closes a whole dump's text."""
    from pyip import out
    from pyip.netlink import KernelError
    if o is None:
        o = []
    run = None
    if runs is not None:
        def run(buf, off, seq):
            # a run is one piece of o per datagram, tens of KiB under -s: each is written
            # out at once, so the text of a dump never piles up (ip's stdio streams it).
            # Several pieces joined and encoded together were MiBs (-s -s: 17 datagrams'
            # text, ~1 MiB, three copies at the write), blocks of a size glibc's malloc
            # stops mmap()ing once one is freed, and the heap they were carved from grew
            # with the dump (+1.6 MB from 5,000 to 50,000 policies).
            taken = runs(buf, off, seq, o, mode)
            if o:
                out.write("".join(o) if len(o) > 1 else o[0])
                o.clear()
            return taken
    try:
        for msg in nl.dump(dump_type, request, run):
            if print_msg(msg, o, *extra) < 0:
                out.write("".join(o))
                raise IpExit("Dump terminated\n", 1)
            # some 60 KiB of text (an SA's -s text is 6 pieces, 670 bytes), as a run's
            if len(o) > chunk:
                out.write("".join(o))
                o.clear()
    except KernelError as e:
        out.write("".join(o))
        raise IpExit(e.message + "Dump terminated\n", 1)
    if end is not None:
        end(o)
    out.write("".join(o))
    if nl.interrupted:
        out.error("Dump was interrupted and may be inconsistent.\n")
    raise IpExit("", 0)
