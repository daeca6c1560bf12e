"""The man pages (man/*.8) are generated from the grammar and man/src/ (grammar/manpages.py),
current, clean for the man page linters, and say what the grammar says."""
import os
import re
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "grammar"))
import manpages  # noqa: E402

PAGES = sorted(manpages.pages())


def page(name):
    with open(os.path.join(ROOT, "man", name + ".8")) as f:
        return f.read()


def test_the_pages_are_generated_from_the_grammar_and_man_src():
    generated = manpages.pages()
    assert {"pyip", "pyip-link", "pyip-xfrm"} <= set(generated)
    assert sorted(generated) == sorted(n[:-2] for n in os.listdir(os.path.join(ROOT, "man"))
                                       if n.endswith(".8"))
    for name, text in generated.items():
        assert page(name) == text, "man/%s.8 is stale: run python grammar/manpages.py" % name


@pytest.mark.skipif(not shutil.which("mandoc"), reason="mandoc is not installed")
@pytest.mark.parametrize("name", PAGES)
def test_mandoc_lint_is_clean(name):
    r = subprocess.run(["mandoc", "-Tlint", "-Wall", os.path.join(ROOT, "man", name + ".8")],
                       capture_output=True, text=True)
    assert (r.returncode, r.stdout + r.stderr) == (0, "")


@pytest.mark.parametrize("name", PAGES)
def test_groff_warns_of_nothing(name):
    r = subprocess.run(["groff", "-ww", "-z", "-man", os.path.join(ROOT, "man", name + ".8")],
                       capture_output=True, text=True)
    assert (r.returncode, r.stderr) == (0, "")


def rendered(name):
    r = subprocess.run(["groff", "-man", "-Tutf8", "-rLL=200n", os.path.join(ROOT, "man",
                        name + ".8")], capture_output=True, text=True, check=True)
    return re.sub(r".\x08", "", r.stdout)


def test_the_synopsis_is_ips_usage_text_with_pyip_for_ip():
    """The newest release's usage text (its KEYWORDS say which release reads what)."""
    from pyip import release
    from pyip._tables import USAGE
    text = rendered("pyip-xfrm")
    synopsis = text.split("SYNOPSIS")[1].split("DESCRIPTION")[0]
    release.opts.release = release.NEWEST
    try:
        usage = release.pick(USAGE, "xfrm_state")
    finally:
        release.opts.release = None
    assert "pcpu-num CPUNUM" in usage
    for line in usage.splitlines():
        line = re.sub(r"^Usage: ip ", "pyip ", line).strip()
        assert line in synopsis


def test_every_keyword_of_a_command_and_its_meaning_are_listed():
    from pyip._tables import DOCS, RULES
    text = " ".join(rendered("pyip-xfrm").split())
    for rule in ("xfrm_state", "state_add_word", "policy_add_word", "algo", "limit",
                 "monitor_word"):
        alts = manpages.alternatives(RULES[rule])
        for i, (word, _, alias, _) in enumerate(alts):
            short = manpages.shortest(alts, i)
            assert (short + "[" + word[len(short):] + "]" if short != word else word) in text
            doc = DOCS.get("%s.%s" % (rule, alias))
            if doc:
                assert " ".join(doc.split())[1:] in text


def test_every_gated_word_says_from_which_ip_and_kernel():
    """Each //@since (and kernel) gate of the page's grammar is in the word's entry."""
    from pyip._docs import KERNEL
    from pyip._rules import SINCE
    text = " ".join(rendered("pyip-xfrm").split())
    assert "dir { in | out } (ip 6.11 and later; kernel 6.10 and later)" in text
    assert "pcpu-num NUMBER (ip 6.19 and later; kernel 6.13 and later)" in text
    assert "allow (ip 6.3 and later)" in text
    assert "packet (kernel 6.2 and later)" in text
    link = " ".join(rendered("pyip-link").split())
    for key in set(SINCE) | set(KERNEL):
        rule, alias = key.split(".")
        note = manpages.gate_note({"SINCE": SINCE, "KERNEL": KERNEL})(key)
        assert "(%s)" % note in (link if manpages.lark_rules()[rule] == "link.lark"
                                  else text), key


def test_abbreviations_are_the_shortest_ip_accepts():
    from pyip._tables import RULES
    alts = manpages.alternatives(RULES["xfrm_state"])
    shown = {alts[i][0]: manpages.shortest(alts, i) for i in range(len(alts))}
    # ip's order: add before allocspi, delete before deleteall, list before lst
    assert shown["add"] == "a" and shown["allocspi"] == "al"
    assert shown["delete"] == "d" and shown["deleteall"] == "deletea"
    assert shown["list"] == "l" and shown["lst"] == "ls"


def test_the_differences_from_ip_come_from_the_readme():
    with open(os.path.join(ROOT, "README.md")) as f:
        readme = f.read()
    section = readme.split("## Differences from ip")[1].split("\n## ")[0]
    text = " ".join(rendered("pyip").split())
    for item in section.split("\n- ")[1:]:
        first = re.sub(r"`", "", " ".join(item.split()[:6]))
        assert first in text


def test_a_readme_heading_that_is_not_there_leaves_its_section_out(tmp_path):
    frag = tmp_path / "45-x.readme"
    frag.write_text("TITLE: X\nREADME: No such heading here\n")
    assert manpages.readme_fragment(str(frag)) is None


def test_readme_markdown_becomes_roff_bullets_code_and_examples():
    roff = manpages.markdown("Some `word` and **bold**.\n\n- one\n  two\n\n```sh\n"
                             "pyip -V\n```\n")
    assert roff == [".PP", "Some \\fBword\\fR and \\fBbold\\fR.", ".IP \\(bu 2", "one two",
                    ".EX", "pyip \\-V", ".EE"]


def test_a_commands_help_text_makes_synopsis_description_and_examples():
    text = ("Usage: pyip explain ARGS...   explain a command\n"
            "       pyip explain           an overview, with\n"
            "                              examples\n\n"
            "More words\nhere.\n\nExamples:\n  pyip explain xfrm state count\n")
    parts = dict(manpages.help_sections(text))
    assert parts[10] == [".SH SYNOPSIS", ".nf", "pyip explain ARGS...", "pyip explain", ".fi"]
    assert parts[20][1:4] == [".TP", "\\fBpyip explain ARGS...\\fR", "Explain a command."]
    assert parts[20][-2:] == [".PP", "More words here."]
    assert parts[50] == [".SH EXAMPLES", ".EX", "pyip explain xfrm state count", ".EE"]


def test_every_page_stands_alone_and_the_readme_lists_every_installed_page():
    """A reader of `man pyip` has no checkout: no page sends them to README sections or to
    test modules; and the README names every page pip installs (setup.cfg: man/*.8)."""
    import glob
    with open(os.path.join(ROOT, "README.md")) as f:
        readme = f.read()
    pages = sorted(glob.glob(os.path.join(ROOT, "man", "*.8")))
    assert len(pages) >= 4
    for page in pages:
        name = os.path.basename(page)[:-2]
        text = " ".join(rendered(name).split())
        assert "README" not in text and not re.search(r"\btests?[/.]\w", text), name
        assert "`%s(8)`" % name in readme, name
