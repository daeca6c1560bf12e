"""xfrm policy list's plain text by runs (pyip/runs.py): the fields of a dumped policy, what its
wording depends on, and the format for one combination of those, beside print_listed() (the
same text a policy at a time) in policy.py."""
from pyip import runs, shapes
from pyip.addr import TEXTS
from pyip.xfrm import common as c
from pyip.xfrm import msgs as m
from pyip.xfrm.policy import DIR_NAMES, PTYPE_NAMES, SHAPES

_RUN_FIXED = (("daddr", "16s"), ("saddr", "16s"), ("", "2x"), ("dmask", "H"), ("", "2x"),
              ("smask", "H"), ("family", "H"), ("plen_d", "B"), ("plen_s", "B"), ("proto", "B"),
              ("", "3x"), ("ifindex", "i"), ("", "4x"),
              ("", "96x"),                                  # lifetimes: -s only
              ("priority", "I"), ("", "4x"), ("dir", "B"), ("action", "B"), ("flags", "B"),
              ("", "5x"))
_RUN_ATTRS = {
    m.XFRMA_TMPL: (("t_daddr", "16s"), ("spi", "4s"), ("t_proto", "B"), ("", "3x"),
                   ("t_family", "H"), ("", "2x"), ("t_saddr", "16s"), ("reqid", "I"),
                   ("mode", "B"), ("", "x"), ("optional", "B"), ("", "13x")),
    m.XFRMA_POLICY_TYPE: (("ptype", "B"), ("", "5x")),
    m.XFRMA_MARK: (("mark", "I"), ("mask", "I")),
    m.XFRMA_IF_ID: (("if_id", "I"),)}
_RUN_KEY = ("dmask", "smask", "family", "proto", "ifindex", "dir", "action", "flags",
            "t_proto", "t_family", "mode", "optional", "ptype")
_hex = shapes.Memo(c.hash_x)
_spi = shapes.Memo(lambda b: "spi 0x%s " % b.hex() if b != b"\0\0\0\0" else "")


def _run_fields(type_, size):
    if type_ == m.XFRMA_TMPL and size != m.USER_TMPL.size:
        return None                 # one template only
    return _RUN_ATTRS.get(type_)


def _run_columns(variant, batch):
    (sl, oneline), (family, t_family) = variant
    names, t_names = runs.address_text(family), TEXTS.get(t_family)
    if names is None or t_names is None or "t_daddr" not in batch.where:
        return None
    t_names = t_names.__getitem__          # templates repeat their addresses: kept
    return (("saddr", names), ("plen_s", None), ("daddr", names), ("plen_d", None),
            ("priority", None), ("mark", _hex.__getitem__), ("mask", _hex.__getitem__),
            ("t_saddr", t_names), ("t_daddr", t_names), ("spi", _spi.__getitem__),
            ("reqid", None), ("if_id", _hex.__getitem__))


def _run_form(k, variant):
    """print_listed()'s plain text, as a format for the columns above."""
    (sl, oneline), (family, t_family) = variant
    if (k["proto"] or k["dmask"] or k["smask"] or k["ifindex"] or k["flags"] or not family
            or k["family"] != family or k["t_family"] != t_family or k["dir"] > 2
            or k["action"] > 1 or k["optional"] > 1):
        return None
    ptype = k.get("ptype")
    return "".join((
        "src %s/%u dst %s/%u ", sl, "\tdir ", DIR_NAMES[k["dir"]], " ",
        "action block " if k["action"] else "", "priority %u ",
        "" if ptype is None else "ptype %s " % PTYPE_NAMES.get(ptype, "%u" % ptype), sl,
        "\tmark %s/%s " + sl if "mark" in k else "",
        "\ttmpl src %s dst %s", sl, "\t\tproto ",
        c.XFRM_PROTO_NAMES.get(k["t_proto"]) or "%u" % k["t_proto"], " %sreqid %u mode ",
        c.MODE_NAMES.get(k["mode"]) or "%u" % k["mode"], sl,
        "\t\tlevel use " + sl if k["optional"] else "",
        "\tif_id %s" + sl if "if_id" in k else "", "\n" if oneline else ""))


list_runs = runs.Runs(SHAPES, m.XFRM_MSG_NEWPOLICY, _RUN_FIXED, _run_fields, _RUN_KEY,
                      lambda first: (first["family"], first.get("t_family")), _run_columns,
                      _run_form)
