"""pyip.IP, the Python API, against two named namespaces of this host's kernel: what it
prints and raises is what the real `ip -n NS` prints and exits with, and the calling process
(its namespace, stdout, gc, options) is as it was."""
import gc
import json
import os
import subprocess
import sys

import pytest

import pyip


def ip(*argv):
    p = subprocess.run(["ip"] + list(argv), capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


@pytest.fixture
def two_netns(pyip_netns_factory):
    """Two fresh named namespaces (pyip's own pytest fixtures make and delete them)."""
    return [pyip_netns_factory("pyip-api") for _ in range(2)]


def here():
    return os.readlink("/proc/thread-self/ns/net")


SETUP = ["xfrm state allocspi src 10.0.0.1 dst 10.0.0.2 proto esp",
         "xfrm policy add src 10.1.0.0/24 dst 10.2.0.0/24 proto tcp dport 80 dir out "
         "priority 7 mark 3 mask 0xff tmpl src 10.0.0.1 dst 10.0.0.2 proto esp reqid 4 "
         "mode tunnel",
         "xfrm policy add src 10.3.0.0/16 dst 10.4.0.0/16 dir in action block"]
SHOWN = ["xfrm state list", "-s xfrm state list", "xfrm policy list", "-s xfrm policy list",
         "-s -s xfrm policy count", "xfrm state count", "xfrm policy count", "-o xfrm policy"]


def test_two_handles_on_two_namespaces_print_what_ip_prints_there(two_netns, capsys):
    a_ns, b_ns = two_netns
    ns_before, gc_before = here(), gc.isenabled()
    with pyip.IP(netns=a_ns) as a, pyip.IP(netns=b_ns) as b:
        for cmd in SETUP:
            a.run(cmd)
        b.run(SETUP[1])
        for cmd in SHOWN:       # interleaved: each handle its own namespace and options
            for h, ns in ((a, a_ns), (b, b_ns)):
                rc, want, _ = ip("-n", ns, *cmd.split())
                assert rc == 0
                assert h.run(cmd) == want, (ns, cmd)
    assert capsys.readouterr() == ("", "")
    assert here() == ns_before and gc.isenabled() == gc_before


ERRORS = ["xfrm state bogus", "xfrm policy delete dir out", "xfrm policy get dir in index 99",
          "xfrm state get src 10.0.0.1 dst 10.0.0.9 proto esp spi 1",
          "xfrm policy add src 10.1.0.0/24 dst 10.2.0.0/24 proto tcp dport 80 dir out "
          "priority 7 mark 3 mask 0xff", "link show dev nosuch", "-x xfrm state",
          "xfrm state add src 1.1.1.1", "xfrm policy add src 10.9.0.0/24 dir sideways",
          "-n nosuch-namespace xfrm state"]


@pytest.mark.parametrize("cmd", ERRORS)
def test_errors_carry_ip_message_and_code(two_netns, cmd):
    ns = two_netns[0]
    with pyip.IP(netns=ns) as h:
        h.run(SETUP[1])
        subprocess.run(["ip", "-n", ns, "xfrm", "policy", "flush"], check=True)
        subprocess.run(["ip", "-n", ns] + SETUP[1].split(), check=True)
        rc, _, err = ip("-n", ns, *cmd.split())
        assert rc != 0
        with pytest.raises(pyip.IpError) as e:
            h.run(cmd)
    assert (e.value.message, e.value.code) == (err, rc)


def test_unknown_namespace_is_ip_error():
    rc, _, err = ip("-n", "no-such-ns-pyip", "xfrm", "state")
    with pytest.raises(pyip.IpError) as e:
        pyip.IP(netns="no-such-ns-pyip")
    assert (e.value.message, e.value.code) == (err, rc)


def test_objects_are_the_json_and_the_kernel_s(two_netns):
    ns = two_netns[0]
    with pyip.IP(netns=ns) as h:
        for cmd in SETUP:
            h.run(cmd)
        sas, pols = h.xfrm_states(), h.xfrm_policies()
        assert [s.as_dict() for s in sas] == json.loads(h.run("-j xfrm state list"))
        assert [p.as_dict() for p in pols] == json.loads(h.run("-j xfrm policy list"))
        assert [s.spi for s in sas] == [int(line.split()[3], 16) for line in
                                        ip("-n", ns, "xfrm", "state")[1].splitlines()
                                        if line.startswith("\tproto")]
        out_pol, = [p for p in pols if p.dir == 1]
        assert (out_pol.priority, out_pol.mark.value, out_pol.mark.mask) == (7, 3, 0xff)
        assert [(t.src, t.dst, t.reqid) for t in out_pol.tmpls] == [("10.0.0.1", "10.0.0.2", 4)]
        names = [link.ifname for link in h.links()]
        assert names == [line.split(": ")[1].split("@")[0] for line in
                         ip("-n", ns, "-o", "link", "show")[1].splitlines()]
        assert h.xfrm_policy_count().out == 1 and h.xfrm_state_count().count == 1


def test_run_n_opens_that_run_in_the_other_namespace_only(two_netns):
    a_ns, b_ns = two_netns
    before = here()
    with pyip.IP(netns=a_ns) as a:
        a.run(SETUP[2])
        assert a.run("-n %s xfrm policy count" % b_ns) == ip("-n", b_ns, "xfrm", "policy",
                                                             "count")[1]
        assert a.run("xfrm policy count") == ip("-n", a_ns, "xfrm", "policy", "count")[1]
    assert here() == before


def test_stdout_only_when_asked(two_netns, capsys):
    with pyip.IP(netns=two_netns[0]) as h:
        text = h.run("xfrm policy count", stdout=True)
    assert capsys.readouterr().out == text


def test_import_and_run_under_a_stringio_stdout(two_netns):
    code = ("import io, sys; sys.stdout = io.StringIO(); import pyip; "
            "t = pyip.IP(%r).run('xfrm state count'); sys.stdout = sys.__stdout__; "
            "print(repr(t))" % two_netns[0])
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert p.returncode == 0 and p.stderr == ""
    assert p.stdout == repr(ip("-n", two_netns[0], "xfrm", "state", "count")[1]) + "\n"


# ---- handles closed, dropped, or given what is not a command (issue 22) -------------------

def test_a_closed_handle_raises_and_never_acts_in_the_callers_namespace(two_netns):
    before = ip("xfrm", "policy", "count")
    h = pyip.IP()
    h.close()
    h.close()                       # a second close() does nothing
    for call in (lambda: h.run("xfrm policy flush"), h.links, h.xfrm_states,
                 h.xfrm_policies, h.xfrm_policy_count, h.xfrm_state_count):
        with pytest.raises(ValueError, match="closed"):
            call()
    with pyip.IP(netns=two_netns[0]) as a:
        a.run(SETUP[2])
    for call in (lambda: a.run("xfrm policy flush"), a.links):
        with pytest.raises(ValueError, match="closed"):
            call()
    assert ip("-n", two_netns[0], "xfrm", "policy", "count")[1].split()[2] == "1"   # IN
    assert ip("xfrm", "policy", "count") == before


@pytest.mark.parametrize("line", ["xfrm state list 'abc", 'xfrm policy "x',
                                  "xfrm policy count" + " x" * 520])
def test_a_line_ip_cannot_split_is_ip_error(two_netns, tmp_path, line):
    path = tmp_path / "line.batch"
    path.write_text(line + "\n")
    rc, _, err = ip("-n", two_netns[0], "-batch", str(path))
    with pyip.IP(netns=two_netns[0]) as h, pytest.raises(pyip.IpError) as e:
        h.run(line)
    assert (e.value.message, e.value.code) == (err, rc)


def test_an_empty_namespace_name_is_ips_invalid_argument():
    rc, _, err = ip("-n", "", "xfrm", "policy", "count")
    with pytest.raises(pyip.IpError) as e:
        pyip.IP(netns="")
    assert (e.value.message, e.value.code) == (err, rc)
    with pyip.IP() as h, pytest.raises(pyip.IpError) as e:
        h.run(["-n", "", "xfrm", "policy", "count"])
    assert (e.value.message, e.value.code) == (err, rc)


@pytest.mark.parametrize("bad", [b"xfrm policy count", bytearray(b"xfrm"), ["xfrm", 5],
                                 [b"xfrm", b"policy"], ["xfrm", None], 5, None])
def test_a_command_that_is_not_str_words_is_a_type_error(bad):
    with pyip.IP() as h, pytest.raises(TypeError, match="str"):
        h.run(bad)


@pytest.mark.parametrize("bad", [5, b"ns"])
def test_a_namespace_name_that_is_not_str_is_a_type_error(bad):
    with pytest.raises(TypeError, match="str"):
        pyip.IP(netns=bad)


def _ip_bytes(*argv):
    p = subprocess.run([b"ip"] + list(argv), capture_output=True)
    return p.returncode, p.stderr.decode("utf-8", "surrogateescape")


@pytest.mark.parametrize("words,raw", [
    (["xfrm", "policy", "list", "src", "1.2.3.\ud800"],
     [b"xfrm", b"policy", b"list", b"src", b"1.2.3.\xed\xa0\x80"]),
    (["xfrm", "policy", "list", "src", "1.2.3.\udcff"],
     [b"xfrm", b"policy", b"list", b"src", b"1.2.3.\xff"]),
    (["link", "show", "dev", "\udfff"], [b"link", b"show", b"dev", b"\xed\xbf\xbf"]),
    (["link", "show", "dev", "a" * 70000], [b"link", b"show", b"dev", b"a" * 70000]),
    (["xfrm", "policy", "list", "dev", "a" * 70000],
     [b"xfrm", b"policy", b"list", b"dev", b"a" * 70000])])
def test_surrogates_and_long_words_get_ips_text(two_netns, words, raw):
    rc, err = _ip_bytes(b"-n", two_netns[0].encode(), *raw)
    with pyip.IP(netns=two_netns[0]) as h, pytest.raises(pyip.IpError) as e:
        h.run(words)
    assert (e.value.message, e.value.code) == (err, rc)


def _open_fds():
    return len(os.listdir("/proc/self/fd"))


def test_handles_dropped_without_close_release_their_descriptors(two_netns):
    gc.collect()
    before = _open_fds()
    for _ in range(100):
        h = pyip.IP(netns=two_netns[0])
        h.run("xfrm policy count")
        del h
    gc.collect()
    assert _open_fds() == before


def test_links_reads_a_reply_over_32_kib(two_netns, tmp_path):
    ns = two_netns[0]
    path = tmp_path / "altnames.batch"
    path.write_text("link add v0 type veth peer name v1\n" + "".join(
        "link property add dev v0 altname %s%03d\n" % ("a" * 121, i) for i in range(250)))
    assert ip("-n", ns, "-batch", str(path))[0] == 0
    with pyip.IP(netns=ns) as h:
        links = h.links()
    assert [link.ifname for link in links] == [
        line.split(": ")[1].split("@")[0] for line in
        ip("-n", ns, "-o", "link", "show")[1].splitlines()]
