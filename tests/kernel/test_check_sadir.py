"""xfrm check's rule for the SA's direction (sa-dir), judged by traffic on a kernel that keeps
it (XFRMA_SA_DIR: Linux >= 6.10; tests/run boots Debian's 6.12 for this module): the set-ups
of tests/check_cases.py SADIR_CASES, applied by the REAL ip of a release that sends dir (6.15,
from golden/releases.py's cache) in the two namespaces of test_check_traffic.py, a ping from a
to b's inner address, check live on both ends and static on both scripts (pyip following
6.15, as it must to read `dir`), and the /proc/net/xfrm_stat counter that shows the drop.  On
an older kernel (the kernel tier's 6.1) the module skips: the kernel ignores the attribute."""
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
from tests.check_cases import NEWER, PEER, SADIR_CASES
from tests.kernel.test_check_traffic import (A, B, PING, errors, live, namespaces,  # noqa
                                             pair, rule_ids)

RELEASE, KERNEL = NEWER["sadir"]
IP_NEW = ip_wrapper(name(RELEASE))
# the counter of /proc/net/xfrm_stat the kernel counts the failing case's drops in
# (net/xfrm/xfrm_input.c xfrm_input(); xfrm_policy.c xfrm_tmpl_resolve_one())
COUNTER = {"sadir/sa-dir-in.a": "XfrmInStateDirError",
           "sadir/sa-dir-out.a": "XfrmOutStateDirError"}
# what the kernel answers the line it refuses (net/xfrm/xfrm_user.c verify_newsa_info())
REFUSED = {"sadir/sa-dir-replay.a": "Error: Replay window should be 0 for output SA."}


def kernel():
    return tuple(int(n) for n in re.findall(r"\d+", platform.release())[:2])


@pytest.fixture(scope="module", autouse=True)
def newer():
    """The kernel and the ip these set-ups need; pyip follows that ip's release (to read
    `dir` in the scripts and to print it in the fixes)."""
    if kernel() < KERNEL:
        pytest.skip("an SA's dir needs Linux %d.%d (this is %s)"
                    % (KERNEL + (platform.release(),)))
    if IP_NEW is None:
        pytest.skip("ip %s is not in the cache: python -m golden.releases fetch %s"
                    % ((name(RELEASE),) * 2))
    saved_env, saved = os.environ.get(ENV), opts.release
    os.environ[ENV], opts.release = name(RELEASE), RELEASE
    yield
    opts.release = saved
    if saved_env is None:
        os.environ.pop(ENV, None)
    else:
        os.environ[ENV] = saved_env


def ip_new(*argv, check=True):
    p = subprocess.run([IP_NEW] + list(argv), capture_output=True, text=True)
    if check and p.returncode:
        raise AssertionError("ip %s: %s" % (" ".join(argv), p.stderr))
    return p


def static(path):
    return [{"rule": f.rule.id, "severity": f.severity}
            for f in rules.run(reading.script(path))]


@pytest.mark.parametrize("case", SADIR_CASES, ids=[c.id for c in SADIR_CASES])
def test_check_predicts_the_ping_of_the_sas_dir(pair, case):
    applied = ip_new("-n", A, "-batch", case.a, check=case.passes)
    if case.id in REFUSED:
        assert REFUSED[case.id] in applied.stderr, applied.stderr
    ip_new("-n", B, "-batch", case.b)
    ping_argv = [IP_NEW, "netns", "exec", A, PING, "-c", "2", "-W", "1", "-i", "0.3",
                 PEER[case.setup]]
    ping = subprocess.run(ping_argv, capture_output=True, text=True)
    assert (ping.returncode == 0) == case.passes, ping.stdout + ping.stderr
    views = {"live a": live(A), "static a": static(case.a),
             "live b": live(B), "static b": static(case.b)}
    assert errors(views["live b"]) == errors(views["static b"]) == [], views
    if case.passes:
        assert errors(views["live a"]) == errors(views["static a"]) == [], views
    else:
        assert errors(views["live a"]) and errors(views["static a"]), views
    if case.rule:
        assert case.rule in rule_ids(views["static a"]), views["static a"]
        assert case.live_rule in rule_ids(views["live a"]), views["live a"]
    if case.id in COUNTER:
        (found,) = [f for f in views["live a"] if f["rule"] == case.rule]
        assert found["counters"].get(COUNTER[case.id]), found
    if case.fixed:      # the fix check prints, run by the real ip, mends the set-up
        for f in rules.run(reading.script(case.a)):
            if f.rule.id == case.rule:
                for line in f.fix.split("\n"):     # one command a line
                    words = shlex.split(line)
                    assert words[0] == "ip", f.fix
                    ip_new("-n", A, *words[1:])
        assert subprocess.run(ping_argv, capture_output=True).returncode == 0
