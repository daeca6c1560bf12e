"""What a lab script does with pyip.IP beside run() (issue 23), against this host's kernel in
namespaces of pyip's own pytest fixtures (pyip.pytest_plugin): check() as data equals
`pyip -j xfrm check`; monitor() yields what the real `ip xfrm monitor` prints, read back into
objects by tests/xfrm_text.py (as the JSON tests read it), and stops every way it should;
address, route and netns are the real ip's text."""
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

import pyip
from tests import xfrm_text as T
from tests.live.test_check_live import SCRIPTS
from tests.xfrm_text import agrees


def ip(*argv):
    p = subprocess.run(["ip"] + list(argv), capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


# ---- the fixtures --------------------------------------------------------------------------

MADE = []


def test_fixtures_give_a_fresh_named_namespace_and_a_handle_in_it(pyip_netns, pyip_ip,
                                                                   pyip_netns_factory):
    other = pyip_netns_factory("lab")
    listed = ip("netns", "list")[1]
    assert pyip_netns in listed and other in listed and other.startswith("lab-")
    assert pyip_ip.netns == pyip_netns
    assert [l.ifname for l in pyip_ip.links()] == ["lo"]
    assert pyip_ip.xfrm_policies() == [] and pyip_ip.xfrm_states() == []
    MADE.extend([pyip_netns, other])


def test_fixtures_deleted_their_namespaces():
    assert len(MADE) == 2
    listed = ip("netns", "list")[1]
    assert not any(n in listed for n in MADE)


# ---- check ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_check_returns_what_j_xfrm_check_prints(pyip_ip, pyip_netns, name):
    for line in SCRIPTS[name]:
        assert ip("-n", pyip_netns, *line.split())[0] == 0
    found = pyip_ip.check()
    p = subprocess.run(["pyip", "-n", pyip_netns, "-j", "xfrm", "check"], capture_output=True,
                       text=True)
    assert [f.as_dict() for f in found] == json.loads(p.stdout)
    assert bool(found) == (name != "nothing wrong")
    for f in found:
        assert (f.rule, f.severity, f.fix) == (f.as_dict()["rule"], f.as_dict()["severity"],
                                              f.as_dict()["fix"])
    if any(f.severity == "error" for f in found):
        text = subprocess.run(["pyip", "-n", pyip_netns, "xfrm", "check"], capture_output=True,
                              text=True).stdout
        with pytest.raises(pyip.IpError) as e:
            pyip_ip.run("xfrm check")
        assert (e.value.code, e.value.output, str(e.value)) == (1, text, text.rstrip("\n"))


# ---- monitor -------------------------------------------------------------------------------

EVENTS = [
    "xfrm policy add src 10.0.0.0/24 dst 10.0.1.0/24 dir out priority 5 "
    "tmpl src 1.1.1.1 dst 2.2.2.2 proto esp mode tunnel",
    "xfrm policy update src 10.0.0.0/24 dst 10.0.1.0/24 dir out priority 6 mark 5 if_id 3",
    "xfrm policy delete src 10.0.0.0/24 dst 10.0.1.0/24 dir out mark 5 if_id 3",
    "xfrm policy add src ::/0 dst 2001:db8::/64 proto ipv6-icmp type 128 dir fwd ptype sub",
    "xfrm policy flush ptype sub",
    "xfrm policy setdefault in block",
    "xfrm state allocspi src 10.0.0.1 dst 10.0.0.4 proto esp mark 7 mask 0xff",
    "xfrm state deleteall",
]
_EVENT = {"Deleted": "deleted", "Updated": "updated", "Expired": "expired", "src": None}


def _as_text_says(lines, e):
    """Event e (an object of the API) says what ip's text `lines` of it says."""
    first = lines[0].split()[0]
    if first == "Flushed":
        words = lines[0].split()
        assert isinstance(e, pyip.Flush) and e.object == words[1]
        assert e.as_dict() == ({"object": "policy", "ptype": words[3]} if words[1] == "policy"
                               else {"object": "state", "proto": words[3]})
    elif first == "Default":
        assert isinstance(e, pyip.DefaultPolicy)
        assert e.as_dict() == T.defaults("\n".join(lines))
    else:
        assert e.event == _EVENT[first]
        lines = [lines[0].split(" ", 1)[1] if first != "src" else lines[0]] + lines[1:]
        if isinstance(e, pyip.XfrmState):
            agrees(T.state(lines)[0], e.as_dict())
        else:
            assert isinstance(e, pyip.XfrmPolicy)
            agrees(T.policy(lines), e.as_dict())


def test_monitor_events_are_what_ip_xfrm_monitor_prints(pyip_ip, pyip_netns):
    real = subprocess.Popen(["ip", "-n", pyip_netns, "xfrm", "monitor"], stdout=subprocess.PIPE,
                            text=True)
    with pyip_ip.monitor(timeout=1.5) as events:
        time.sleep(0.5)                 # ip subscribed too
        for cmd in EVENTS:
            assert ip("-n", pyip_netns, *cmd.split())[0] == 0
        got = list(events)
    time.sleep(0.2)
    real.terminate()
    texts = T.objects(real.communicate()[0])
    assert len(texts) == len(got) >= 7
    for lines, e in zip(texts, got):
        _as_text_says(lines, e)


def test_monitor_groups_are_ip_s_words(pyip_ip, pyip_netns):
    with pyip_ip.monitor("policy", timeout=0.5) as events:
        for cmd in EVENTS:
            ip("-n", pyip_netns, *cmd.split())
        got = list(events)
    assert got and all(isinstance(e, (pyip.XfrmPolicy, pyip.Flush, pyip.DefaultPolicy))
                       for e in got)
    with pytest.raises(pyip.IpError) as e:
        pyip_ip.monitor("sideways")
    assert e.value.message == ip("xfrm", "monitor", "sideways")[2]


def test_monitor_stops_on_timeout_stop_with_and_ctrl_c(pyip_ip, pyip_netns):
    t0 = time.monotonic()
    assert list(pyip_ip.monitor(timeout=0.3)) == []
    assert 0.3 <= time.monotonic() - t0 < 2

    m = pyip_ip.monitor()
    got = []
    t = threading.Thread(target=lambda: got.extend(m))     # iterated on a thread
    t.start()
    time.sleep(0.3)
    ip("-n", pyip_netns, *EVENTS[0].split())
    time.sleep(0.3)
    m.stop()
    t.join(5)
    assert not t.is_alive() and [type(e) for e in got] == [pyip.XfrmPolicy]
    assert list(m) == []

    with pyip_ip.monitor() as m:
        pass
    assert list(m) == []                # left the with block: closed

    ran = []
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        try:
            with pyip_ip.monitor() as m:
                for _ in m:
                    pass
        finally:
            ran.append("finally")
    assert ran == ["finally"] and list(m) == []


def test_run_xfrm_monitor_on_a_thread_is_no_internal_error(pyip_netns):
    # pyip.IP.run("xfrm monitor") listens until the process ends (and returns its text
    # then): a child process holds it
    code = ("import threading, pyip\n"
            "h = pyip.IP(%r)\n"
            "t = threading.Thread(target=h.run, args=('xfrm monitor', True), daemon=True)\n"
            "t.start(); t.join(1.5); print('alive' if t.is_alive() else 'ended')\n"
            % pyip_netns)
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=20)
    assert (p.stdout, p.stderr) == ("alive\n", "")       # listening, not "internal error"


# ---- what the system's ip answers ------------------------------------------------------------

LAB = ["link add d0 type veth peer name d1", "link set d0 up", "address add 10.7.0.1/24 dev d0",
       "route add 10.8.0.0/16 via 10.7.0.2", "-6 address add 2001:db8::1/64 dev d0 nodad"]
SHOWN = ["address", "-br address show dev d0", "route", "-j route show", "-6 route",
         "netns list-id", "neigh"]
FAILING = ["route add 10.9.0.0/16 via 10.99.0.1", "address add 10.7.0.1/24 dev d0",
           "address show dev nosuch", "route bogus"]


def test_address_route_netns_through_a_handle_are_ip_s(pyip_ip, pyip_netns):
    for cmd in LAB:
        pyip_ip.run(cmd)
    for cmd in SHOWN:
        rc, want, _ = ip("-n", pyip_netns, *cmd.split())
        assert rc == 0 and pyip_ip.run(cmd) == want, cmd
    for cmd in FAILING:
        rc, _, err = ip("-n", pyip_netns, *cmd.split())
        with pytest.raises(pyip.IpError) as e:
            pyip_ip.run(cmd)
        assert (e.value.message, e.value.code) == (err, rc) and rc != 0, cmd
    assert ip("route")[1] == pyip.IP().run("route")      # the caller's namespace: the host's


def test_run_n_other_hands_over_in_the_other_namespace(pyip_ip, pyip_netns, pyip_netns_factory,
                                                       tmp_path):
    other = pyip_netns_factory()
    pyip_ip.run("-n %s address add 10.9.9.9/32 dev lo" % other)
    assert pyip_ip.run("-n %s -br address show dev lo" % other) == \
        ip("-n", other, "-br", "address", "show", "dev", "lo")[1]
    assert "10.9.9.9" not in pyip_ip.run("address show dev lo")
    script = tmp_path / "lab.batch"
    script.write_text("address add 10.8.8.8/32 dev lo\nxfrm policy count\naddress show dev lo\n")
    text = pyip_ip.run(["-n", other, "-batch", str(script)])
    assert "10.8.8.8" in text and "SPD IN" in text
    assert "10.8.8.8" in ip("-n", other, "address", "show", "dev", "lo")[1]
    assert "10.8.8.8" not in ip("-n", pyip_netns, "address", "show", "dev", "lo")[1]


def test_ctrl_c_in_run_xfrm_monitor_is_the_programs_keyboard_interrupt(pyip_netns):
    code = ("import os, signal, threading, pyip\n"
            "threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT)).start()\n"
            "try:\n"
            "    pyip.IP(%r).run('xfrm monitor')\n"
            "except KeyboardInterrupt:\n"
            "    print('KeyboardInterrupt')\n"
            "finally:\n"
            "    print('finally')\n" % pyip_netns)
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=20)
    assert (p.returncode, p.stdout, p.stderr) == (0, "KeyboardInterrupt\nfinally\n", "")
