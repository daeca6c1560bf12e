"""pyip xfrm state|policy save, replayed by the real ip: after each golden state and policy
case (run by the real ip), `pyip xfrm state save` and `pyip xfrm policy save` write a -batch
file, everything is flushed, the real `ip -batch` runs the file, and ip lists the SAD and
SPD (plain and -s, times masked) exactly as before."""
import pytest

from golden.record import IP, load, mask, record_case

LISTS = ["ip xfrm state list", "ip -s xfrm state list", "ip xfrm policy list",
         "ip -s xfrm policy list"]
SAVED = "/tmp/pyip-save.batch"
REPLAY = (["$ pyip xfrm state save > %s && pyip xfrm policy save >> %s" % (SAVED, SAVED),
           "$ %s xfrm state flush && %s xfrm policy flush && %s xfrm policy flush ptype sub"
           % (IP, IP, IP),
           "ip -batch %s" % SAVED, "$ cat %s >&2" % SAVED])
CASES = [(g, name, [c for c in commands if not c.endswith("&") and " -n " not in c])
         for g in ("state", "policy", "state_behaviours") for name, commands in load(g)]


@pytest.mark.parametrize("group,name,commands", CASES, ids=["%s/%s" % c[:2] for c in CASES])
def test_save_then_ip_batch_recreates_sad_and_spd(group, name, commands):
    res = record_case(commands + LISTS + REPLAY + LISTS, tool=IP)
    n = len(commands)
    before, (save, flush, batch, _), after = res[n:n + 4], res[n + 4:n + 8], res[n + 8:]
    assert save["rc"] == 0 and flush["rc"] == 0, (save, flush)
    assert batch["rc"] == 0, batch["stderr"]
    for b, a in zip(before, after):
        assert b["rc"] == a["rc"] == 0
        assert mask(a["stdout"]) == mask(b["stdout"]), b["cmd"]
