"""pyip explain - on what the real ip printed (golden/rec): every line of every recorded
xfrm state/policy listing, and of ip -d link show for xfrm and vti devices, is annotated,
and the annotations agree with what ip itself printed beside them."""
import re

import pytest

from pyip.explain.output import annotate, annotate_lines
from tests.replay import recordings

LISTINGS = [(i, r) for i, r in recordings()
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
