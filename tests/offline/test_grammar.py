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
