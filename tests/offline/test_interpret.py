"""The grammar is the parser of the commands an Interpreter reads: every alternative it can
reach has its handler (or a value table, or a parent that reads it), every handler names an
alternative, and a grammar alternative without a handler fails, here and at run time."""
import inspect

import pytest

from pyip._tables import RULES
from pyip.grammar import walk
from pyip.interpret import Interpreter, handler_name, handlers_wanted
from pyip.link.modify import LinkModify
from pyip.options import OptionsReading
from pyip.link.prop import LinkProperty
from pyip.link.listing import LinkShow
from pyip.link.bond import BondLink, BondSlaveLink
from pyip.link.bridge import BridgeLink, BridgeSlaveLink
from pyip.link.vlan import VlanLink
from pyip.link.vxlan import VxlanLink
from pyip.link.gre import GreLink
from pyip.link.vrf import VrfLink
from pyip.link.vti import VtiLink
from pyip.link.xfrm import XfrmLink
from pyip.xfrm.monitor import MonitorReading
from pyip.xfrm.policy import (PolicyAdd, PolicyFlush, PolicyGet, PolicyList, PolicySet,
                              PolicySetdefault)
from pyip.xfrm.reading import XfrmInterpreter
from pyip.xfrm.state import StateAdd, StateAllocspi, StateFlush, StateGet, StateList

INTERPRETERS = [StateAdd, StateAllocspi, StateGet, StateList, StateFlush, PolicyAdd, PolicyGet,
                PolicyList, PolicyFlush, PolicySet, PolicySetdefault, MonitorReading,
                LinkModify, XfrmLink, VtiLink, VrfLink, BondLink, BondSlaveLink, BridgeLink,
                BridgeSlaveLink, VlanLink, VxlanLink, GreLink, LinkShow, LinkProperty,
                OptionsReading]


def handlers_of(cls):
    """The methods of cls that are named as handlers: a rule's, or RULE__ALIAS."""
    names = {}
    for name, _ in inspect.getmembers(cls, inspect.isfunction):
        rule = name.split("__")[0]
        if rule in RULES or "__" in name and not name.startswith("_"):
            names[name] = rule
    return names


def missing_handlers(cls, rules=RULES):
    wanted = handlers_wanted(rules, cls.STARTS, cls.VALUES, cls.READ_BY_PARENT, cls.ELSEWHERE)
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
    # its own handlers; those it shares with other commands (a base class's) are held to
    # the grammar as a whole below
    wanted = handlers_wanted(RULES, cls.STARTS, cls.VALUES, cls.READ_BY_PARENT, cls.ELSEWHERE)
    own = [name for name in handlers_of(cls) if name in vars(cls)]
    assert [name for name in own if name not in wanted] == []


@pytest.mark.parametrize("cls", INTERPRETERS, ids=lambda c: c.__name__)
def test_every_shared_handler_names_an_alternative_of_the_grammar(cls):
    every = handlers_wanted(RULES, list(RULES))
    assert [name for name in handlers_of(cls) if name not in every] == []


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
    monkeypatch.setattr(pyip.grammar, "RULE", planted("state_add_word", "sa_dir", "sa-dir"))
    monkeypatch.setattr(pyip.grammar, "_SHAPES", {})     # the readings kept are the grammar's
    monkeypatch.setattr(pyip.grammar, "_KEYWORDS", [])
    monkeypatch.setattr(pyip.grammar, "_KEEP", pyip.grammar._Keep())
    words = "src 10.0.0.1 dst 10.0.0.2 proto esp sa-dir 7".split()
    tree, failure = walk(words, "state_add")
    assert failure is None
    with pytest.raises(NotImplementedError, match="state_add_word__sa_dir"):
        StateAdd(0).run(words, "state_add")


def test_handler_names_are_the_grammar_names():
    assert handler_name("state_add_word", "tfcpad") == "state_add_word__tfcpad"
    assert handler_name("selector", None) == "selector"
    assert issubclass(StateAdd, Interpreter)


def recorded_lines(heads):
    """The words after each head ("ip xfrm state add ") of every recorded case."""
    import os
    import shlex
    root = os.path.join(os.path.dirname(__file__), "..", "..", "golden", "cases")
    lines = []
    for name in sorted(n for n in os.listdir(root) if n.endswith(".txt")):
        with open(os.path.join(root, name)) as f:
            for line in f:
                for head in heads:
                    if line.startswith(head):
                        lines.append(shlex.split(line[len(head):]))
    return lines


def read(parse, words):
    from pyip.errors import IpExit
    try:
        return parse(words)
    except IpExit as e:
        return e.message


def mutations(words):
    """The line, and each of its words replaced by a bad value, a keyword or nothing."""
    yield words
    for i in range(len(words)):
        for other in ("zz", "0x", "mode", "esp", "1", "dir", "src"):
            yield words[:i] + [other] + words[i + 1:]
        yield words[:i] + words[i + 1:]


def parsers():
    from pyip.xfrm import policy, state
    return [("state", state.parse_state, ("ip xfrm state add ", "ip xfrm state update ")),
            ("policy", policy.parse_policy, ("ip xfrm policy add ", "ip xfrm policy update ")),
            ("policy get", policy.parse_policy_id, ("ip xfrm policy get ",
                                                     "ip xfrm policy delete "))]


@pytest.mark.parametrize("name,parse,heads", parsers(), ids=lambda p: p if isinstance(p, str)
                         else "")
def test_a_shape_read_once_serves_every_line_of_that_shape_the_same(name, parse, heads):
    """The -batch cache of readings (grammar.walk): with it, every recorded line and its
    mutations read as they do uncached."""
    import random
    import pyip.grammar
    from pyip.opts import opts
    lines = [m for words in recorded_lines(heads) for m in mutations(words)]
    random.Random(7).shuffle(lines)
    assert lines
    cached = []
    for words in lines:
        opts.preferred_family = 0
        cached.append(read(parse, words))
    for words, got in zip(lines, cached):
        pyip.grammar._SHAPES.clear()
        opts.preferred_family = 0
        assert read(parse, words) == got, words
