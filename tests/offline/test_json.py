"""pyip -j for xfrm says what the real ip's text says: every recorded list / get / count /
getdefault is run again by pyip with -j against the kernel replies ip got; the JSON parses,
and every field of ip's recorded text (read by tests/xfrm_text.py) is in it with the same
value."""
import json

import pytest

from tests import xfrm_text as T
from tests.xfrm_text import agrees
from tests.replay import recordings, release_recordings, run

COMMANDS = {"list", "show", "lst", "get", "count", "getdefault"}


def _command(argv):
    i = argv.index("xfrm")
    obj = "state" if argv[i + 1] in ("state", "sa") else argv[i + 1]
    cmd = argv[i + 2] if len(argv) > i + 2 else "list"
    return obj, cmd


CASES = [(i, r) for i, r in recordings() + release_recordings()
         if "xfrm" in r["argv"][1:3] and r["rc"] == 0 and r["stdout"] and not r["stderr"]
         and "-n" not in r["argv"] and _command(r["argv"])[1] in COMMANDS
         and _command(r["argv"])[0] in ("state", "policy")]


@pytest.mark.parametrize("rec", [r for _, r in CASES], ids=[i for i, _ in CASES])
def test_json_says_what_ip_text_says(rec):
    argv = rec["argv"]
    obj, cmd = _command(argv)
    stats = argv.count("-s") + argv.count("-stats") + argv.count("--stats")
    stdout, stderr, rc, _ = run(dict(rec, argv=[argv[0], "-j"] + argv[1:]))
    assert rc == 0 and stderr == ""
    doc = json.loads(stdout)
    assert isinstance(doc, list)
    text = rec["stdout"]
    if cmd == "count":
        assert len(doc) == 1
        agrees(T.sad_count(text) if obj == "state" else T.spd_count(text), doc[0])
        return
    if cmd == "getdefault":
        assert doc == [T.defaults(text)]
        return
    oneline = "-o" in argv or "-oneline" in argv
    parsed = T.objects(text, oneline)
    assert len(doc) == len(parsed)
    for lines, j in zip(parsed, doc):
        if obj == "state":
            t, hidden = T.state(lines, stats)
            if hidden:
                for algo in ("auth", "auth_trunc", "aead", "enc", "comp"):
                    assert "key" not in j.get(algo, {})
        else:
            t = T.policy(lines, stats)
        agrees(t, j)


def test_nokeys_hides_every_key_in_json():
    recs = [r for _, r in CASES if "nokeys" not in r["argv"] and "enc" in r["stdout"]]
    assert recs
    for rec in recs:
        stdout, _, rc, _ = run(dict(rec, argv=["ip", "-j"] + rec["argv"][1:] + ["nokeys"]))
        if rc == 0 and stdout.startswith("["):
            assert '"key":"' not in stdout     # (a GRE selector's "key" is a number)


MONITORS = [(i, r) for i, r in recordings() + release_recordings() if r["argv"][1:].count("monitor")
            and r["rc"] == "SIGTERM" and r["stdout"] and "-o" not in r["argv"]]
_EVENT_WORDS = {"Deleted": "deleted", "Updated": "updated", "Expired": "expired", "src": "new",
                "acquire": "acquire", "Flushed": "flushed", "Default": "default",
                "Async": "aevent", "Mapping": "mapping", "report": "report"}


@pytest.mark.parametrize("rec", [r for _, r in MONITORS], ids=[i for i, _ in MONITORS])
def test_monitor_json_is_one_object_per_event_saying_what_ip_says(rec):
    argv = rec["argv"]
    stats = argv.count("-s")
    stdout, stderr, rc, _ = run(dict(rec, argv=[argv[0], "-j"] + argv[1:]))
    assert rc == "SIGTERM" and stderr == rec["stderr"]
    events = [json.loads(line) for line in stdout.splitlines()]
    texts = T.objects(rec["stdout"])
    assert len(events) == len(texts)
    for lines, e in zip(texts, events):
        first = lines[0].split()[0]
        assert e["event"] == _EVENT_WORDS[first]
        if first in ("Deleted", "Updated", "Expired", "src") and ("state" in e or "policy" in e):
            lines = [lines[0].split(" ", 1)[1] if first != "src" else lines[0]] + lines[1:]
            hard = [x for x in lines if x.startswith("\thard ")]
            lines = [x for x in lines if not x.startswith("\thard ")]
            if "state" in e:
                agrees(T.state(lines, stats)[0], e["state"])
                if hard:
                    assert e["state"]["hard"] == int(hard[0].split()[1])
            else:
                agrees(T.policy(lines, stats), e["policy"])


# A listing's array is written as the dump comes (as ip's json_writer writes to stdout), so
# a dump the kernel ends badly ends the JSON where it ends the text: the recorded replies
# of a listing of several objects, their NLMSG_DONE made an NLMSG_ERROR (EPERM) or their
# first message flagged NLM_F_DUMP_INTR, -j beside the text listing of the same replies.
NLMSG_ERROR, NLMSG_DONE, NLM_F_DUMP_INTR, EPERM = 2, 3, 0x10, 1


def _dump_ended(rec, how):
    """rec's replies with the end of its dump changed: "error" or "interrupted"."""
    import struct
    received = []
    first = True
    for proto, hexdata in rec["received"]:
        b = bytearray(bytes.fromhex(hexdata))
        off = 0
        while off + 16 <= len(b):
            n, mtype, flags, seq, pid = struct.unpack_from("=IHHII", b, off)
            if how == "interrupted" and first and proto == 6:
                struct.pack_into("=H", b, off + 6, flags | NLM_F_DUMP_INTR)
                first = False
            if how == "error" and mtype == NLMSG_DONE and proto == 6:
                b[off:] = struct.pack("=IHHIIi", 36, NLMSG_ERROR, 0, seq, pid, -EPERM) + \
                    struct.pack("=IHHII", 16, 0, 0, 0, 0)
                break
            off += (n + 3) & ~3
        received.append([proto, b.hex()])
    return dict(rec, received=received)


LISTINGS = [(i, r) for obj in ("state", "policy") for i, r in [
    (i, r) for i, r in CASES if _command(r["argv"]) in ((obj, "list"), (obj, "show"))
    and len(T.objects(r["stdout"], "-o" in r["argv"])) > 1][:4]]


@pytest.mark.parametrize("rec", [r for _, r in LISTINGS], ids=[i for i, _ in LISTINGS])
def test_a_dump_ended_by_an_error_leaves_the_objects_before_it_and_the_array_open(rec):
    rec = _dump_ended(rec, "error")
    text, text_err, text_rc, _ = run(rec)
    stdout, stderr, rc, _ = run(dict(rec, argv=[rec["argv"][0], "-j"] + rec["argv"][1:]))
    assert (rc, stderr) == (text_rc, text_err) == (1, "RTNETLINK answers: Operation not "
                                                      "permitted\nDump terminated\n")
    assert not stdout.endswith("]\n")
    objects = json.loads(stdout + "]")
    assert len(objects) == len(T.objects(text, "-o" in rec["argv"])) > 1


@pytest.mark.parametrize("rec", [r for _, r in LISTINGS], ids=[i for i, _ in LISTINGS])
def test_an_interrupted_dump_writes_the_whole_array_then_warns(rec):
    rec = _dump_ended(rec, "interrupted")
    text, text_err, text_rc, _ = run(rec)
    stdout, stderr, rc, _ = run(dict(rec, argv=[rec["argv"][0], "-j"] + rec["argv"][1:]))
    assert (rc, stderr) == (text_rc, text_err) == (
        0, "Dump was interrupted and may be inconsistent.\n")
    assert len(json.loads(stdout)) == len(T.objects(text, "-o" in rec["argv"])) > 1
