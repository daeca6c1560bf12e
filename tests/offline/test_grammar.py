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
    assert ("as", "state", ("seq", ("kw", "state", True), ("rule", "xfrm_state"))) \
        in RULES["xfrm"]


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
