"""The side-by-side run on a newer kernel, in part: on Debian's 6.12 kernel (with Debian's ip
6.15) or 7.3 (with ip 7.3), the release's real ip and pyip following that release run the
same cases of the share (golden/rec/releases/R/share-GROUP.json: every third case of each
6.1 group, recorded with that ip on that kernel), each in a fresh network namespace:
identical stdout, stderr and exit codes, command by command; and the real ip must still say
what its recording says (a drift means the recordings, the binary or the rig changed).

Within CI's time, one case in PYIP_SHARE_EVERY (8) of each group's share, its first
always.  tests/run runs this module in the 6.12 boot; on any other kernel it skips."""
import json
import os
import platform
import re
import shutil

import pytest

from golden import releases
from golden.record import RELEASE_REC, load_release, record_case, share_groups
from pyip.release import ENV
from tests.replay import InProcess

# the kernel each release's share was recorded on (golden/record.py --release R --share)
RELEASE_OF_KERNEL = {(6, 12): "6.15", (7, 3): "7.3"}
KERNEL = tuple(int(n) for n in re.findall(r"\d+", platform.release())[:2])
RELEASE = RELEASE_OF_KERNEL.get(KERNEL)
EVERY = int(os.environ.get("PYIP_SHARE_EVERY", "8"))
PYIP = InProcess(os.path.abspath(shutil.which("pyip") or "pyip"))
CASES = [(g, name, commands) for g in share_groups()
         for name, commands in load_release(g)[::EVERY]]


def _recorded(group):
    with open(os.path.join(RELEASE_REC, RELEASE, group + ".json")) as f:
        return json.load(f)


@pytest.fixture(scope="module")
def ip():
    if RELEASE is None:
        pytest.skip("no share is recorded on this kernel (%s): 6.12 and 7.3 have one"
                    % platform.release())
    path = releases.ip_wrapper(RELEASE)
    if path is None:
        pytest.skip("ip %s is not in the cache: python -m golden.releases fetch %s"
                    % (RELEASE, RELEASE))
    return path


@pytest.mark.parametrize("group,name,commands", CASES, ids=["%s/%s" % c[:2] for c in CASES])
def test_pyip_matches_the_release_live(ip, group, name, commands, monkeypatch):
    monkeypatch.setenv(ENV, RELEASE)
    want = record_case(commands, tool=ip)
    got = record_case(commands, tool=PYIP)
    golden = _recorded(group)[name]
    for rec, live, py in zip(golden, want, got):
        if "setup" in rec:
            assert live["rc"] == py["rc"] == rec["rc"], "setup failed: " + rec["setup"]
            continue
        assert (live["stdout"], live["stderr"], live["rc"]) == \
            (rec["stdout"], rec["stderr"], rec["rc"]), "ip drifted from golden: " + rec["cmd"]
        assert (py["stdout"], py["stderr"], py["rc"]) == \
            (live["stdout"], live["stderr"], live["rc"]), py["cmd"]
