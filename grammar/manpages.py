"""Generate man/*.8 from the compiled grammar (pyip/_tables.py) and the prose in man/src/.

What the grammar knows is generated: the SYNOPSIS (ip's usage texts, `//@usage`), and one
entry per keyword with its shortest abbreviation (ip's matches() in ip's order), the value
words it takes and its meaning (`//@doc`).  What it does not know (how things relate,
examples, exit status, differences from ip) is roff in man/src/PAGE/NN-name.roff, merged in
by NN: the generated SYNOPSIS is section 10 and the keyword sections 30, so a fragment
numbered 20 comes between them.  A new page is a new directory man/src/PAGE/ with a file
NAME (the whatis line); a new section of a page is a new fragment (e.g. the JSON or explain
section of pyip(8): man/src/pyip/45-json.roff).

    python grammar/manpages.py           write man/*.8
    python grammar/manpages.py --check   exit 1 if a page is out of date
"""
import os
import ast
import re
import sys
import textwrap

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MAN = os.path.join(ROOT, "man")
SRC = os.path.join(MAN, "src")
DATE = "2026-12-01"

# Which usage texts make a page's SYNOPSIS, and which rules' keywords it lists (title, rule).
# Rules with keywords that no page names are added to the page of their .lark file, so a
# new rule is never left out.
PAGES = {
    "pyip": {
        "usage": ["ip"],
        "lark": "ip.lark",
        "sections": [("GLOBAL OPTIONS", "option"), ("FAMILY", "family_name"),
                     ("OBJECTS", "object"), ("ADDRESSES (words for any address)",
                                             "address_word")],
    },
    "pyip-xfrm": {
        "usage": ["xfrm", "xfrm_state", "xfrm_policy", "xfrm_monitor", "xfrm_check"],
        "lark": "xfrm.lark",
        "sections": [
            ("XFRM OBJECTS", "xfrm"),
            ("STATE COMMANDS", "xfrm_state"),
            ("ID", "id_word"),
            ("XFRM-PROTO", "xfrm_proto"),
            ("STATE OPTIONS (add, update)", "state_add_word"),
            ("ALGO", "algo"),
            ("MODE", "mode"),
            ("FLAG (state)", "state_flag"),
            ("EXTRA-FLAG", "state_extra_flag"),
            ("ENCAP", "encap_type"),
            ("OFFLOAD DIR", "offload_dir"),
            ("LIMIT", "limit"),
            ("STATE OPTIONS (allocspi)", "state_allocspi_word"),
            ("STATE OPTIONS (get, delete)", "state_get_word"),
            ("STATE FILTERS (list, deleteall)", "state_list_word"),
            ("STATE FLUSH", "state_flush_word"),
            ("POLICY COMMANDS", "xfrm_policy"),
            ("SELECTOR", "selector_word"),
            ("SELECTOR dev", "selector_dev"),
            ("UPSPEC", "upspec_word"),
            ("UPSPEC proto", "upspec_proto"),
            ("POLICY OPTIONS (add, update)", "policy_add_word"),
            ("TMPL", "tmpl_word"),
            ("LEVEL", "tmpl_level"),
            ("POLICY OPTIONS (get, delete)", "policy_get_word"),
            ("POLICY FILTERS (list, deleteall)", "policy_list_word"),
            ("DIR (policy)", "policy_dir"),
            ("PTYPE", "policy_ptype"),
            ("ACTION", "policy_action"),
            ("FLAG (policy)", "policy_flag"),
            ("POLICY FLUSH", "policy_flush_word"),
            ("POLICY SET", "policy_set_word"),
            ("SETDEFAULT DIR", "policy_default_dir"),
            ("SETDEFAULT ACTION", "policy_default_action"),
            ("MONITOR", "monitor_word"),
        ],
    },
    "pyip-link": {
        "usage": ["link", "link_xfrm", "link_vti", "link_vti6", "link_veth"],
        "lark": "link.lark",
        "sections": [
            ("LINK COMMANDS", "link"),
            ("DEVICE OPTIONS (add, set, change, replace, delete)", "link_word"),
            ("DEVICE", "link_dev"),
            ("ON-OFF", "on_off"),
            ("ON-OFF (parse_on_off: whole words; a prefix up to ip 6.7)", "on_off_prefix"),
            ("ON-OR-OFF (protodown_reason: a prefix, on first)", "on_or_off"),
            ("MODE (link)", "link_mode"),
            ("STATE (operational)", "operstate"),
            ("ADDRGENMODE", "addrgenmode"),
            ("XDP", "xdp"),
            ("VF", "vf_word"),
            ("TYPE (kinds with options)", "link_type"),
            ("TYPE (kinds without options)", "no_option_kind"),
            ("TYPE (other kinds)", "ip_kind"),
            ("PEER (veth)", "veth_peer"),
            ("TYPE xfrm", "xfrm_link_word"),
            ("TYPE vti, vti6", "vti_link_word"),
            ("SHOW FILTERS", "link_show_word"),
            ("ADDRESS FLAGS (accepted by show, no effect on links)", "addr_flag"),
            ("PROPERTY", "link_property_op"),
            ("PROPERTY OPTIONS", "link_property_word"),
            ("HELP TYPE", "link_help"),
        ],
    },
}


def load_tables(paths=("_tables.py", "_rules.py", "_docs.py")):
    """The checkout's compiled grammar (not the installed one: this runs at build time):
    the keyword tables, usage texts and docs, and the whole-command rules beside them."""
    names = {}
    for name in paths:
        path = os.path.join(ROOT, "pyip", name)
        if os.path.exists(path):
            with open(path) as f:
                exec(compile(f.read(), path, "exec"), names)
            if "all_rules" in names and "RULES" not in names:
                names["RULES"] = names["all_rules"]()   # (the module's RULES is unpacked lazily)
    if names.get("UNTIL") and "RULES" in names:
        # the pages show the words of today's ip: an alternative a release dropped
        # (//@until, e.g. 6.7's on/off prefixes) is left out, not listed twice
        names["RULES"] = {name: _today(name, e, names["UNTIL"])
                          for name, e in names["RULES"].items()}
    return names


def _today(name, e, until):
    if e[0] != "alt":
        return e
    return ("alt",) + tuple(x for x in e[1:] if not (
        x[0] == "as" and "%s.%s" % (name, x[1]) in until))


def lark_rules():
    """rule -> the .lark file that defines it, in the order the files define them."""
    found = {}
    for name in sorted(os.listdir(HERE)):
        if name.endswith(".lark"):
            with open(os.path.join(HERE, name)) as f:
                for m in re.finditer(r"^([a-z_][a-z0-9_]*)\s*:", f.read(), re.M):
                    found.setdefault(m.group(1), name)
    return found


def esc(text):
    """Plain text as roff: backslashes, ASCII minus signs, no control character at a line's
    start."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    text = "".join(c if ord(c) < 128 else "\\[u%04X]" % ord(c) for c in text)
    return re.sub(r"^([.'])", r"\\&\1", text, flags=re.M)


def alternatives(expr):
    """A rule's alternatives as (first keyword, by prefix, alias, the expressions after
    it); an alternative that starts with a rule (tmpl's ID words) has keyword None."""
    alts = expr[1:] if expr[0] == "alt" else (expr,)
    out = []
    for alt in alts:
        alias = None
        if alt[0] == "as":
            alias, alt = alt[1], alt[2]
        items = list(alt[1:]) if alt[0] == "seq" else [alt]
        if not items:
            continue
        head = items[0]
        if head[0] in ("kw", "kwi"):
            out.append((head[1], head[2], alias or head[1], items[1:]))
        else:
            out.append((None, False, alias, items))
    return out


def shortest(alts, i):
    """The shortest abbreviation that ip's first-match order (matches()) takes to
    alternative i; keywords spelled in full, and synonyms a shorter word reaches first,
    have none."""
    word, by_prefix = alts[i][0], alts[i][1]
    if not by_prefix:
        return word
    # "-" alone is -loops to ip, but nobody types an option so: options show a letter
    for k in range(2 if word.startswith("-") else 1, len(word) + 1):
        p = word[:k]
        for j, (w, bp) in enumerate((a[0], a[1]) for a in alts):
            if w is not None and ((bp and w.startswith(p)) or w == p):
                if j == i:
                    return p
                break
    return word


# What a rule that dispatches to commands is called where its keyword is listed, and the
# rules that stand for "the command's own words" (described in their own sections).
DISPATCH = {"xfrm": "XFRM-OBJECT", "xfrm_state": "COMMAND", "xfrm_policy": "COMMAND",
            "link": "COMMAND"}
SILENT = {"args"}


def bold(word):
    return "\\fB%s\\fR" % esc(word)


def italic(word):
    return "\\fI%s\\fR" % esc(word)


def rule_name(rule):
    """A rule as the man page's upper-case nonterminal (state_add_word: STATE-ADD-WORD)."""
    return rule.upper().replace("_", "-")


def choices(rule, rules):
    """The keywords of a rule of a few bare keywords (shown inline where it is used), or
    None (a long list gets its own section instead)."""
    alts = alternatives(rules[rule]) if rule in rules else []
    if alts and all(w is not None and not rest for w, _, _, rest in alts):
        words = [w for w, _, _, _ in alts]
        if len(" | ".join(words)) <= 48:
            return words
    return None


def expr_text(e, rules, inlining=()):
    """An expression of the grammar as man page syntax: keywords bold, values italic,
    [ optional ], { choices }, repetitions with ...; a rule of bare keywords is inlined
    as its choices, any other rule named in upper case."""
    op = e[0]
    if op in ("kw", "kwi"):      # kwi: compared without regard to case (strcasecmp)
        return bold(e[1])
    if op == "val":
        return italic(e[1])
    if op == "as":
        return expr_text(e[2], rules, inlining)
    if op == "seq":
        return " ".join(filter(None, (expr_text(x, rules, inlining) for x in e[1:])))
    if op == "opt":
        return "[ %s ]" % expr_text(e[1], rules, inlining)
    if op == "star":
        return "[ %s .\\|.\\|. ]" % expr_text(e[1], rules, inlining)
    if op == "plus":
        return "%s .\\|.\\|." % expr_text(e[1], rules, inlining)
    if op == "alt":
        return "{ %s }" % " | ".join(expr_text(x, rules, inlining) for x in e[1:])
    if op == "rule":
        name = e[1]
        if name in SILENT:
            return ""
        if name in DISPATCH:
            return italic(DISPATCH[name])
        if name.startswith("_") and name in rules and name not in inlining:
            # Lark inlines _rules: so do we (once: they may recur)
            return expr_text(rules[name], rules, inlining + (name,))
        if choices(name, rules):
            return "{ %s }" % " | ".join(bold(w) for w in choices(name, rules))
        return italic(rule_name(name))
    raise ValueError("unknown grammar expression %r" % (e,))


def gate_note(names):
    """key ("rule.alias") -> the gates' note for the tag ("ip 6.11 and later; kernel 6.10 and
    later") or None: pyip/gates.py's words, from the checkout's tables."""
    sys.path.insert(0, ROOT)
    try:
        from pyip.gates import man_note
    finally:
        sys.path.remove(ROOT)
    since, until, kernel = (names.get(t) or {} for t in ("SINCE", "UNTIL", "KERNEL"))
    return lambda key: man_note(key, since, until, kernel)


def keyword_entries(rule, rules, docs, note=lambda key: None):
    """One .TP entry per meaning of the rule, its keywords in ip's order; a word only some
    ip releases (or kernels) take says which in its tag."""
    alts = alternatives(rules[rule])
    words = {a[0] for a in alts}
    groups = {}
    for i, (word, by_prefix, alias, rest) in enumerate(alts):
        if word and word.startswith("--") and word[1:] in words:
            continue        # "--stats" is "-stats": said once, in the description
        if word is None:
            head = expr_text(("seq",) + tuple(rest), rules)
            if not head:
                continue        # "any other words": the section's text says so
        else:
            short = shortest(alts, i)
            head = bold(short) + ("[%s]" % bold(word[len(short):]) if short != word else "")
        groups.setdefault(alias or head, []).append(
            (head, "" if word is None else expr_text(("seq",) + tuple(rest), rules)))
    out = []
    for alias, entries in groups.items():
        rests = {r for _, r in entries}
        if len(rests) == 1:
            tag = ", ".join(h for h, _ in entries) + (" " + entries[0][1] if entries[0][1]
                                                         else "")
        else:
            tag = ", ".join((h + " " + r).strip() for h, r in entries)
        gated = note("%s.%s" % (rule, alias))
        out += [".TP", tag + (" (%s)" % esc(gated) if gated else "")]
        doc = docs.get("%s.%s" % (rule, alias))
        if doc:
            out.append(esc(doc[0].upper() + doc[1:] + ("" if doc.endswith(".") else ".")))
        elif alias and not alias.startswith("\\"):
            out.append("(%s)" % italic(alias))
        else:
            out.append("Any of the words listed under %s." % entries[0][0])
    return out


def synopsis(page, usage, newer=None):
    """ip's usage texts, as the newest release pyip follows prints them (the KEYWORDS say
    from which release each newer word is read)."""
    lines = [".SH SYNOPSIS", ".nf"]
    for name in PAGES[page]["usage"]:
        variants = (newer or {}).get(name)
        text = usage.get(variants[0][1] if variants else name)
        if not text:
            continue
        for line in text.rstrip("\n").split("\n"):
            # each command at the margin ("Usage: ip ...", "       ip ..."), pyip for ip;
            # the lines between keep ip's alignment
            line = re.sub(r"^Usage: ", "", line)
            if re.match(r"\s*ip ", line):
                line = "py" + line.lstrip()
            lines.append(esc(line.replace("\t", "        ")) if line.strip() else ".sp")
        lines.append(".sp")
    lines[-1:] = [".fi"]
    return lines


def inlined(rule, rules, docs):
    """A rule of bare keywords none of which has a //@doc: its choices are shown where it
    is used, and a section of it would say nothing more."""
    return bool(choices(rule, rules)) and not any(
        "%s.%s" % (rule, a) in docs for _, _, a, _ in alternatives(rules[rule]))


def newest():
    """The newest iproute2 release pyip follows (pyip/release.py), as "7.3"."""
    sys.path.insert(0, ROOT)
    try:
        from pyip.release import NEWEST, name
    finally:
        sys.path.remove(ROOT)
    return name(NEWEST)


def keyword_sections(page, rules, docs, note=lambda key: None):
    spec = PAGES[page]
    named = [rule for _, rule in spec["sections"]]
    placed = {r for p in PAGES.values() for _, r in p["sections"]}
    lark = lark_rules()
    extra = [(rule_name(rule), rule) for rule in lark
             if lark[rule] == spec["lark"] and rule in rules and rule not in placed
             and not rule.startswith("_")
             and any(w for w, _, _, _ in alternatives(rules[rule]))]
    out = [".SH KEYWORDS",
           "Generated from the grammar.  A keyword shown as \\fBab\\fR[\\fBcd\\fR] may be "
           "abbreviated down to \\fBab\\fR, as \\fBip\\fR's matches() allows (tried in the "
           "order listed); the others must be spelled in full.  A word that only some "
           "\\fBip\\fR releases read says from which release on (pyip follows the release "
           "it runs as: see \\fBpyip\\fR(8)), and which kernel takes what it sends, where an "
           "older one refuses it; the SYNOPSIS is the usage text of the newest release pyip "
           "follows (\\fBip\\fR %s)." % newest()]
    for title, rule in spec["sections"] + extra:
        if rule in rules and not inlined(rule, rules, docs):
            name = rule_name(rule)
            out.append(".SS " + esc(title if name in title else "%s (%s)" % (title, name)))
            out.extend(keyword_entries(rule, rules, docs, note))
    return out


def syntax_section(page, rules):
    """The rules of the page's grammar that are not keyword tables, as NAME := syntax: what
    the upper-case names of KEYWORDS stand for."""
    lark = lark_rules()
    out = [".SH SYNTAX", "Generated from the grammar: what the upper\\-case names above "
           "stand for (\\fIX\\fR .\\|.\\|. is one or more, [ ] optional, { | } one of)."]
    for rule in lark:
        if lark[rule] != PAGES[page]["lark"] or rule not in rules or rule.startswith("_") \
                or rule in SILENT or rule in ("start", "end"):
            continue
        if any(w is not None for w, _, _, _ in alternatives(rules[rule])):
            continue
        out += [".TP", italic(rule_name(rule)), expr_text(rules[rule], rules) or "(nothing)"]
    return out if len(out) > 2 else []


def values_section(terminals):
    out = [".SH VALUE WORDS", "What the upper-case words of the SYNOPSIS and KEYWORDS are."]
    for name in sorted(terminals):
        out += [".TP", "\\fI%s\\fR" % esc(name), esc(terminals[name])]
    return out


def readme_section(heading):
    """The text under a README.md heading (## or ###) up to the next heading of its level
    or above, or None."""
    with open(os.path.join(ROOT, "README.md")) as f:
        text = f.read()
    m = re.search(r"^(#+) %s\n" % re.escape(heading), text, re.M)
    if not m:
        return None
    rest = text[m.end():]
    end = re.search(r"^#{1,%d} " % len(m.group(1)), rest, re.M)
    return rest[:end.start()] if end else rest


def inline(text):
    text = esc(text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"\\fB\1\\fR", text)
    return re.sub(r"`([^`]*)`", r"\\fB\1\\fR", text)


def markdown(text):
    """README Markdown as roff: paragraphs, "- " bullets, ``` blocks, ### headings, `code`
    and **bold**; the README stays the one place such text is written."""
    out, para, fence = [], [], False

    def flush():
        if para:
            item = " ".join(para)
            if item.startswith("- "):
                out.extend([".IP \\(bu 2", inline(item[2:])])
            else:
                out.extend([".PP", inline(item)])
            del para[:]
    for line in text.strip("\n").split("\n"):
        if line.startswith("```"):
            flush()
            out.append(".EE" if fence else ".EX")
            fence = not fence
        elif fence:
            out.append(esc(line) if line.strip() else "")
        elif line.startswith("#"):
            flush()
            out.append(".SS " + inline(line.lstrip("#").strip()))
        elif not line.strip():
            flush()
        elif line.startswith("- "):
            flush()
            para.append(line.strip())
        else:
            para.append(line.strip())
    flush()
    return [l for l in out if l != ""] if not fence else out


def readme_fragment(path):
    """A man/src fragment NN-name.readme: "TITLE: section title" and "README: heading"
    lines; the README's text under the heading becomes the section (left out while the
    README has no such heading)."""
    with open(path) as f:
        fields = dict(l.split(": ", 1) for l in f.read().strip().split("\n"))
    text = readme_section(fields["README"])
    if text is None:
        return None
    body = markdown(text)
    return [".SH " + esc(fields["TITLE"])] + (body[1:] if body[:1] == [".PP"] else body)


def help_text(page):
    """A page of one of pyip's own commands (explain, check) is made from that command's
    help text: man/src/PAGE/HELP says where it is ("module: pyip/explain/__init__.py" and
    "name: HELP"), read without importing anything.  None while the module is absent."""
    path = os.path.join(SRC, page, "HELP")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        fields = dict(l.split(": ", 1) for l in f.read().strip().split("\n"))
    module = os.path.join(ROOT, fields["module"])
    if not os.path.exists(module):
        return None
    with open(module) as f:
        tree = ast.parse(f.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == fields["name"]
                                                for t in node.targets):
            return ast.literal_eval(node.value)
    return None


def help_sections(text):
    """A command's help text as SYNOPSIS (its Usage: lines), DESCRIPTION (its prose) and
    EXAMPLES (what follows "Examples:")."""
    head, _, rest = text.partition("\n\n")
    body, _, examples = rest.partition("Examples:\n")
    forms = []       # (command, what it does): "cmd    text" lines, text continued below
    for line in head.split("\n"):
        line = re.sub(r"^(\s*)Usage: ", r"\1", line)
        if line.strip().startswith("pyip"):
            cmd, _, what = line.strip().partition("  ")
            forms.append([cmd, what.strip()])
        elif forms:
            forms[-1][1] += " " + line.strip()
    synopsis = [".SH SYNOPSIS", ".nf"] + [esc(c) for c, _ in forms] + [".fi"]
    description = [".SH DESCRIPTION"]
    for cmd, what in forms:
        description += [".TP", "\\fB%s\\fR" % esc(cmd), esc(what[:1].upper() + what[1:] + ".")]
    for para in body.strip().split("\n\n"):
        description += [".PP", esc(" ".join(para.split()))]
    out = [(10, synopsis), (20, description)]
    if examples.strip():
        lines = [esc(l[2:] if l.startswith("  ") else l) for l in examples.rstrip().split("\n")]
        out.append((50, [".SH EXAMPLES", ".EX"] + lines + [".EE"]))
    return out


def table_fragment(path):
    """A man/src fragment NN-name.table: "TITLE: ...", "FUNCTION: module:function" (in the
    checkout's pyip, returning rows) and "COLUMNS: a, b, c, ..." name a table that code
    keeps (such as h-check's rules): one entry a row, the first column bold, the second
    beside it, the third the text, the others labelled paragraphs.  Left out while the
    module is absent."""
    with open(path) as f:
        fields = dict(l.split(": ", 1) for l in f.read().strip().split("\n"))
    module, _, function = fields["FUNCTION"].partition(":")
    if not os.path.exists(os.path.join(ROOT, *module.split(".")) + ".py"):
        return None
    sys.path.insert(0, ROOT)
    try:
        rows = getattr(__import__(module, fromlist=[function]), function)()
    finally:
        sys.path.remove(ROOT)
    labels = [c.strip() for c in fields["COLUMNS"].split(",")]
    out = [".SH " + esc(fields["TITLE"])]
    for row in rows:
        out += [".TP", "\\fB%s\\fR (%s)" % (esc(str(row[0])), esc(str(row[1]))),
                esc(str(row[2]))]
        for label, value in zip(labels[3:], row[3:]):
            if value:
                out += [".br", "\\fI%s:\\fR %s" % (esc(label), esc(str(value)))]
    return out


def claims_in(lines):
    """A roff line `.\\" claim ID [FIELD=VALUE ...]` becomes the sentence of claim ID in
    the checkout's pyip/claims.py (its fields filled), so that the man pages say what
    explain and check say, in the same words."""
    out = []
    for line in lines:
        m = re.match(r'^\.\\" claim (\S+)((?: \S+=\S+)*)$', line)
        if not m:
            out.append(line)
            continue
        sys.path.insert(0, ROOT)
        try:
            from pyip.claims import claim
        finally:
            sys.path.remove(ROOT)
        values = dict(w.split("=", 1) for w in m.group(2).split())
        out.append(esc(claim(m.group(1), **values)))
    return out


def fragments(page):
    d = os.path.join(SRC, page)
    found = []
    for name in sorted(os.listdir(d)):
        m = re.match(r"(\d+)-.*\.(roff|readme|table)$", name)
        if m and m.group(2) == "roff":
            with open(os.path.join(d, name)) as f:
                found.append((int(m.group(1)), claims_in(f.read().rstrip("\n").split("\n"))))
        elif m:
            read = readme_fragment if m.group(2) == "readme" else table_fragment
            lines = read(os.path.join(d, name))
            if lines:
                found.append((int(m.group(1)), lines))
    return found


def see_also(page, all_pages):
    """The other pyip pages, then ip's."""
    refs = [p for p in all_pages if p != page] + ["ip", "ip-xfrm", "ip-link"]
    lines = [".SH SEE ALSO"]
    for i, ref in enumerate(refs):
        lines.append(".BR %s (8)%s" % (esc(ref), "," if i < len(refs) - 1 else ""))
    return lines


def render(page, names):
    rules, usage, docs = names["RULES"], names["USAGE"], names["DOCS"]
    with open(os.path.join(SRC, page, "NAME")) as f:
        whatis = f.read().strip()
    parts = fragments(page)
    helped = help_text(page)
    if helped:
        parts += help_sections(helped)
    if page in PAGES:
        parts.append((10, synopsis(page, usage, names.get("NEWER"))))
        parts.append((30, keyword_sections(page, rules, docs, gate_note(names))))
        parts.append((32, syntax_section(page, rules)))
        if page == "pyip" and names.get("TERMINALS"):
            parts.append((31, values_section(names["TERMINALS"])))
    parts.append((90, see_also(page, names["PAGES"])))
    parts.sort(key=lambda p: p[0])
    head = ['.\\" Generated by grammar/manpages.py from the grammar and man/src/%s/: '
            'do not edit, run it again.' % page,
            '.TH %s 8 %s "pyip %s" "System Administration"'
            % (page.upper(), DATE, names.get("VERSION", "")),
            ".SH NAME", whatis]
    body = [line for _, lines in parts for line in lines]
    return "\n".join(wrap(head + body)) + "\n"


def wrap(lines, width=80):
    """Text lines (not requests, not inside .nf or .EX) broken at blanks to at most width
    bytes, as man page linters want; roff fills them again."""
    out, fill, tag = [], True, False
    for line in lines:
        if tag:       # the line after .TP is its tag: one line
            out.append(line)
            tag = False
        elif line.startswith("."):
            tag = line.startswith(".TP")
            fill = {".nf": False, ".EX": False, ".fi": True, ".EE": True}.get(line[:3], fill)
            out.append(line)
        elif fill and len(line.encode()) > width:
            out.extend(re.sub(r"^([.'])", r"\\&\1", piece) for piece in
                       textwrap.wrap(line, width - 2, break_long_words=False,
                                     break_on_hyphens=False))
        else:
            out.append(line)
    return out


def version():
    with open(os.path.join(ROOT, "pyip", "version.py")) as f:
        return re.search(r'__version__ = "([^"]+)"', f.read()).group(1)


def pages():
    """page name -> its text."""
    names = load_tables()
    names["VERSION"] = version()
    names["PAGES"] = [page for page in sorted(os.listdir(SRC))
                      if os.path.isfile(os.path.join(SRC, page, "NAME"))
                      and (not os.path.exists(os.path.join(SRC, page, "HELP"))
                           or help_text(page))]
    return {page: render(page, names) for page in names["PAGES"]}


def main(argv):
    stale = []
    for page, text in pages().items():
        path = os.path.join(MAN, page + ".8")
        old = open(path).read() if os.path.exists(path) else ""
        if old != text:
            stale.append(path)
            if "--check" not in argv:
                with open(path, "w") as f:
                    f.write(text)
    if stale and "--check" in argv:
        sys.stderr.write("out of date: %s: run python grammar/manpages.py\n" % " ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
