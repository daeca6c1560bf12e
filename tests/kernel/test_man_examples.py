"""The EXAMPLES of pyip-xfrm(8), run as a reader would: two hosts (network namespaces A and B
joined by a veth pair), each typing its block of the page, then traffic between the networks
behind them.  The kernel is the judge: the datagram must cross (routes into the tunnel
device have nowhere else to go), and ip itself must count it on the SAs."""
import ctypes
import os
import re
import shutil
import socket
import subprocess

import pytest

from golden.record import IP

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PAGE = os.path.join(ROOT, "man", "src", "pyip-xfrm", "50-examples.roff")
PYIP = shutil.which("pyip")


def example_blocks():
    """section title -> [the .EX blocks in it, as shell lines]."""
    with open(PAGE) as f:
        text = f.read()
    found = {}
    for section in re.split(r"^\.SS ", text, flags=re.M)[1:]:
        title = section.split("\n", 1)[0].replace("\\-", "-")
        blocks = re.findall(r"^\.EX\n(.*?)^\.EE", section, flags=re.M | re.S)
        found[title] = [shell_lines(b) for b in blocks]
    return found


def shell_lines(block):
    text = block.replace("\\e", "\\").replace("\\-", "-")
    return [" ".join(line.split()) for line in text.replace("\\\n", " ").splitlines()]


def sh(*argv):
    subprocess.run(argv, check=True, capture_output=True)


def two_hosts():
    """A at 192.0.2.1 with 10.1.0.1/16 behind it, B at 198.51.100.2 with 10.2.0.1/16, their
    eth0s joined; as the page's text says."""
    for ns in "AB":
        subprocess.run([IP, "netns", "del", ns], capture_output=True)
        sh(IP, "netns", "add", ns)
    sh(IP, "link", "add", "eth0", "netns", "A", "type", "veth", "peer", "name", "eth0",
       "netns", "B")
    for ns, me, peer, lan in (("A", "192.0.2.1", "198.51.100.2", "10.1.0.1/16"),
                              ("B", "198.51.100.2", "192.0.2.1", "10.2.0.1/16")):
        n = (IP, "-n", ns)
        sh(*n, "link", "set", "lo", "up")
        sh(*n, "addr", "add", me + "/32", "dev", "eth0")
        sh(*n, "link", "set", "eth0", "up")
        sh(*n, "route", "add", peer + "/32", "dev", "eth0")
        sh(*n, "link", "add", "lan", "type", "dummy")
        sh(*n, "addr", "add", lan, "dev", "lan")
        sh(*n, "link", "set", "lan", "up")


def type_block(ns, lines):
    """The pyip lines as one -batch in namespace ns (pyip -n enters it as ip does), then the
    ip lines (routes: not pyip's object) with the real ip."""
    batch = [l[len("pyip "):] for l in lines if l.startswith("pyip ")]
    r = subprocess.run([PYIP, "-n", ns, "-batch", "-"], input="\n".join(batch) + "\n",
                       capture_output=True, text=True)
    assert (r.returncode, r.stderr) == (0, ""), batch
    for l in lines:
        if l.startswith("ip "):
            sh(IP, "-n", ns, *l.split()[1:])


def enter(ns):
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open("/run/netns/" + ns, os.O_RDONLY)
    if libc.setns(fd, 0x40000000) != 0:     # CLONE_NEWNET
        raise OSError(ctypes.get_errno(), "setns")
    os.close(fd)


def in_namespace(ns, fn):
    """Fork a child that enters ns and exits with fn()'s status; its pid."""
    pid = os.fork()
    if pid == 0:
        try:
            enter(ns)
            os._exit(fn())
        except BaseException:
            os._exit(1)
    return pid


def udp_echo_crosses():
    """A datagram from 10.1.0.1 to B's 10.2.0.1 and B's answer back."""
    r, w = os.pipe()

    def echo():
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("10.2.0.1", 7007))
        os.write(w, b"r")
        s.settimeout(20)
        data, peer = s.recvfrom(100)
        s.sendto(b"echo " + data, peer)
        return 0

    def ask():
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("10.1.0.1", 0))
        s.settimeout(3)
        for _ in range(5):      # the first may be lost while neighbours resolve
            s.sendto(b"hello", ("10.2.0.1", 7007))
            try:
                return 0 if s.recv(100) == b"echo hello" else 2
            except socket.timeout:
                continue
        return 3

    b = in_namespace("B", echo)
    os.close(w)
    listening = os.read(r, 1) == b"r"
    os.close(r)
    if not listening:               # B could not listen
        os.waitpid(b, 0)
        return False
    _, a = os.waitpid(in_namespace("A", ask), 0)
    if a:
        os.kill(b, 9)
    _, b = os.waitpid(b, 0)
    return a == 0 and b == 0


def sa_bytes(ns):
    """spi -> bytes ip counts on the SA (ip -s: "lifetime current:" then "N(bytes)")."""
    out = subprocess.run([IP, "-n", ns, "-s", "xfrm", "state", "list"], check=True,
                         capture_output=True, text=True).stdout
    return {spi: int(n) for spi, n in
            re.findall(r"spi (0x[0-9a-f]+).*?lifetime current:\s*(\d+)\(bytes\)", out, re.S)}


@pytest.fixture
def hosts():
    two_hosts()
    yield
    for ns in "AB":
        subprocess.run([IP, "netns", "del", ns], capture_output=True)


XFRMI = "A route-based VPN over an xfrm interface"
VTI = "A route-based VPN over a VTI"


def blocks(title):
    on_a, on_b = example_blocks()[title]
    if not any(" xfrm state " in l for l in on_b):
        # "On B: the same two SAs (the same lines), and:"
        on_b = [l for l in on_a if " xfrm state " in l] + on_b
    return on_a, on_b


def changed(lines, where, old, new):
    """The lines, with old replaced by new in the one line containing where."""
    hits = [i for i, l in enumerate(lines) if where in l and old in l]
    assert len(hits) == 1, (where, old)
    return [l.replace(old, new) if i == hits[0] else l for i, l in enumerate(lines)]


@pytest.mark.parametrize("title", [XFRMI, VTI])
def test_the_pages_route_based_vpn_carries_traffic(hosts, title):
    on_a, on_b = blocks(title)
    type_block("A", on_a)
    type_block("B", on_b)
    assert udp_echo_crosses()
    counted = sa_bytes("A")
    assert len(counted) == 2 and all(counted.values()), counted


# What the page says ties the objects together, each tie broken (or relaxed) on host A.
@pytest.mark.parametrize("title,where,old,new,crosses", [
    # "a policy without if_id never matches traffic routed into an interface"
    (XFRMI, "dir out", " if_id 0x42", "", False),
    # "an outbound SA with a mark needs that one [the okey]"
    (VTI, "spi 0x2001", "mark 0x11", "mark 0x12", False),
    # "(an SA without a mark matches any flow ...)"
    (VTI, "spi 0x2001", " mark 0x11", "", True),
], ids=["xfrmi-out-policy-without-if_id", "vti-out-sa-other-mark", "vti-out-sa-no-mark"])
def test_what_the_page_says_ties_them_is_what_the_kernel_needs(hosts, title, where, old, new,
                                                                crosses):
    on_a, on_b = blocks(title)
    type_block("A", changed(on_a, where, old, new))
    type_block("B", on_b)
    assert udp_echo_crosses() == crosses
