"""Bash completion (completion/pyip, the file pip installs as
share/bash-completion/completions/pyip) in a real bash: type, press TAB, read what bash
offers.  What may come next comes from the grammar (pyip.grammar.expected), so each case
names the grammar's words; value words are this machine's names."""
import os
import shutil
import sys
import tempfile

import pexpect
import pytest

from pyip import complete
from pyip._tables import RULES

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "completion", "pyip")
BIN = os.path.dirname(sys.executable)      # the venv's bin/, where pip put pyip

INPUTRC = """\
set show-all-if-ambiguous on
set completion-query-items -1
set page-completions off
set completion-display-width 0
set bell-style none
set colored-stats off
set colored-completion-prefix off
set horizontal-scroll-mode off
"""


class Bash:
    """An interactive bash with completion/pyip sourced and the venv's pyip on PATH."""

    def __init__(self):
        self.home = tempfile.mkdtemp()
        with open(os.path.join(self.home, "inputrc"), "w") as f:
            f.write(INPUTRC)
        env = {"PATH": BIN + ":/usr/bin:/bin", "HOME": self.home, "TERM": "dumb",
               "INPUTRC": os.path.join(self.home, "inputrc"), "PS1": "PROMPT> ",
               "LANG": "C.UTF-8"}
        self.sh = pexpect.spawn("bash", ["--norc", "--noprofile", "-i"], env=env,
                                cwd=self.home, encoding="utf-8", timeout=10,
                                dimensions=(200, 500))
        self.sh.expect_exact("PROMPT> ")
        # C-x C-p prints the line being edited between markers: where TAB left it
        self.run("bind -x '\"\\C-x\\C-p\": printf \"\\n<<%s>>\\n\" \"$READLINE_LINE\"'")
        self.run("source " + SCRIPT)

    def run(self, command):
        self.sh.sendline(command)
        self.sh.expect_exact("PROMPT> ")

    def tab(self, line):
        """Type line, press TAB: (the words listed, if bash listed several; the line after)."""
        self.sh.send(line + "\t")
        self.sh.send("\x18\x10")
        self.sh.expect(r"\r?\n<<(.*)>>\r?\n")
        before, after = self.sh.before, self.sh.match.group(1)
        self.sh.sendline("\x15echo __sync__")   # C-u forgets the line
        self.sh.expect(r"\n__sync__\r?\nPROMPT> ")
        listed = []
        if "PROMPT> " in before:
            shown = before.split("PROMPT> ")[0]
            listed = [w for row in shown.splitlines()[1:] for w in row.split()]
        return listed, after

    def close(self):
        self.sh.sendline("exit")
        self.sh.expect(pexpect.EOF)
        shutil.rmtree(self.home)


@pytest.fixture(scope="module")
def bash():
    b = Bash()
    yield b
    b.close()


def keywords(rule):
    """The keywords that begin the alternatives of a grammar rule."""
    alts = RULES[rule][1:] if RULES[rule][0] == "alt" else (RULES[rule],)
    found = set()
    for alt in alts:
        while alt[0] in ("as", "seq"):
            alt = alt[2] if alt[0] == "as" else alt[1]
        if alt[0] == "kw":
            found.add(alt[1])
    return sorted(found)


def test_the_first_word_offers_the_options_and_objects_of_the_grammar(bash):
    listed, _ = bash.tab("pyip ")
    words = set(keywords("option") + keywords("object"))
    # the "--stats" spellings of the options are offered to "--" only
    assert sorted(listed) == sorted(w for w in words if not w.startswith("--"))
    listed, _ = bash.tab("pyip --st")
    assert {"--stats", "--statistics"} <= set(listed)


def test_a_unique_prefix_is_completed_to_its_keyword(bash):
    assert bash.tab("pyip xf") == ([], "pyip xfrm ")


def test_xfrm_offers_its_objects(bash):
    listed, _ = bash.tab("pyip xfrm ")
    assert sorted(listed) == keywords("xfrm")


def test_an_abbreviated_object_is_read_as_ip_reads_it(bash):
    # "x s" is "xfrm state" to ip's matches(): its commands follow
    listed, line = bash.tab("pyip x s ")
    assert sorted(listed) == keywords("xfrm_state")


def test_a_prefix_offers_only_the_keywords_it_begins(bash):
    listed, _ = bash.tab("pyip xfrm state de")
    assert sorted(listed) == ["delall", "delete", "deleteall"]


def test_policy_commands_include_setdefault_and_getdefault(bash):
    listed, _ = bash.tab("pyip xfrm policy ")
    assert sorted(listed) == keywords("xfrm_policy")
    assert {"setdefault", "getdefault"} <= set(listed)


def test_link_offers_its_commands(bash):
    listed, _ = bash.tab("pyip link ")
    assert sorted(listed) == keywords("link")


def test_options_before_the_object_keep_their_values(bash):
    # -n NAME: the namespace word is not taken for an object
    listed, _ = bash.tab("pyip -n foo ")
    assert "xfrm" in listed and "link" in listed


def test_netns_offers_the_named_namespaces(bash):
    names = sorted(os.listdir("/run/netns")) if os.path.isdir("/run/netns") else []
    listed, line = bash.tab("pyip -netns ")
    got = listed or ([line.split()[-1]] if line != "pyip -netns " else [])
    assert sorted(got) == names


def test_batch_completes_file_names(bash):
    bash.run("touch batch-one.txt")
    assert bash.tab("pyip -batch batch-o") == ([], "pyip -batch batch-one.txt ")


def test_a_word_the_grammar_cannot_continue_offers_nothing(bash):
    assert bash.tab("pyip bogus ") == ([], "pyip bogus ")


SA = "pyip xfrm state add src 192.0.2.1 dst 198.51.100.2 proto esp spi 0x100 "


def offered(bash, line):
    """What TAB offers for the last word of line: the words listed, or the one completed."""
    listed, after = bash.tab(line)
    if listed:
        return sorted(listed)
    return [after[len(line) - len(line.split(" ")[-1]):].strip()] if after != line else []


def test_a_policys_dir_offers_the_directions(bash):
    assert offered(bash, "pyip xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir ") == \
        keywords("policy_dir")


def test_an_sas_options_follow_its_id(bash):
    listed = offered(bash, SA)
    assert {"mode", "reqid", "enc", "aead", "if_id", "mark", "sel", "limit"} <= set(listed)


def test_a_mode_prefix_offers_the_modes_it_begins(bash):
    # ip reads "t" as transport (matches(), in order); TAB shows both it may grow into
    assert offered(bash, SA + "mode t") == ["transport", "tunnel"]


def test_an_aead_name_is_completed_with_its_parentheses_escaped(bash):
    assert offered(bash, SA + "aead rfc41") == ["rfc4106\\(gcm\\(aes\\)\\)"]


def test_a_quoted_algorithm_name_is_completed_inside_its_quotes(bash):
    assert offered(bash, SA + "enc 'rfc36") == ["'rfc3686(ctr(aes))'"]


def test_ipv6_addresses_do_not_split_the_words(bash):
    # ":" is one of bash's COMP_WORDBREAKS: the words still are ip's
    assert offered(bash, "pyip xfrm state add src 2001:db8::1 dst 2001:db8::2 proto e") == \
        ["esp"]


def test_a_selectors_proto_offers_etc_protocols(bash):
    got = offered(bash, "pyip xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 proto ud")
    assert "udp" in got and all(w.startswith("ud") for w in got)


def test_an_xfrm_interfaces_dev_offers_the_devices(bash):
    names = sorted(n for n in os.listdir("/sys/class/net") if n.startswith("l"))
    assert offered(bash, "pyip link add ipsec1 type xfrm dev l") == names


def test_a_vtis_keywords_follow_type_vti(bash):
    assert {"local", "remote", "ikey", "okey", "key", "fwmark"} <= \
        set(offered(bash, "pyip link add vti1 type vti "))


def test_pyip_after_sudo_completes_its_own_words(bash):
    # bash's own completion of sudo/ip netns exec hands the rest to pyip's; here the
    # function is called as that would, with the whole line in COMP_LINE
    line = "sudo pyip xf"
    bash.run("COMP_LINE=%r; COMP_POINT=%d; COMP_WORDS=(pyip xf); COMP_CWORD=1; _pyip; "
             "echo \"<${COMPREPLY[*]}>\"" % (line, len(line)))
    assert "<xfrm>" in bash.sh.before


def test_the_kinds_are_the_grammars():
    from pyip.grammar import expected
    from pyip._tables import TERMINALS
    assert set(complete.kinds()) == {k for k in expected(["link", "add", "x", "type"])
                                     if k not in TERMINALS}


def test_the_encryption_algorithms_are_ip_xfrm_8s_and_the_loaded_ones():
    names = complete.hints("ALGO_NAME", ["xfrm", "state", "add", "enc"])
    assert {"cbc(aes)", "rfc3686(ctr(aes))", "cbc(des3_ede)"} <= set(names)
    with open("/proc/crypto") as f:
        blocks = f.read().split("\n\n")
    loaded = [dict((k.strip(), v.strip()) for k, _, v in (l.partition(":")
                   for l in b.splitlines())) for b in blocks if b.strip()]
    for algo in loaded:
        if algo.get("type") == "skcipher" and algo["name"].startswith("cbc("):
            assert algo["name"] in names


def test_aead_names_are_offered_after_aead_only():
    aead = complete.hints("ALGO_NAME", ["aead"])
    assert "rfc4106(gcm(aes))" in aead and "cbc(aes)" not in aead
    assert "rfc4106(gcm(aes))" not in complete.hints("ALGO_NAME", ["enc"])


def test_a_selectors_proto_offers_the_protocols_of_etc_protocols():
    names = complete.hints("PROTO", ["proto"])
    assert names[0] == "any" and {"tcp", "udp", "icmp", "gre"} <= set(names)


def test_a_device_word_offers_the_devices():
    assert complete.hints("DEV", ["dev"]) == sorted(os.listdir("/sys/class/net"))


def test_names_with_parentheses_are_quoted_for_the_shell():
    assert complete.shell_quote("cbc(aes)", "cb") == "cbc\\(aes\\)"
    assert complete.shell_quote("cbc(aes)", "'cb") == "'cbc(aes)'"


def test_a_quoted_word_is_read_as_the_shell_reads_it():
    assert complete.split_line("pyip 'a b' c\\ d \"e") == (["pyip", "a b", "c d"], "e", '"e')


def test_the_release_option_completes_in_bash_and_chooses_the_words(bash):
    """pyip's --iproute2=R (bash splits the word at "="), and the words of that release."""
    assert bash.tab("pyip --iproute2=7") == ([], "pyip --iproute2=7.3 ")
    line = "pyip --iproute2=6.1 xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 1 d"
    assert bash.tab(line) == ([], line[:-1] + "dst ")
    listed, _ = bash.tab(line.replace("6.1", "7.3"))
    assert listed == ["dir", "dst"]
