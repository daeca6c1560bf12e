"""The grammar's release gates in words, for the man pages and explain: which ip release
first (//@since) or last (//@until) reads an alternative, and which kernel first takes what
it sends (`kernel X.Y`).  Declared once in grammar/*.lark; compiled into SINCE and UNTIL
(pyip/_rules.py) and KERNEL (pyip/_docs.py).  The tables are arguments, so that
grammar/manpages.py can pass the checkout's at build time."""


def _name(release):
    return "%d.%d" % release


def last_before(release):
    """The release before `release` as people name it: 6.8 -> 6.7 (a x.0 has no x.-1: None)."""
    return (release[0], release[1] - 1) if release[1] else None


def man_note(key, since, until, kernel):
    """The man page's note on alternative key ("rule.alias"): "ip 6.11 and later; kernel
    6.10 and later", "ip up to 6.7", or None for a word every release reads alike."""
    parts = []
    if key in since:
        parts.append("ip %s and later" % _name(since[key]))
    if key in until:
        before = last_before(until[key])
        parts.append("ip up to %s" % _name(before) if before else
                     "ip before %s" % _name(until[key]))
    if key in kernel:
        parts.append("kernel %s and later" % _name(kernel[key]))
    return "; ".join(parts) or None


def needs(key, since, until, kernel):
    """explain's words on what the alternative needs: "needs ip 6.11 or later and kernel
    6.10 or later", "read by ip up to 6.7 only", or None."""
    out = []
    if key in since:
        out.append("needs ip %s or later" % _name(since[key]))
    if key in kernel:
        out.append(("and kernel %s or later" if out else "needs kernel %s or later")
                   % _name(kernel[key]))
    if key in until:
        out.append(read_until(until[key]))
    return " ".join(out) or None


def read_until(first_without):
    before = last_before(first_without)
    return ("read by ip up to %s only" % _name(before) if before else
            "read by ip before %s only" % _name(first_without))
