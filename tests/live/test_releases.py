"""pyip following ip 6.15 and 7.3, side by side with Debian's own binaries (golden/releases.py)
on the host kernel: each command run by that release's ip and by pyip (PYIP_IPROUTE2) in one
fresh namespace each, stdout, stderr and exit code compared.  A release whose binary is not
in the cache is said and skipped (python -m golden.releases fetch), never a failure."""
import os
import subprocess

import pytest

from tests.release_ip import release_ip


# what differs between the releases (../shared/reference/iproute2-releases.md) and shapes the
# host kernel takes (no ESP: allocspi, comp-less adds fail after the request, policies)
COMMANDS = [
    "xfrm state help",
    "xfrm policy help",
    "xfrm state allocspi src 10.0.0.1 dst 10.0.0.2 proto esp dir in min 0x1000 max 0x1000",
    "xfrm state allocspi src 10.0.0.1 dst 10.0.0.2 proto esp dir sideways",
    "xfrm state allocspi src 10.0.0.1 dst 10.0.0.2 proto esp pcpu-num x",
    "xfrm state add src 10.0.0.1 dst 10.0.0.5 proto comp spi 0x100 comp deflate dir out",
    "xfrm state add src 10.0.0.1 dst 10.0.0.5 proto comp spi 0x100 comp deflate "
    "offload packet dev lo dir in",
    "xfrm state add src 10.0.0.1 dst 10.0.0.5 proto comp spi 0x100 comp deflate "
    "offload dev lo foo in",
    "xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir out offload packet dev lo",
    "xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir out offload crypto dev lo",
    "xfrm policy setdefault in allow",
    "xfrm policy get src 10.1.0.0/16 dir out index 5",
    "link show lo foo",
    "link show down",
    "link show novf",
    "-d link show lo",
    "-j -d link show",
    "link help",
    "help",
    "-loops",
    "link add name .. type xfrm if_id 1",
    # this round's: on/off words (6.8), netns PID (6.12), inet devconf (7.2)
    "link set lo carrier o",
    "link set lo type bridge_slave hairpin of",
    "link set lo protodown_reason 0 o",
    "link set dev lo netns 999999",
    "link set lo inet forwarding on rp_filter 2 arp_ignore 8",
    "link set lo inet forwarding yes",
    "link set lo inet up",
    # in no release up to 7.3: each release's own error
    "xfrm state add src 10.0.0.1 dst 10.0.0.5 proto esp spi 1 mode iptfs",
    "xfrm state add src 10.0.0.1 dst 10.0.0.5 proto esp spi 1 nat-keepalive-interval 20",
]


def _run(argv, env=None):
    p = subprocess.run(["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$@"', "sh"]
                       + argv, capture_output=True, env=env, timeout=60)
    return p.stdout, p.stderr, p.returncode


@pytest.mark.parametrize("release", ["6.15", "7.3"])
def test_pyip_says_what_the_release_says(release, pyip):
    if os.geteuid() != 0:
        pytest.fail("the live tier needs root (unshare -n)")
    ip = release_ip(release)
    env = dict(os.environ, PYIP_IPROUTE2=release)
    differ = []
    for cmd in COMMANDS:
        words = cmd.split()
        want, got = _run([ip] + words), _run([pyip] + words, env)
        if want != got:
            differ.append((cmd, want, got))
    assert differ == []


# Config files (6.5, iproute2 0a0a8f12): a file /etc/iproute2 lacks is read from
# /usr/share/iproute2 (Debian's place for them from 6.5); /etc's wins where it has one.  Each
# run in its own mount namespace, both directories tmpfs there (the host's are untouched).
CONFIG = ('mount -t tmpfs none /etc/iproute2 && mount -t tmpfs none /usr/share && '
          'mkdir /usr/share/iproute2 /usr/share/iproute2/protodown_reasons.d && '
          'echo "5 five" > /usr/share/iproute2/group && '
          'echo "3 usr_reason" > /usr/share/iproute2/protodown_reasons.d/a.conf && '
          'ip link set lo up && %s'
          '"$@" link set lo group five; "$@" link show lo; "$@" -j link show group five; '
          '"$@" link show group 5; "$@" link set lo protodown_reason usr_reason on')


@pytest.mark.parametrize("release", ["6.1", "6.15", "7.3"])
@pytest.mark.parametrize("etc", ["", 'echo "5 etc_five" > /etc/iproute2/group && '])
def test_config_files_are_read_where_the_release_reads_them(release, etc, pyip):
    if os.geteuid() != 0:
        pytest.fail("the live tier needs root (unshare -m -n)")
    ip = release_ip(release)

    def run(tool, env=None):
        p = subprocess.run(["unshare", "-m", "-n", "sh", "-c", CONFIG % etc, "sh", tool],
                           capture_output=True, env=env, timeout=60)
        return p.stdout, p.stderr, p.returncode
    want = run(ip)
    assert run(pyip, dict(os.environ, PYIP_IPROUTE2=release)) == want
    assert (b"group five" in want[0]) == (release != "6.1" and not etc)


# Colour on a terminal (script(1) gives one): no -c is never up to 6.8 and auto from 6.9
# (Debian's build), NO_COLOR (6.15), the dark palette unless COLORFGBG says light (6.17).
@pytest.mark.parametrize("release", ["6.1", "6.15", "7.3"])
@pytest.mark.parametrize("env", [{}, {"NO_COLOR": "1"}, {"COLORFGBG": "15;0"},
                                 {"COLORFGBG": "0;15"}, {"COLORFGBG": "7"}])
def test_colour_on_a_terminal_as_the_release(release, env, pyip):
    if os.geteuid() != 0:
        pytest.fail("the live tier needs root (unshare -n)")
    ip = release_ip(release)
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLORFGBG")}

    def run(tool, extra):
        line = "; ".join("unshare -n %s %s link show lo" % (tool, o)
                         for o in ("", "-c=never", "-c=auto", "-color", "-j"))
        p = subprocess.run(["script", "-qc", line, "/dev/null"], capture_output=True,
                           env=dict(base, **env, **extra), timeout=60)
        return p.stdout, p.returncode
    want = run(ip, {})
    assert run(pyip, {"PYIP_IPROUTE2": release}) == want
    assert (b"\033[" in want[0].split(b"\n")[0]) == (release != "6.1" and not env.get(
        "NO_COLOR"))


# stdout and stderr on one pipe (7.1, b468824a): up to 7.0 ip flushes stdout after each
# object it prints, so its output comes before a later error; from 7.1 it stays in stdout's
# buffer until exit (or a full block) and the errors come first.
BATCHES = [
    "xfrm policy getdefault\nlink show lo\nlink show nosuch\nlink show lo\nxfrm foo\n"
    "link show lo\n",
    "link show lo\nxfrm policy setdefault in nope\nxfrm policy getdefault\n"
    "xfrm state allocspi src 10.0.0.1 dst 10.0.0.2 proto esp dir sideways\n"
    "xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir out\nxfrm policy list\n"
    "xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir out\nlink show lo\n",
]


@pytest.mark.parametrize("release", ["6.1", "6.15", "7.3"])
@pytest.mark.parametrize("batch", range(len(BATCHES)))
@pytest.mark.parametrize("force", ["-force", ""])
def test_output_and_errors_interleave_as_the_release(release, batch, force, pyip, tmp_path):
    if os.geteuid() != 0:
        pytest.fail("the live tier needs root (unshare -n)")
    ip = release_ip(release)
    path = tmp_path / "batch"
    path.write_text(BATCHES[batch])

    def run(tool, env=None):
        p = subprocess.run(["unshare", "-n", "sh", "-c", '"$@" 2>&1 | cat', "sh", tool]
                           + ([force] if force else []) + ["-batch", str(path)],
                           capture_output=True, env=env, timeout=60)
        return p.stdout, p.returncode
    assert run(pyip, dict(os.environ, PYIP_IPROUTE2=release)) == run(ip)
