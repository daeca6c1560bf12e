"""Bulk work, side by side with the real ip: -batch of N adds, and listing N objects.

    python bench/bulk.py [--n 10000] [--links 1000] [--runs 7] [--only TEXT]
                    (as root: each row in a fresh netns, ip and pyip taking turns in it)

Policies run on this host's kernel.  SAs: this host's kernel has no ESP, so listing N SAs
uses allocspi-made (larval) SAs, which it does keep, and the SA batch is N allocspi lines
(a batch of ESP "state add" lines needs the VM: ip exit(2)s at the first refused SA).
Prints the median seconds and pyip/ip.
"""
import os
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


_TIMER = r"""
import statistics, subprocess, sys, time
runs, reset, cmds = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
times = [[] for _ in cmds]
for r in range(runs):
    order = list(range(len(cmds)))
    if r % 2:
        order.reverse()             # neither side always runs first
    for i in order:
        if reset:
            subprocess.run(reset, shell=True, check=True)
        t = time.perf_counter()
        subprocess.run(cmds[i], shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times[i].append(time.perf_counter() - t)
print(" ".join("%f" % statistics.median(t) for t in times))
"""


def side_by_side(setup, reset, cmds, runs):
    """Median seconds of each command, run in turn `runs` times in one fresh namespace made
    by `setup` (`reset`, untimed, before each run: the batches start from empty tables).
    One namespace per row: tearing down a thousand devices keeps the kernel busy for
    seconds, which a namespace per run would charge to the next measurement."""
    import shlex
    script = "%s > /dev/null\n%s -c %s %d %s %s" % (
        setup, shlex.quote(sys.executable), shlex.quote(_TIMER), runs, shlex.quote(reset or ""),
        " ".join(shlex.quote(c) for c in cmds))
    p = subprocess.run(["unshare", "-n", "sh", "-c", script], capture_output=True, text=True)
    if p.returncode:
        raise SystemExit("bench failed: %s" % p.stderr)
    try:
        return [float(x) for x in p.stdout.split()]
    except ValueError:
        raise SystemExit("bench failed: %s" % (p.stdout[:500] + p.stderr[:500]))


def main(argv):
    n = int(argv[argv.index("--n") + 1]) if "--n" in argv else 10000
    links = int(argv[argv.index("--links") + 1]) if "--links" in argv else 1000
    only = argv[argv.index("--only") + 1] if "--only" in argv else ""
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 7
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
    flush_p, flush_s = "ip xfrm policy flush", "ip xfrm state flush"
    rows = [
        ("-batch: %d x xfrm policy add" % n, "ip link set lo up",
         "-batch " + files["policy"], flush_p),
        ("xfrm policy list (%d)" % n, "ip -batch " + files["policy"], "xfrm policy list", None),
        ("-s xfrm policy list (%d)" % n, "ip -batch " + files["policy"], "-s xfrm policy list", None),
        ("-batch: %d x xfrm state allocspi" % n, "ip link set lo up",
         "-batch " + files["allocspi"], flush_s),
        ("xfrm state list (%d larval SAs)" % n, "ip -batch " + files["allocspi"],
         "xfrm state list", None),
        ("-s xfrm state list (%d larval SAs)" % n, "ip -batch " + files["allocspi"],
         "-s xfrm state list", None),
        ("link show (%d interfaces)" % links, "ip -batch " + files["veth"], "link show", None),
        ("-d -j link show (%d interfaces)" % links, "ip -batch " + files["veth"],
         "-d -j link show", None),
        ("-s link show (%d interfaces)" % links, "ip -batch " + files["veth"],
         "-s link show", None),
    ]
    rows = [r for r in rows if only in r[0]]
    print("| work | ip s | pyip s | pyip/ip |")
    print("|---|---:|---:|---:|")
    worst = 0
    for label, setup, args, reset in rows:
        t_ip, t_py = side_by_side(setup, reset, ["ip " + args, py + " " + args], runs)
        worst = max(worst, t_py / t_ip)
        print("| %s | %.3f | %.3f | %.2f |" % (label, t_ip, t_py, t_py / t_ip))
    print("\nworst ratio %.2f (goal 2.0)" % worst)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
