"""xfrm policy list's text (plain and -s) by runs (pyip/runs.py): the fields of a dumped policy, what its
wording depends on, and the format for one combination of those, beside print_listed() (the
same text a policy at a time) in policy.py."""
from _struct import Struct

from pyip import runs, shapes
from pyip.addr import TEXTS
from pyip.xfrm import common as c
from pyip.xfrm import msgs as m
from pyip.xfrm.policy import ACTION_NAMES, DIR_NAMES, LEVELS, PTYPE_NAMES, SHAPES

_RUN_FIXED = (("daddr", "16s"), ("saddr", "16s"), ("", "2x"), ("dmask", "H"), ("", "2x"),
              ("smask", "H"), ("family", "H"), ("plen_d", "B"), ("plen_s", "B"), ("proto", "B"),
              ("", "3x"), ("ifindex", "i"), ("user", "I"),
              ("lifetimes", "96s"),                         # cfg and cur: -s only
              ("priority", "I"), ("index", "I"), ("dir", "B"), ("action", "B"), ("flags", "B"),
              ("share", "B"), ("", "4x"))
_RUN_ATTRS = {
    m.XFRMA_TMPL: (("t_daddr", "16s"), ("spi", "4s"), ("t_proto", "B"), ("", "3x"),
                   ("t_family", "H"), ("", "2x"), ("t_saddr", "16s"), ("reqid", "I"),
                   ("mode", "B"), ("t_share", "B"), ("optional", "B"), ("", "x"),
                   ("aalgos", "I"), ("ealgos", "I"), ("calgos", "I")),
    m.XFRMA_POLICY_TYPE: (("ptype", "B"), ("", "5x")),
    m.XFRMA_MARK: (("mark", "I"), ("mask", "I")),
    m.XFRMA_IF_ID: (("if_id", "I"),)}
_RUN_KEY = ("dmask", "smask", "family", "proto", "ifindex", "dir", "action", "flags",
            "t_proto", "t_family", "mode", "optional", "ptype")
_hex = shapes.Memo(c.hash_x)
_spi = shapes.Memo(lambda b: "spi 0x%s " % b.hex() if b != b"\0\0\0\0" else "")
_spi_stats = shapes.Memo(lambda b: "spi 0x%s(%u) " % (b.hex(), int.from_bytes(b, "big")))
# -s: the shares are columns, not keys (the plain text's keys stay as few as they were)
_share = shapes.Memo(lambda v: c.SHARES.get(v, "%u" % v))
_LIFETIMES = Struct("=8Q4Q")
_lifetime_texts = {}


def _lifetime_text(sl):
    """-s: the lifetime lines of a policy from its 96 bytes (print_listed()'s, kept)."""
    def text(raw):
        v = _LIFETIMES.unpack(raw)
        o = []
        c.print_lifetime(o, v[:8], v[8:], "\t")
        return "".join(o).replace("%", "%%")
    if sl not in _lifetime_texts:
        _lifetime_texts[sl] = shapes.Memo(text)
    return _lifetime_texts[sl].__getitem__


def _run_fields(type_, size):
    if type_ == m.XFRMA_TMPL and size != m.USER_TMPL.size:
        return None                 # one template only
    return _RUN_ATTRS.get(type_)


def _run_columns(variant, batch):
    (sl, oneline, stats), (family, t_family) = variant
    names, t_names = runs.address_text(family), TEXTS.get(t_family)
    if names is None or t_names is None or "t_daddr" not in batch.where:
        return None
    t_names = t_names.__getitem__          # templates repeat their addresses: kept
    if not stats:
        return (("saddr", names), ("plen_s", None), ("daddr", names), ("plen_d", None),
                ("priority", None), ("mark", _hex.__getitem__), ("mask", _hex.__getitem__),
                ("t_saddr", t_names), ("t_daddr", t_names), ("spi", _spi.__getitem__),
                ("reqid", None), ("if_id", _hex.__getitem__))
    # the lifetimes' text is a piece of the format, so it must not be read as one
    return (("saddr", names), ("plen_s", None), ("daddr", names), ("plen_d", None),
            ("user", None), ("index", None), ("priority", None), ("share", _share.__getitem__),
            ("lifetimes", _lifetime_text(sl)), ("mark", _hex.__getitem__),
            ("mask", _hex.__getitem__), ("t_saddr", t_names), ("t_daddr", t_names),
            ("spi", _spi_stats.__getitem__), ("reqid", None), ("reqid", None),
            ("t_share", _share.__getitem__), ("ealgos", None), ("aalgos", None),
            ("calgos", None), ("if_id", _hex.__getitem__))


def _run_form(k, variant):
    """print_listed()'s text, as a format for the columns above."""
    (sl, oneline, stats), (family, t_family) = variant
    if (k["proto"] or k["dmask"] or k["smask"] or k["ifindex"] or k["flags"] or not family
            or k["family"] != family or k["t_family"] != t_family or k["dir"] > 2
            or k["action"] > 1 or k["optional"] > 1):
        return None
    ptype = k.get("ptype")
    ptype = "" if ptype is None else "ptype %s " % PTYPE_NAMES.get(ptype, "%u" % ptype)
    mark = "\tmark %s/%s " + sl if "mark" in k else ""
    t_proto = c.XFRM_PROTO_NAMES.get(k["t_proto"]) or "%u" % k["t_proto"]
    t_mode = c.MODE_NAMES.get(k["mode"]) or "%u" % k["mode"]
    if_id = "\tif_id %s" + sl if "if_id" in k else ""
    end = "\n" if oneline else ""
    if stats:
        return "".join((
            "src %s/%u dst %s/%u uid %u", sl, "\tdir ", DIR_NAMES[k["dir"]], " action ",
            ACTION_NAMES[k["action"]], " index %u priority %u ", ptype, "share %s",
            " flag  (0x00000000)", sl, "%s", mark, "\ttmpl src %s dst %s", sl, "\t\tproto ",
            t_proto, " %sreqid %u(0x%08x) mode ", t_mode, sl, "\t\tlevel ",
            LEVELS[k["optional"]], " share %s ", sl,
            "\t\tenc-mask %.8x auth-mask %.8x comp-mask %.8x", sl, if_id, end))
    return "".join((
        "src %s/%u dst %s/%u ", sl, "\tdir ", DIR_NAMES[k["dir"]], " ",
        "action block " if k["action"] else "", "priority %u ", ptype, sl, mark,
        "\ttmpl src %s dst %s", sl, "\t\tproto ", t_proto, " %sreqid %u mode ", t_mode, sl,
        "\t\tlevel use " + sl if k["optional"] else "", if_id, end))


list_runs = runs.Runs(SHAPES, m.XFRM_MSG_NEWPOLICY, _RUN_FIXED, _run_fields, _RUN_KEY,
                      lambda first: (first["family"], first.get("t_family")), _run_columns,
                      _run_form)
