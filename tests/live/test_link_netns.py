"""Devices whose peer lives in a named namespace, live on this host's kernel: ip names it
("link-netns NAME", found by asking the nsid of each /var/run/netns entry) and takes
"link-netns NAME" / "link-netnsid ID" when adding one.  Each side runs in its own fresh
network and mount namespaces; lines starting with "!" are setup, run by the real ip."""
import json
import os
import subprocess
import sys

import pytest

NS = "pyip-live-%d" % os.getpid()
PAIR = ("link add va address 02:00:00:00:00:01 type veth peer name vb "
        "address 02:00:00:00:00:02 netns " + NS)

_DRIVER = r"""
import json, subprocess, sys
binary, lines = sys.argv[1], json.loads(sys.argv[2])
out = []
for line in lines:
    b = binary
    if line.startswith("!"):
        b, line = "ip", line[1:]
    p = subprocess.run([b] + line.split(), capture_output=True)
    out.append([line, p.returncode, p.stdout.decode("utf-8", "replace"),
                p.stderr.decode("utf-8", "replace")])
json.dump(out, sys.stdout)
"""


def transcript(binary, lines):
    lines = ["!netns add " + NS] + lines + ["!netns del " + NS]
    try:
        p = subprocess.run(["unshare", "-n", "-m", "--propagation", "private", sys.executable,
                            "-c", _DRIVER, binary, json.dumps(lines)], capture_output=True,
                           text=True, check=True, timeout=60)
    finally:
        # the namespace's mount was private to the run; its file under /var/run/netns is not
        path = "/var/run/netns/" + NS
        if os.path.exists(path):
            os.unlink(path)
    return json.loads(p.stdout)


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
