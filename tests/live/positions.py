"""Command lines that reach each value position of the grammar: for every place a terminal
of some kinds (addresses, prefixes, protocols, names) may stand in an xfrm or link command,
the shortest line of valid words up to it, with the position left for a test to fill.

Shortest: no optional part, no repetition, the shortest alternative -- so that what ip and
pyip read before the position is read without error, and the value itself decides."""
from pyip._rules import RULES

MARK = object()
# a valid value of each terminal, for the words before (and after) the position
VALID = {"ADDR": "10.0.0.1", "PREFIX": "10.0.0.0/8", "PROTO": "tcp", "DEV": "lo", "NAME": "lo",
         "NUMBER": "1", "U8": "1", "U64": "1", "PORT": "1", "INT": "1", "ATOI": "1",
         "KEYMAT": "0x00", "ALGO_NAME": "cbc(aes)", "HEX_FLAGS": "0x1", "HEX_XFLAGS": "0x1",
         "LLADDR": "02:00:00:00:00:01", "KIND": "dummy", "TYPE": "dummy", "CTX": "c",
         "GRE_KEY": "1", "KEY": "1", "FILE": "/dev/null", "WORD": "x", "GROUP": "default",
         "RT_TABLE": "main"}
# what would leave the test's namespace, load programs, or is pyip's own (not ip's)
SKIP = ("netns", "vf", "xdp", "xdpgeneric", "xdpdrv", "xdpoffload", "obj", "object-file",
        "pinned", "fd", "save", "check", "explain", "monitor", "help", "xstats", "afstats")


def _first_kw(e):
    while e[0] in ("as", "seq") and len(e) > 1:
        e = e[2] if e[0] == "as" else e[1]
    return e[1] if e[0] == "kw" else None


def _alts(e):
    return [a for a in e[1:] if _first_kw(a) not in SKIP]


_shortest = {}


def shortest(e, depth=0):
    """The shortest sentence of expression e (a list of words)."""
    op = e[0]
    if op == "kw":
        return [e[1]]
    if op == "val":
        return [VALID.get(e[1], "x")]
    if op == "seq":
        return [w for x in e[1:] for w in shortest(x, depth)]
    if op == "alt":
        found = [shortest(a, depth) for a in _alts(e)]
        found = [f for f in found if f is not None]
        return min(found, key=len) if found else None
    if op in ("opt", "star"):
        return []
    if op == "plus":
        return shortest(e[1], depth)
    if op == "as":
        return shortest(e[2], depth)
    if op == "rule":
        if e[1] not in _shortest:
            if depth > 12:
                return None
            _shortest[e[1]] = None          # a rule that recurses: not this way
            _shortest[e[1]] = shortest(RULES[e[1]], depth + 1)
        return _shortest[e[1]]
    raise ValueError(e)


def reaching(e, kinds, seen=()):
    """Sentences (lists of words, MARK at the position) reaching each `kinds` terminal in e."""
    op = e[0]
    if op == "val":
        # the position is this node reached through these rules (a repetition or an
        # alias reaching it again is the same position)
        return [[(MARK, e[1], seen, id(e))]] if e[1] in kinds else []
    if op == "kw":
        return []
    if op == "seq":
        out = []
        for i, x in enumerate(e[1:], 1):
            for s in reaching(x, kinds, seen):
                before = [w for y in e[1:i] for w in shortest(y)]
                after = [w for y in e[i + 1:] for w in shortest(y)]
                out.append(before + s + after)
        return out
    if op == "alt":
        return [s for a in _alts(e) for s in reaching(a, kinds, seen)]
    if op in ("opt", "star", "plus"):
        return reaching(e[1], kinds, seen)
    if op == "as":
        return reaching(e[2], kinds, seen + ("=" + e[1],))
    if op == "rule":
        if e[1] in seen or e[1] in ("args", "end", "option", "options"):
            return []
        return reaching(RULES[e[1]], kinds, seen + (e[1],))
    raise ValueError(e)


def lines(kinds):
    """[(words before, terminal, words after)] of every xfrm and link command line reaching
    a `kinds` terminal, each once."""
    root = ("alt", ("seq", ("kw", "xfrm"), ("rule", "xfrm")),
            ("seq", ("kw", "link"), ("rule", "link")))
    found = {}
    for s in reaching(root, kinds):
        i = next(k for k, w in enumerate(s) if isinstance(w, tuple))
        _, kind, path, node = s[i]
        found.setdefault((path, node), (tuple(s[:i]), kind, tuple(s[i + 1:])))
    return list(found.values())
