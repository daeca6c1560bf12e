"""Printing findings: text (one block a finding, as the man page shows) or -j (a JSON array
of objects with the same fields)."""
from pyip import out


def counters(model, findings):
    """Attach the symptom counters (/proc/net/xfrm_stat) a live finding's rule names."""
    for f in findings:
        f.counters = {c: model.counters[c] for c in f.rule.counters if model.counters.get(c)}


def text(findings):
    lines = []
    for f in findings:
        lines.append("%s %s: %s\n" % (f.severity, f.rule.id, f.objects[0]))
        for o in f.objects[1:]:
            lines.append("\t%s\n" % o)
        lines.append("\t%s\n" % f.detail)
        if f.where:
            lines.append("\tline: %s\n" % ", ".join(f.where))
        lines.append("\twhy: %s\n" % f.why)
        lines.append("\tfix: %s\n" % f.fix.replace("\n", "\n\t     "))   # one command a line
        if f.counters:
            lines.append("\tcounters: %s\n" % ", ".join(
                "%s %u" % kv for kv in sorted(f.counters.items())))
    n = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "note")}
    lines.append("check: %u error%s, %u warning%s, %u note%s\n" % (
        n["error"], "" if n["error"] == 1 else "s", n["warning"],
        "" if n["warning"] == 1 else "s", n["note"], "" if n["note"] == 1 else "s"))
    out.write("".join(lines))


def json(findings, pretty):
    import json as j
    text_ = j.dumps([f.as_dict() for f in findings], indent=4 if pretty else None)
    out.write(text_ + "\n")


def rule_table():
    """(id, severity, what, why, fix, proof) of every rule: for `check help`, the README and
    the man page."""
    from pyip.check.rules import RULES
    return [(r.id, r.severity, r.what, r.why, r.fix, r.proof) for r in RULES]


def help_text():
    from pyip._tables import USAGE
    rows = rule_table()
    width = max(len(r[0]) for r in rows)
    lines = [USAGE["xfrm_check"], "Rules (id, severity: what):\n"]
    for rid, sev, what, *_ in rows:
        lines.append("  %-*s  %-7s %s\n" % (width, rid, sev, what))
    return "".join(lines)
