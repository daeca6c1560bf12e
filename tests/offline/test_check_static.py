"""xfrm check -batch FILE on the traffic set-ups (tests/check_cases.py): what the kernel
tier proves by ping, checked here from the scripts alone."""
import difflib
import json
import os
import subprocess
import sys

import pytest

from pyip.check import reading, rules
from tests.check_cases import ALL, CASES, SETUPS, commands, release_of

PYIP = [sys.executable, "-c", "import sys; from pyip.main import main; sys.exit(main())"]
BROKEN = [c for c in CASES if c.rule]


def static(path):
    return rules.run(reading.script(path))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_check_batch_reports_the_rule_of_each_set_up(case):
    found = static(case.a)
    errors = [f.rule.id for f in found if f.severity == "error"]
    if case.passes:
        assert errors == [], "ping passes through this set-up, so no finding may be an error"
    else:
        assert errors, "ping fails through this set-up, so some finding must be an error"
    if case.rule:
        hits = [f for f in found if f.rule.id == case.rule]
        assert hits, [f.rule.id for f in found]
        assert all(f.severity == ("warning" if case.passes else "error") for f in hits)


@pytest.mark.parametrize("setup", sorted(os.listdir(SETUPS)))
def test_check_batch_finds_nothing_on_the_peer_end(setup, monkeypatch):
    if release_of(setup):       # a newer ip's words: pyip follows that release to read them
        from pyip.release import ENV, name
        monkeypatch.setenv(ENV, name(release_of(setup)))
    assert static(os.path.join(SETUPS, setup, "b.batch")) == []


@pytest.mark.parametrize("case", BROKEN, ids=[c.id for c in BROKEN])
def test_each_broken_set_up_makes_one_mistake(case):
    diff = [l for l in difflib.ndiff(commands(case.base), commands(case.a))
            if l[:1] in "+-"]
    assert 1 <= len(diff) <= 2, diff            # one line changed, added or removed
    assert len({l[:1] for l in diff}) == len(diff)


def test_every_rule_is_proven_by_a_traffic_case():
    by_rule = {c.rule for c in ALL} | {c.live_rule for c in ALL}
    ids = [r.id for r in rules.RULES]
    assert len(ids) == len(set(ids))
    for r in rules.RULES:
        assert r.severity in ("error", "warning", "note")
        assert r.what and r.why and r.fix and r.proof
        assert os.path.exists(os.path.join(SETUPS, r.proof.split()[0])), r.proof
        # a note needs no broken variant: the working set-up's ping proves it harmless
        assert r.id in by_rule or r.severity == "note" or r.id == "script-refused", r.id


def test_warnings_are_rules_whose_set_up_passes_traffic():
    for c in CASES:
        if c.rule:
            rule = next(r for r in rules.RULES if r.id == c.rule)
            assert (rule.severity == "warning") == c.passes, c.id


def run(*argv):
    p = subprocess.run(PYIP + list(argv), capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def test_check_batch_exits_1_on_an_error_and_says_where():
    rc, out, err = run("xfrm", "check", "-batch", BROKEN[0].a)
    assert rc == 1 and err == ""
    assert out.startswith("error %s: " % BROKEN[0].rule)
    assert "\tline: %s:" % BROKEN[0].a in out
    assert out.endswith("error, 0 warnings, 0 notes\n") or out.endswith("errors, 0 warnings, 0 notes\n")


def test_check_batch_exits_0_on_a_working_set_up():
    assert run("xfrm", "check", "-batch", CASES[0].a) == (
        0, "check: 0 errors, 0 warnings, 0 notes\n", "")


def test_check_json_has_the_fields_of_the_text():
    rc, out, _ = run("-j", "xfrm", "check", "-batch", os.path.join(SETUPS, "policy",
                                                                    "tmpl-nosa.a.batch"))
    found = json.loads(out)
    assert rc == 1
    assert [f["rule"] for f in found] == ["tmpl-nosa"]
    assert set(found[0]) == {"rule", "severity", "objects", "detail", "why", "fix", "lines"}
    assert found[0]["fix"].startswith("ip xfrm policy update ")
    assert "reqid 5" in found[0]["fix"]


def test_check_help_prints_usage_and_every_rule():
    rc, out, err = run("xfrm", "check", "help")
    assert rc == 255 and out == ""
    # check is pyip's own command: its usage names pyip (ip 6.1 has no "xfrm check")
    assert err.startswith("Usage: pyip [ -n NETNS ] [ -j [ -p ] ] xfrm check [ -batch FILE ]\n")
    assert "ip xfrm check" not in err.replace("pyip xfrm check", "")
    for r in rules.RULES:
        assert "  %s " % r.id in err


@pytest.mark.parametrize("argv", [["bogus"], ["-batch"], ["-batch", "a", "b"]])
def test_check_with_other_words_prints_its_usage(argv):
    rc, out, err = run("xfrm", "check", *argv)
    assert rc == 255 and err.startswith("Usage: pyip [ -n NETNS ] [ -j [ -p ] ] xfrm check")


def test_check_batch_of_a_missing_file_says_so_as_ip_does():
    rc, out, err = run("xfrm", "check", "-batch", "/nonexistent")
    assert (rc, err) == (1, 'Cannot open file "/nonexistent" for reading: '
                            'No such file or directory\n')


def test_check_prefix_is_not_an_ip_word():
    # ip 6.1 prints usage for "ip xfrm c": check is spelled in full
    rc, _, err = run("xfrm", "c")
    assert rc == 255 and err.startswith("Usage: ip xfrm XFRM-OBJECT")


def test_check_runs_without_lark():
    code = ("import sys; from pyip.main import main; main(['xfrm', 'check', '-batch', %r]);"
            "sys.exit('lark' in sys.modules)" % BROKEN[0].a)
    assert subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0


def test_check_batch_refused_line_stops_the_model_there(tmp_path):
    script = tmp_path / "s.batch"
    script.write_text("xfrm policy add dir out src 10.0.0.0/8 dst 10.0.0.0/8 tmpl src 1.1.1.1 "
                      "dst 2.2.2.2 proto esp mode tunnel\nxfrm state add bogus\n"
                      "xfrm policy add dir in src 10.0.0.0/8 dst 10.0.0.0/8\n")
    m = reading.script(str(script))
    assert len(m.policies) == 1
    found = rules.run(m)
    refused = [f for f in found if f.rule.id == "script-refused"]
    assert refused and refused[0].where == ["%s:2" % script]


README = os.path.join(os.path.dirname(SETUPS), "..", "..", "README.md")
CHECK_DOC = os.path.join(os.path.dirname(README), "docs", "check.md")


def test_the_check_doc_documents_every_rule():
    with open(CHECK_DOC) as f:
        readme = f.read()
    for r in rules.RULES:
        assert "**`%s`** (%s): %s. %s Fix: %s." % (r.id, r.severity, r.what, r.why, r.fix) \
            in readme, r.id


def test_readme_example_is_what_check_prints():
    with open(README) as f:
        readme = f.read()
    root = os.path.dirname(os.path.abspath(README))
    command = "$ pyip xfrm check -batch tests/kernel/setups/vti/vti-okey.a.batch\n"
    shown = readme.split(command, 1)[1].split("$ echo $?\n", 1)[0]
    p = subprocess.run(PYIP + command.split()[2:], capture_output=True, text=True, cwd=root)
    assert p.stdout == shown and p.returncode == 1
