"""The claims pyip teaches (pyip/claims.py), judged by traffic: each case applies one end's
-batch file with the REAL ip in the two namespaces of test_check_traffic.py (b: the set-up's
b.batch), pings b's inner address from a, and compares with what the claim says.  The
claims and their cases are listed in pyip/claims.py; tests/offline/test_claims.py checks
that every claim has a case and every case a claim."""
import os
import shutil
import subprocess

import pytest

from pyip.claims import CASES
from tests.check_cases import PEER, SETUPS
from tests.kernel.test_check_traffic import A, B, C, IP, PING, ip, namespaces, pair  # noqa
NS = {"a": A, "b": B, "c": C}

EXTRA_LINKS = ("dum0", "vrf1")
EXTRA_TABLES = ("10",)


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


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_claim_by_traffic(clean, case):
    setup, name = case.setup.split("/")
    ip("-n", A, "-batch", os.path.join(SETUPS, setup, name + ".batch"))
    ip("-n", B, "-batch", os.path.join(SETUPS, setup, "b.batch"))
    if case.sysctl:     # a file the claim names exists (e.g. vti6's disable_policy)
        p = subprocess.run([IP, "netns", "exec", A, "cat", case.sysctl], capture_output=True,
                           text=True)
        assert p.returncode == 0, (case.claim, case.sysctl, p.stderr)
    for ns, words in case.then:
        ip("-n", NS[ns], *words.split())
    p = ping(PEER[setup], NS[case.ping_from])
    assert (p.returncode == 0) == case.passes, (case.claim, case.id, p.stdout + p.stderr)
