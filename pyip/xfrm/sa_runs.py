"""xfrm state list's plain text by runs (pyip/runs.py): the fields of a dumped SA, what its
wording depends on, and the format for one combination of those, beside print_listed() (the
same text an SA at a time) in sa.py."""
from _struct import Struct

from pyip import runs, shapes
from pyip.addr import TEXTS
from pyip.netlink import cstr
from pyip.xfrm import common as c
from pyip.xfrm import msgs as m
from pyip.xfrm.sa import ALGOS, SPI_ALWAYS, ALGO_HEADS, SHAPES, sel_line

_RUN_FIXED = (("sel", "56s"), ("daddr", "16s"), ("spi", "4s"), ("proto", "B"), ("", "3x"),
              ("saddr", "16s"),
              ("", "112x"),                                 # lifetimes, stats, seq: -s only
              ("reqid", "I"), ("family", "H"), ("mode", "B"), ("replay_window", "B"),
              ("flags", "B"), ("", "7x"))
_RUN_SIMPLE = {m.XFRMA_REPLAY_VAL: (("oseq", "I"), ("seq", "I"), ("bitmap", "I")),
               m.XFRMA_MARK: (("mark", "I"), ("mask", "I")), m.XFRMA_IF_ID: (("if_id", "I"),),
               m.XFRMA_LASTUSED: (("lastused", "Q"),)}
_RUN_KEY = ("proto", "family", "mode", "flags") + tuple(
    "%d.%s" % (t, f) for t in ALGO_HEADS for f in ("name", "bits", "extra"))
_SEL = Struct("=16s16sHHHHHBBB3siI")
_time = shapes.Memo(c.strxf_time)
_sel_texts = {}


def _run_fields(type_, size):
    head = ALGO_HEADS.get(type_)
    if head is None:
        return _RUN_SIMPLE.get(type_)
    fields = [("%d.name" % type_, "64s"), ("%d.bits" % type_, "I")]
    if head == 72:
        fields.append(("%d.extra" % type_, "i"))
    if size > head:
        fields.append(("%d.key" % type_, "%ds" % (size - head)))
    return fields


def _algos(where):
    """The algorithms a shape prints, in ip's order: (type, title, has the extra int)."""
    return [(t, title, extra) for t, title, extra in ALGOS if "%d.name" % t in where and not (
        t == m.XFRMA_ALG_AUTH and "%d.name" % m.XFRMA_ALG_AUTH_TRUNC in where)]


def _sel_text(family, sl):
    """The selector line of a plain SA (\tsel ...) from its 56 bytes, "" for none."""
    def text(raw):
        (daddr, saddr, dport, dmask, sport, smask, s_family, plen_d, plen_s, proto, pad,
         ifindex, user) = _SEL.unpack(raw)
        line = None if proto or dmask or smask or ifindex else sel_line(
            daddr, saddr, dport, sport, s_family, plen_d, plen_s, pad, user, family, False, sl)
        if line is None:
            raise runs.Refused
        return line
    key = (family, sl)
    if key not in _sel_texts:
        _sel_texts[key] = shapes.Memo(text)
    return _sel_texts[key].__getitem__


def _run_columns(variant, batch):
    (sl, oneline, nokeys), family = variant
    names = TEXTS.get(family)
    if names is None:
        return None
    names = names.__getitem__
    keys = [] if nokeys else [("%d.key" % t, bytes.hex) for t, _, _ in _algos(batch.where)]
    return ([("saddr", names), ("daddr", names), ("spi", bytes.hex), ("reqid", None),
             ("replay_window", None), ("mark", runs.HASH_X), ("mask", runs.HASH_X)]
            + keys
            + [("lastused", _time.__getitem__), ("seq", None), ("oseq", None), ("bitmap", None),
               ("if_id", runs.HASH_X), ("sel", _sel_text(family, sl))])


def _run_form(k, variant):
    """print_listed()'s plain text, as a format for the columns above."""
    (sl, oneline, nokeys), family = variant
    proto = k["proto"]
    if k["family"] != family or proto not in SPI_ALWAYS or k["flags"]:
        return None
    lens = {k["@%d.type" % i]: k["@%d.len" % i] for i in range(len(k)) if "@%d.len" % i in k}
    lines = ["src %s dst %s", sl, "\tproto ", c.XFRM_PROTO_NAMES[proto],
             " spi 0x%s reqid %u mode ", c.MODE_NAMES.get(k["mode"]) or "%u" % k["mode"], sl,
             "\treplay-window %u ", sl, "\tmark %s/%s " + sl if "mark" in k else ""]
    for t, title, extra in _algos(k):
        name, bits = k["%d.name" % t], k["%d.bits" % t]
        keylen, size = bits // 8, lens[t] - 4 - ALGO_HEADS[t]
        if b"\0" not in name or keylen > size or 0 < keylen < size:
            return None
        if nokeys:
            key = "<<Keys hidden>>"
        else:
            key = "0x%s" if keylen else "%.0s" if size else ""
        lines += [title, cstr(name).replace("%", "%%"), " ", key,
                  " %d" % k["%d.extra" % t] if extra else "", sl]
    lines += ["\tlastused %s" + sl if "lastused" in k else "",
              "\tanti-replay context: seq 0x%x, oseq 0x%x, bitmap 0x%08x" + sl
              if "seq" in k else "",
              "\tif_id %s" + sl if "if_id" in k else "", "%s", "\n" if oneline else ""]
    return "".join(lines)


list_runs = runs.Runs(SHAPES, m.XFRM_MSG_NEWSA, _RUN_FIXED, _run_fields, _RUN_KEY,
                      lambda first: first["family"], _run_columns, _run_form)
