"""The compiled grammar at run time: the parser of every command pyip runs (walk(), with the
Interpreters of pyip.interpret), and the verdict/completion reading (parse(), expected()).
No Lark here: RULES in pyip/_rules.py is grammar/*.lark's EBNF as nested tuples
(grammar/compile.py makes it); the readings below ask RULE, which unpacks a rule when first
asked for (a command reaches a few dozen of them: start-up).

Matching is ip's: alternatives are tried in the order written and the first that matches
wins, repetitions take as many as they can (ip's loops never give a word back to an earlier
loop), and once a sequence's first keyword has matched, the rest of it must (ip has taken
the word: a missing or wrong value after it is the command's error, not another reading).
A keyword ("kw", word, True) accepts any non-empty prefix of word (ip's matches()), one with
False only the word itself (strcmp; in the rules listed in FOLDED, ignoring case), and a
value ("val", TERMINAL) is any one argv word, the empty word included, or, for a terminal
in PATTERNS or CHECKS, a word its regex or number check accepts.  The empty rule `end`
matches only after the last word (a kind's words run to the end of the command).

Two readings share that matching:

    parse(words, start="start")    -> Node, or raises GrammarError(index, word, expected)
    expected(words, start="start") -> sorted keywords and TERMINALS that may come next
    walk(words, start)             -> (Node, failure): ip's reading, which runs commands

parse() is the grammar's verdict (every value checked, as the verdict tests and completion
want it); walk() reads as ip's loops do (see below), leaving each value's check to the
handler of its option.  What ip checks across values ("once each", required options,
families) is the Interpreters'; the .lark files say so beside the rule.

A Node is one rule matched: rule, alias (the `-> name` of the alternative taken, or None),
children, and the words it covers, start:end.  A Leaf is one word: kind is the keyword in
full for a keyword (text "x", kind "xfrm") or the TERMINAL's name for a value; is_value says
which (the monitor's keyword "SA" is upper case too).
"""
from pyip._rules import FOLDED, GATED, PACKED_RULES, PATTERNS, RULE, SINCE, UNTIL
from pyip.opts import opts
from pyip.tree import MISSING, Leaf, Node, quoted as _quoted


class GrammarError(Exception):
    """The words stop matching at words[index] (word None: they ended too soon); expected is
    what the grammar would have accepted there."""

    def __init__(self, index, word, expected):
        Exception.__init__(self, index, word, expected)
        self.index, self.word, self.expected = index, word, expected

    def __str__(self):
        where = "end of command" if self.word is None else "word %d %s" % (
            self.index + 1, _quoted(self.word))
        return "at %s: expected %s" % (where, " | ".join(self.expected) or "nothing")


class _Stop(Exception):
    """A sequence's first keyword matched and the rest did not: the command fails there."""


def _fold(e):
    """The expression with its exact keywords compared ignoring case ("kwi")."""
    op = e[0]
    if op == "kw":
        return e if e[2] else ("kwi", e[1])
    if op in ("seq", "alt"):
        return (op,) + tuple(_fold(x) for x in e[1:])
    if op in ("opt", "star", "plus"):
        return (op, _fold(e[1]))
    if op == "as":
        return (op, e[1], _fold(e[2]))
    return e


class _Runtime(dict):
    """rule -> its expression as the readings match it (folded: see _fold; as `release` has
    it: see _gated), made when first asked for: a command's walk reaches few of the rules."""

    def __init__(self, rules, release=None):
        dict.__init__(self)
        self.source, self.release = rules, release

    def __missing__(self, name):
        e = self.source[name]
        e = self[name] = _gated(name, _fold(e) if name in FOLDED else e, self.release)
        return e


def _gated(name, e, release):
    """The rule as `release` has it: an alternative gated (//@since, SINCE) to a later
    release is left out, so the older ip's error follows (a word no option takes, a value
    the rule refuses); so is one a release no longer has (//@until, UNTIL: e.g. a word no
    longer matched by prefix)."""
    if release is None or e[0] != "alt" or not any(
            x[0] == "as" and _absent("%s.%s" % (name, x[1]), release) for x in e[1:]):
        return e
    return ("alt",) + tuple(x for x in e[1:] if not (
        x[0] == "as" and _absent("%s.%s" % (name, x[1]), release)))


def _absent(key, release):
    return SINCE.get(key, release) > release or UNTIL.get(key, (99, 0)) <= release


def _release(start):
    """The run's release where a gated alternative can be reached from `start` (else None:
    the rules read the same in every release, and the release is not chosen for them)."""
    if start not in GATED:
        return None
    chosen = opts.release           # (a -batch asks once a line: no import statement then)
    if chosen is None:
        from pyip.release import current
        chosen = current()
    return chosen


_RUNTIME = {}
_patterns = {}


def _bits(n):
    from pyip.words import strtoul
    return lambda word: strtoul(word, n) is not None


def _integer(word):
    from pyip.words import get_integer
    return get_integer(word) is not None


# the typed numbers: what ip's get_u32()/get_u64()/get_u16()/get_u8()/get_integer() accept
def _hex(n):
    from pyip.words import strtoul
    return lambda word: len(word) > 2 and word[:2] == "0x" and strtoul(word, n, 16) is not None


CHECKS = {"NUMBER": _bits(32), "U64": _bits(64), "PORT": _bits(16), "U16": _bits(16),
          "U8": _bits(8), "INT": _integer, "HEX_FLAGS": _hex(8), "HEX_XFLAGS": _hex(32)}


def _literal_head(pattern):
    """The regex's first character is a plain one a match must start with."""
    return (pattern[:1].isalnum() or pattern[:1] == "-") and pattern[1:2] not in ("?", "*", "{")


def _pattern(name):
    regex = _patterns.get(name)
    if regex is None:
        import re               # only for the few terminals with a regex of their own
        regex = _patterns[name] = re.compile(PATTERNS[name])
    return regex


class _Parser:
    def __init__(self, words, rules, release=None):
        self.words = words
        self.n = len(words)
        key = (id(rules), release)
        if key not in _RUNTIME:
            _RUNTIME[key] = (rules, _Runtime(rules, release))
        self.rules = _RUNTIME[key][1]
        self.far = -1           # the furthest index where a word was wanted, and what
        self.wanted = set()
        self.closed = False     # `end` matched: nothing may follow the last word

    def want(self, i, what):
        if self.closed and i >= self.n:
            return
        if i > self.far:
            self.far, self.wanted = i, {what}
        elif i == self.far:
            self.wanted.add(what)

    def value(self, terminal, word):
        check = CHECKS.get(terminal)
        if check is not None:
            return check(word)
        pattern = PATTERNS.get(terminal)
        if pattern is None:
            return True
        if _literal_head(pattern) and word[:1] != pattern[0]:
            return False        # no regex (and no `import re`, ~10 ms) for most words
        return _pattern(terminal).fullmatch(word) is not None

    def rule(self, name, i):
        if name == "end":
            if i == self.n:
                self.closed = True
                return i, Node(name, None, [], i, i)
            self.want(i, "end of command")
            return None
        body = self.rules[name]
        alts = body[1:] if body[0] == "alt" else (body,)
        for alt in alts:
            alias = None
            if alt[0] == "as":
                alias, alt = alt[1], alt[2]
            got = self.match(alt, i)
            if got is not None:
                end, children = got
                return end, Node(name, alias, children, i, end)
        return None

    def inline(self, node):
        """A _rule's node gives its children to its parent (Lark's convention)."""
        if node.rule[:1] == "_" and node.alias is None:
            return node.children
        return [node]

    def match(self, e, i):
        """(end, children) where e matches words[i:end], or None."""
        op = e[0]
        if op == "kw":
            if i < self.n:
                w = self.words[i]
                if w == e[1] or (e[2] and w and e[1].startswith(w)):
                    return i + 1, [Leaf(e[1], w, i)]
            self.want(i, e[1])
            return None
        if op == "kwi":
            if i < self.n and self.words[i].lower() == e[1]:
                return i + 1, [Leaf(e[1], self.words[i], i)]
            self.want(i, e[1])
            return None
        if op == "val":
            if i < self.n and self.value(e[1], self.words[i]):
                return i + 1, [Leaf(e[1], self.words[i], i, True)]
            self.want(i, e[1])
            return None
        if op == "rule":
            got = self.rule(e[1], i)
            return None if got is None else (got[0], self.inline(got[1]))
        if op == "seq":
            children = []
            committed = len(e) > 1 and e[1][0] in ("kw", "kwi")
            for k, x in enumerate(e[1:]):
                got = self.match(x, i)
                if got is None:
                    if k and committed:
                        raise _Stop()
                    return None
                i = got[0]
                children += got[1]
            return i, children
        if op == "alt":
            for x in e[1:]:
                got = self.match(x, i)
                if got is not None:
                    return got
            return None
        if op == "opt":
            got = self.match(e[1], i)
            return (i, []) if got is None else got
        if op in ("star", "plus"):
            children = []
            count = 0
            while True:
                got = self.match(e[1], i)
                if got is None or got[0] == i:
                    break
                i = got[0]
                children += got[1]
                count += 1
            if op == "plus" and not count:
                return None
            return i, children
        if op == "as":
            return self.match(e[2], i)
        raise ValueError("unknown grammar expression %r" % (e,))


def parse(words, start="start", rules=RULE):
    """The tree of words (a list of argv words) as rule `start`, or GrammarError."""
    p = _Parser(list(words), rules, _release(start))
    try:
        got = p.rule(start, 0)
    except _Stop:
        got = None
    if got is not None and got[0] == p.n:
        return got[1]
    end = got[0] if got is not None else 0
    at, wanted = (p.far, sorted(p.wanted)) if p.far >= end else (end, [])
    raise GrammarError(at, p.words[at] if at < p.n else None, wanted)


def expected(words, start="start", rules=RULE):
    """What may follow `words` (a command's first words) for `start`: keywords and TERMINALS,
    sorted; empty if the words cannot begin such a command."""
    p = _Parser(list(words), rules, _release(start))
    try:
        p.rule(start, 0)
    except _Stop:
        pass
    return sorted(p.wanted) if p.far == p.n else []


def subexpressions(e):
    """e and every expression inside it, outermost first."""
    yield e
    op = e[0]
    if op in ("seq", "alt"):
        for x in e[1:]:
            yield from subexpressions(x)
    elif op in ("opt", "star", "plus"):
        yield from subexpressions(e[1])
    elif op == "as":
        yield from subexpressions(e[2])


def alternatives(rules, starts, stop=()):
    """(rule, alias) of every alternative of every rule reachable from the start rules (alias
    None for an alternative without one), not looking below the rules in stop."""
    found, seen, todo = [], set(), list(starts)
    while todo:
        rule = todo.pop()
        if rule in seen or rule == "end":
            continue
        seen.add(rule)
        if rule in stop:
            continue
        body = rules[rule]
        for alt in (body[1:] if body[0] == "alt" else (body,)):
            found.append((rule, alt[1] if alt[0] == "as" else None))
            todo += [x[1] for x in subexpressions(alt) if x[0] == "rule"]
    return found


# ---- ip's reading: the walk that runs a command ----------------------------------------------
#
# The verdict walk above checks every value; ip's loops do not: once an option's keyword has
# matched, ip takes the next word whatever it is (NEXT_ARG()) and only then checks it, with
# that option's own message.  So the walk that runs a command takes any word where a
# committed sequence wants a value (its handler checks it, in word order), ends a committed
# sequence that runs out of words with a MISSING leaf (its handler says what ip says then:
# "Command line is not complete", or a missing argument), and reports, rather than
# backtracks, a keyword rule that refuses the word it is given (ip's "X value is invalid").


class Bad(Exception):
    """words[index] is refused where `rule` was required (a committed position)."""

    def __init__(self, index, rule):
        Exception.__init__(self, index, rule)
        self.index, self.rule = index, rule


class _IpParser(_Parser):
    def __init__(self, words, rules, truncated, release):
        _Parser.__init__(self, words, rules, release)
        # past the last word everything matches: the words were cut there (before a bad
        # word), or ran out inside an option
        self.short = truncated
        self.current = None         # the rule being read (what a Bad word is refused by)
        self.asked = []             # (index, TERMINAL, answer) of each value check it made

    def match(self, e, i, forced=False):
        if self.short and i >= self.n:
            return i, []
        op = e[0]
        if op == "val":
            if i < self.n:
                if forced:
                    return i + 1, [Leaf(e[1], self.words[i], i, True)]
                ok = self.value(e[1], self.words[i])
                if e[1] in CHECKS or e[1] in PATTERNS:
                    self.asked.append((i, e[1], ok))
                if ok:
                    return i + 1, [Leaf(e[1], self.words[i], i, True)]
            if not forced:
                self.want(i, e[1])
            return None
        if op == "rule":
            got = self.rule(e[1], i, forced)
            if got is None:
                if not forced or i >= self.n:
                    return None
                raise Bad(max(i, self.far), e[1])
            return got[0], self.inline(got[1])
        if op == "seq":
            children = []
            # ip takes the words of a sequence for good once its keyword matched, or where
            # an option's keyword before it did (forced)
            committed = forced or (len(e) > 1 and e[1][0] in ("kw", "kwi"))
            for k, x in enumerate(e[1:]):
                got = self.match(x, i, forced or (committed and k > 0))
                if got is None:
                    if k and committed:
                        if i >= self.n:     # ip's NEXT_ARG() at the end
                            self.short = True
                            return i, children + [MISSING]
                        raise Bad(max(i, self.far), self.current)
                    return None
                i = got[0]
                children += got[1]
            return i, children
        if op == "alt":
            for x in e[1:]:
                got = self.match(x, i, forced)
                if got is not None:
                    return got
            return None
        if op == "as":
            return self.match(e[2], i, forced)
        if op == "opt" or op == "star" or op == "plus":
            return _Parser.match(self, e, i)
        return _Parser.match(self, e, i)

    def value(self, terminal, word):
        """Where a value decides between alternatives, its pattern alone decides (ip looks at
        the word's shape, "0x..."); its handler checks the rest, with ip's message."""
        if terminal in PATTERNS:
            if _literal_head(PATTERNS[terminal]) and word[:1] != PATTERNS[terminal][0]:
                return False
            return _pattern(terminal).fullmatch(word) is not None
        return _Parser.value(None, terminal, word)

    def rule(self, name, i, forced=False):
        if name == "end":
            return _Parser.rule(self, name, i)
        outer = self.current
        self.current = name
        try:
            body = self.rules[name]
            alts = body[1:] if body[0] == "alt" else (body,)
            # of several alternatives, each is tried as ip's if/else would (none binds the
            # word until its own keyword has matched); a rule refusing them all is Bad
            forced = forced and len(alts) == 1
            for alt in alts:
                alias = None
                if alt[0] == "as":
                    alias, alt = alt[1], alt[2]
                got = self.match(alt, i, forced)
                if got is not None:
                    return got[0], Node(name, alias, got[1], i, got[0])
            return None
        finally:
            self.current = outer


def walk(words, start):
    """ip's reading of words as rule `start`: (tree, failure).  failure is None, ("stray", i)
    where words[i] is the first word the rule has no place for, ("bad", i, rule) where
    words[i] is refused by `rule` at a position that required it, ("short",) where the
    words ran out inside an option (a MISSING leaf marks where), or ("end",) where the words
    ended before something the rule requires (the command's own checks say what).  The tree is
    the reading of the words before a failure (cut there), so that the handlers of those
    words run first, in ip's order.

    A -batch reads many lines of one shape: the reading of each shape (which words could be
    keywords, the rest being values) is kept with the value checks the walk made, and serves
    every line of that shape whose checks answer the same (a leaf names its word by index).
    A command's first readings of a rule skip the cache: a single command reads a rule once
    or twice (link add: the device's options, again for a kind that asks), and the keyword
    set the cache's key needs costs ~3 ms to build, far more than the readings it saves."""
    release = _release(start)
    walked = _WALKED.get(start, 0)
    if walked < _UNCACHED:
        _WALKED[start] = walked + 1
        return _walk(words, start, release)[:2]
    key = (release,) + _shape(start, words)
    known = _SHAPES.get(key)
    if known is not None:
        value = _IpParser.value
        for i, terminal, ok in known[2]:
            if value(None, terminal, words[i]) != ok:     # value() reads no state
                break
        else:
            return known[0], known[1]
    tree, failure, asked = _walk(words, start, release)
    if len(_SHAPES) < 4096:
        _SHAPES[key] = (tree, failure, asked)
    return tree, failure


_SHAPES = {}
_KEYWORDS = []
_WALKED = {}        # start rule -> readings made without the cache
_UNCACHED = 3


class _Keep(dict):
    """word -> the word if it could be a keyword, else None (a -batch asks the same words
    again and again)."""

    def __missing__(self, w):
        exact, lower = _KEYWORDS
        kept = w if w in exact or w.lower() in lower else None
        if len(self) < 65536:
            self[w] = kept
        return kept


_KEEP = _Keep()


def _shape(start, words):
    """The words that could be keywords (any keyword, a prefix of one, or one in another
    case), and None for each other word."""
    if not _KEYWORDS:
        exact, lower = set(), set()
        for e in map(RULE.__getitem__, PACKED_RULES):   # every rule (a -batch's 2nd line)
            for x in subexpressions(e):
                if x[0] == "kw":
                    exact.update(x[1][:k] for k in range(1, len(x[1]) + 1)) if x[2] \
                        else exact.add(x[1])
                    lower.add(x[1].lower())
        _KEYWORDS[:] = [exact, lower]
    return (start,) + tuple(map(_KEEP.__getitem__, words))


def _walk(words, start, release):
    p = _IpParser(words, RULE, False, release)
    try:
        got = p.rule(start, 0)
    except Bad as e:
        return (_cut(words, start, e.index, p.asked, release), ("bad", e.index, e.rule),
                p.asked)
    if got is None:             # it stops where it wanted a word it did not get
        at = min(max(p.far, 0), p.n)
        if at >= p.n:
            return _cut(words, start, at, p.asked, release), ("end",), p.asked
        return _cut(words, start, at, p.asked, release), ("stray", at), p.asked
    if got[0] < p.n:
        return _cut(words, start, got[0], p.asked, release), ("stray", got[0]), p.asked
    return got[1], ("short",) if p.short else None, p.asked


def _cut(words, start, index, asked, release):
    p = _IpParser(words[:index], RULE, True, release)
    got = p.rule(start, 0)
    asked += p.asked
    return got[1]
