"""Devices whose peer lives in a named namespace, live on this host's kernel: ip names it
("link-netns NAME", found by asking the nsid of each /var/run/netns entry) and takes
"link-netns NAME" / "link-netnsid ID" when adding one.  Each side runs in its own fresh
network and mount namespaces; lines starting with "!" are setup, run by the real ip."""
import os
import subprocess
import sys

import pytest

from tests.live.sides import NS, ROOT, traced_transcript, transcript
from tests.live.test_fuzz import requests
from tests.release_ip import release_ip

PAIR = ("link add va address 02:00:00:00:00:01 type veth peer name vb "
        "address 02:00:00:00:00:02 netns " + NS)

CASES = {
    "show": ["!" + PAIR, "link show", "link show va", "-d link show", "-o link show",
             "-j link show", "-br link show", "-s link show va", "-n %s link show" % NS],
    "add-link-netns": ["!" + PAIR, "link add vc address 02:00:00:00:00:03 link-netns %s type "
                       "veth peer name vd address 02:00:00:00:00:04" % NS, "link show vc",
                       "-d link show"],
    "add-link-netns-new-nsid": ["link add ve address 02:00:00:00:00:05 link-netns %s type veth "
                                "peer name vf address 02:00:00:00:00:06" % NS, "link show"],
    "add-link-netnsid": ["!" + PAIR, "link add vg address 02:00:00:00:00:07 link-netnsid 0 "
                         "type veth peer name vh address 02:00:00:00:00:08", "link show vg"],
    "errors": ["link add vi link-netns nosuch-%s type veth" % NS,
               "link add vj link-netnsid x type veth", "link add vk link-netnsid 0x80000000 type veth",
               "link add vl link-netns %s link-netnsid 0 type veth" % NS,
               "link add vm link-netnsid 0 link-netnsid 0 type veth"],
}


@pytest.mark.parametrize("case", list(CASES))
def test_link_netns_as_ip(pyip, case):
    assert transcript(pyip, CASES[case]) == transcript("ip", CASES[case])



# `link DEV` beside link-netns / link-netnsid (iproute2 a597ab15, 6.12): up to 6.11 ip looks
# DEV up here; from 6.12 in the namespace named (RTM_GETLINK with IFLA_TARGET_NETNSID), and
# with `netns` as well, the nsid and DEV as that target namespace sees them (ip opens a
# socket there).  Each release's own binary (golden/releases.py; 6.1 the system's) and pyip
# following it, both under strace on this host's kernel: stdout, stderr, exit code and every
# request.  Namespaces: NS holds d0 and d1, NS + "b" is empty; h0 is here only.
MAC = "address 02:00:00:00:00:%02x"
SETUP = ["$ ip netns add %s" % NS, "$ ip netns add %sb" % NS,
         "$ ip -n %s link add d0 %s type ifb" % (NS, MAC % 0xd0),
         "$ ip -n %s link add d1 %s type ifb" % (NS, MAC % 0xd1),
         "$ ip link add h0 %s type ifb" % (MAC % 0x40)]
IN_NS = {
    "found there": ["link add i0 %s link-netns NS link d1 type ifb" % (MAC % 1),
                    "link add i1 %s link d0 link-netns NS type ifb" % (MAC % 2),
                    "-d link show"],
    "by nsid": ["!netns set NS 5", "link add i0 %s link-netnsid 5 link d1 type ifb" % (MAC % 1),
                "link add i1 %s link-netnsid 0x5 link h0 type ifb" % (MAC % 3),
                "link add i2 %s link-netnsid -1 link h0 type ifb" % (MAC % 2), "-d link show"],
    "not there": ["link add i0 link-netns NS link nosuch type ifb",
                  "link add i1 link-netns NS link h0 type ifb",
                  "link add i2 link-netns NS link bad/name type ifb",
                  "link add i3 link-netns NS link abcdefghijklmnopq type ifb",
                  "link add i4 link-netnsid 7 link d1 type ifb"],
    "no such namespace": ["link add i0 link-netns NSzz link d1 type ifb",
                          "link add i1 link-netns NSzz link d1 type ifb foo",
                          "link add i2 link-netns NS link d1 link-netnsid 0 type ifb"],
    "with netns": ["link add i0 %s netns NSb link-netns NS link d1 type ifb" % (MAC % 1),
                   "-n NSb -d link show", "!-n NS link set d0 netns NSb",
                   "link add i1 netns NSb link-netnsid 0 link d0 type ifb",
                   "link add i2 %s netns NSb link-netns NS type ifb" % (MAC % 2),
                   "link add i3 netns NSb link-netnsid 9 link d1 type ifb",
                   "link add i4 netns /etc/hostname link-netns NS link d1 type ifb"],
    "veth peers": ["link add v0 %s link-netns NS link d1 type veth peer name v1 %s"
                   % (MAC % 1, MAC % 2),
                   "link add v2 %s type veth peer name v3 %s link-netns NS link d0"
                   % (MAC % 3, MAC % 4),
                   "link add v4 %s type veth peer name v5 %s netns NSb link-netns NS link d0"
                   % (MAC % 5, MAC % 6),
                   "link add v6 type veth peer name v7 link-netnsid 0 link nosuch",
                   "-d link show", "-n NSb -d link show"],
    "set and -n": ["link set h0 link-netns NS link d1",
                   "-n NSb link add k0 %s link-netns NS link d1 type ifb" % (MAC % 1),
                   "-n NSb -d link show"],
}


def _lines(case):
    out = list(SETUP)
    for line in IN_NS[case]:
        line = line.replace("NS", NS)
        out.append("$ ip " + line[1:] if line.startswith("!") else "ip " + line)
    return out


@pytest.mark.parametrize("release", ["6.1", "6.15", "7.3"])
@pytest.mark.parametrize("case", list(IN_NS))
def test_link_dev_in_link_netns_as_each_release(pyip, release, case):
    if os.geteuid() != 0:
        pytest.fail("the live tier needs root (unshare -n -m)")
    ip = release_ip(release)
    lines = _lines(case)
    want = traced_transcript(ip, lines)
    got = traced_transcript(pyip, lines, {"PYIP_IPROUTE2": release})
    for a, b in zip(want, got):
        if "setup" in a:
            assert b["rc"] == a["rc"] == 0, a["setup"]
            continue
        assert (b["stdout"], b["stderr"], b["rc"]) == (a["stdout"], a["stderr"], a["rc"]), \
            a["cmd"]
        assert requests(b) == requests(a), a["cmd"]


# The same through the Python API: a handle on one namespace (as `ip -n X`), `netns` naming
# another and `link-netns` a third: the device lands where the release's ip puts it, with the
# nsids that ip's requests leave behind (6.1: the handle's namespace asks and assigns them,
# from 6.12 the target's), whatever thread the handle runs on.
_API = r"""
import subprocess, sys
sys.path.insert(0, sys.argv[1])
release, ip = sys.argv[2], sys.argv[3]
def sh(c):
    return subprocess.run(c, shell=True, capture_output=True, text=True)
for c in ["ip link set lo up", "ip netns add {0}a", "ip netns add {0}b", "ip netns add {0}x",
          "ip -n {0}a link add d1 address 02:00:00:00:00:d1 type ifb"]:
    assert sh(c.format(NS)).returncode == 0, c
words = ("link add i0 address 02:00:00:00:00:01 netns {0}b link-netns {0}a link d1 "
         "type ifb").format(NS).split()
if ip == "api":
    import pyip
    try:
        pyip.IP(netns=NS + "x", iproute2=release).run(words)
        said = "0 "
    except pyip.IpError as e:
        said = "%d %s" % (e.code, e)
else:
    p = subprocess.run([ip, "-n", NS + "x"] + words, capture_output=True, text=True)
    said = "%d %s" % (p.returncode, p.stderr.strip())
print(said)
for c in ["ip -n {0}b -d link show", "ip -n {0}b netns list-id", "ip -n {0}x netns list-id"]:
    print(sh(c.format(NS)).stdout)
""".replace("NS", repr(NS))


@pytest.mark.parametrize("release", ["6.1", "6.15", "7.3"])
def test_api_handle_puts_the_device_where_ip_does(release):
    if os.geteuid() != 0:
        pytest.fail("the live tier needs root (unshare -n -m)")
    ip = release_ip(release)

    def run(who):
        try:
            p = subprocess.run(["unshare", "-n", "-m", "--propagation", "private",
                                sys.executable, "-c", _API, ROOT, release, who],
                               capture_output=True, text=True, timeout=120)
        finally:
            for suffix in "abx":
                if os.path.exists("/var/run/netns/" + NS + suffix):
                    os.unlink("/var/run/netns/" + NS + suffix)
        assert p.returncode == 0, p.stderr
        return p.stdout
    want = run(ip)
    assert run("api") == want
    assert ("i0:" in want) == (release != "6.1")
