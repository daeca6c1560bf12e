"""xfrm check, judged by traffic: two namespaces joined by a veth pair (a 10.0.0.1 --
b 10.0.0.2; fd00::1 -- fd00::2 for xfrmi6), each end's set-up applied by the REAL ip (so
the ping judges the kernel, not pyip), a ping from a to b's inner address through the
tunnel, then `pyip -n NS -j xfrm check` on both ends and `xfrm check -batch` on both
scripts.  A set-up whose ping passes must
have no error finding anywhere; one whose ping fails must have one, and the rule its
variant is made for (tests/check_cases.py).  The fwd set-ups ping from a third namespace,
c (192.168.3.1 on a dummy, 10.0.1.2 on vc0 -- vc at a), for which end a is the router."""
import contextlib
import ctypes
import json
import os
import shlex
import shutil
import subprocess

import pytest

from golden.record import IP
from pyip import links, netlink
from pyip.check import reading, report, rules
from tests.check_cases import CASES, FORWARDED, PEER, commands

PYIP = shutil.which("pyip")
PING = shutil.which("ping") or "/usr/bin/ping"
A, B, C = "chk-a", "chk-b", "chk-c"
CLONE_NEWNET = 0x40000000
CLI_CASES = ("xfrmi/a", "policy/tmpl-nosa.a")


def ip(*argv, check=True):
    p = subprocess.run([IP] + list(argv), capture_output=True, text=True)
    if check and p.returncode:
        raise AssertionError("ip %s: %s" % (" ".join(argv), p.stderr))
    return p


@pytest.fixture(scope="module")
def namespaces():
    """Two namespaces for all set-ups (making and deleting namespaces costs seconds each
    under TCG); `pair` clears what a set-up left."""
    assert os.path.exists(PING), "no ping: tests/vm/setup installs iputils-ping"
    for ns in (A, B, C):
        ip("netns", "del", ns, check=False)
        ip("netns", "add", ns)
        ip("-n", ns, "link", "set", "lo", "up")
    ip("-n", A, "link", "add", "va", "type", "veth", "peer", "name", "vb", "netns", B)
    ip("-n", A, "addr", "add", "10.0.0.1/24", "dev", "va")
    ip("-n", B, "addr", "add", "10.0.0.2/24", "dev", "vb")
    ip("-n", A, "addr", "add", "fd00::1/64", "dev", "va", "nodad")     # xfrmi6's outer
    ip("-n", B, "addr", "add", "fd00::2/64", "dev", "vb", "nodad")
    ip("-n", A, "link", "set", "va", "up")
    ip("-n", B, "link", "set", "vb", "up")
    # c, behind a: the fwd set-ups give a its end of vc (10.0.1.1/30) and the routes
    ip("-n", A, "link", "add", "vc", "type", "veth", "peer", "name", "vc0", "netns", C)
    subprocess.run([IP, "-n", C, "-batch", "-"], check=True, text=True, input=(
        "link set vc0 up\naddr add 10.0.1.2/30 dev vc0\nlink add lan0 type dummy\n"
        "link set lan0 up\naddr add 192.168.3.1/24 dev lan0\n"
        "route add default via 10.0.1.1 src 192.168.3.1\n"))
    ip("netns", "exec", A, "sysctl", "-qw", "net.ipv4.ip_forward=1")
    yield
    for ns in (A, B, C):
        ip("netns", "del", ns, check=False)


def made_links():
    """Every device a set-up script makes (`link add NAME ...`)."""
    names = set()
    for c in CASES:
        for path in (c.a, c.b):
            for line in commands(path):
                w = line.split()
                if w[:2] == ["link", "add"]:
                    names.add(w[2])
    return sorted(names)


CLEAN = "".join(["xfrm state flush\n", "xfrm policy flush\n", "route flush proto boot\n",
                 "addr flush dev vc\n", "xfrm policy setdefault in accept fwd accept out accept\n"] +
                ["link del %s\n" % name for name in made_links()])


@pytest.fixture
def pair(namespaces):
    for ns in (A, B):       # -force: a device this set-up did not make is no error
        subprocess.run([IP, "-n", ns, "-force", "-batch", "-"], input=CLEAN, text=True,
                       capture_output=True)
        ip("-n", ns, "-6", "route", "flush", "proto", "boot", check=False)   # CLEAN's is -4
    yield


@contextlib.contextmanager
def inside(ns):
    """This process in network namespace ns, and back: a pyip start costs seconds under
    TCG, so the live check runs in-process (the CLI is run on two cases, CLI_CASES)."""
    libc = ctypes.CDLL(None, use_errno=True)
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    there = os.open("/run/netns/" + ns, os.O_RDONLY)
    reset()
    try:
        assert libc.setns(there, CLONE_NEWNET) == 0, os.strerror(ctypes.get_errno())
        yield
    finally:
        reset()
        assert libc.setns(home, CLONE_NEWNET) == 0
        os.close(home)
        os.close(there)


def reset():
    for h in (netlink._rtnl, netlink._xfrm):
        if h is not None:
            h.close()
    netlink._rtnl = netlink._xfrm = None
    links.reset()


def live(ns):
    with inside(ns):
        model = reading.live()
        found = rules.run(model)
        report.counters(model, found)
    return [f.as_dict() for f in found]


def cli(ns):
    p = subprocess.run([PYIP, "-n", ns, "-j", "xfrm", "check"], capture_output=True,
                       text=True)
    assert p.stderr == ""
    found = json.loads(p.stdout)
    assert p.returncode == (1 if errors(found) else 0)
    return found


def static(path):
    return [{"rule": f.rule.id, "severity": f.severity}
            for f in rules.run(reading.script(path))]


def errors(found):
    return sorted({f["rule"] for f in found if f["severity"] == "error"})


def rule_ids(found):
    return {f["rule"] for f in found}


def judge(case, ping):
    """check's verdicts against the kernel's (the ping): nothing wrong at end b, live or
    static; at end a, an error live and static exactly when the ping fails, and the rule
    the case is made for.  Returns the four views (test_check_sadir.py judges with it too)."""
    assert (ping.returncode == 0) == case.passes, ping.stdout + ping.stderr
    views = {"live a": live(A), "static a": static(case.a),
             "live b": live(B), "static b": static(case.b)}
    assert errors(views["live b"]) == errors(views["static b"]) == [], views
    if case.passes:
        assert errors(views["live a"]) == errors(views["static a"]) == [], views
    else:
        assert errors(views["live a"]) and errors(views["static a"]), views
    if case.rule:
        assert case.rule in rule_ids(views["static a"]), views["static a"]
        assert case.live_rule in rule_ids(views["live a"]), views["live a"]
    return views


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_check_predicts_the_ping(pair, case):
    ip("-n", A, "-batch", case.a, check=case.passes)    # a broken script may stop early
    ip("-n", B, "-batch", case.b)
    ping_argv = [IP, "netns", "exec", C if case.setup in FORWARDED else A, PING, "-c", "2",
                 "-W", "1", "-i", "0.3", PEER[case.setup]]
    views = judge(case, subprocess.run(ping_argv, capture_output=True, text=True))
    if case.id in CLI_CASES:
        assert cli(A) == views["live a"]        # `pyip -n NS -j xfrm check`, exit status
    if case.fixed:      # the fix check prints, run by the real ip, mends the set-up
        for f in rules.run(reading.script(case.a)):
            if f.rule.id == case.rule:
                for line in f.fix.split("\n"):     # one command a line
                    for left, given in case.fill.items():
                        line = line.replace(left, given)
                    words = shlex.split(line)
                    assert words[0] == "ip", f.fix
                    ip("-n", A, *words[1:])
        assert subprocess.run(ping_argv, capture_output=True).returncode == 0
