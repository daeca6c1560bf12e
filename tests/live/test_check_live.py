"""xfrm check reads what the kernel holds as it reads a script: the real ip applies a
policies-only script (this host's kernel has no ESP) in a fresh namespace, then check's live
findings must be the script's static findings -- the kernel's dump and pyip's own encoder
judged against each other."""
import json
import subprocess

import pytest

from golden.record import IP

SCRIPTS = {
    "no SA for the template": [
        "xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir out priority 5 tmpl src 1.1.1.1 "
        "dst 2.2.2.2 proto esp reqid 3 mode tunnel"],
    "a block policy shadows a narrower one": [
        "xfrm policy add src 10.1.1.0/24 dst 10.2.0.0/16 dir out priority 20 tmpl src 1.1.1.1 "
        "dst 2.2.2.2 proto esp reqid 3 mode tunnel",
        "xfrm policy add src 10.1.0.0/16 dst 10.0.0.0/8 dir out priority 10 action block"],
    "an if_id no interface carries": [
        "xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir in if_id 7 mark 0x5 mask 0xf"],
    "nothing wrong": [
        "xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir in"],
}


def findings(argv):
    p = subprocess.run(argv, capture_output=True, text=True)
    assert p.stderr == ""
    found = json.loads(p.stdout)
    assert p.returncode == (1 if any(f["severity"] == "error" for f in found) else 0)
    return [(f["rule"], f["severity"], f["objects"], f["detail"]) for f in found]


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_check_live_finds_what_check_batch_finds(netns, pyip, tmp_path, name):
    script = tmp_path / "setup.batch"
    script.write_text("\n".join(SCRIPTS[name]) + "\n")
    subprocess.run([IP, "-batch", str(script)], check=True)
    static = findings([pyip, "-j", "xfrm", "check", "-batch", str(script)])
    assert findings([pyip, "-j", "xfrm", "check"]) == static
    assert bool(static) == (name != "nothing wrong")


def live_model():
    """check's reading of this (fresh) namespace, in-process: sockets of an earlier test
    stay in that test's namespace, so they are closed first."""
    from pyip import links, netlink
    from pyip.check import reading
    netlink.close_all()
    links.reset()
    try:
        return reading.live()
    finally:
        netlink.close_all()
        links.reset()


def test_check_reads_the_addresses_ip_addr_shows(netns):
    """The addresses check reads (RTM_GETADDR, to tell local destinations from forwarded
    ones) are those the real `ip -j addr` prints, point-to-point and IPv6 included."""
    script = ("link add d0 type veth peer name d0p\nlink set d0 up\naddr add 10.9.0.1/24 dev d0\n"
              "addr add 10.9.1.1 peer 10.9.1.2/32 dev d0\naddr add 2001:db8::1/64 dev d0 "
              "nodad\nlink add d1 type veth peer name d1p\naddr add 192.0.2.7/30 dev d1\n")
    subprocess.run([IP, "-batch", "-"], input=script, text=True, check=True)
    shown = json.loads(subprocess.run([IP, "-j", "addr"], capture_output=True, text=True,
                                      check=True).stdout)
    want = sorted((a["local"], a["prefixlen"], l["ifname"]) for l in shown
                  for a in l.get("addr_info", ()))
    got = sorted((a.local, a.prefixlen, a.dev) for a in live_model().addresses)
    assert got == want
    assert ("10.9.1.1", 32, "d0") in got and ("2001:db8::1", 64, "d0") in got


def test_check_live_finds_a_default_fwd_block_as_check_batch_does(netns, pyip, tmp_path):
    script = tmp_path / "setup.batch"
    script.write_text(
        "link add d0 type veth peer name d0p\naddr add 10.9.0.1/24 dev d0\n"
        "xfrm policy add src 10.8.0.0/16 dst 10.2.0.0/16 dir out tmpl src 10.9.0.1 dst "
        "10.9.0.2 proto esp reqid 3 mode tunnel\nxfrm policy setdefault fwd block\n")
    subprocess.run([IP, "-batch", str(script)], check=True)
    try:
        static = findings([pyip, "-j", "xfrm", "check", "-batch", str(script)])
        assert [f[0] for f in static if f[1] == "error"] == ["tmpl-nosa", "default-block"]
        assert findings([pyip, "-j", "xfrm", "check"]) == static
    finally:       # the default policies are the namespace's, but be tidy
        subprocess.run([IP, "xfrm", "policy", "setdefault", "fwd", "accept"])


def test_check_reads_the_routes_into_devices_ip_route_shows(netns):
    """The devices check takes as routed into (RTM_GETROUTE, every table, unicast, no IPv6
    link-local) are those the real `ip -j route show table all` names, nexthops included."""
    script = ("link add d0 type veth peer name d0p\nlink add d1 type veth peer name d1p\n"
              "link add d2 type veth peer name d2p\nlink set d0 up\nlink set d1 up\n"
              "link set d2 up\nlink set d0p up\nlink set d1p up\n"
              "addr add 10.9.0.1/24 dev d0\naddr add 10.9.1.1/32 dev d2\n"
              "route add 10.7.0.0/16 table 7 nexthop dev d0 nexthop dev d1\n"
              "route add blackhole 10.6.0.0/16\n")
    subprocess.run([IP, "-batch", "-"], input=script, text=True, check=True)
    shown = json.loads(subprocess.run([IP, "-j", "route", "show", "table", "all"],
                                      capture_output=True, text=True, check=True).stdout)
    want = set()
    for r in shown:
        if r.get("type", "unicast") != "unicast" or r.get("table") == "local" \
                or r["dst"].startswith("fe80:"):
            continue
        want.update([r["dev"]] if "dev" in r else [h["dev"] for h in r.get("nexthops", ())])
    got = live_model().routed
    assert got == want
    assert {"d0", "d1"} <= got and "d2" not in got    # a /32 makes no route
