"""The edges of a command's life, pyip beside the real ip as real child processes: signals,
closed and full output, no privileges, odd -batch files, and -batch lines that change the
devices later lines name.  Each side runs in its own fresh network namespace."""
import os
import re
import signal
import subprocess
import sys
import time

import pytest

NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--inh-caps=-all"]
SETUP = "ip link set lo up; ip xfrm policy add src 10.0.0.0/24 dst 10.0.1.0/24 dir out"


def both(pyip):
    return [("ip", "ip"), ("pyip", pyip)]


def shell(binary, script, **kw):
    """`script` run by bash with $IP the binary, in a fresh network namespace holding one
    policy; (exit status, stdout, stderr)."""
    p = subprocess.run(["unshare", "-n", "bash", "-c", SETUP + "\n" + script],
                       env=dict(os.environ, IP=binary), capture_output=True, timeout=60, **kw)
    return p.returncode, p.stdout, p.stderr


def same(pyip, script, **kw):
    rc, out, err = shell("ip", script, **kw)
    py_rc, py_out, py_err = shell(pyip, script, **kw)
    assert (py_rc, _masked(py_out), py_err) == (rc, _masked(out), err)
    return rc, out, err


@pytest.fixture
def long_batch(tmp_path):
    path = tmp_path / "long.batch"
    path.write_text("xfrm policy count\n" * 100000)
    return str(path)


def _killed(argv, signum, new_session=False):
    p = subprocess.Popen(["unshare", "-n", "--"] + argv, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, start_new_session=new_session)
    time.sleep(0.7)
    assert p.poll() is None, "ended before the signal"
    if new_session:
        os.killpg(p.pid, signum)
    else:
        p.send_signal(signum)
    _, err = p.communicate(timeout=30)
    return p.returncode, err


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_during_a_batch_kills_pyip_as_it_kills_ip(pyip, long_batch, signum):
    # unshare execs the command, so its status is the command's own
    for binary in ("ip", pyip):
        rc, err = _killed([binary, "-batch", long_batch], signum)
        assert (binary, rc, err) == (binary, -signum, b"")


def test_sigint_stops_a_shell_loop_as_ip_does(pyip, long_batch):
    loop = 'for i in 1 2; do "$0" -batch "$1" >/dev/null; echo next; done'
    texts = []
    for binary in ("ip", pyip):
        p = subprocess.Popen(["unshare", "-n", "bash", "-c", loop, binary, long_batch],
                             stdout=subprocess.PIPE, start_new_session=True)
        time.sleep(0.7)
        os.killpg(p.pid, signal.SIGINT)         # as a terminal's ^C reaches the foreground
        out, _ = p.communicate(timeout=30)
        texts.append((p.returncode, out))
    assert texts[1] == texts[0] == (-signal.SIGINT, b"")


def test_a_closed_pipe_kills_pyip_by_sigpipe_as_ip(pyip):
    for binary in ("ip", pyip):
        r, w = os.pipe()
        os.close(r)                 # the reader is gone before the first write
        p = subprocess.run(["unshare", "-n", "bash", "-c", SETUP + '\nexec "$0" xfrm policy list',
                            binary], stdout=w, stderr=subprocess.PIPE, timeout=30)
        os.close(w)
        assert (binary, p.returncode, p.stderr) == (binary, -signal.SIGPIPE, b"")


def test_head_takes_the_first_lines_of_a_long_listing_as_of_ip(pyip):
    # more than a pipe holds (64 KiB), so that both are still writing when head leaves
    script = ('for i in $(seq 1 300); do echo "link add d$i type ifb"; done | ip -batch -\n'
              '"$IP" -d link show | head -3; echo "${PIPESTATUS[@]}"')
    same(pyip, script)


@pytest.mark.parametrize("command", ["xfrm policy list", "xfrm policy count", "link show lo",
                                     "xfrm bogus", "-batch /nonexistent"])
@pytest.mark.parametrize("redirect", [">&-", ">/dev/full", "2>&-", ">&- 2>&-"])
def test_closed_or_full_output_is_ips(pyip, command, redirect):
    # the status goes to fd 3, which stays open whatever the command's 1 and 2 are
    same(pyip, 'exec 3>&1\n"$IP" %s %s; echo "status $?" >&3' % (command, redirect))


def test_import_does_not_touch_stdout(tmp_path):
    code = ("import io, sys\nsys.stdout = io.StringIO()\nimport pyip.main\n"
            "rc = pyip.main.main(['xfrm', 'policy', 'count'])\n"
            "text = sys.stdout.getvalue()\nsys.stdout = sys.__stdout__\nprint(rc, repr(text))")
    p = subprocess.run(["unshare", "-n", sys.executable, "-c", code], capture_output=True,
                       text=True, timeout=30)
    assert p.stdout == "0 '\\t SPD IN  0 OUT 0 FWD 0\\n'\n" and p.stderr == ""


UNPRIVILEGED = ["xfrm monitor", "xfrm monitor all-nsid", "xfrm policy list", "xfrm state list",
                "xfrm policy count", "xfrm state count", "xfrm policy flush",
                "xfrm state allocspi src 10.0.0.1 dst 10.0.0.2 proto esp",
                "xfrm policy add src 1.1.1.1 dst 2.2.2.2 dir in", "link show",
                "link add d0 type ifb", "link set lo mtu 1400", "link del lo",
                "-n nowhere link show", "-batch /root/nonexistent", "xfrm policy getdefault"]


@pytest.mark.parametrize("command", UNPRIVILEGED)
def test_no_privileges_are_answered_in_ips_words(pyip, command):
    rc, out, err = same(pyip, " ".join(NOBODY) + ' "$IP" ' + command)
    assert b"internal error" not in err and b"Traceback" not in err


def test_no_privileges_in_a_batch(pyip, tmp_path):
    path = tmp_path / "b"
    path.write_text("xfrm policy count\nlink show lo\nxfrm policy flush\nlink show lo\n")
    os.chmod(tmp_path, 0o755)
    os.chmod(path, 0o644)
    same(pyip, " ".join(NOBODY) + ' "$IP" -force -batch %s' % path)


@pytest.mark.parametrize("name", ["/tmp", "/nonexistent", "/etc/shadow-", "/dev/null"])
def test_batch_files_that_are_not_files(pyip, name):
    same(pyip, '"$IP" -batch %s' % name)


# -batch lines that change what a later line names: nothing pyip learnt on one line may
# outlive it where ip's does not (ip forgets a device after each change it makes)
SEQUENCES = {
    "recreated": ["link add d0 type ifb", "link del d0", "link add d0 mtu 1300 type ifb",
                  "link set d0 mtu 1400", "link show d0"],
    "renamed": ["link add a0 type ifb", "link set a0 name b0", "link set b0 up",
                "link show b0", "link add a0 type ifb", "link set a0 mtu 1234",
                "link show a0", "link show"],
    "moved away": ["link add d0 type ifb", "link set d0 netns other",
                   "link add d0 type ifb", "link set d0 mtu 1280", "link show d0",
                   "link del d0", "link show d0"],
    "veth peer": ["link add v0 type veth peer name v1", "link del v1",
                  "link add v1 type veth peer name v0", "link show v0", "link set v1 up",
                  "link show"],
    "a policy's dev": ["link add d0 type ifb",
                       "xfrm policy add src 1.0.0.0/8 dst 2.0.0.0/8 dev d0 dir out",
                       "link del d0", "link add d0 type ifb",
                       "xfrm policy add src 3.0.0.0/8 dst 4.0.0.0/8 dev d0 dir out",
                       "xfrm policy list", "xfrm policy delete src 3.0.0.0/8 dst 4.0.0.0/8 "
                       "dev d0 dir out", "xfrm policy list"],
    "a state's dev": ["link add d0 type ifb", "link del d0", "link add d0 type ifb",
                      "xfrm state allocspi src 10.0.0.1 dst 10.0.0.2 proto esp sel src 0/0 "
                      "dst 0/0 dev d0", "xfrm state list", "link del d0", "xfrm state list"],
    "group": ["link add d0 group 5 type ifb", "link add d1 group 5 type ifb",
              "link del d0", "link set group 5 mtu 1300", "link show group 5"],
    "altname": ["link add d0 type ifb", "link property add dev d0 altname alt0",
                "link del d0", "link add d1 type ifb",
                "link property add dev d1 altname alt0", "link show alt0", "link show d1"],
}


@pytest.mark.parametrize("name", sorted(SEQUENCES))
def test_a_batch_line_sees_the_kernel_as_it_is(pyip, tmp_path, name):
    path = tmp_path / "seq.batch"
    path.write_text("\n".join(SEQUENCES[name]) + "\n")
    script = ('mkdir -p /var/run/netns; mount -t tmpfs pyip-edges /var/run/netns\n'
              'touch /var/run/netns/other\n'
              'unshare -n mount --bind /proc/self/ns/net /var/run/netns/other\n'
              '"$IP" -force -batch %s; echo "status $?"' % path)
    p_ip = subprocess.run(["unshare", "-n", "-m", "--propagation", "private", "bash", "-c",
                           SETUP + "\n" + script], env=dict(os.environ, IP="ip"),
                          capture_output=True, timeout=60)
    p_py = subprocess.run(["unshare", "-n", "-m", "--propagation", "private", "bash", "-c",
                           SETUP + "\n" + script], env=dict(os.environ, IP=pyip),
                          capture_output=True, timeout=60)
    assert b"Command failed" not in p_ip.stderr or name in ("moved away",)
    assert (_masked(p_py.stdout), p_py.stderr.decode()) == (_masked(p_ip.stdout),
                                                            p_ip.stderr.decode())


def _masked(text):
    """Devices made by each side have random addresses (and link-local addresses from them)."""
    text = re.sub(r"(link/ether|peer) [0-9a-f:]{17}", r"\1 MAC", text.decode())
    return re.sub(r"fe80::[0-9a-f:]+/64", "fe80::MAC/64", text)


# what pyip does not implement is run by the system's ip (README "Differences")
DELEGATED = ["address show", "-s address", "route", "route add 10.9.0.0/16 dev lo",
             "route get 10.9.1.1", "route get 1.1.1.1", "-j route show table local",
             "tunnel show", "netns list", "-4 addr show dev lo", "address bogus",
             "link add br0 type bridge vlan_filtering 1",
             "link add br0 type bridge stp_state 1 ; ip -d link show br0"]


@pytest.mark.parametrize("command", DELEGATED)
def test_an_object_pyip_does_not_implement_is_run_by_ip(pyip, command):
    rc, out, err = same(pyip, '"$IP" %s; echo "status $?"' % command)
    assert b"pyip" not in err


MIXED = ["address add 10.1.0.1/24 dev lo", "xfrm policy count", "route show",
         "route add 10.2.0.0/16 dev lo", "route add 10.2.0.0/16 dev lo",
         "link add d0 type ifb", "addr add 10.3.0.1/24 dev d0", "link set d0 up",
         "address show dev d0", "xfrm policy add src 10.1.0.0/24 dst 10.2.0.0/24 dir out",
         "route get 10.3.0.2", "xfrm policy list", "route blah", "xfrm policy count"]


@pytest.mark.parametrize("force", ["", "-force"])
def test_a_batch_mixing_objects_keeps_ips_accounting(pyip, tmp_path, force):
    path = tmp_path / "mixed.batch"
    path.write_text("\n".join(MIXED) + "\n")
    _, out, err = same(pyip, '"$IP" %s -4 -o -batch %s; echo "status $?"' % (force, path))
    assert b"Command failed %s:5" % bytes(path) in err


def test_a_delegated_batch_line_that_exits_ends_the_batch(pyip, tmp_path):
    path = tmp_path / "exit.batch"
    path.write_text("xfrm policy count\naddress add dev\nxfrm policy count\n")
    same(pyip, '"$IP" -batch %s; echo "status $?"' % path)


def test_pyip_named_ip_first_on_path_is_not_taken_for_ip(pyip, tmp_path):
    (tmp_path / "ip").symlink_to(pyip)
    rc, out, err = shell(pyip, 'PATH=%s:$PATH; "$IP" address show lo; echo "status $?"'
                         % tmp_path)
    assert (rc, err) == (0, b"") and out.endswith(b"status 0\n") and b"lo:" in out
