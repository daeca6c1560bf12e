"""grammar/ is the single source of the syntax: it loads in Lark, and the tables pyip runs
with are exactly what grammar/compile.py generates from it."""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "grammar"))
import compile as grammar_compile  # noqa: E402


def test_grammar_loads_in_lark():
    parser = grammar_compile.load_lark()
    assert parser.parse("xfrm policy count", start="start")


def test_tables_are_generated_from_the_grammar():
    import pyip._tables
    with open(pyip._tables.__file__) as f:
        assert f.read() == grammar_compile.render()


def test_rules_are_generated_from_the_grammar():
    import pyip._rules
    with open(pyip._rules.__file__) as f:
        assert f.read() == grammar_compile.render_rules()


def test_docs_are_generated_from_the_grammar():
    import pyip._docs
    with open(pyip._docs.__file__) as f:
        assert f.read() == grammar_compile.render_docs()


def test_a_command_unpacks_only_the_rules_and_tables_it_reads():
    # start-up: the compiled rules and keyword tables are unpacked per entry when first
    # asked for (docs/speed.md), and the //@doc texts are not loaded at all
    import subprocess
    code = ("import sys; from pyip.main import main; "
            "main(['-s', 'xfrm', 'state', 'get', 'src', '1.1.1.1', 'dst', '2.2.2.2', "
            "'proto', 'esp']); from pyip import _rules, _tables; "
            "sys.stdout.write('%d %d %d %d %s' % (len(_rules.RULE), len(_rules.PACKED_RULES), "
            "len(_tables.TABLES), len(_tables.PACKED_TABLES), 'pyip._docs' in sys.modules))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    rule, rules, table, tables, docs = p.stdout.split()
    assert 0 < int(rule) < int(rules) / 2 and 0 < int(table) < int(tables) / 4, p.stdout
    assert docs == "False"


def test_a_command_never_loads_lark():
    # The compiled rules (pyip._rules) and their walker (pyip.grammar) are the parser of
    # the commands that read their words through it (xfrm state add/update); Lark, which
    # compiles them, never runs a command.
    import subprocess
    code = ("import sys; from pyip.main import main; main(['xfrm', 'state', 'help']); "
            "main(['link', 'help', 'veth']); main(['xfrm', 'state', 'add', 'src', '1.2.3.4']); "
            "sys.stdout.write('loaded: ' + ' '.join("
            "m for m in sys.modules if m == 'lark' or m.startswith('lark.')))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert p.stdout.endswith("\nloaded: "), p.stdout + p.stderr
    assert "Usage: ip xfrm state" in p.stderr


def test_every_dispatch_rule_has_a_usage_text():
    from pyip._tables import USAGE
    for rule in ("ip", "xfrm", "xfrm_state", "xfrm_policy", "xfrm_monitor", "link"):
        assert USAGE[rule].startswith("Usage: ")


def test_a_quoted_keyword_is_compared_in_full_even_where_a_prefix_terminal_has_its_text():
    # ip: strcmp(*argv, "if_id") in state add, but matches(*argv, "if_id") in link xfrm
    from pyip.words import lookup
    assert lookup("state_add_word", "if_i") is None
    assert lookup("state_add_word", "if_id") == "if_id"
    assert lookup("xfrm_link_word", "if_i") == "if_id"
    assert lookup("selector_word", "de") is None
    assert lookup("link_word", "netn") is None


# ---- the compiled grammar at run time (pyip/grammar.py over RULES) -------------------------

def test_rules_are_the_lark_files_own_ebnf_not_larks_internal_names():
    from pyip._tables import RULES
    text = repr(RULES)
    assert "__" not in text and "_plus_" not in text
    assert RULES["xfrm"][0] == "alt"
    assert ("as", "state", ("seq", ("kw", "state", True), ("opt", ("rule", "xfrm_state")))) \
        in RULES["xfrm"]
    assert RULES["id"] == ("plus", ("rule", "id_word"))


def test_every_value_terminal_a_rule_uses_is_described():
    from pyip._tables import RULES, TERMINALS
    assert "ADDR" in TERMINALS and "NUMBER" in TERMINALS
    assert all(isinstance(v, str) and v for v in TERMINALS.values())
    assert "ADDR" in repr(RULES)


def test_parse_takes_ips_prefixes_and_names_each_alternative():
    from pyip.grammar import parse
    tree = parse(["x", "p", "c"])
    obj = tree.find("object")[0]
    assert (obj.alias, obj.children[0].kind, obj.children[0].text) == ("xfrm", "xfrm", "x")
    assert tree.find("xfrm_policy")[0].alias == "count"


def test_parse_error_names_the_word_and_what_was_expected():
    from pyip.grammar import GrammarError, parse
    try:
        parse(["xfrm", "bogus"])
    except GrammarError as e:
        assert (e.index, e.word) == (1, "bogus")
        assert e.expected == ["check", "help", "monitor", "policy", "sa", "state"]
    else:
        raise AssertionError("xfrm bogus parsed")


def test_expected_lists_what_may_come_next():
    from pyip.grammar import expected
    assert expected(["xfrm"]) == ["check", "help", "monitor", "policy", "sa", "state"]
    assert expected(["xfrm", "bogus"]) == []
    assert expected(["xfrm", "state", "add", "src"]) == ["ADDR"]


def test_after_a_kind_only_the_kinds_words_may_come():
    from pyip.grammar import expected
    assert expected(["link", "add", "x0", "type", "vti"]) == [
        "dev", "fwmark", "ikey", "key", "local", "okey", "remote"]


# ---- whole commands: the grammar's verdict is ip's -----------------------------------------

def recorded():
    import glob
    import json
    for path in sorted(glob.glob(os.path.join(ROOT, "golden", "rec", "*.json"))):
        with open(path) as f:
            for commands in json.load(f).values():
                yield from commands


def test_every_recorded_command_gets_ips_verdict_but_for_ips_listed_checks():
    """The grammar rejects what ip rejects before a request, and accepts the rest, except
    where ip made one of the checks in tests/verdicts.py's IP_CHECKS (each still needed)."""
    from tests.verdicts import IP_CHECKS, LIVE_ONLY, disagreements
    found = disagreements(recorded())
    assert [d for d in found if d[1] == "grammar"] == []       # the grammar never refuses more
    assert [d for d in found if d[2] is None] == []            # every other one is a listed check
    assert {d[2] for d in found} == set(IP_CHECKS) - LIVE_ONLY  # and no listed check is stale
    assert len(found) < 240     # ~90 are golden/cases/invalid.txt's bad values ip checks


def test_the_verdict_of_commands_ip_refuses_for_their_words():
    from tests.verdicts import grammar_rejects
    for words in (["xfrm"], ["x", "bogus"], ["xfrm", "state", "add", "src"],
                  ["xfrm", "policy", "add", "dir", "sideways"], ["-q"], ["-f", "help", "link"],
                  ["xfrm", "state", "list", "bogus"], ["xfrm", "policy", "add", "bogus"],
                  ["link", "add", "x0", "type", "xfrm", "bogus"], ["link", "set", "d0", "mtu"],
                  ["link", "set", "d0", "arp", "maybe"], ["link", "property", "rename"],
                  ["xfrm", "monitor", "bogus"], ["-c=foo", "link"], ["xfrm", "policy", "help"]):
        assert grammar_rejects(words), words
    for words in (["-s", "-s", "x", "p", "c"], ["--stats", "link"], ["-c=auto", "link"],
                  ["-color", "link"], ["--", "link"], ["link", "help", "veth"],
                  ["link", "set", "d0", "mode", "DORMANT"], ["xfrm", "state", "get"],
                  ["x", "s", "a", "src", "10.0.0.1", "dst", "10.0.0.2", "proto", "esp", "spi", "1",
                   "offload", "dev", "lo", "dir", "in", "output-mark", "5", "mask", "0xff"]):
        assert not grammar_rejects(words), words


def shape(tree):
    """The tree as nested (rule -> alias, [children]) with words as text: the man page's
    structure, without the word positions."""
    from pyip.grammar import Leaf
    if isinstance(tree, Leaf):
        return tree.text
    head = tree.rule if tree.alias is None else "%s -> %s" % (tree.rule, tree.alias)
    return (head, [shape(c) for c in tree.children])


def node(tree, rule):
    return tree.find(rule)[0]


def test_state_add_is_id_algo_list_mode_sel_limit_as_the_man_page_writes_it():
    from pyip.grammar import parse
    tree = parse("xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1000 mode tunnel "
                 "enc cbc(aes) 0x00 auth-trunc hmac(sha256) 0x11 128 "
                 "sel src 10.1.0.0/16 proto tcp dport 80 limit time-hard 60".split())
    add = node(tree, "state_add")
    assert [shape(c)[0] for c in add.children] == [
        "id", "state_add_word -> mode", "algo_list", "state_add_word -> sel",
        "state_add_word -> limit"]
    assert shape(node(add, "id"))[1] == [
        ("id_word -> src", ["src", "10.0.0.1"]),
        ("id_word -> dst", ["dst", "10.0.0.2"]),
        ("id_word -> proto", ["proto", ("xfrm_proto -> esp", ["esp"])]),
        ("id_word -> spi", ["spi", "0x1000"])]
    assert shape(node(add, "algo_list")) == ("algo_list", [
        ("algo -> enc", ["enc", "cbc(aes)", "0x00"]),
        ("algo -> auth_trunc", ["auth-trunc", "hmac(sha256)", "0x11", "128"])])
    assert shape(node(add, "selector")) == ("selector", [
        ("selector_word -> src", ["src", "10.1.0.0/16"]),
        ("upspec", [("upspec_word -> proto", ["proto", ("upspec_proto", ["tcp"])]),
                    ("upspec_word -> dport", ["dport", "80"])])])
    assert shape(node(add, "limit")) == ("limit -> time_hard", ["time-hard", "60"])


def test_policy_add_is_selector_dir_and_a_tmpl_with_its_own_id():
    from pyip.grammar import parse
    tree = parse("-s -s x p a src 10.1.0.0/16 dir out tmpl src 10.0.0.1 dst 10.0.0.2 "
                 "proto esp mode tunnel level use src".split()[:-1])
    assert [shape(c) for c in node(tree, "options").children] == [
        ("option -> stats", ["-s"]), ("option -> stats", ["-s"])]
    add = node(tree, "policy_add")
    assert [shape(c)[0] for c in add.children] == [
        "selector", "policy_add_word -> dir", "policy_add_word -> tmpl"]
    tmpl = node(add, "tmpl")
    assert [shape(c)[0] for c in tmpl.children] == [
        "id", "tmpl_word -> mode", "tmpl_word -> level"]
    assert (tmpl.start, tmpl.end) == (10, 20)


def test_a_tmpl_ends_where_a_second_id_would_begin_and_the_selector_takes_it():
    from pyip.grammar import parse
    add = node(parse("xfrm policy add dir in tmpl proto esp mode tunnel src 10.0.0.0/8".split()),
               "policy_add")
    assert [shape(c)[0] for c in add.children] == [
        "policy_add_word -> dir", "policy_add_word -> tmpl", "selector"]


def test_link_add_xfrm_the_kinds_words_run_to_the_end():
    from pyip.grammar import parse
    tree = parse("link add ipsec0 type xfrm dev lo if_id 5".split())
    options = node(tree, "link_options")
    assert [shape(c)[0] for c in options.children] == ["link_dev -> dev", "link_word -> type"]
    assert shape(node(tree, "link_type")) == ("link_type -> xfrm", [
        "xfrm", ("xfrm_link", [("xfrm_link_word -> dev", ["dev", "lo"]),
                               ("xfrm_link_word -> if_id", ["if_id", "5"])]), ("end", [])])


def test_veth_peer_options_are_a_second_iplink_parse():
    from pyip.grammar import parse
    tree = parse("link add va type veth peer name vb mtu 1400".split())
    peer = node(tree, "veth_peer")
    assert [shape(c) for c in node(peer, "link_options").children] == [
        ("link_word -> name", ["name", "vb"]), ("link_word -> mtu", ["mtu", "1400"])]


def test_empty_and_quoted_words_survive_as_words():
    from pyip.grammar import parse
    tree = parse(["xfrm", "state", "add", "src", "10.0.0.1", "dst", "10.0.0.2", "proto", "esp",
                  "spi", "1", "enc", "ecb(cipher_null)", "", "ctx", "a b"])
    assert shape(node(tree, "algo")) == ("algo -> enc", ["enc", "ecb(cipher_null)", ""])
    assert node(tree, "algo").children[2].index == 13
    ctx = [n for n in tree.find("state_add_word") if n.alias == "ctx"][0]
    assert ctx.children[1].text == "a b"


def test_an_empty_word_is_no_keyword_not_even_by_prefix():
    from pyip.grammar import GrammarError, parse
    try:
        parse(["xfrm", ""])
    except GrammarError as e:
        assert (e.index, e.word) == (1, "")
    else:
        raise AssertionError("an empty word matched a keyword")


def test_keywords_compared_ignoring_case_where_ip_uses_strcasecmp():
    from pyip.grammar import parse
    tree = parse("link set d0 state UP mode Dormant addrgenmode NONE".split())
    assert [n.alias for n in tree.find("link_word")] == ["state", "mode", "addrgenmode"]
    assert node(tree, "operstate").alias == "up"


# ---- the grammar knows every word pyip reads, and what each means ---------------------------

def keywords_and_aliases():
    from pyip._tables import RULES
    from pyip.grammar import subexpressions
    # and the rules' names: the interpreters compare a node's rule with them
    return {x[1] for e in RULES.values() for x in subexpressions(e) if x[0] in ("kw", "as")} \
        | set(RULES)


def compared_strings(path):
    """Word-like string constants pyip compares a word with (==, in, startswith)."""
    import ast
    import re
    with open(path) as f:
        tree = ast.parse(f.read())
    for n in ast.walk(tree):
        found = []
        if isinstance(n, ast.Compare):
            for c in [n.left] + n.comparators:
                if isinstance(c, ast.Constant):
                    found.append(c.value)
                elif isinstance(c, (ast.Tuple, ast.Set, ast.List)):
                    found += [x.value for x in c.elts if isinstance(x, ast.Constant)]
        elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and \
                n.func.attr == "startswith":
            found += [a.value for a in n.args if isinstance(a, ast.Constant)]
        for w in found:
            if isinstance(w, str) and re.fullmatch(r"-{0,2}[A-Za-z][A-Za-z0-9_-]+", w):
                yield w, n.lineno


# what pyip compares that is no word of a command line: the grammar's own expression
# kinds (pyip/grammar.py) and names of another kind
NOT_COMMAND_WORDS = {"pyip/grammar.py": {"kw", "kwi", "val", "seq", "alt", "opt", "star",
                                         "plus", "as", "rule", "end"},
                     # the walk's kinds of failure (grammar.walk())
                     "pyip/interpret.py": {"stray", "short", "end"},
                     # the generated rules' module names its whole dict (RULES, unpacked
                     # when first asked for)
                     "pyip/_rules.py": {"RULES"},
                     "pyip/links.py": {"if"},                # the kernel's "if%u" names
                     "pyip/xfrm/sa_runs.py": {"lastused"},   # a printed field
                     "pyip/xfrm/policy_runs.py": {"t_daddr"},
                     # explain: the grammar's own rule and terminal names, netlink names,
                     # its decoder's codec names and its own texts' words
                     "pyip/explain/capture.py": {"attrs"},
                     "pyip/explain/defaults.py": {"IPv4", "IPv6"},
                     "pyip/explain/layouts.py": {"XFRMA", "SPDA"},
                     "pyip/explain/messages.py": {"str", "addr", "kind", "be32",
                                                  "IFLA_INFO_KIND", "attrs"},
                     "pyip/explain/report.py": {"RTM_NEWLINK"},
                     "pyip/explain/words.py": {"NUMBER", "KEYMAT", "ADDR", "PREFIX", "KEY",
                                               "link_type", "link_word"},
                     # h-data's API, contexts and decoded objects (met in h-explain's
                     # merge of both branches): Python and netlink names
                     "pyip/__init__.py": {"IP", "IpError"},
                     "pyip/api.py": {"error"},
                     "pyip/context.py": {"switch", "open_transport"},
                     "pyip/link/objects.py": {"linkinfo", "operstate"},
                     "pyip/objects.py": {"attrs"},
                     "pyip/xfrm/objects.py": {"XFRMA_SA", "XFRMA_POLICY", "tmpls"},
                     # check: a finding's severity, a link flag's name, its own rule ids
                     "pyip/check/__init__.py": {"error"},
                     "pyip/check/model.py": {"UP"},
                     "pyip/check/rules.py": {"vti-endpoints", "vti-duplicate",
                                             "policy-duplicate", "sa-dir"},
                     # the release pyip follows: its own option and variable, ip -V's word
                     "pyip/main.py": {"PYIP_IPROUTE2", "--iproute2="},
                     "pyip/release.py": {"iproute2-", "v", "--iproute2="}}


def test_no_keyword_string_in_pyip_is_missing_from_the_grammar():
    import glob
    known = keywords_and_aliases()
    missing = []
    for path in sorted(glob.glob(os.path.join(ROOT, "pyip", "**", "*.py"), recursive=True)):
        rel = os.path.relpath(path, ROOT)
        if rel == os.path.join("pyip", "_tables.py"):
            continue
        for w, line in compared_strings(path):
            if w not in known and w not in NOT_COMMAND_WORDS.get(rel, ()):
                missing.append("%s:%d %r" % (rel, line, w))
    assert missing == []


def test_every_keyword_alias_and_value_terminal_has_a_meaning():
    """//@doc lines: what explain and completion say for each word (h-explain reads DOCS)."""
    from pyip._tables import DOCS, RULES, TERMINALS
    from pyip.grammar import subexpressions
    undocumented = []
    for rule, e in RULES.items():
        for alt in (e[1:] if e[0] == "alt" else (e,)):
            alias = alt[1] if alt[0] == "as" else None
            words = [x[1] for x in subexpressions(alt) if x[0] == "kw"]
            if alias is not None and "%s.%s" % (rule, alias) not in DOCS:
                undocumented.append("%s -> %s" % (rule, alias))
            elif alias is None and words and "%s.%s" % (rule, rule) not in DOCS:
                undocumented.append("%s: %s" % (rule, words))
    undocumented += [t for t, text in TERMINALS.items() if text == "a word"]
    assert undocumented == []


# ---- python grammar/compile.py --parse ------------------------------------------------------

def compile_parse(args, stdin=None):
    import subprocess
    p = subprocess.run([sys.executable, os.path.join(ROOT, "grammar", "compile.py"), "--parse"]
                       + args, input=stdin, capture_output=True, text=True)
    return p.returncode, p.stdout


def test_compile_parse_prints_the_tree_of_one_command():
    rc, text = compile_parse(["--", "-s", "x", "p", "a", "src", "10.0.0.0/8", "dir", "out"])
    assert rc == 0
    assert "option -> stats" in text and "policy_dir -> out" in text
    assert "PREFIX 10.0.0.0/8" in text and "xfrm [x]" in text


def test_compile_parse_says_where_it_stopped_and_what_it_expected():
    assert compile_parse(["--", "xfrm", "policy", "add", "dir", "sideways"]) == (
        1, "error: at word 5 sideways: expected fwd | in | out\n")
    assert compile_parse(["--", "link", "set", "d0", "mtu"]) == (
        1, "error: at end of command: expected INT\n")


def test_compile_parse_reads_batch_lines_with_their_quotes_and_empty_words():
    rc, text = compile_parse(["-"], "x p l\n"
                             "x s a src 1.1.1.1 dst 2.2.2.2 proto esp spi 1 enc 'cbc(aes)' ''\n"
                             "xfrm state add enc\n")
    assert (rc, text.splitlines()) == (1, [
        "ok", "ok", "error: at end of command: expected ALGO_NAME"])
