"""Each golden case (golden/cases) as one -batch file, run by ip and by pyip side by side,
each in a fresh network namespace of this host's kernel: a batch line must see what the
same command run alone sees, and what ip's batch keeps from line to line pyip keeps too.
Lines with global options or shell set-up cannot be batch lines; cases made only of those
are left out.  (This host has no ESP or xfrm interfaces: ip and pyip refuse those alike.)"""
import os
import subprocess

import pytest

from golden.record import CASES, groups, load, mask


def batch_cases(only=None):
    """The cases of every group (of `only`'s) that can be one -batch file."""
    out = []
    for group in only or groups():
        for name, lines in load(group):
            if any(not line.startswith("ip ") for line in lines):
                continue                # shell set-up, background commands, files
            words = [line[3:] for line in lines if not line[3:].startswith("-")
                     and "<" not in line and "|" not in line]
            if words:
                out.append(pytest.param(words, id="%s:%s" % (group, name)))
    return out


@pytest.mark.parametrize("lines", batch_cases())
def test_a_golden_case_as_one_batch_is_ips(pyip, tmp_path, lines):
    assert_batch_is_ips(pyip, tmp_path, lines)


def assert_batch_is_ips(pyip, tmp_path, lines):
    """The lines as one -batch file, ip's run and pyip's: same stdout, stderr and status."""
    path = tmp_path / "case.batch"
    path.write_text("\n".join(lines) + "\n")
    results = []
    for binary in ("ip", pyip):
        p = subprocess.run(["unshare", "-n", "bash", "-c",
                            'ip link set lo up; TZ=UTC "$0" -force -batch "$1"; echo "status $?"',
                            binary, str(path)], capture_output=True, cwd=CASES, timeout=120)
        results.append((mask(p.stdout.decode("utf-8", "replace")),
                        mask(p.stderr.decode("utf-8", "replace"))))
    assert results[1] == results[0]
