"""The route-based VPNs `pyip explain` (no words) shows, run as printed on both ends in two
namespaces of Debian's 6.1 kernel: pings pass through the tunnel, encrypted (the out SA
counts them); and what the relation texts say breaks it does break it -- an out SA or policy
without the interface's if_id, an out policy without the VTI's okey as mark, an out SA with
another mark, an in policy without the ikey -- while an out SA without any mark still
works, as the okey text says.  disable_policy stays unset throughout."""
import shlex
import subprocess

import pytest

from golden.record import IP
from pyip.explain.overview import SITES, vpn

KEYS = {"$KEY_AB": "00112233445566778899aabbccddeeff00112233",
        "$KEY_BA": "ffeeddccbbaa99887766554433221100ffeeddcc"}
NS = {"A": "pyipxa", "B": "pyipxb"}
LAN = {"A": "10.1.0.1/16", "B": "10.2.0.1/16"}


def sh(*args, check=True):
    p = subprocess.run(list(args), capture_output=True, text=True, timeout=120)
    if check and p.returncode:
        raise AssertionError("%s: %s%s" % (" ".join(args), p.stdout, p.stderr))
    return p


def ip(end, line, check=True):
    """One printed command (a line starting "ip "), run with the real ip in end's netns."""
    for k, v in KEYS.items():
        line = line.replace(k, v)
    return sh(IP, "-n", NS[end], *shlex.split(line)[1:], check=check)


@pytest.fixture
def sites():
    for end in ("A", "B"):
        sh(IP, "netns", "add", NS[end])
    try:
        sh(IP, "link", "add", "eth0", "netns", NS["A"], "type", "veth", "peer", "name",
           "eth0", "netns", NS["B"])
        for end in ("A", "B"):
            for line in ("ip link set lo up", "ip addr add %s/24 dev eth0" % SITES[end][0],
                         "ip link set eth0 up", "ip link add lan type dummy",
                         "ip addr add %s dev lan" % LAN[end], "ip link set lan up"):
                ip(end, line)
        yield
    finally:
        for end in ("A", "B"):
            sh(IP, "netns", "del", NS[end], check=False)


def ping():
    src, dst = LAN["A"].split("/")[0], LAN["B"].split("/")[0]
    return sh(IP, "netns", "exec", NS["A"], "ping", "-c", "2", "-W", "1", "-i", "0.3", "-I",
              src, dst, check=False).returncode == 0


def out_sa_packets(end, spi):
    text = sh(IP, "-n", NS[end], "-s", "xfrm", "state").stdout
    block = text.split("spi %s(" % spi)[1].split("\nsrc ")[0]
    return int(block.split("lifetime current:")[1].split("(bytes), ")[1].split("(")[0])


@pytest.mark.parametrize("kind", ["xfrm", "vti"])
def test_overview_vpn_carries_traffic_encrypted(sites, kind):
    for end in ("A", "B"):
        for line in vpn(kind, end):
            ip(end, line)
    assert ping()
    spi = "0x00001001" if kind == "xfrm" else "0x00002001"
    assert out_sa_packets("A", spi) >= 2


def run_changed(kind, change):
    """Both ends as printed, but A's command number i changed by change[i](line)."""
    for end in ("A", "B"):
        for i, line in enumerate(vpn(kind, end)):
            if end == "A" and i in change:
                line = change[i](line)
            ip(end, line)


def without(words):
    def edit(line):
        assert " %s " % words in line + " "
        return (line + " ").replace(" %s " % words, " ").rstrip()
    return edit


def test_xfrm_out_sa_without_the_interfaces_if_id_is_not_used(sites):
    run_changed("xfrm", {3: without("if_id 42")})
    assert not ping()


def test_xfrm_out_policy_without_the_interfaces_if_id_does_not_match(sites):
    run_changed("xfrm", {5: without("if_id 42")})
    assert not ping()


def test_vti_out_policy_without_okey_as_mark_does_not_match(sites):
    run_changed("vti", {5: without("mark 7")})
    assert not ping()


def test_vti_out_sa_with_another_mark_is_not_used(sites):
    run_changed("vti", {3: lambda line: line.replace(" mark 7 ", " mark 8 ")})
    assert not ping()


def test_vti_out_sa_without_mark_is_used(sites):
    """As the okey text says: an SA without mark matches any mark, the VTI's too."""
    run_changed("vti", {3: without("mark 7")})
    assert ping()


def test_vti_in_policy_without_ikey_as_mark_drops_what_arrives(sites):
    run_changed("vti", {6: without("mark 7")})
    assert not ping()
