"""Completion follows -n NS (issue 23): a device that exists only in the named namespace is
offered after `pyip -n NS ... dev`, and the host's are not; the same for -netns, --netns and
-n=NS.  Run as bash's completion/pyip runs the installed pyip."""
import os
import shutil
import subprocess

import pytest

import pyip


def offered(line):
    env = dict(os.environ, COMP_LINE=line, COMP_POINT=str(len(line)), _PYIP_COMPLETE="bash",
               _PYIP_COMMAND="pyip")
    p = subprocess.run([shutil.which("pyip"), line.split(" ")[-1]], env=env,
                       capture_output=True, text=True)
    assert p.returncode == 0 and p.stderr == ""
    return p.stdout.split()


@pytest.mark.parametrize("option", ["-n {}", "-netns {}", "--netns {}", "-n={}", "-net {}"])
def test_a_device_word_offers_the_named_namespaces_devices(pyip_ip, pyip_netns, option):
    pyip_ip.run("link add onlyns0 type veth peer name onlyns1")
    assert "onlyns0" not in os.listdir("/sys/class/net")
    opt = option.format(pyip_netns)
    assert offered("pyip %s link show dev only" % opt) == ["onlyns0", "onlyns1"]
    assert offered("pyip %s link show dev " % opt) == sorted(
        link.ifname for link in pyip_ip.links())
    assert "onlyns0" in offered("pyip %s xfrm policy add src 10.0.0.0/8 dst 10.1.0.0/16 dev "
                                % opt)
    assert "onlyns0" not in offered("pyip link show dev ")


def test_an_unknown_namespace_offers_no_device():
    assert offered("pyip -n no-such-ns-pyip link show dev ") == []
