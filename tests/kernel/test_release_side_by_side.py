"""The side-by-side run on a newer kernel, in part: on Debian's 6.12 kernel (with Debian's ip
6.15) or 7.3 (with ip 7.3), the release's real ip and pyip following that release run the
same cases, each in a fresh network namespace: identical stdout, stderr and exit codes,
command by command; and the real ip must still say what its recording says (a drift means
the recordings, the binary or the rig changed).  The cases: the share
(golden/rec/releases/R/share-GROUP.json: every third case of each 6.1 group) and the
release groups of the differences between releases (golden/cases/releases/GROUP.txt),
those recorded on this kernel (the others were recorded on the host's, where nothing they
send reaches a kernel that could answer otherwise).

Within CI's time, one case in PYIP_SHARE_EVERY (8) of each group's share and one in
PYIP_NEW_EVERY (4) of each release group, their first always.  tests/run runs this module
in its 6.12 and 7.3 boots; on any other kernel it skips."""
import json
import os
import platform
import re
import shutil

import pytest

from golden.record import (RELEASE_REC, load_release, record_case, release_groups,
                           share_groups)
from pyip.release import ENV
from tests.release_ip import release_ip
from tests.replay import InProcess

# the kernel each release's share was recorded on (golden/record.py --release R --share)
RELEASE_OF_KERNEL = {(6, 12): "6.15", (7, 3): "7.3"}
KERNEL = tuple(int(n) for n in re.findall(r"\d+", platform.release())[:2])
RELEASE = RELEASE_OF_KERNEL.get(KERNEL)
EVERY = int(os.environ.get("PYIP_SHARE_EVERY", "8"))
NEW_EVERY = int(os.environ.get("PYIP_NEW_EVERY", "4"))
PYIP = InProcess(os.path.abspath(shutil.which("pyip") or "pyip"))


# a device made without an address gets a random one (the kinds' release groups make some:
# macvlan, geneve, bridge), as does a bridge's id from its port's: neither can be the
# recording's nor the other side's
_MAC = re.compile(r"\b[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}\b")


def _seen(rec):
    return _MAC.sub("MAC", rec["stdout"]), _MAC.sub("MAC", rec["stderr"]), rec["rc"]


def _recorded(group):
    with open(os.path.join(RELEASE_REC, RELEASE, group + ".json")) as f:
        return json.load(f)


def _on_this_kernel(group):
    """Whether the release's recording of `group` was taken on this kernel's release."""
    try:
        recs = _recorded(group)
    except OSError:
        return False
    return all(tuple(int(n) for n in re.findall(r"\d+", rec["kernel"])[:2]) == KERNEL
               for case in recs.values() for rec in case)


CASES = [(g, name, commands) for g in share_groups()
         for name, commands in load_release(g)[::EVERY]]
if RELEASE is not None:
    CASES += [(g, name, commands) for g in release_groups() if _on_this_kernel(g)
              for name, commands in load_release(g)[::NEW_EVERY]]


@pytest.fixture(scope="module")
def ip():
    if RELEASE is None:
        pytest.skip("no share is recorded on this kernel (%s): 6.12 and 7.3 have one"
                    % platform.release())
    return release_ip(RELEASE)


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
        assert _seen(live) == _seen(rec), "ip drifted from golden: " + rec["cmd"]
        assert _seen(py) == _seen(live), py["cmd"]
