"""Commands pyip hands to the system's ip (pyip/delegate.py) reach the kernel as ip's own do:
each case is run by ip and by pyip, both under strace as the golden recorder runs ip, each
in a fresh network namespace of this host's kernel, and what they print, their status and
every netlink request they send must be equal -- pyip sends nothing before it hands over (no
RTM_NEWLINK probe, no device look-up) and prints nothing.  (This host's kernel has bridges
and VXLANs, not bonds: ip's requests for a bond are sent all the same, and refused.)"""
import re

import pytest

from golden.record import record_case
from tests.replay import masked

CASES = {
    "bond-add": ["ip link add bond0 type bond mode active-backup miimon 100"],
    "bond-add-with-device-options": [
        "ip link add name bond1 mtu 1400 txqueuelen 50 up type bond mode 802.3ad"],
    "bridge-set-options": ["$ ip link add br0 type bridge",
                           "ip link set br0 type bridge stp_state 1 hello_time 300",
                           "ip link set dev br0 up type bridge ageing_time 1000"],
    "bridge-add-with-master": ["$ ip link add br0 type bridge",
                               "ip link add br1 master br0 type bridge priority 7"],
    "vxlan-add": ["$ ip link add d0 type dummy",
                  "ip link add vx0 type vxlan id 42 dstport 4789 nolearning"],
    "kind-help": ["ip link add type bridge help", "ip link help bond",
                  "ip link help vxlan"],
    "xdp-object": ["$ ip link add br0 type bridge",
                   "ip link set dev br0 xdp object /nonexistent.o"],
    "xstats": ["$ ip link add br0 type bridge", "ip link xstats type bridge"],
    "vf": ["$ ip link add br0 type bridge", "ip link set dev br0 vf 0 mac 02:00:00:00:00:01"],
    "objects-outside-pyip": ["ip -br address show", "ip route show table all",
                             "ip -j -p rule show"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_handed_over_command_sends_what_ip_sends(pyip, name):
    commands = CASES[name]
    ip = record_case(commands)
    py = record_case(commands, traced=pyip)
    for a, b in zip(ip, py):
        if "setup" in a:
            continue
        assert (b["stdout"], b["stderr"], b["rc"]) == (a["stdout"], a["stderr"], a["rc"]), \
            a["cmd"]
        assert [[p, masked(bytes.fromhex(h), p).hex()] for p, h in b["sent"]] == \
            [[p, masked(bytes.fromhex(h), p).hex()] for p, h in a["sent"]], a["cmd"]



# `ip -d link show` of devices whose options pyip does not print (here a macvlan, beside a
# bridge with a port and a VXLAN, which it prints): pyip hands the whole command over before
# it prints a byte.  It has to see the devices to know, so its own probe and look-up (or
# dump) come first: ip's requests are the end of pyip's.  Without the macvlan, pyip prints
# it all itself, and its requests are ip's.
_DEVICES = ["$ ip link add br0 address 02:00:00:00:01:01 type bridge",
            "$ ip link add v0 address 02:00:00:00:01:02 type veth peer name v1"
            " address 02:00:00:00:01:03",
            "$ ip link set v0 master br0",
            "$ ip link add vx0 address 02:00:00:00:01:04 type vxlan id 42 dstport 4789"]
_SHOWS = ["ip -d link show", "ip -d -j link show", "ip -d -j -p link show",
          "ip -d link show dev v0", "ip -d -s link show br0",
          "ip -d link show type bridge_slave", "ip -d -o link show",
          "ip -br -d link show", "ip link show"]
DETAILS = {
    "macvlan-hands-over": _DEVICES + [
        "$ ip link add mv0 link v1 address 02:00:00:00:01:05 type macvlan mode bridge"] +
    _SHOWS + ["ip -d link show mv0", "ip -d -j link show type macvlan"],
    "bridge-port-vxlan-printed-by-pyip": _DEVICES + _SHOWS,
}


def _timers(text):
    """A bridge's running timers move from one run to the next."""
    return re.sub(r'(_timer"?:? *)[\d.]+', r"\1T", text)


@pytest.mark.parametrize("name", sorted(DETAILS))
def test_details_are_ips(pyip, name):
    commands = DETAILS[name]
    ip = record_case(commands)
    py = record_case(commands, traced=pyip)
    for a, b in zip(ip, py):
        if "setup" in a:
            continue
        assert (_timers(b["stdout"]), b["stderr"], b["rc"]) == \
            (_timers(a["stdout"]), a["stderr"], a["rc"]), a["cmd"]
        sent_ip = [[p, masked(bytes.fromhex(h), p).hex()] for p, h in a["sent"]]
        sent_py = [[p, masked(bytes.fromhex(h), p).hex()] for p, h in b["sent"]]
        if name.endswith("printed-by-pyip"):
            assert sent_py == sent_ip, a["cmd"]
        else:
            assert sent_py[len(sent_py) - len(sent_ip):] == sent_ip, a["cmd"]
