"""ip xfrm monitor and pyip xfrm monitor, side by side on the host kernel: the same
namespace, the same events (caused with the real ip), the same lines."""
import signal
import subprocess
import time

import pexpect
import pytest

EVENTS = [
    "ip xfrm policy add src 10.0.0.0/24 dst 10.0.1.0/24 dir out priority 5 "
    "tmpl src 1.1.1.1 dst 2.2.2.2 proto esp mode tunnel",
    "ip xfrm policy update src 10.0.0.0/24 dst 10.0.1.0/24 dir out priority 6 mark 5 if_id 3",
    "ip xfrm policy delete src 10.0.0.0/24 dst 10.0.1.0/24 dir out mark 5 if_id 3",
    "ip xfrm state flush",
    "ip xfrm policy add src ::/0 dst 2001:db8::/64 proto ipv6-icmp type 128 dir fwd ptype sub",
    "ip xfrm policy flush ptype sub",
    "ip xfrm policy setdefault in block",
    "ip xfrm state allocspi src 10.0.0.1 dst 10.0.0.4 proto esp mark 7 mask 0xff",
    "ip xfrm state deleteall",
]


def transcript(argv_ip, argv_py, events):
    ip = pexpect.spawn(argv_ip[0], argv_ip[1:], encoding="utf-8", timeout=5)
    py = pexpect.spawn(argv_py[0], argv_py[1:], encoding="utf-8", timeout=5)
    time.sleep(1.0)                     # both subscribed before the first event
    for e in events:
        subprocess.run(e.split(), check=True, stdout=subprocess.DEVNULL)
    time.sleep(0.5)
    texts = []
    for child in (ip, py):
        child.expect(pexpect.TIMEOUT, timeout=1.0)
        texts.append(child.before)
        child.kill(signal.SIGTERM)
        child.close()
    return texts


@pytest.mark.parametrize("args", [[], ["-o"], ["-s"], ["-s", "-s"]], ids=["plain", "o", "s", "ss"])
def test_monitor_prints_what_ip_prints(netns, pyip, args):
    ip_text, py_text = transcript(["ip"] + args + ["xfrm", "monitor"],
                                  [pyip] + args + ["xfrm", "monitor"], EVENTS)
    assert "Flushed policy ptype sub" in ip_text
    assert py_text == ip_text


@pytest.mark.parametrize("objects", [["policy"], ["SA"], ["acquire", "expire"], ["all"]])
def test_monitor_objects_select_groups(netns, pyip, objects):
    ip_text, py_text = transcript(["ip", "xfrm", "monitor"] + objects,
                                  [pyip, "xfrm", "monitor"] + objects, EVENTS)
    assert py_text == ip_text


def _until_reader_goes(cmd):
    # head leaves after its first line, but the monitor only learns it on its next write:
    # keep causing events, as a live system would, until the pipeline is over
    subprocess.run(["ip", "xfrm", "policy", "flush"], check=True)
    p = subprocess.Popen(cmd + "; echo ${PIPESTATUS[0]}", shell=True, executable="/bin/bash",
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1.0)
    for i in range(100):
        if p.poll() is not None:
            break
        subprocess.run(EVENTS[i % 3].split(), check=True, stdout=subprocess.DEVNULL)
        time.sleep(0.1)
    out, err = p.communicate(timeout=10)
    return p.returncode, out, err


def test_monitor_ends_quietly_when_its_reader_goes(netns, pyip):
    ip_end = _until_reader_goes("ip xfrm monitor | head -1")
    py_end = _until_reader_goes("%s xfrm monitor | head -1" % pyip)
    assert py_end[1].startswith(b"src 10.0.0.0/24 dst 10.0.1.0/24")
    assert py_end == ip_end


def _dispositions(ignore_int):
    def set_them():
        signal.signal(signal.SIGINT, signal.SIG_IGN if ignore_int else signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    return set_them


@pytest.mark.parametrize("ignored", [False, True], ids=["from-a-terminal", "sigint-ignored"])
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_monitor_ends_on_signal_like_ip(netns, pyip, sig, ignored):
    # a shell's background job inherits SIGINT ignored: ip then keeps running on SIGINT
    codes = []
    for argv in (["ip", "xfrm", "monitor"], [pyip, "xfrm", "monitor"]):
        p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             preexec_fn=_dispositions(ignored))
        time.sleep(0.8)
        p.send_signal(sig)
        try:
            out, err = p.communicate(timeout=3)
        except subprocess.TimeoutExpired:
            p.kill()
            out, err = p.communicate()
            codes.append(("still running", out, err))
            continue
        codes.append((p.returncode, out, err))
    assert codes[1] == codes[0]
