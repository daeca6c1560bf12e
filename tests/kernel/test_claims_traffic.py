"""The claims pyip teaches (pyip/claims.py), judged by traffic: each case applies one end's
-batch file with the REAL ip in the two namespaces of test_check_traffic.py (b: the set-up's
b.batch), pings b's inner address from a, and compares with what the claim says.  A case
marked `check` is a case of tests/check_cases.py, run (with the same verdict) by
test_check_traffic.py, and not again here; tests/offline/test_claims.py checks that every
claim has a case, every case a claim, and each `check` case its twin."""
import os
import platform
import re
import subprocess

import pytest

from pyip.claims import CASES
from tests.check_cases import PEER, SETUPS, commands
from tests.kernel.test_check_traffic import A, B, C, IP, PING, ip, namespaces, pair  # noqa
NS = {"a": A, "b": B, "c": C}
OWN = [c for c in CASES if not c.check]

EXTRA_TABLES = ("10",)


def made_here():
    """The devices the claims' own set-ups make (test_check_traffic's pair deletes those
    of its own cases)."""
    names = set()
    for c in OWN:
        setup, name = c.setup.split("/")
        for path in (os.path.join(SETUPS, setup, name + ".batch"),
                     os.path.join(SETUPS, setup, "b.batch")):
            for line in commands(path):
                w = line.split()
                if w[:2] == ["link", "add"]:
                    names.add(w[2])
    return sorted(names)


EXTRA_LINKS = made_here()


@pytest.fixture
def clean(pair):
    ip("-n", C, "link", "del", "ipsec0", check=False)      # one a case moved there
    for ns in (A, B):
        for name in EXTRA_LINKS:
            ip("-n", ns, "link", "del", name, check=False)
        for table in EXTRA_TABLES:
            ip("-n", ns, "route", "flush", "table", table, check=False)
    yield


def ping(peer, ns=A):
    return subprocess.run([IP, "netns", "exec", ns, PING, "-c", "2", "-W", "1", "-i", "0.3",
                           peer], capture_output=True, text=True)


def kernel():
    return tuple(int(n) for n in re.findall(r"\d+", platform.release())[:2])


@pytest.mark.parametrize("case", OWN, ids=[c.id for c in OWN])
def test_claim_by_traffic(clean, case):
    if case.kernel and kernel() < case.kernel:
        pytest.skip("needs Linux %d.%d: %s (this is %s)" % (case.kernel + (case.why,
                                                                            platform.release())))
    if case.kernel and "xfrm" not in ip("route", "help", check=False).stderr:
        pytest.skip("this ip sends no route encap xfrm: " + case.why)
    if case.until and kernel() >= case.until:
        pytest.skip("holds before Linux %d.%d: %s" % (case.until + (case.why,)))
    setup, name = case.setup.split("/")
    p = ip("-n", A, "-batch", os.path.join(SETUPS, setup, name + ".batch"), check=False)
    assert (p.returncode != 0) == case.refused, (case.id, p.stderr)
    ip("-n", B, "-batch", os.path.join(SETUPS, setup, "b.batch"))
    if case.sysctl:     # a file the claim names exists (e.g. vti6's disable_policy)
        p = subprocess.run([IP, "netns", "exec", A, "cat", case.sysctl], capture_output=True,
                           text=True)
        assert p.returncode == 0, (case.claim, case.sysctl, p.stderr)
    for ns, words in case.then:
        ip("-n", NS[ns], *words.split())
    p = ping(PEER[setup], NS[case.ping_from])
    assert (p.returncode == 0) == case.passes, (case.claim, case.id, p.stdout + p.stderr)
