"""pyip explain - on what the real ip printed (golden/rec): every line of every recorded
xfrm state/policy listing, and of ip -d link show for xfrm and vti devices, is annotated,
and the annotations agree with what ip itself printed beside them."""
import re

import pytest

from pyip.explain.output import annotate, annotate_lines
from tests.replay import recordings, release_recordings

LISTINGS = [(i, r) for i, r in recordings() + release_recordings()
            if r["rc"] == 0 and r["stdout"] and r["argv"][1:2] != ["-j"]
            and re.search(r"xfrm (state|policy|sa)( (list|show|lst|get|s|l)|$)", r["cmd"])]
LINKS = [(i, r) for i, r in recordings()
         if r["rc"] == 0 and re.search(r"(^|\s)-d(\s|$)", r["cmd"]) and " link" in r["cmd"]
         and "-j" not in r["argv"] and "-br" not in r["argv"]
         and re.search(r"\n\s+(xfrm|vti6?) ", r["stdout"].replace("\\", "\n"))]


def _ids(items):
    return [i for i, _ in items]


def test_there_are_listings_of_every_kind():
    cmds = " | ".join(r["cmd"] for _, r in LISTINGS)
    for form in ("ip xfrm state", "ip -s xfrm state", "ip -s -s xfrm state", "ip -o xfrm state",
                 "ip xfrm policy", "ip -s xfrm policy", "ip -s -s xfrm policy",
                 "ip -o xfrm policy"):
        assert form in cmds
    kinds = " ".join(r["stdout"] for _, r in LINKS)
    assert "xfrm if_id" in kinds and "xfrm external" in kinds and "vti " in kinds \
        and "vti6 " in kinds


@pytest.mark.parametrize("rec", [r for _, r in LISTINGS], ids=_ids(LISTINGS))
def test_every_line_of_an_xfrm_listing_is_explained(rec):
    for line, notes in annotate_lines(rec["stdout"]):
        assert notes, line


@pytest.mark.parametrize("rec", [r for _, r in LINKS], ids=_ids(LINKS))
def test_xfrm_and_vti_devices_are_explained(rec):
    rows = annotate_lines(rec["stdout"])
    for line, notes in rows:
        if re.match(r"\s+(xfrm|vti6?) ", line) or re.match(r"\d+: ", line):
            assert notes, line


@pytest.mark.parametrize("rec", [r for _, r in LISTINGS], ids=_ids(LISTINGS))
def test_annotations_agree_with_what_ip_printed(rec):
    """The index's direction bits are the dir ip printed; the binary flag digits are the
    flag words ip printed; the spi's value is the decimal ip prints under -s; the key's
    bits are the "(N bits)" ip prints under -s."""
    for line, notes in annotate_lines(rec["stdout"]):
        body = line.strip()
        for n in notes:
            if "direction" in n.facts and not n.facts["socket"]:
                assert re.match(r"dir %s " % n.facts["direction"], body)
            if "flags" in n.facts:
                printed = re.search(r"flag ([a-z0-9 -]*?) ?\(", body).group(1).split()
                assert n.facts["flags"] == printed
            if "spi" in n.facts:
                dec = re.search(r"spi 0x[0-9a-f]+\((\d+)\)", body)
                if dec:
                    assert n.facts["spi"] == int(dec.group(1))
            if n.facts.get("key_bits") is not None and "bits)" in body:
                assert "(%d bits)" % n.facts["key_bits"] in body


def test_oneline_output_is_read_as_lines():
    one = [r for i, r in LISTINGS if r["argv"][1:2] == ["-o"] and "policy" in r["cmd"]][0]
    text = annotate(one["stdout"])
    assert "\\" not in text.replace("\\\\", "")
    assert all(notes for _, notes in annotate_lines(one["stdout"]))


# ---- what explain - must not say (judged against ip's own lines) ---------------------------

STATS = [(i, r) for i, r in LISTINGS if "anti-replay context: seq" in r["stdout"]]


def test_there_are_listings_with_an_anti_replay_context():
    assert STATS


@pytest.mark.parametrize("rec", [r for _, r in LISTINGS], ids=_ids(LISTINGS))
def test_only_monitor_lines_are_called_monitor_events(rec):
    """ip prints "Deleted "/"Updated " only before monitor events (and -s listings never):
    an SA's header in a listing is no event."""
    for line, notes in annotate_lines(rec["stdout"]):
        for n in notes:
            if "monitor event" in n.meaning:
                assert re.match(r"\s*(Deleted|Updated) ", line), line


@pytest.mark.parametrize("rec", [r for _, r in STATS], ids=_ids(STATS))
def test_anti_replay_seq_is_not_an_acquires_sequence(rec):
    """ip -s prints the ACQUIRE's seq after replay-window (xfrm_state_info_print); the
    anti-replay context's "seq" and the ESN counters' ", seq" are the replay state's."""
    for line, notes in annotate_lines(rec["stdout"]):
        acquire = [n for n in notes if "ACQUIRE" in n.meaning]
        if acquire:
            assert re.search(r"replay-window \d+ seq 0x", line), line
        if "context: seq" in line:
            assert any("highest inbound" in n.meaning for n in notes) and not acquire, line


def test_a_line_explain_cannot_read_says_so():
    from pyip.explain.output import UNREAD, understood
    ip_s = STATS[0][1]["stdout"]
    rows = annotate_lines(ip_s + "no such line of ip's\n")
    assert understood(rows) and rows[-1][1] == []
    text = annotate(ip_s + "no such line of ip's\n")
    assert text.count("not read:") == 1 and UNREAD.split(":")[0] in text
    assert annotate("hello\n", as_json=True) == [{"line": "hello", "notes": [],
                                                  "unread": True}]
    assert not understood(annotate_lines("hello\nworld\n"))


# ---- the per-CPU SA's line (ip >= 6.19) -----------------------------------------------------

PCPU = [(i, r) for i, r in LISTINGS if "\tpcpu-num " in r["stdout"]]


def test_there_are_listings_with_a_per_cpu_sa():
    assert PCPU


@pytest.mark.parametrize("rec", [r for _, r in PCPU], ids=_ids(PCPU))
def test_the_pcpu_num_line_says_what_the_kernel_does_with_it(rec):
    (cpu,) = set(re.findall(r"\tpcpu-num (\d+)", rec["stdout"]))
    notes = [n for line, ns in annotate_lines(rec["stdout"]) for n in ns
             if line.strip().startswith("pcpu-num")]
    assert notes and all("what CPU %s sends goes out with it" % cpu in n.meaning
                         and "6.12.13" in n.meaning for n in notes), notes
