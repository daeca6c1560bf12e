"""The grammar is the parser of the commands an Interpreter reads: every alternative it can
reach has its handler (or a value table, or a parent that reads it), every handler names an
alternative, and a grammar alternative without a handler fails, here and at run time."""
import inspect

import pytest

from pyip._tables import RULES
from pyip.grammar import walk
from pyip.interpret import Interpreter, handler_name, handlers_wanted
from pyip.xfrm.reading import XfrmInterpreter
from pyip.xfrm.state import StateAdd, StateAllocspi, StateFlush, StateGet, StateList

INTERPRETERS = [StateAdd, StateAllocspi, StateGet, StateList, StateFlush]


def handlers_of(cls):
    """The methods of cls that are named as handlers: a rule's, or RULE__ALIAS."""
    names = {}
    for name, _ in inspect.getmembers(cls, inspect.isfunction):
        rule = name.split("__")[0]
        if rule in RULES or "__" in name and not name.startswith("_"):
            names[name] = rule
    return names


def missing_handlers(cls, rules=RULES):
    wanted = handlers_wanted(rules, cls.STARTS, cls.VALUES, cls.READ_BY_PARENT)
    return sorted(name for name in wanted if not callable(getattr(cls, name, None)))


@pytest.mark.parametrize("cls", INTERPRETERS, ids=lambda c: c.__name__)
def test_every_alternative_it_reaches_has_a_handler(cls):
    assert missing_handlers(cls) == []


@pytest.mark.parametrize("cls", INTERPRETERS, ids=lambda c: c.__name__)
def test_every_value_table_has_every_alternative_of_its_rule(cls):
    for rule, table in cls.VALUES.items():
        body = RULES[rule]
        aliases = {alt[1] if alt[0] == "as" else rule
                   for alt in (body[1:] if body[0] == "alt" else (body,))}
        assert aliases <= set(table), rule


@pytest.mark.parametrize("cls", INTERPRETERS, ids=lambda c: c.__name__)
def test_every_handler_names_an_alternative_it_reaches(cls):
    wanted = handlers_wanted(RULES, cls.STARTS, cls.VALUES, cls.READ_BY_PARENT)
    # the shared handlers of rules this command does not reach are another command's
    shared = set(handlers_of(XfrmInterpreter)) if cls is not XfrmInterpreter else set()
    stray = [name for name in handlers_of(cls) if name not in wanted and name not in shared]
    assert stray == []


def test_every_shared_handler_names_an_alternative_of_the_grammar():
    every = handlers_wanted(RULES, list(RULES))
    assert [name for name in handlers_of(XfrmInterpreter) if name not in every] == []


def planted(rule, alias, *words):
    """RULES with one more alternative of rule: `-> alias`, keyword words[0], a NUMBER."""
    rules = dict(RULES)
    alt = ("as", alias, ("seq", ("kw", words[0], False), ("val", "NUMBER")))
    rules[rule] = rules[rule] + (alt,)
    return rules


def test_a_planted_alternative_without_a_handler_is_missing():
    rules = planted("state_add_word", "sa_dir", "sa-dir")
    assert missing_handlers(StateAdd, rules) == ["state_add_word__sa_dir"]


def test_a_planted_alternative_is_never_skipped_at_run_time(monkeypatch):
    import pyip.grammar
    monkeypatch.setattr(pyip.grammar, "RULES", planted("state_add_word", "sa_dir", "sa-dir"))
    monkeypatch.setattr(pyip.grammar, "_SHAPES", {})     # the readings kept are the grammar's
    monkeypatch.setattr(pyip.grammar, "_KEYWORDS", [])
    words = "src 10.0.0.1 dst 10.0.0.2 proto esp sa-dir 7".split()
    tree, failure = walk(words, "state_add")
    assert failure is None
    with pytest.raises(NotImplementedError, match="state_add_word__sa_dir"):
        StateAdd(0).run(words, "state_add")


def test_handler_names_are_the_grammar_names():
    assert handler_name("state_add_word", "tfcpad") == "state_add_word__tfcpad"
    assert handler_name("selector", None) == "selector"
    assert issubclass(StateAdd, Interpreter)


def recorded_state_add_lines():
    import os
    import shlex
    root = os.path.join(os.path.dirname(__file__), "..", "..", "golden", "cases")
    lines = []
    for name in sorted(n for n in os.listdir(root) if n.endswith(".txt")):
        with open(os.path.join(root, name)) as f:
            for line in f:
                for verb in ("add", "update"):
                    head = "ip xfrm state %s " % verb
                    if line.startswith(head):
                        lines.append(shlex.split(line[len(head):]))
    return lines


def read(words):
    from pyip.errors import IpExit
    from pyip.xfrm.state import parse_state
    try:
        return parse_state(words)
    except IpExit as e:
        return e.message


def mutations(words):
    """The line, and each of its words replaced by a bad value, a keyword or nothing."""
    yield words
    for i in range(len(words)):
        for other in ("zz", "0x", "mode", "esp", "1"):
            yield words[:i] + [other] + words[i + 1:]
        yield words[:i] + words[i + 1:]


def test_a_shape_read_once_serves_every_line_of_that_shape_the_same():
    """The -batch cache of readings (grammar.walk): with it, every recorded state add line
    and its mutations read as they do uncached."""
    import random
    import pyip.grammar
    lines = [m for words in recorded_state_add_lines() for m in mutations(words)]
    random.Random(7).shuffle(lines)
    cached = [read(words) for words in lines]
    for words, got in zip(lines, cached):
        pyip.grammar._SHAPES.clear()
        assert read(words) == got, words
