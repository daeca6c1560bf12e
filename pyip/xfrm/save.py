"""xfrm state save / xfrm policy save: the -batch line that makes an SA or a policy again
(XfrmState.command(), XfrmPolicy.command()), in ip-xfrm(8)'s words and order."""
from pyip.addr import AF_INET, AF_INET6
from pyip.objects import flag_list
from pyip.xfrm import msgs as m
from pyip.xfrm.msgs import (ACTION_NAMES, DIR_NAMES, MODE_NAMES, POLICY_FLAGS, PROTO_NAMES,
                            PTYPE_NAMES, name_of)

INF = m.XFRM_INF
STATE_FLAGS, EXTRA_FLAGS = m.XFRM_STATE_FLAGS, m.XFRM_SA_XFLAGS

LIMIT_WORDS = (("time_soft", "time-soft"), ("time_hard", "time-hard"),
               ("time_use_soft", "time-use-soft"), ("time_use_hard", "time-use-hard"),
               ("byte_soft", "byte-soft"), ("byte_hard", "byte-hard"),
               ("packet_soft", "packet-soft"), ("packet_hard", "packet-hard"))


def quote(word):
    """A word as ip's -batch reads it back (makeargs(): quotes, no escapes)."""
    if word and not any(c in word for c in " \t\"'"):
        return word
    return "'%s'" % word if '"' in word else '"%s"' % word


def _limits(lft):
    out = []
    for field, word in LIMIT_WORDS:
        v = getattr(lft, field)
        if v != (INF if field.startswith(("byte", "packet")) else 0):
            out += ["limit", word, "%d" % v]
    return out


def _mark_words(word, value, mask):
    return [word, "%#x" % value if value else "0", "mask", "%#x" % mask if mask else "0"]


def _sel_words(sel, family):
    from pyip.xfrm.common import proto_name
    d = sel.as_dict()
    # a selector of no family was given no address (`sel proto udp`): none to write
    words = ["src", d["src"], "dst", d["dst"]] if sel.family else []
    if "dev" in d:
        words += ["dev", d["dev"]]
    if sel.proto:
        words += ["proto", proto_name(sel.proto)]
    if sel.proto == 135 and "dport" in d:    # a mobility header's dport is ip's "code"
        d["code"] = d.pop("dport")
    for k in ("type", "code", "key", "sport", "dport"):
        if k in d:
            words += [k, "%d" % d[k]]
    return words


def _algo_words(a, nokeys):
    key = "<<Keys hidden>>" if nokeys else ("0x" + a.key.hex() if a.key else "")
    words = [a.kind, quote(a.name)]
    if a.kind != "comp":
        words.append(quote(key))
    if a.kind == "aead":
        words.append("%d" % a.icv_len)
    elif a.kind == "auth-trunc":
        words.append("%d" % a.trunc_len)
    return words


def is_larval(s):
    """An SA without algorithms: a larval one (allocspi, or the kernel's acquire)."""
    return s.proto in (50, 51, 108) and not (s.auth or s.auth_trunc or s.aead or s.enc
                                              or s.comp)


def allocspi_command(s):
    """`xfrm state allocspi ...` that makes a larval SA again, with its very SPI."""
    w = ["xfrm", "state", "allocspi", "src", s.src, "dst", s.dst,
         "proto", str(name_of(PROTO_NAMES, s.proto)), "mode", str(name_of(MODE_NAMES, s.mode))]
    if s.mark is not None:
        w += _mark_words("mark", s.mark.value, s.mark.mask)
    w += ["reqid", "%d" % s.reqid]
    if s.seq:       # ip sends SEQ in network order (xfrm_seq_parse()): the field holds that
        w += ["seq", "%#x" % int.from_bytes(s.seq.to_bytes(4, "little"), "big")]
    return " ".join(w + _dir_pcpu(s) + ["min", "%#x" % s.spi, "max", "%#x" % s.spi])


def _dir_pcpu(s):
    """dir and pcpu-num, for a release whose ip reads them (the words that make the SA
    again must be ones the release's ip takes)."""
    from pyip._tables import SINCE         # the grammar's gates of the two words
    from pyip.release import since
    w = []
    if s.sa_dir in (m.XFRM_SA_DIR_IN, m.XFRM_SA_DIR_OUT) and since(SINCE["state_add_word.dir"]):
        w += ["dir", "in" if s.sa_dir == m.XFRM_SA_DIR_IN else "out"]
    if s.pcpu_num is not None and since(SINCE["state_add_word.pcpu_num"]):
        w += ["pcpu-num", "%d" % s.pcpu_num]
    return w


def state_command(s, nokeys=False, verb="add", as_made=True):
    """`xfrm state add ...` for an XfrmState, in ip-xfrm(8)'s order (for a larval SA, unless
    not `as_made`: `xfrm state allocspi` of its SPI); None for what no command makes (the
    kernel's own IPIP/IPv6 tunnel states)."""
    if s.proto in (m.IPPROTO_IPIP, m.IPPROTO_IPV6):
        return None
    if as_made and is_larval(s):
        if not s.spi:       # what a failed allocspi leaves behind: only that failure makes it
            return "# a larval SA of SPI 0 (left by an allocspi the kernel refused): " + \
                allocspi_command(s)
        return allocspi_command(s)
    w = ["xfrm", "state", verb, "src", s.src, "dst", s.dst,
         "proto", str(name_of(PROTO_NAMES, s.proto)), "spi", "%#x" % s.spi if s.spi else "0"]
    for f in ("auth_trunc", "aead", "enc", "comp", "auth"):
        a = getattr(s, f)
        if a is not None and not (f == "auth" and s.auth_trunc is not None):
            w += _algo_words(a, nokeys)
    w += ["mode", str(name_of(MODE_NAMES, s.mode))]
    if s.mark is not None:
        w += _mark_words("mark", s.mark.value, s.mark.mask)
    w += ["reqid", "%d" % s.reqid]
    if s.seq:       # ip sends SEQ in network order (xfrm_seq_parse()): the field holds that
        w += ["seq", "%#x" % int.from_bytes(s.seq.to_bytes(4, "little"), "big")]
    esn = s.anti_replay_esn
    window = max(s.replay_window, esn.replay_window if esn is not None else 0)
    if window:
        w += ["replay-window", "%d" % window]
    r = s.anti_replay or esn
    if r is not None:
        if r.seq:
            w += ["replay-seq", "%#x" % r.seq]
        if r.oseq:
            w += ["replay-oseq", "%#x" % r.oseq]
    if esn is not None:
        if esn.seq_hi:
            w += ["replay-seq-hi", "%#x" % esn.seq_hi]
        if esn.oseq_hi:
            w += ["replay-oseq-hi", "%#x" % esn.oseq_hi]
    flags = flag_list(s.flags, STATE_FLAGS)
    if flags:
        w += ["flag"] + flags
    if s.sel is not None:
        w += ["sel"] + _sel_words(s.sel, s.family)
    w += _limits(s.lifetime)
    if s.encap is not None:
        e = s.encap
        w += ["encap", str(e.type), "%d" % e.sport, "%d" % e.dport, e.addr]
    if s.coa is not None:
        w += ["coa", s.coa]
    if s.ctx is not None:
        w += ["ctx", quote(s.ctx.ctx)]
    if s.extra_flags:
        w += ["extra-flag"] + flag_list(s.extra_flags, EXTRA_FLAGS)
    if s.output_mark is not None:
        w += ["output-mark", "%#x" % s.output_mark if s.output_mark else "0"]
        if s.output_mark_mask is not None:
            w += ["mask", "%#x" % s.output_mark_mask if s.output_mark_mask else "0"]
    if s.if_id is not None:
        w += ["if_id", "%#x" % s.if_id if s.if_id else "0"]
    if s.offload is not None:
        d = s.offload.as_dict()
        w += ["offload"] + (["packet"] if d.get("mode") == "packet" else []) + \
            (["dev", d["dev"]] if s.offload.ifindex else []) + ["dir", d["dir"]]
    if s.tfcpad:
        w += ["tfcpad", "%d" % s.tfcpad]
    return " ".join(w + _dir_pcpu(s))


def state_id_command(s, verb):
    """`xfrm state get|delete ID [mark]`: the words that name one SA."""
    w = ["xfrm", "state", verb, "src", s.src, "dst", s.dst,
         "proto", str(name_of(PROTO_NAMES, s.proto)), "spi", "%#x" % (s.spi or 0)]
    if s.mark is not None:
        w += _mark_words("mark", s.mark.value, s.mark.mask)
    return " ".join(w)


def policy_id_command(p, verb):
    """`xfrm policy get|delete ...`: the words that name one policy -- its selector, dir,
    ptype, mark, if_id and ctx (its index where it has no selector)."""
    w = ["xfrm", "policy", verb]
    if p.sel is not None:
        w += _sel_words(p.sel, p.sel.family)
    else:
        w += ["index", "%d" % p.index]
    w += ["dir", DIR_NAMES.get(p.dir, "%d" % p.dir)]
    if p.ctx is not None:
        w += ["ctx", quote(p.ctx.ctx)]
    if p.mark is not None:
        w += _mark_words("mark", p.mark.value, p.mark.mask)
    if p.ptype:
        w += ["ptype", PTYPE_NAMES.get(p.ptype, "%d" % p.ptype)]
    if p.if_id is not None:
        w += ["if_id", "%#x" % p.if_id if p.if_id else "0"]
    return " ".join(w)


def policy_command(p, nokeys=False, verb="add"):
    """`xfrm policy add ...` for an XfrmPolicy; None for a socket policy (only a socket
    option makes those)."""
    if p.socket:
        return None
    w = ["xfrm", "policy", verb] + _sel_words(p.sel, p.sel.family)
    w += ["dir", DIR_NAMES.get(p.dir, "%d" % p.dir)]
    if p.ctx is not None:
        w += ["ctx", quote(p.ctx.ctx)]
    if p.mark is not None:
        w += _mark_words("mark", p.mark.value, p.mark.mask)
    w += ["index", "%d" % p.index]
    if p.ptype:
        w += ["ptype", PTYPE_NAMES.get(p.ptype, "%d" % p.ptype)]
    if p.action:
        w += ["action", ACTION_NAMES.get(p.action, "%d" % p.action)]
    w += ["priority", "%d" % p.priority]
    flags = flag_list(p.flags, POLICY_FLAGS)
    if flags:
        w += ["flag"] + flags
    if p.if_id is not None:
        w += ["if_id", "%#x" % p.if_id if p.if_id else "0"]
    w += _limits(p.lifetime)
    for t in p.tmpls or ():
        w.append("tmpl")
        zero = t.family in (AF_INET, AF_INET6) and t.src in ("0.0.0.0", "::") and \
            t.dst in ("0.0.0.0", "::")
        if not zero:
            w += ["src", t.src, "dst", t.dst]
        w += ["proto", str(name_of(PROTO_NAMES, t.proto))]
        if t.spi:
            w += ["spi", "%#x" % t.spi]
        w += ["reqid", "%d" % t.reqid, "mode", str(name_of(MODE_NAMES, t.mode))]
        if t.level == 1:
            w += ["level", "use"]
    return " ".join(w)
