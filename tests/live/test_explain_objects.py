"""explain's typed request objects against the kernel: what `pyip -j explain ip xfrm ...`
says a command makes is what `pyip -j xfrm ... list` shows after the real ip ran it -- less
what the kernel fills in (a policy's index, its ptype "main" where none was given)."""
import json
import subprocess

import pytest

POLICIES = [
    "xfrm policy add src 10.0.0.0/24 dst 10.1.0.0/24 proto tcp dport 80 dir out priority 7 "
    "mark 5 tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 9 mode tunnel",
    "xfrm policy add src 2001:db8::/64 dst 2001:db8:1::/64 dir in action block ptype sub "
    "if_id 0x17 flag localok",
    "xfrm policy add dir fwd src 10.2.0.0/16 dst 10.3.0.0/16 proto icmp type 8 code 0 "
    "tmpl proto esp mode transport level use "
    "tmpl src 1.2.3.4 dst 5.6.7.8 proto ah spi 0x100 reqid 3 mode tunnel",
    "xfrm policy add src 10.9.0.0/16 dst 0.0.0.0/0 proto gre key 7 dir out limit time-soft 60 "
    "limit byte-hard 1000",
]


def pyip_json(pyip, words):
    p = subprocess.run([pyip, "-j"] + words.split(), capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


@pytest.mark.parametrize("line", POLICIES)
def test_explained_policy_is_the_listed_policy(netns, pyip, line):
    explained = pyip_json(pyip, "explain " + line)["objects"]
    subprocess.run(["ip"] + line.split(), check=True)
    listed = pyip_json(pyip, "xfrm policy list")
    assert len(explained) == 1 and len(listed) == 1
    want, got = explained[0]["object"], listed[0]
    want.pop("index"), got.pop("index")
    if "ptype" not in want:
        assert got.pop("ptype") == "main"
    assert want == got


def test_explained_larval_sa_is_the_listed_sa(netns, pyip):
    line = "xfrm state allocspi src 10.0.0.1 dst 10.0.0.2 proto esp mode tunnel reqid 4 " \
           "mark 3 min 0x1000 max 0x1000"
    explained = pyip_json(pyip, "explain " + line)["objects"][0]["object"]
    subprocess.run(["ip"] + line.split(), check=True, stdout=subprocess.DEVNULL)
    listed = pyip_json(pyip, "xfrm state list")
    assert len(listed) == 1
    got = listed[0]
    # allocspi's request names the range, the kernel picks the SPI (here the only one)
    assert explained["min"] == explained["max"] == got["spi"]
    state = explained["state"]
    for field in ("src", "dst", "proto", "mode", "reqid", "mark"):
        assert state[field] == got[field], field
