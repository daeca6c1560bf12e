"""The README's lab example (its "Python API" section, also pyip(8)'s), run as written: two
namespaces, a route-based tunnel over xfrm interfaces, traffic, check, events, teardown --
through pyip.IP alone.  The kernel judges: the ping must cross the tunnel, the SAs must be
the README's, the events the deletions."""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def readme_lab():
    with open(os.path.join(ROOT, "README.md")) as f:
        text = f.read()
    section = text.split("\n### Python API\n", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readme_lab_runs_as_written():
    p = subprocess.run([sys.executable, "-c", readme_lab()], capture_output=True, text=True,
                       timeout=600)
    assert p.returncode == 0 and p.stderr == "", p.stderr
    out = p.stdout
    assert "10.0.0.1 10.0.0.2 esp 0x1001 tunnel 42" in out
    assert "10.0.0.2 10.0.0.1 esp 0x1002 tunnel 42" in out
    assert "2 packets transmitted, 2 received" in out
    assert "('deleted', '0x1002')" in out and "('deleted', '0x1001')" in out
    assert 'Object "ping" is unknown, try "ip help".\n 1' in out
    listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    assert "lab-a" not in listed and "lab-b" not in listed
