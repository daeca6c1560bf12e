"""xfrm check's rule for the SA's direction (sa-dir) on -batch scripts: the traffic set-ups
of tests/check_cases.py SADIR_CASES and PCPU_CASES (proven on Linux 6.12 by
tests/kernel/test_check_sadir.py) and the rule's edges, one behaviour a case.  `dir` is ip >=
6.11's word: pyip reads the scripts following ip 6.15 (7.3 for pcpu-num, ip >= 6.19's), as
the set-ups' ip does."""
import difflib

import pytest

from pyip.check import model as mo, reading, rules
from pyip.opts import opts
from pyip.release import ENV, name
from tests.check_cases import NEWER, PCPU_CASES, SADIR_CASES, commands

K = "aead 'rfc4106(gcm(aes))' 0x0102030405060708090a0b0c0d0e0f1011121314 128"
LINK = "link add ipsec0 type xfrm dev va if_id 42\nlink set ipsec0 up\naddr add 172.16.0.1/30 " \
       "dev ipsec0"
OUT_SA = "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1001 reqid 1 mode tunnel " \
         "if_id 42 " + K
IN_SA = "xfrm state add src 10.0.0.2 dst 10.0.0.1 proto esp spi 0x1002 reqid 2 mode tunnel " \
        "if_id 42 " + K
OUT_POL = "xfrm policy add dir out src 0.0.0.0/0 dst 0.0.0.0/0 if_id 42 tmpl src 10.0.0.1 " \
          "dst 10.0.0.2 proto esp reqid 1 mode tunnel"
IN_POL = "xfrm policy add dir in src 0.0.0.0/0 dst 0.0.0.0/0 if_id 42 tmpl src 10.0.0.2 " \
         "dst 10.0.0.1 proto esp reqid 2 mode tunnel"


@pytest.fixture(autouse=True)
def release(monkeypatch):
    follow(monkeypatch, NEWER["sadir"][0])


def follow(monkeypatch, release):
    monkeypatch.setenv(ENV, name(release))
    monkeypatch.setattr(opts, "release", release)


def run(tmp_path, *lines):
    script = tmp_path / "setup.batch"
    script.write_text("\n".join(lines) + "\n")
    return rules.run(reading.script(str(script)))


def ids(found):
    return sorted({f.rule.id for f in found})


# ---- the traffic set-ups ------------------------------------------------------------------

CASES = SADIR_CASES + PCPU_CASES
BROKEN = [c for c in CASES if c.name != "a"]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_check_batch_reports_the_rule_of_each_sa_dir_set_up(case, monkeypatch, tmp_path):
    follow(monkeypatch, NEWER[case.setup][0])
    cpus(tmp_path, monkeypatch, "0-1")          # the VM's CPUs (of a 2-core machine)
    found = rules.run(reading.script(case.a))
    errors = [f.rule.id for f in found if f.severity == "error"]
    assert bool(errors) != case.passes, errors
    if case.rule:
        assert case.rule in errors
    assert rules.run(reading.script(case.b)) == []


@pytest.mark.parametrize("case", BROKEN, ids=[c.id for c in BROKEN])
def test_each_sa_dir_set_up_makes_one_mistake(case):
    diff = [l for l in difflib.ndiff(commands(case.base), commands(case.a)) if l[:1] in "+-"]
    assert 1 <= len(diff) <= 2 and len({l[:1] for l in diff}) == len(diff), diff


# ---- the data path ------------------------------------------------------------------------

def test_sas_with_the_dir_they_are_used_in_are_fine(tmp_path):
    assert run(tmp_path, LINK, OUT_SA + " dir out", IN_SA + " dir in replay-window 32",
               OUT_POL, IN_POL) == []


def test_sas_without_dir_serve_both_ways(tmp_path):
    assert run(tmp_path, LINK, OUT_SA, IN_SA, OUT_POL, IN_POL) == []


def test_an_inbound_sa_with_dir_out_is_an_error(tmp_path):
    (f,) = run(tmp_path, LINK, OUT_SA, IN_SA + " dir out", OUT_POL, IN_POL)
    assert (f.rule.id, f.severity) == ("sa-dir", "error")
    assert f.fix.split("\n") == [
        "ip xfrm state delete src 10.0.0.2 dst 10.0.0.1 proto esp spi 0x1002",
        "ip xfrm state add src 10.0.0.2 dst 10.0.0.1 proto esp spi 0x1002 aead "
        "'rfc4106(gcm(aes))' 0x0102030405060708090a0b0c0d0e0f1011121314 128 mode tunnel "
        "reqid 2 if_id 0x2a dir in"]


def test_an_sa_with_dir_out_to_an_address_here_is_inbound_without_policies(tmp_path):
    # no in policy names 10.0.0.1: the script's own address does
    assert ids(run(tmp_path, "addr add 10.0.0.1/24 dev va", IN_SA.replace(" if_id 42", "")
                   + " dir out")) == ["sa-dir"]


def test_an_sa_with_dir_in_that_an_out_policys_template_finds_is_an_error(tmp_path):
    (f,) = run(tmp_path, LINK, OUT_SA + " dir in", IN_SA, OUT_POL, IN_POL)
    assert f.rule.id == "sa-dir" and f.objects[0].startswith("policy ")
    assert f.fix.endswith(" dir out")


def test_an_out_template_that_also_finds_an_sa_without_dir_is_not_judged(tmp_path):
    # which of the two the kernel takes is its choice (xfrm_state_find): check says nothing
    assert run(tmp_path, LINK, OUT_SA + " dir in",
               OUT_SA.replace("0x1001", "0x1003"), IN_SA, OUT_POL, IN_POL) == []


def test_an_esn_sa_with_dir_out_needs_no_replay_window(tmp_path):
    assert run(tmp_path, LINK, OUT_SA + " dir out flag esn", IN_SA, OUT_POL, IN_POL) == []


# ---- what a kernel >= 6.10 refuses when the SA is added -------------------------------------

@pytest.mark.parametrize("words, message", [
    ("dir out replay-window 32", "Replay window should be 0 for output SA"),
    ("dir out replay-window 64 flag esn", "Replay window should be 0 for output SA"),
    ("dir out flag icmp", "Flag ICMP should not be set for output SA"),
    ("dir out flag decap-dscp", "Flag DECAP_DSCP should not be set for output SA"),
    ("dir out flag wildrecv", "Flag WILDRECV should not be set for output SA"),
    ("dir in flag nopmtudisc", "Flag NOPMTUDISC should not be set for input SA"),
    ("dir in extra-flag dont-encap-dscp",
     "Flag DONT_ENCAP_DSCP should not be set for input SA"),
])
def test_a_kernel_from_6_10_refuses_these_and_the_script_stops(tmp_path, words, message):
    found = run(tmp_path, LINK, OUT_SA + " " + words, IN_SA, OUT_POL, IN_POL)
    (f,) = [f for f in found if f.rule.id == "sa-dir"]
    assert f.detail == "a kernel from 6.10 refuses it: Error: %s." % message
    assert f.where == ["%s:4" % (tmp_path / "setup.batch")]
    assert "ifid-unused" in ids(found)          # nothing after the line was made


def test_the_refused_replay_window_line_is_fixed_without_it(tmp_path):
    (f,) = [f for f in run(tmp_path, LINK, OUT_SA + " dir out replay-window 32")
            if f.rule.id == "sa-dir"]
    assert f.fix == "ip " + OUT_SA + " dir out"


# ---- per-CPU SAs (pcpu-num: ip >= 6.19; Linux >= 6.13, Debian's 6.12 from 6.12.13) ------------

PCPU = "a kernel from 6.13 (and 6.12.13) refuses it: Error: %s."


def cpus(tmp_path, monkeypatch, text):
    """This machine's possible CPUs, as /sys/devices/system/cpu/possible would list them."""
    path = tmp_path / "possible"
    path.write_text(text + "\n")
    monkeypatch.setattr(mo, "POSSIBLE", str(path))


def refusals(found):
    return [f.detail for f in found if f.rule.id == "sa-dir"]


def test_pcpu_num_without_dir_is_refused(tmp_path, monkeypatch):
    follow(monkeypatch, (7, 3))                 # pcpu-num: ip >= 6.19
    found = run(tmp_path, LINK, IN_SA + " pcpu-num 1")
    assert refusals(found) == [PCPU % "SA_PCPU only supported with SA_DIR"]
    assert "sa-dir" not in ids(run(tmp_path, LINK, IN_SA + " dir in pcpu-num 1"))


def test_a_per_cpu_sa_beside_one_for_every_cpu_is_fine(tmp_path, monkeypatch):
    follow(monkeypatch, (7, 3))
    assert run(tmp_path, LINK, OUT_SA + " dir out pcpu-num 0",
               OUT_SA.replace("0x1001", "0x1003") + " dir out", IN_SA, OUT_POL, IN_POL) == []


@pytest.mark.parametrize("possible, number, refused", [
    ("0-1", 1, False), ("0-1", 2, True), ("0", 0, False), ("0", 1, True),
    ("0-3", 3, False), ("0-3", 4, True),
    ("0,2-3", 2, False), ("0,2-3", 3, True),   # the kernel counts them: num_possible_cpus()
])
def test_a_cpu_number_this_machine_cannot_have_is_refused(tmp_path, monkeypatch, possible,
                                                          number, refused):
    follow(monkeypatch, (7, 3))
    cpus(tmp_path, monkeypatch, possible)
    found = run(tmp_path, LINK, OUT_SA + " dir out pcpu-num %d" % number, IN_SA, OUT_POL,
                IN_POL)
    assert refusals(found) == ([PCPU % "pCPU number too big"] if refused else [])


def test_the_cpu_number_is_not_judged_where_the_cpus_are_not_known(tmp_path, monkeypatch):
    follow(monkeypatch, (7, 3))
    monkeypatch.setattr(mo, "POSSIBLE", str(tmp_path / "absent"))
    assert run(tmp_path, LINK, OUT_SA + " dir out pcpu-num 4096", IN_SA, OUT_POL, IN_POL) == []


def test_the_kernel_asks_for_the_dir_before_the_cpu_number(tmp_path, monkeypatch):
    # verify_newsa_info() runs before xfrm_state_construct() takes the number
    follow(monkeypatch, (7, 3))
    cpus(tmp_path, monkeypatch, "0-1")
    assert refusals(run(tmp_path, LINK, OUT_SA + " pcpu-num 4096")) == [
        PCPU % "SA_PCPU only supported with SA_DIR"]
    assert refusals(run(tmp_path, LINK, OUT_SA + " dir out replay-window 32 pcpu-num 4096")) \
        == ["a kernel from 6.10 refuses it: Error: Replay window should be 0 for output SA."]


def test_pcpu_num_4294967295_is_no_cpu(tmp_path, monkeypatch):
    # ip's "unset" (-1): it sends no XFRMA_SA_PCPU, so the kernel has nothing to refuse
    follow(monkeypatch, (7, 3))
    assert run(tmp_path, LINK, OUT_SA + " pcpu-num 4294967295", IN_SA, OUT_POL, IN_POL) == []


def test_ip_6_1_has_no_dir_word(tmp_path, monkeypatch):
    follow(monkeypatch, (6, 1))                 # the gate: ip refuses the word, not the kernel
    assert ids(run(tmp_path, OUT_SA + " dir out replay-window 32")) == ["script-refused"]


# ---- per-CPU SAs alone (rule pcpu-alone) ----------------------------------------------------

PCPU_SA = OUT_SA + " dir out pcpu-num %d"


def test_per_cpu_sas_alone_leave_the_other_cpus_without_an_sa(tmp_path, monkeypatch):
    follow(monkeypatch, (7, 3))
    cpus(tmp_path, monkeypatch, "0-3")
    (f,) = run(tmp_path, LINK, PCPU_SA % 0, (PCPU_SA % 2).replace("0x1001", "0x1003"),
               IN_SA, OUT_POL, IN_POL)
    assert (f.rule.id, f.severity) == ("pcpu-alone", "error")
    assert f.detail == "no SA for CPU 1, 3 (this machine has 4): what is sent there finds no SA"
    assert "spi SPI " in f.fix and "pcpu-num" not in f.fix.split("(")[0]


def test_a_per_cpu_sa_for_each_cpu_is_fine(tmp_path, monkeypatch):
    follow(monkeypatch, (7, 3))
    cpus(tmp_path, monkeypatch, "0-1")
    assert run(tmp_path, LINK, PCPU_SA % 0, (PCPU_SA % 1).replace("0x1001", "0x1003"),
               IN_SA, OUT_POL, IN_POL) == []


def test_on_one_cpu_the_per_cpu_sa_of_cpu_0_is_every_cpus(tmp_path, monkeypatch):
    follow(monkeypatch, (7, 3))
    cpus(tmp_path, monkeypatch, "0")
    assert run(tmp_path, LINK, PCPU_SA % 0, IN_SA, OUT_POL, IN_POL) == []


def test_per_cpu_sas_are_not_counted_where_the_cpus_are_not_known(tmp_path, monkeypatch):
    follow(monkeypatch, (7, 3))
    monkeypatch.setattr(mo, "POSSIBLE", str(tmp_path / "absent"))
    assert run(tmp_path, LINK, PCPU_SA % 0, IN_SA, OUT_POL, IN_POL) == []


def test_the_missing_cpus_are_said_as_a_range(tmp_path, monkeypatch):
    follow(monkeypatch, (7, 3))
    cpus(tmp_path, monkeypatch, "0-7")
    (f,) = run(tmp_path, LINK, PCPU_SA % 0, IN_SA, OUT_POL, IN_POL)
    assert f.detail.startswith("no SA for CPU 1-7 (this machine has 8)")
