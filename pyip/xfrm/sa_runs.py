"""xfrm state list's plain text by runs (pyip/runs.py): the fields of a dumped SA, what its
wording depends on, and the format for one combination of those, beside print_listed() (the
same text an SA at a time) in sa.py."""
from _struct import Struct

from pyip import runs, shapes
from pyip.netlink import cstr
from pyip.xfrm import common as c
from pyip.xfrm import msgs as m
from pyip.xfrm.sa import ALGO_HEADS, ALGO_READS, ALGOS, SHAPES, SPI_ALWAYS, sel_line

# xfrm_usersa_info after its selector, as the runs name its fields (msgs.py's layouts; the
# lifetimes, stats and seq, which -s alone prints, not read)
_RUN_REST = (m.XFRM_ID.rows_as({}) + (("saddr", "16s"),)
             + (("", "%dx" % (m.LIFETIME_CFG.size + m.LIFETIME_CUR.size + m.STATS.size)),)
             + m.SA_TAIL.rows_as({"seq": ""}))
# the selector: with a family or a prefix length, its fields (its line is printed, its
# addresses converted by C functions: a dump's selectors rarely repeat, and a text cache's
# miss is a Python call); without (an SA added with no selector: most often none is
# printed), its 56 bytes, whose text is kept
_RUN_SEL = m.SELECTOR.rows_as(
    {"daddr": "s_daddr", "saddr": "s_saddr", "dport": "", "dport_mask": "s_dmask", "sport": "",
     "sport_mask": "s_smask", "family": "s_family", "prefixlen_d": "s_plen_d",
     "prefixlen_s": "s_plen_s", "proto": "s_proto", "ifindex": "s_ifindex", "user": ""},
    {"dport_mask": "H", "sport_mask": "H"})
# the selector's family and prefix lengths, as one number: 0 where all three are
_SEL_FAMILY_AT = (16 + m.SELECTOR.at("family"), "=I")


def _fixed(s_family_plens):
    return (_RUN_SEL if s_family_plens else (("sel", "%ds" % m.SELECTOR.size),)) + _RUN_REST


_RUN_SIMPLE = {m.XFRMA_REPLAY_VAL: m.REPLAY_STATE.rows_as({}),
               m.XFRMA_MARK: m.MARK.rows_as({"v": "mark", "m": "mask"}),
               m.XFRMA_IF_ID: (("if_id", "I"),),
               m.XFRMA_LASTUSED: (("lastused", "Q"),)}
# (the selector's family and prefix lengths: what the layout is chosen by, as the rows
# after a run's first are read in its layout)
_RUN_KEY = ("proto", "family", "mode", "flags", "s_family", "s_plen_d", "s_plen_s", "s_proto",
            "s_dmask", "s_smask", "s_ifindex") + tuple(
    "%d.%s" % (t, f) for t in ALGO_HEADS for f in ("name", "bits", "extra"))
_SEL = Struct("=16s16sHHHHHBBB3siI")
_time = shapes.Memo(c.strxf_time)
_sel_texts = {}


def _run_fields(type_, size):
    layout = m.ALGO_LAYOUTS.get(type_)
    if layout is None:
        return _RUN_SIMPLE.get(type_)
    fields = list(layout.rows_as({"alg_name": "%d.name" % type_, "alg_key_len": "%d.bits" % type_,
                                  "alg_trunc_len": "%d.extra" % type_,
                                  "alg_icv_len": "%d.extra" % type_}, ALGO_READS))
    if size > layout.size:
        fields.append(("%d.key" % type_, "%ds" % (size - layout.size)))
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


def _variant(first):
    """What a run's columns depend on: the SA's family and the one its selector's
    addresses are printed in (None: no selector fields, its 56 bytes)."""
    family, s_family = first["family"], first.get("s_family", False)
    return family, None if s_family is False else s_family or family


def _run_columns(variant, batch):
    (sl, oneline, nokeys), (family, s_family) = variant
    names = runs.address_text(family)
    if names is None:
        return None
    if s_family is None:
        sel = [("sel", _sel_text(family, sl))]
    else:
        s_names = runs.address_text(s_family)
        if s_names is None:
            return None
        sel = [("s_saddr", s_names), ("s_plen_s", None), ("s_daddr", s_names),
               ("s_plen_d", None)]
    keys = [] if nokeys else [("%d.key" % t, bytes.hex) for t, _, _ in _algos(batch.where)]
    return ([("saddr", names), ("daddr", names), ("spi", bytes.hex), ("reqid", None),
             ("replay_window", None), ("mark", runs.HASH_X), ("mask", runs.HASH_X)]
            + keys
            + [("lastused", _time.__getitem__), ("seq", None), ("oseq", None), ("bitmap", None),
               ("if_id", runs.HASH_X)] + sel)


def _run_form(k, variant):
    """print_listed()'s plain text, as a format for the columns above."""
    (sl, oneline, nokeys), (family, s_family) = variant
    proto = k["proto"]
    if k["family"] != family or proto not in SPI_ALWAYS or k["flags"]:
        return None
    if s_family is None:
        sel = "%s"
    elif ((k["s_family"] or family) != s_family or k["s_proto"] or k["s_dmask"]
          or k["s_smask"] or k["s_ifindex"]
          or not (k["s_family"] or k["s_plen_d"] or k["s_plen_s"])):
        return None         # a selector whose line only the general printer prints
    else:                   # sel_line()'s: a selector with a family or a prefix is printed
        sel = "\tsel src %s/%u dst %s/%u " + sl
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
              "\tif_id %s" + sl if "if_id" in k else "", sel, "\n" if oneline else ""]
    return "".join(lines)


list_runs = runs.Runs(SHAPES, m.XFRM_MSG_NEWSA, _fixed, _run_fields, _RUN_KEY, _variant,
                      _run_columns, _run_form, _SEL_FAMILY_AT)
