"""Compile grammar/*.lark into pyip/_tables.py, pyip/_rules.py and pyip/_docs.py.

The .lark files are the single source of pyip's syntax (see the header of ip.lark for the
conventions).  Lark parses and validates them here, at build time; the generated module
holds plain tuples and dicts so that running a command never imports Lark.

    python grammar/compile.py           write pyip/_tables.py, _rules.py and _docs.py
    python grammar/compile.py --check   exit 1 if one of them is out of date
    python grammar/compile.py --parse -- WORD...
                                        the tree of one command (the words after "ip",
                                        global options included), exit 0; or where it
                                        stops and what the grammar expected there, exit 1
    python grammar/compile.py --parse - one command a line from standard input (words
                                        quoted as in an ip -batch file): "ok" or
                                        "error: ..." for each; exit 1 if any is an error
"""
import os
import pprint
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, os.pardir, "pyip", "_tables.py")
RULES_OUT = os.path.join(HERE, os.pardir, "pyip", "_rules.py")
DOCS_OUT = os.path.join(HERE, os.pardir, "pyip", "_docs.py")


def grammar_files():
    names = sorted(n for n in os.listdir(HERE) if n.endswith(".lark"))
    names.remove("ip.lark")
    return [os.path.join(HERE, n) for n in ["ip.lark"] + names]


def grammar_text():
    return "\n".join(open(p).read() for p in grammar_files())


def rule_names(text):
    return [m.group(1) for m in re.finditer(r"^([a-z_][a-z0-9_]*)\s*:", text, re.M)]


def load_lark(text=None):
    """Every rule is a start symbol: Lark keeps them all (the argument-level rules are read
    by the command modules, not reached from `start`)."""
    import lark
    text = text or grammar_text()
    return lark.Lark(text, start=rule_names(text), parser="earley", lexer="dynamic",
                     keep_all_tokens=True)


SINCE_RX = re.compile(r"->\s*([a-z_][a-z0-9_]*)\s*//@since\s+(\d+)\.(\d+)"
                      r"(?:\s+kernel\s+\d+\.\d+)?\s*$")
# "-> alias //@since 6.11 kernel 6.10", or "-> alias //@kernel 6.2" for a word every release
# of ip has but only newer kernels take (packet offload): the kernel a gated word needs
KERNEL_RX = re.compile(r"->\s*([a-z_][a-z0-9_]*)\s*//@(?:since\s+\d+\.\d+\s+)?kernel\s+"
                       r"(\d+)\.(\d+)\s*$")
UNTIL_RX = re.compile(r"->\s*([a-z_][a-z0-9_]*)\s*//@until\s+(\d+)\.(\d+)\s*$")


def _tagged(text, rx, marker):
    """"RULE.ALIAS" -> (major, minor) of every alternative whose line `rx` matches (the
    alias and a release after its //@MARKER); a //@MARKER on a line with no `-> alias` is an
    error of the grammar."""
    found = {}
    rule = None
    for line in text.splitlines():
        m = re.match(r"([a-z_][a-z0-9_]*)\s*:", line)
        if m:
            rule = m.group(1)
        m = rx.search(line)
        if m:
            found["%s.%s" % (rule, m.group(1))] = (int(m.group(2)), int(m.group(3)))
        elif "//@" + marker in line and not line.lstrip().startswith("//"):
            raise SystemExit("grammar: //@%s needs an alternative with -> alias on its "
                             "line: %r" % (marker, line))
    return found


def since(text):
    """The gates: "RULE.ALIAS" -> (major, minor), the first iproute2 release that has the
    alternative, from a `//@since X.Y` after the alternative's `-> alias` on its line.  The
    walk treats a gated alternative as absent for an older release (the older ip's error)."""
    return _tagged(text, SINCE_RX, "since")


def until(text):
    """The first release that no longer has the alternative (`//@until X.Y`), absent from
    that release on."""
    return _tagged(text, UNTIL_RX, "until")


def kernels(text):
    """"RULE.ALIAS" -> (major, minor), the first Linux release whose xfrm_user (or
    rtnetlink) takes what the alternative sends, from `kernel X.Y` after its //@since (or
    a //@kernel X.Y of its own): what explain and the man pages say beside the ip release;
    the walk does not read it (the kernel answers for itself)."""
    return _tagged(text, KERNEL_RX, "kernel")


def gated(rules, gates):
    """The rules from which a gated alternative can be reached: only a walk from one of them
    needs the run's release (the others read the same in every release)."""
    def refs(e):
        if e[0] == "rule":
            yield e[1]
        elif e[0] in ("seq", "alt"):
            for x in e[1:]:
                yield from refs(x)
        elif e[0] in ("opt", "star", "plus"):
            yield from refs(e[1])
        elif e[0] == "as":
            yield from refs(e[2])
    uses = {name: set(refs(e)) for name, e in rules.items()}
    found = {key.split(".")[0] for key in gates}
    grew = True
    while grew:
        grew = False
        for name, used in uses.items():
            if name not in found and used & found:
                found.add(name)
                grew = True
    return sorted(found)


def newer(*tables):
    """KEY -> ((release, "KEY@X.Y"), ...) newest first, for every "KEY@X.Y" variant in the
    tables (a usage text, an //@invalid message of a later release): pyip.release.pick()
    takes the newest one the run's release has."""
    out = {}
    for table in tables:
        for k in table:
            key, at, first = k.partition("@")
            if at:
                major, minor = first.split(".")
                out.setdefault(key, []).append(((int(major), int(minor)), k))
    return {k: tuple(sorted(v, reverse=True)) for k, v in out.items()}


def comments(text):
    """The //@usage texts, the //@doc lines keyed "RULE.NAME" (RULE: the rule above), and the
    //@invalid lines (ip's message for a bad value after that option; "\\n" is a newline)
    keyed the same way."""
    usage, docs, invalid = {}, {}, {}
    cur = rule = None
    for line in text.splitlines():
        m = re.match(r"([a-z_][a-z0-9_]*)\s*:", line)
        if m:
            rule = m.group(1)
        if line.startswith("//@usage "):
            # "//@usage NAME @since X.Y": NAME's text from release X.Y on (key "NAME@X.Y")
            cur = line.split(None, 1)[1].strip().replace(" @since ", "@")
            usage[cur] = []
            continue
        if cur is not None and line.startswith("//|"):
            body = line[3:]
            usage[cur].append(body[1:] if body.startswith(" ") else body)
            continue
        cur = None
        if line.startswith("//@doc ") and not line[7:8].isupper():    # TERMINAL docs: apart
            name, _, meaning = line[7:].partition(":")
            name = name.strip()         # "rule.alias" names another rule's alternative
            docs[name if "." in name else "%s.%s" % (rule, name)] = meaning.strip()
        if line.startswith("//@invalid "):
            name, _, message = line[11:].partition(":")
            name = name.strip()
            invalid[name if "." in name else "%s.%s" % (rule, name)] = \
                message.strip().replace("\\n", "\n")
    return {k: "\n".join(v) + "\n" for k, v in usage.items()}, docs, invalid


def terminal_docs(text):
    """//@doc NAME: text lines whose NAME is a TERMINAL (upper case): what the value is."""
    return {m.group(1): m.group(2).strip()
            for m in re.finditer(r"^//@doc ([A-Z][A-Z0-9_]*):(.*)$", text, re.M)}


def literals(text):
    """(rule, word) for each alternative that starts with a quoted keyword: compared in full.
    Lark gives such a literal the name of a P_ terminal with the same text, so whether a
    keyword was written "word" or P_WORD has to be read from the source."""
    found = set()
    rule = None
    for line in text.splitlines():
        m = re.match(r"([a-z_][a-z0-9_]*)\s*:\s*(.*)", line)
        if m:
            rule, body = m.group(1), m.group(2)
        elif rule and re.match(r"\s+\|", line):
            body = line.split("|", 1)[1]
        else:
            if not line.strip() or re.match(r"[A-Z_]+\s*:", line):
                rule = None
            continue
        m = re.match(r'\s*"([^"]*)"', body)
        if m:
            found.add((rule, m.group(1)))
    return found


def tables(parser, text):
    """Ordered keyword tables: rule -> ((word, by_prefix, meaning, value_terminals), ...)."""
    exact = literals(text)
    words = {}
    for t in parser.terminals:
        if t.pattern.type == "str":
            words[t.name] = t.pattern.value
    out = {}
    for r in parser.rules:
        origin = str(r.origin.name)
        exp = r.expansion
        if not exp or not exp[0].is_term or exp[0].name not in words:
            continue
        name = exp[0].name
        rest = tuple(str(s.name) for s in exp[1:])
        meaning = str(r.alias or origin)
        out.setdefault(origin, []).append(
            (words[name], name.startswith("P_") and (origin, words[name]) not in exact,
             meaning, rest))
    return {k: tuple(v) for k, v in out.items()}


def _literal(token):
    """The text of a "quoted" Lark literal, and whether it ignores case ("word"i)."""
    text = str(token)
    folded = text.endswith('"i')
    if folded:
        text = text[:-1]
    assert text.startswith('"') and text.endswith('"'), text
    return text[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape"), folded


class Ebnf:
    """The .lark files' own EBNF, read with Lark's meta-grammar (lark.load_grammar), turned
    into the nested tuples of pyip/_tables.py's RULES (see pyip/grammar.py)."""

    def __init__(self, text):
        from lark.load_grammar import _parse_grammar
        tree = _parse_grammar(text, "<grammar>")
        self.rules, self.terms = {}, {}
        self.folded = set()     # rules with "word"i keywords: compared ignoring case
        self.patterns = {}      # value terminals with a regex of their own
        self.current = None
        for d in tree.children:
            if d.data == "rule":
                self.rules[str(d.children[1])] = d.children[-1]
            elif d.data == "term":
                self.terms[str(d.children[0])] = d.children[-1]

    def terminal(self, name):
        """A terminal of literals is keywords (P_*: by prefix); any other is a value."""
        alts = self.terms[name].children
        words = []
        for alt in alts:
            items = alt.children
            if len(items) != 1 or items[0].data != "value" or \
                    items[0].children[0].data != "literal":
                return ("val", name)
            text = str(items[0].children[0].children[0])
            if not text.startswith('"'):
                regex = text[1:text.rindex("/")]
                if regex != "\\S+":
                    self.patterns[name] = regex
                return ("val", name)
            word, folded = _literal(text)
            if folded:
                self.folded.add(self.current)
            words.append(("kw", word, name.startswith("P_")))
        return words[0] if len(words) == 1 else ("alt",) + tuple(words)

    def expr(self, t):
        from lark.grammar import NonTerminal, Terminal
        if isinstance(t, NonTerminal):
            return ("rule", t.name)
        if isinstance(t, Terminal):
            return self.terminal(t.name)
        kind = t.data
        if kind == "expansions":
            alts = [self.expr(c) for c in t.children]
            return alts[0] if len(alts) == 1 else ("alt",) + tuple(alts)
        if kind == "alias":
            return ("as", t.children[1].name, self.expr(t.children[0]))
        if kind == "expansion":
            items = [self.expr(c) for c in t.children]
            return items[0] if len(items) == 1 else ("seq",) + tuple(items)
        if kind == "value":
            return self.expr(t.children[0])
        if kind == "literal":
            word, folded = _literal(t.children[0])
            if folded:
                self.folded.add(self.current)
            return ("kw", word, False)
        if kind == "maybe":
            return ("opt", self.expr(t.children[0]))
        if kind == "expr":
            op = str(t.children[1])
            return ({"?": "opt", "*": "star", "+": "plus"}[op], self.expr(t.children[0]))
        raise ValueError("grammar construct %r is not supported by pyip/grammar.py" % kind)

    def compiled(self):
        out = {}
        for name, body in self.rules.items():
            self.current = name
            out[name] = self.expr(body)
        return out

    def values(self, docs):
        """TERMINALS: every value terminal a rule uses, with its //@doc line."""
        used = set()

        def walk(e):
            if e[0] == "val":
                used.add(e[1])
            elif e[0] in ("seq", "alt"):
                for x in e[1:]:
                    walk(x)
            elif e[0] in ("opt", "star", "plus"):
                walk(e[1])
            elif e[0] == "as":
                walk(e[2])
        for e in self.compiled().values():
            walk(e)
        return {name: docs.get(name, "a word") for name in sorted(used)}


# Start-up: a command reads a few of the compiled tables and a few dozen of the rules, and
# unmarshalling them all (nested tuples, an object each) cost a fresh process ~0.6 ms for
# TABLES and as much for RULES, of a ~18 ms command (bench/startup.py, docs/speed.md).  So
# each table and each rule is kept marshalled, one bytes constant (one object to load), and
# unpacked when first asked for.  Version 0 of marshal: no references and no interning flags,
# so the bytes depend on the values alone (the same file from run to run), and every Python 3
# reads them.
LAZY = '''

class {cls}(dict):
    """key -> value, unmarshalled from PACKED_{name} when first asked for: [] only (get(),
    `in`, iteration and len() see only what was asked for); {whole}() is the whole dict."""

    def __missing__(self, key):
        value = self[key] = _loads(PACKED_{name}[key])
        return value


{lazy} = {cls}()


def {whole}():
    """{name} with every entry, in PACKED_{name}'s (sorted) order."""
    return {{key: {lazy}[key] for key in PACKED_{name}}}
'''


def packed(name, values, lazy, whole, chunk=64):
    """The source of PACKED_<name> (key -> its value marshalled, the value itself in the
    comment above it), of `lazy`, the dict that unpacks them, and of `whole`(), all of them."""
    import marshal
    src = ["# %s, marshalled: key -> its value (written out in the comment above it)" % name,
           "PACKED_%s = {" % name]
    for key in sorted(values):
        src += ["    # " + line for line in pprint.pformat(values[key], width=92).splitlines()]
        data = marshal.dumps(values[key], 0)
        pieces = [repr(data[k:k + chunk]) for k in range(0, len(data), chunk)]
        src.append("    %r: %s%s" % (key, "(" if len(pieces) > 1 else "", pieces[0]))
        src += ["        " + p for p in pieces[1:]]
        src[-1] += ")," if len(pieces) > 1 else ","
    src.append("}")
    src += LAZY.format(cls="_Packed" + name.title(), name=name, lazy=lazy,
                       whole=whole).split("\n")
    return src


def render():
    """pyip/_tables.py: what commands read (RULES and the rest of the whole-command grammar
    are in pyip/_rules.py, which a command never loads, and DOCS in pyip/_docs.py; _tables
    hands them on)."""
    text = grammar_text()
    parser = load_lark(text)
    usage, docs, invalid = comments(text)
    src = [
        "# Generated by grammar/compile.py from grammar/*.lark: do not edit, run it again.",
        "# TABLES: rule -> ((keyword, matched by prefix, meaning, value words after it), ...)",
        "# in the order ip tries them (below: each table unpacked when first asked for).",
        "from marshal import loads as _loads",
        "",
        "USAGE = " + pprint.pformat(usage, width=100, sort_dicts=True),
        "# INVALID: ip's message for a bad value after an option (rule.alias), as invarg() says it",
        "INVALID = " + pprint.pformat(invalid, width=100, sort_dicts=True),
        "# NEWER: the USAGE and INVALID keys with a later release's variant (KEY@X.Y), newest",
        "# first: pyip.release.pick() chooses by the run's release",
        "NEWER = " + pprint.pformat(newer(usage, invalid), width=100, sort_dicts=True),
        "",
        "",
        "def __getattr__(name):",
        "    # RULES, TERMINALS, PATTERNS, FOLDED, SINCE, UNTIL, GATED: from pyip/_rules.py,",
        "    # and DOCS from pyip/_docs.py, loaded when first asked for (by pyip/grammar.py,",
        "    # explain, completion, the tests), never by a command",
        "    if name in (\"RULES\", \"TERMINALS\", \"PATTERNS\", \"FOLDED\", \"SINCE\",",
        "                \"UNTIL\", \"GATED\"):",
        "        from pyip import _rules",
        "        return getattr(_rules, name)",
        "    if name == \"DOCS\":",
        "        from pyip._docs import DOCS",
        "        return DOCS",
        "    raise AttributeError(\"module %r has no attribute %r\" % (__name__, name))",
        "",
        "",
    ] + packed("TABLES", tables(parser, text), "TABLES", "all_tables")
    return "\n".join(src)


def render_docs():
    """pyip/_docs.py: the //@doc texts (explain, completion), which no command reads."""
    text = grammar_text()
    _, docs, _ = comments(text)
    return "\n".join([
        "# Generated by grammar/compile.py from grammar/*.lark: do not edit, run it again.",
        "# DOCS: \"rule.alias\" -> what the word means (its //@doc line).",
        "DOCS = " + pprint.pformat(docs, width=100, sort_dicts=True),
        "# KERNEL: \"rule.alias\" -> the first kernel (major, minor) that takes what the",
        "# alternative sends (`kernel X.Y` after its //@since, or //@kernel X.Y)",
        "KERNEL = " + pprint.pformat(kernels(text), width=100, sort_dicts=True),
        "",
    ])


def render_rules():
    """pyip/_rules.py: the grammar of whole commands, for pyip/grammar.py."""
    text = grammar_text()
    ebnf = Ebnf(text)
    src = [
        "# Generated by grammar/compile.py from grammar/*.lark: do not edit, run it again.",
        "# RULES: rule -> expression, read by pyip/grammar.py: (\"seq\", e...), (\"alt\", e...)",
        "# tried in order, (\"opt\", e), (\"star\", e), (\"plus\", e), (\"kw\", word, by_prefix),",
        "# (\"val\", TERMINAL), (\"rule\", name), (\"as\", alias, e).  RULES is the whole",
        "# grammar, unpacked when first asked for; a command's walk unpacks only the rules it",
        "# reaches (RULE, below).",
        "from marshal import loads as _loads",
        "",
        "TERMINALS = " + pprint.pformat(ebnf.values(terminal_docs(text)), width=100,
                                        sort_dicts=True),
        "# PATTERNS: the value terminals that take only words their regex matches in full;",
        "# FOLDED: the rules whose keywords are compared ignoring case (strcasecmp).",
        "PATTERNS = " + pprint.pformat(ebnf.patterns, width=100, sort_dicts=True),
        "FOLDED = " + pprint.pformat(sorted(ebnf.folded), width=100),
        "# SINCE: RULE.ALIAS -> the first iproute2 release (major, minor) with that alternative",
        "# (//@since); for an older release the walk reads the rule without it",
        "SINCE = " + pprint.pformat(since(text), width=100, sort_dicts=True),
        "# GATED: the rules a gated alternative can be reached from (the walk asks the run's",
        "# release only for those)",
        "# UNTIL: RULE.ALIAS -> the first release without that alternative (//@until); for it",
        "# and later ones the walk reads the rule without it",
        "UNTIL = " + pprint.pformat(until(text), width=100, sort_dicts=True),
        "GATED = frozenset(" + pprint.pformat(gated(ebnf.compiled(),
                                                    dict(since(text), **until(text))),
                                              width=100)
        + ")",
        "",
        "",
        "def __getattr__(name):",
        "    # RULES: every rule unpacked, for what reads the whole grammar (completion,",
        "    # explain, a -batch's keyword set, the tests); a command's walk asks RULE",
        "    if name == \"RULES\":",
        "        whole = globals()[\"RULES\"] = all_rules()",
        "        return whole",
        "    raise AttributeError(\"module %r has no attribute %r\" % (__name__, name))",
        "",
        "",
    ] + packed("RULES", ebnf.compiled(), "RULE", "all_rules")
    return "\n".join(src)


def parse_words(argv):
    """--parse: pyip/grammar.py over the compiled tables (the runtime's own parser)."""
    sys.path.insert(0, os.path.join(HERE, os.pardir))
    from pyip.grammar import GrammarError, parse
    if argv[:1] == ["-"]:
        from pyip.batch import makeargs
        bad = 0
        for line in sys.stdin:
            try:
                parse(makeargs(line))
                sys.stdout.write("ok\n")
            except GrammarError as e:
                bad = 1
                sys.stdout.write("error: %s\n" % e)
        return bad
    if argv[:1] == ["--"]:
        argv = argv[1:]
    try:
        tree = parse(argv)
    except GrammarError as e:
        sys.stdout.write("error: %s\n" % e)
        return 1
    sys.stdout.write(tree.pretty() + "\n")
    return 0


def main(argv):
    if argv[:1] == ["--parse"]:
        return parse_words(argv[1:])
    outputs = ((OUT, render()), (RULES_OUT, render_rules()), (DOCS_OUT, render_docs()))
    if "--check" in argv:
        for path, new in outputs:
            old = open(path).read() if os.path.exists(path) else ""
            if old != new:
                sys.stderr.write("pyip/%s is out of date: run python grammar/compile.py\n"
                                 % os.path.basename(path))
                return 1
        return 0
    for path, new in outputs:
        with open(path, "w") as f:
            f.write(new)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
