"""ip's messages for a bad value live in the grammar (//@invalid lines beside the option,
compiled into _tables.INVALID): each is held to what the real ip said for a command with a
bad value there (golden/cases/invalid.txt, one case a message, named by its key), and the
code that says them takes them from the table, not from a string of its own."""
import ast
import glob
import json
import os
import re

import pytest

from pyip._tables import INVALID, RULES, TERMINALS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RECORDED = json.load(open(os.path.join(ROOT, "golden", "rec", "invalid.json")))
# a later release's messages: from the newest release's recording (golden/cases/releases/
# invalid.txt, and invalid_kinds.txt for the kinds' options)
for _path in sorted(glob.glob(os.path.join(ROOT, "golden", "rec", "releases", "7.3",
                                           "invalid*.json"))):
    for _key, _rec in json.load(open(_path)).items():
        RECORDED.setdefault(_key, _rec)


def test_every_message_of_the_grammar_has_its_case():
    assert sorted(RECORDED) == sorted(INVALID)


def test_every_key_names_a_rule_or_value_of_the_grammar():
    assert [k for k in INVALID if k.split(".")[0] not in RULES and
            k.split(".")[0] not in TERMINALS] == []


@pytest.mark.parametrize("key", sorted(INVALID))
def test_the_message_is_what_ip_said(key):
    (rec,) = RECORDED[key]
    message = INVALID[key]
    if "%s" in message:         # ip's own fprintf: the whole text, the words in it
        pattern = "".join(".*" if part == "%s" else re.escape(part)
                          for part in re.split("(%s)", message))
        assert re.fullmatch(pattern, rec["stderr"], re.S), rec["stderr"]
    else:                       # invarg(message, word), or ip's fprintf of it all
        assert rec["stderr"] == message or re.fullmatch(
            'Error: argument ".*" is wrong: ' + re.escape(message) + "\n", rec["stderr"],
            re.S), rec["stderr"]
    assert rec["rc"] != 0


# invarg() messages that are no bad value of one option: a word no option takes (the
# grammar's own "no"), and src and dst of two families (a check across two values)
NOT_VALUE_MESSAGES = {"unknown",
                      'the same address family is required between values after "src" and "dst"'}


def _sources():
    for path in sorted(glob.glob(os.path.join(ROOT, "pyip", "**", "*.py"), recursive=True)):
        if not os.path.basename(path).startswith("_"):
            yield path, open(path).read()


def test_no_bad_value_message_is_written_in_the_code():
    written = []
    for path, text in _sources():
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "invarg" \
                    and node.args and isinstance(node.args[0], ast.Constant) \
                    and node.args[0].value not in NOT_VALUE_MESSAGES:
                written.append("%s:%d" % (os.path.relpath(path, ROOT), node.lineno))
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and node.value in INVALID.values() and len(node.value) > 12:
                written.append("%s:%d %r" % (os.path.relpath(path, ROOT), node.lineno,
                                             node.value))
    assert written == []


def test_every_message_is_said_by_the_code():
    """A key is named in full, or its rule is ("link_word." + what, where `what` is the
    option's meaning), or it is a value rule's own (RULE.RULE: choose(RULE, ...))."""
    strings = set()
    for _, text in _sources():
        strings.update(n.value for n in ast.walk(ast.parse(text))
                       if isinstance(n, ast.Constant) and isinstance(n.value, str))
    # a value rule an Interpreter reads says its RULE.RULE message where it refuses a word
    # (Interpreter.bad())
    from pyip.xfrm.policy import PolicyAdd, PolicyGet, PolicyList, PolicySetdefault
    from pyip.xfrm.state import StateAdd
    read = {rule for cls in (StateAdd, PolicyAdd, PolicyGet, PolicyList, PolicySetdefault)
            for rule in cls.VALUES}
    strings |= read
    # a later release's wording (KEY@X.Y) is said where KEY is (pyip.release.pick())
    unsaid = [k for k in {k.partition("@")[0] for k in INVALID}
              if k not in strings and k.split(".")[0] + "." not in strings
              and not any(s.endswith(".%s.%s") and k.startswith(s[:-5]) for s in strings)
              and not (k.split(".")[0] == k.split(".")[-1] and k.split(".")[0] in strings)]
    assert unsaid == []
