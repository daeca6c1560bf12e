"""Bulk work, side by side with the real ip: -batch of N adds, and listing N objects.

    python bench/bulk.py [--n 10000] [--links 1000] [--runs 3] [--only TEXT]
                                    (as root: each run in a fresh netns)

Policies run on this host's kernel.  SAs: this host's kernel has no ESP, so listing N SAs
uses allocspi-made (larval) SAs, which it does keep, and the SA batch is N allocspi lines
(a batch of ESP "state add" lines needs the VM: ip exit(2)s at the first refused SA).
Prints the median seconds and pyip/ip.
"""
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def pyip_cmd():
    return [os.path.join(os.path.dirname(sys.executable), "pyip")]


def policy_lines(n):
    for i in range(n):
        a, b = divmod(i, 250)
        yield ("xfrm policy add src 10.%d.%d.0/24 dst 10.200.%d.%d/32 dir out priority %d "
               "tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid %d mode tunnel\n"
               % (a // 250, a % 250, a % 250, b, i % 100, i))


def state_lines(n):
    for i in range(n):
        yield ("xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x%x reqid %d "
               "mode tunnel enc 'cbc(aes)' 0x00112233445566778899aabbccddeeff "
               "auth-trunc 'hmac(sha256)' 0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff 128\n"
               % (0x1000 + i, i))


def allocspi_lines(n):
    for i in range(n):
        yield "xfrm state allocspi src 192.0.2.1 dst 192.0.2.2 proto esp min %d max %d\n" % (
            0x1000 + i, 0x1000 + i)


def veth_lines(n):
    """n interfaces: n/2 veth pairs (this host's kernel has veth, not dummy)."""
    for i in range(n // 2):
        yield "link add va%d type veth peer name vb%d\n" % (i, i)


def in_netns(script):
    """Run a shell script in a fresh network namespace; returns its stdout (timings)."""
    p = subprocess.run(["unshare", "-n", "sh", "-c", script], capture_output=True, text=True)
    if p.returncode:
        raise SystemExit("bench failed: %s" % p.stderr)
    return p.stdout


def timed(setup, cmd):
    script = "%s\npython3 -c 'import time,subprocess,sys; t=time.perf_counter(); " \
             "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); " \
             "print(time.perf_counter()-t)' %s" % (setup, " ".join(cmd))
    return float(in_netns(script).split()[-1])


def median(f, runs):
    return statistics.median(f() for _ in range(runs))


def main(argv):
    n = int(argv[argv.index("--n") + 1]) if "--n" in argv else 10000
    links = int(argv[argv.index("--links") + 1]) if "--links" in argv else 1000
    only = argv[argv.index("--only") + 1] if "--only" in argv else ""
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 3
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    tmp = tempfile.mkdtemp(prefix="pyip-bench.")
    files = {}
    for name, gen in (("policy", policy_lines), ("state", state_lines),
                      ("allocspi", allocspi_lines), ("veth", veth_lines)):
        files[name] = os.path.join(tmp, name + ".batch")
        with open(files[name], "w") as f:
            f.writelines(gen(links if name == "veth" else n))
    py = " ".join(pyip_cmd())
    rows = [
        ("-batch: %d x xfrm policy add" % n, "ip link set lo up",
         "-batch " + files["policy"]),
        ("xfrm policy list (%d)" % n, "ip -batch " + files["policy"], "xfrm policy list"),
        ("-s xfrm policy list (%d)" % n, "ip -batch " + files["policy"], "-s xfrm policy list"),
        ("-batch: %d x xfrm state allocspi" % n, "ip link set lo up",
         "-batch " + files["allocspi"]),
        ("xfrm state list (%d larval SAs)" % n, "ip -batch " + files["allocspi"],
         "xfrm state list"),
        ("-s xfrm state list (%d larval SAs)" % n, "ip -batch " + files["allocspi"],
         "-s xfrm state list"),
        ("link show (%d interfaces)" % links, "ip -batch " + files["veth"], "link show"),
        ("-d -j link show (%d interfaces)" % links, "ip -batch " + files["veth"],
         "-d -j link show"),
        ("-s link show (%d interfaces)" % links, "ip -batch " + files["veth"],
         "-s link show"),
    ]
    rows = [r for r in rows if only in r[0]]
    print("| work | ip s | pyip s | pyip/ip |")
    print("|---|---:|---:|---:|")
    worst = 0
    for label, setup, args in rows:
        t_ip = median(lambda: timed(setup, ["ip"] + args.split()), runs)
        t_py = median(lambda: timed(setup, [py] + args.split()), runs)
        worst = max(worst, t_py / t_ip)
        print("| %s | %.3f | %.3f | %.2f |" % (label, t_ip, t_py, t_py / t_ip))
    print("\nworst ratio %.2f (goal 3.0)" % worst)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
