"""ip link show, live on this host's kernel: veth pairs and a bridge (the kinds this kernel
has), each show form run by the real ip and by pyip on the same namespace."""
import subprocess

import pytest

VETH = [
    "link add va type veth peer name vb",
    "link set va up",
    "link set vb mtu 1400 alias peer-side group 7 promisc on",
]
# pyip prints no bridge/bridge_slave options (-d): the bridge is only used without -d
# mcast_snooping 0: with snooping on, an up bridge counts a TX drop or two in its first second,
# which landed between the two runs of -s -s once (CI, stop 27)
BRIDGE = VETH + ["link add br0 type bridge mcast_snooping 0", "link set va master br0", "link set br0 up"]
FORMS = [
    (BRIDGE, "link"), (BRIDGE, "link show"), (BRIDGE, "-o link show"),
    (BRIDGE, "-br link show"), (BRIDGE, "-s link show"), (BRIDGE, "-s -s link show"),
    (BRIDGE, "-j link show"), (BRIDGE, "-j -p link show"), (BRIDGE, "-br -j link show"),
    (BRIDGE, "link show up"), (BRIDGE, "link show master br0"),
    (BRIDGE, "link show type veth"), (BRIDGE, "link show type bridge_slave"),
    (BRIDGE, "link show group 7"), (BRIDGE, "link show dev vb"), (BRIDGE, "link show nomaster"),
    (BRIDGE, "link show nosuch"), (BRIDGE, "-c=always link show"),
    (BRIDGE, "-c=always -br link show"),
    (VETH, "-d link show"), (VETH, "-j -d -s -s link show"), (VETH, "-d -o link show"),
    (VETH, "-d link show vb"), (VETH, "-j -d link show va"), (VETH, "-N -d link show vb"),
    (VETH, "-j -p -d link show"),
]


def run(argv):
    p = subprocess.run(argv, capture_output=True)
    return p.stdout, p.stderr, p.returncode


@pytest.mark.parametrize("setup,form", FORMS, ids=[f for _, f in FORMS])
def test_link_show_matches_ip_on_this_kernel(netns, pyip, setup, form):
    for line in setup:
        subprocess.run(["ip"] + line.split(), check=True)
    # -s: nothing here sends (vb is down, so va has no carrier), and the counters stay put
    assert run([pyip] + form.split()) == run(["ip"] + form.split())
