"""Command sequences run side by side: each side (ip, pyip) in its own fresh network and
mount namespaces, with a named namespace NS to play with; lines starting with "!" are
setup, run by the real ip on both sides."""
import json
import os
import subprocess
import sys

NS = "pyip-live-%d" % os.getpid()

# Each run mounts a /run/netns of its own mount namespace: the named namespaces it adds
# leave no file behind on the host's, and another session's namespaces coming and going
# there cannot change what ip or pyip print (ip lists it for -d's link-netns names: a file
# that is not a namespace is an "Error: Peer netns reference is invalid." line).
_OWN_RUN_NETNS = """
os.makedirs("/run/netns", exist_ok=True)
subprocess.run(["mount", "-t", "tmpfs", "pyip-live", "/run/netns"], check=True)
"""
_DRIVER = r"""
import json, os, subprocess, sys
""" + _OWN_RUN_NETNS + r"""
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
    p = subprocess.run(["unshare", "-n", "-m", "--propagation", "private", sys.executable,
                        "-c", _DRIVER, binary, json.dumps(lines)], capture_output=True,
                       text=True, check=True, timeout=60)
    return json.loads(p.stdout)


# The same, with each command under strace as the golden recorder runs ip (golden/record.py):
# its recording (stdout, stderr, rc, the netlink messages sent and received).  Setup lines
# start with "$ " and run in the shell with the real ip; the binary gets the env given (a
# release to follow, PYIP_IPROUTE2).
_TRACED = r"""
import json, os, sys
sys.path.insert(0, sys.argv[1])
from golden.record import run_command
binary, lines, extra = sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4])
env = dict(os.environ, TZ="UTC", LC_ALL="C", **extra)
subprocess = __import__("subprocess")
subprocess.run(["/usr/sbin/ip", "link", "set", "lo", "up"], check=True)
""" + _OWN_RUN_NETNS + r"""
json.dump([run_command(line, env, traced=binary) for line in lines], sys.stdout)
"""
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def traced_transcript(binary, lines, env=None):
    """The recording of each line ("ip ..." or "$ setup"), `binary` standing for ip, in a
    fresh network and mount namespace (its /run/netns its own, as transcript()'s)."""
    p = subprocess.run(["unshare", "-n", "-m", "--propagation", "private", sys.executable,
                        "-c", _TRACED, ROOT, binary, json.dumps(lines),
                        json.dumps(env or {})], capture_output=True, text=True,
                       check=True, timeout=120)
    return json.loads(p.stdout)
