"""Every command recorded from the real ip (golden/rec) gives, under pyip, the same stdout,
stderr and exit code, and sends the same netlink requests (seq/pid aside), when the kernel
answers what it answered ip."""
import pytest

from golden.record import mask
from tests.replay import enters_netns, masked, recordings, release_recordings, run

RECORDINGS = recordings()
# each release's own (golden/rec/releases/), replayed with pyip following that release
RELEASES = release_recordings()
PENDING = "is not implemented yet."


@pytest.mark.parametrize("rec", [r for _, r in RECORDINGS + RELEASES],
                         ids=[i for i, _ in RECORDINGS + RELEASES])
def test_same_as_ip(rec):
    if enters_netns(rec["argv"]):
        pytest.skip("enters a named network namespace: checked in the kernel tier")
    stdout, stderr, rc, sent = run(rec)
    if PENDING in stderr:
        pytest.xfail(stderr.strip())
    assert mask(stdout) == rec["stdout"]
    assert stderr == rec["stderr"]
    assert rc == rec["rc"]
    assert [[p, masked(b, p).hex()] for p, b in sent] == \
        [[p, masked(bytes.fromhex(h), p).hex()] for p, h in rec["sent"]]


JSON_LINK = [(i, r) for i, r in RECORDINGS
             if r["argv"][1:2] != ["xfrm"] and any(a in ("-j", "-json") for a in r["argv"])
             and r["rc"] == 0 and r["stdout"]]


@pytest.mark.parametrize("rec", [r for _, r in JSON_LINK], ids=[i for i, _ in JSON_LINK])
def test_link_json_is_valid_json(rec):
    import json
    stdout, _, rc, _ = run(rec)
    assert rc == 0
    devices = json.loads(stdout)
    assert isinstance(devices, list) and all(isinstance(d, dict) for d in devices)
