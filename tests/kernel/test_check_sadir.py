"""xfrm check's rule for the SA's direction (sa-dir) and per-CPU SAs, judged by traffic on a
kernel that keeps them (XFRMA_SA_DIR: Linux >= 6.10; XFRMA_SA_PCPU: 6.13, and Debian's 6.12
from 6.12.13; tests/run boots Debian's 6.12 for this module): the set-ups of
tests/check_cases.py SADIR_CASES and PCPU_CASES, applied by the REAL ip of a release that
sends the words (6.15 for dir, 7.3 for pcpu-num: golden/releases.py's cache) in the two
namespaces of test_check_traffic.py, a ping from a to b's inner address, check live on both
ends and static on both scripts (pyip following that ip's release, as it must to read the
words), and the /proc/net/xfrm_stat counter that shows the drop.  On an older kernel (the
kernel tier's 6.1) the module skips: the kernel ignores the attributes."""
import contextlib
import os
import platform
import re
import shlex
import subprocess

import pytest

from golden.releases import ip_wrapper
from pyip.check import reading, rules
from pyip.opts import opts
from pyip.release import ENV, name
from tests.check_cases import NEWER, PCPU_CASES, PEER, SADIR_CASES
from tests.kernel.test_check_traffic import A, B, PING, judge, namespaces, pair  # noqa

CASES = SADIR_CASES + PCPU_CASES
# the counter of /proc/net/xfrm_stat the kernel counts the failing case's drops in
# (net/xfrm/xfrm_input.c xfrm_input(); xfrm_policy.c xfrm_tmpl_resolve_one())
# the SA each CPU's packets leave with where a set-up has per-CPU SAs (pcpu-num 0 for CPU
# 0, the SA without pcpu-num for the others): xfrm_state_find() prefers the sending CPU's
PER_CPU = {"pcpu/a": ("0x1001", "0x1003")}
COUNTER = {"sadir/sa-dir-in.a": "XfrmInStateDirError",
           "sadir/sa-dir-out.a": "XfrmOutStateDirError",
           "pcpu/pcpu-alone.a": "XfrmOutNoStates"}
# the per-CPU set-ups whose ping passes from CPU 0 only (skipped on one CPU)
ONE_CPU_PASSES = {"pcpu/pcpu-alone.a"}
# what the kernel answers the line it refuses (net/xfrm/xfrm_user.c verify_newsa_info();
# the CPU number: xfrm_state_construct())
REFUSED = {"sadir/sa-dir-replay.a": "Error: Replay window should be 0 for output SA.",
           "pcpu/pcpu-nodir.a": "Error: SA_PCPU only supported with SA_DIR.",
           "pcpu/pcpu-big.a": "Error: pCPU number too big."}


def kernel():
    return tuple(int(n) for n in re.findall(r"\d+", platform.release())[:3])


def ip_of(setup):
    """The real ip that applies the set-up's scripts (None: not in the cache)."""
    return ip_wrapper(name(NEWER[setup][0]))


@pytest.fixture(scope="module", autouse=True)
def newer():
    least = min(k for _, k in NEWER.values())
    if kernel() < least:
        pytest.skip("an SA's dir needs Linux %s (this is %s)"
                    % (".".join(map(str, least)), platform.release()))


@contextlib.contextmanager
def following(setup):
    """The kernel and the ip a set-up needs; pyip follows that ip's release (to read `dir`
    and `pcpu-num` in the scripts and to print them in the fixes)."""
    release, least = NEWER[setup]
    if kernel() < least:
        pytest.skip("%s needs Linux %s (this is %s)"
                    % (setup, ".".join(map(str, least)), platform.release()))
    if ip_of(setup) is None:
        pytest.skip("ip %s is not in the cache: python -m golden.releases fetch %s"
                    % ((name(release),) * 2))
    saved_env, saved = os.environ.get(ENV), opts.release
    os.environ[ENV], opts.release = name(release), release
    try:
        yield ip_of(setup)
    finally:
        opts.release = saved
        if saved_env is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = saved_env


def run(ip, *argv, check=True):
    p = subprocess.run([ip] + list(argv), capture_output=True, text=True)
    if check and p.returncode:
        raise AssertionError("ip %s: %s" % (" ".join(argv), p.stderr))
    return p


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_check_predicts_the_ping_of_the_sas_dir(pair, case):
    with following(case.setup) as ip:
        judged(ip, case)


def judged(ip, case):
    applied = run(ip, "-n", A, "-batch", case.a, check=case.passes)
    if case.id in REFUSED:
        assert REFUSED[case.id] in applied.stderr, applied.stderr
    run(ip, "-n", B, "-batch", case.b)
    ping_argv = [ip, "netns", "exec", A, PING, "-c", "2", "-W", "1", "-i", "0.3",
                 PEER[case.setup]]
    # a per-CPU SA is the SA of the CPU that sends: the ping is sent from each CPU in turn,
    # and the set-up passes when it passes from every one (the first failing ping is judged)
    cpus = range(os.cpu_count() or 1) if case.setup == "pcpu" else [None]
    if case.id in ONE_CPU_PASSES and len(cpus) < 2:
        pytest.skip("one CPU: the per-CPU SA of CPU 0 serves every CPU there is")
    pings = []
    for c in cpus:
        before = used(ip, case)
        pings.append(subprocess.run((["taskset", "-c", str(c)] if c is not None else []) +
                                    ping_argv, capture_output=True, text=True))
        if case.id in PER_CPU:      # 2 pings, 2 packets out on the SA of the sending CPU
            spi = PER_CPU[case.id][min(c, 1)]
            grown = {k: used(ip, case)[k] - before[k] for k in before}
            assert grown[spi] >= 2 and sum(grown.values()) == grown[spi], (c, grown)
    if case.id in ONE_CPU_PASSES:   # CPU 0 has its SA: only the others fail
        assert [p.returncode == 0 for p in pings] == [True] + [False] * (len(cpus) - 1)
    views = judge(case, min(pings, key=lambda p: p.returncode == 0))
    if case.id in COUNTER:
        (found,) = [f for f in views["live a"] if f["rule"] == case.rule]
        assert found["counters"].get(COUNTER[case.id]), found
    if case.fixed:      # the fix check prints, run by the real ip, mends the set-up
        for f in rules.run(reading.script(case.a)):
            if f.rule.id == case.rule:
                for line in f.fix.split("\n"):     # one command a line
                    words = shlex.split(line)
                    assert words[0] == "ip", f.fix
                    run(ip, "-n", A, *words[1:])
        assert subprocess.run(ping_argv, capture_output=True).returncode == 0


def used(ip, case):
    """How many packets each of a set-up's per-CPU SAs (PER_CPU) sent: `ip -s xfrm state`'s
    "lifetime current" line."""
    count = {}
    for spi in PER_CPU.get(case.id, ()):
        text = run(ip, "-n", A, "-s", "xfrm", "state", "get", "src", "10.0.0.1", "dst",
                   "10.0.0.2", "proto", "esp", "spi", spi).stdout
        count[spi] = int(re.search(r"lifetime current:\s+\d+\(bytes\), (\d+)\(packets\)",
                                   text).group(1))
    return count

