"""Command sequences run side by side: each side (ip, pyip) in its own fresh network and
mount namespaces, with a named namespace NS to play with; lines starting with "!" are
setup, run by the real ip on both sides."""
import json
import os
import subprocess
import sys

NS = "pyip-live-%d" % os.getpid()

_DRIVER = r"""
import json, subprocess, sys
binary, lines = sys.argv[1], json.loads(sys.argv[2])
out = []
for line in lines:
    b = binary
    if line.startswith("!"):
        b, line = "ip", line[1:]
    p = subprocess.run([b] + line.split(), capture_output=True)
    out.append([line, p.returncode, p.stdout.decode("utf-8", "replace"),
                p.stderr.decode("utf-8", "replace")])
json.dump(out, sys.stdout)
"""


def transcript(binary, lines):
    """[line, exit code, stdout, stderr] of each line, run by `binary` (or, for "!" lines,
    the real ip) in a fresh network and mount namespace holding the named namespace NS."""
    lines = ["!netns add " + NS] + lines + ["!netns del " + NS]
    try:
        p = subprocess.run(["unshare", "-n", "-m", "--propagation", "private", sys.executable,
                            "-c", _DRIVER, binary, json.dumps(lines)], capture_output=True,
                           text=True, check=True, timeout=60)
    finally:
        # the namespace's mount was private to the run; its file under /var/run/netns is not
        path = "/var/run/netns/" + NS
        if os.path.exists(path):
            os.unlink(path)
    return json.loads(p.stdout)


