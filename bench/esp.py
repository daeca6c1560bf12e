"""ESP states in bulk, side by side with the real ip, in the test VM (this host's kernel has
no ESP, so the 10,000 `xfrm state add` lines of issue 3 need Debian's kernel):

    python tests/vm/kvm.py -- .venv/bin/python bench/esp.py [--n 10000] [--runs 3]

The VM runs under TCG (no KVM here): everything is 10-20x slower than on the host, ip as
well as pyip, so the ratios are the figures to read, not the seconds.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bulk import pyip_cmd, side_by_side, state_lines  # noqa: E402


def main(argv):
    n = int(argv[argv.index("--n") + 1]) if "--n" in argv else 10000
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 3
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run(["modprobe", "-a", "esp4", "xfrm_user"], check=True)
    tmp = tempfile.mkdtemp(prefix="pyip-bench.")
    batch = os.path.join(tmp, "state.batch")
    with open(batch, "w") as f:
        f.writelines(state_lines(n))
    py = " ".join(pyip_cmd())
    rows = [
        ("-batch: %d x xfrm state add (ESP, tunnel, cbc(aes)+hmac(sha256))" % n,
         "ip link set lo up", "-batch " + batch, "ip xfrm state flush"),
        ("xfrm state list (%d ESP SAs)" % n, "ip -batch " + batch, "xfrm state list", None),
        ("-s xfrm state list (%d ESP SAs)" % n, "ip -batch " + batch, "-s xfrm state list",
         None),
    ]
    print("| work (in the VM, TCG) | ip s | pyip s | pyip/ip |")
    print("|---|---:|---:|---:|")
    for label, setup, args, reset in rows:
        t_ip, t_py = side_by_side(setup, reset, ["ip " + args, py + " " + args], runs)
        print("| %s | %.2f | %.2f | %.2f |" % (label, t_ip, t_py, t_py / t_ip))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
