"""ip -echo: for link add/set/delete, ip asks the kernel to echo what it made (NLM_F_ECHO)
and prints that answer as `link show` would, less what only `link show` prints; other
commands ignore the option.  Beside the real ip, requests included (under strace)."""
import pytest

from golden.record import record_case
from tests.live.test_fuzz import requests

MAC = "address 02:00:00:00:00:%02x"
CASES = {
    "add": ["link add d0 %s type ifb" % (MAC % 1)],
    "set, which the kernel does not echo": ["!link add d0 type ifb", "link set d0 mtu 1400"],
    "delete": ["!link add d0 %s type ifb" % (MAC % 1), "link del d0"],
    "options": ["-j link add d0 %s type ifb" % (MAC % 1), "-j -p link add d1 %s type ifb"
                % (MAC % 2), "-o link add d2 %s type ifb" % (MAC % 3),
                "-br link add d3 %s type ifb" % (MAC % 4), "-d -s link add d4 %s type ifb"
                % (MAC % 5), "-c link add d5 %s type ifb" % (MAC % 6)],
    "a device outside group 0": ["link add d0 %s group 5 type ifb" % (MAC % 1)],
    "kinds": ["-d link add v0 %s type veth peer name v1 %s" % (MAC % 1, MAC % 2),
              "-d link add x0 type xfrm dev lo if_id 3", "-d link add t0 type vti remote 1.1.1.1"],
    "a failure": ["!link add d0 type ifb", "link add d0 type ifb", "link set nosuch up"],
    "xfrm ignores it": ["xfrm policy add src 1.0.0.0/8 dst 2.0.0.0/8 dir out",
                        "xfrm policy list", "xfrm state count"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_echo_prints_what_the_kernel_echoes(netns, pyip, name):
    commands = []
    for line in CASES[name]:
        commands.append("ip " + line[1:] if line[0] == "!" else "ip -echo " + line)
    ip = record_case(commands)
    py = record_case(commands, traced=pyip)         # both under strace: the requests too
    for a, b in zip(ip, py):
        assert (b["stdout"], b["stderr"], b["rc"]) == (a["stdout"], a["stderr"], a["rc"]), \
            a["cmd"]
        assert requests(b) == requests(a), a["cmd"]
