"""Cold-start cost of one pyip command, side by side with `python3 -c pass` and the real ip.

    python bench/startup.py [--runs N]
    python bench/startup.py --ab OTHER_VENV [--runs N]
    python bench/startup.py --instructions

--instructions: the instructions each command executes (valgrind's callgrind, hash seed 0),
each in a new network namespace (unshare -n, as root), against `python3 -c pass`'s: a
measure that does not move with the machine's load, over every kind of command (reading,
adding, JSON, links, help).

--ab: an A/B of two installs, this venv's and OTHER_VENV's (e.g. one of the main branch),
each command run by the two in turn (the order flips every run), each ratio to its own
venv's `python -c pass`; wall and CPU (user + system of the child) medians.

Uses the interpreter that runs this script (run it with the venv pyip is installed in) and
the `pyip` script beside it.  Bytecode caching is on and pyip's bytecode is compiled first,
as in an installed package; PYTHONDONTWRITEBYTECODE is removed from the children's
environment.  Prints the median wall time of N runs (default 20) of each command and its
ratio to `python -c pass`; the budget is 1.6x.
"""
import os
import statistics
import subprocess
import sys
import time

BUDGET = 1.6


def median_ms(cmd, runs, env):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def ab(other, runs, env):
    """--ab: this venv and `other` in turn, per command."""
    import resource
    here = os.path.dirname(os.path.dirname(sys.executable))
    venvs = [here, other]
    for v in venvs:
        subprocess.run([os.path.join(v, "bin", "python"), "-m", "compileall", "-q",
                        *_site(v)], env=env, stdout=subprocess.DEVNULL)
    got = {}
    for k in range(runs):
        for name, words in AB_ROWS:
            for v in (venvs if k % 2 == 0 else venvs[::-1]):
                cmd = ([os.path.join(v, "bin", "python")] + words if words[0] == "-c"
                       else [os.path.join(v, "bin", "pyip")] + words)
                r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
                t = time.perf_counter()
                subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
                t = time.perf_counter() - t
                r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
                got.setdefault((v, name), []).append(
                    (t, r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime))
    med = {key: (statistics.median(x[0] for x in v) * 1000,
                 statistics.median(x[1] for x in v) * 1000) for key, v in got.items()}
    print("| command | %s wall ms (x pass) | %s cpu ms (x pass) | %s wall ms (x pass) | "
          "%s cpu ms (x pass) |" % ("this", "this", "other", "other"))
    print("|---|---:|---:|---:|---:|")
    for name, _ in AB_ROWS:
        cells = []
        for v in venvs:
            w, c = med[(v, name)]
            bw, bc = med[(v, AB_ROWS[0][0])]
            cells += ["%.1f (%.2f)" % (w, w / bw), "%.1f (%.2f)" % (c, c / bc)]
        print("| `%s` | %s |" % (name, " | ".join(cells)))
    return 0


def _site(venv):
    import glob
    return glob.glob(os.path.join(venv, "lib", "python3*", "site-packages", "pyip"))


AB_ROWS = [
    ("python3 -c pass", ["-c", "pass"]),
    ("pyip -V", ["-V"]),
    ("pyip xfrm policy count", ["xfrm", "policy", "count"]),
    ("pyip xfrm state count", ["xfrm", "state", "count"]),
    ("pyip -s xfrm policy count", ["-s", "xfrm", "policy", "count"]),
    ("pyip xfrm policy list dir out", ["xfrm", "policy", "list", "dir", "out"]),
    ("pyip xfrm state get src 1.1.1.1 dst 2.2.2.2 proto esp spi 1",
     ["xfrm", "state", "get", "src", "1.1.1.1", "dst", "2.2.2.2", "proto", "esp", "spi", "1"]),
    ("pyip xfrm monitor help", ["xfrm", "monitor", "help"]),
]


INSTRUCTION_ROWS = [
    "-V", "xfrm policy count", "xfrm state list", "xfrm state list proto esp",
    "xfrm policy list", "xfrm policy list dir out",
    "xfrm policy get dir out src 192.0.2.1/32 dst 192.0.2.2/32",
    "xfrm state get src 192.0.2.1 dst 192.0.2.2 proto esp spi 1",
    "xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 1 enc cbc(aes) "
    "0x00112233445566778899aabbccddeeff",
    "xfrm policy add src 192.0.2.1/32 dst 192.0.2.2/32 dir out tmpl src 192.0.2.1 "
    "dst 192.0.2.2 proto esp mode tunnel",
    "xfrm state flush", "xfrm policy flush", "-j xfrm state list", "-s xfrm policy list",
    "link show", "-d link show", "link add x1 type xfrm if_id 5",
    "link add v1 type vti local 192.0.2.1 remote 192.0.2.2 ikey 1 okey 2", "link del x1",
    "link set lo up", "xfrm state help", "xfrm monitor help",
]


def instructions(cmd, env):
    import re
    p = subprocess.run(["unshare", "-n", "valgrind", "--tool=callgrind",
                        "--callgrind-out-file=/dev/null"] + cmd, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return int(re.search(r"Collected : (\d+)", p.stderr).group(1))


def by_instructions(env):
    py = sys.executable
    pyip = os.path.join(os.path.dirname(py), "pyip")
    env = dict(env, PYTHONHASHSEED="0")
    base = instructions([py, "-c", "pass"], env)
    print("| command | instructions (M) | x python3 -c pass |")
    print("|---|---:|---:|")
    print("| `python3 -c pass` | %.1f | 1.00 |" % (base / 1e6))
    worst = 0
    for row in INSTRUCTION_ROWS:
        n = instructions([pyip] + row.split(), env)
        worst = max(worst, n / base)
        print("| `pyip %s` | %.1f | %.2f |" % (row, n / 1e6, n / base))
    print("\nworst pyip ratio %.2f (budget %.1f): %s"
          % (worst, BUDGET, "ok" if worst <= BUDGET else "OVER BUDGET"))
    return 0 if worst <= BUDGET else 1


def main(argv):
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 20
    if "--ab" in argv:
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        return ab(argv[argv.index("--ab") + 1], runs, env)
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if "--instructions" in argv:
        return by_instructions(env)
    py = sys.executable
    pyip = os.path.join(os.path.dirname(py), "pyip")
    import pyip as pkg
    subprocess.run([py, "-m", "compileall", "-q", os.path.dirname(pkg.__file__)], env=env,
                   stdout=subprocess.DEVNULL, check=True)
    rows = [
        ("python3 -c pass", [py, "-c", "pass"]),
        ("pyip -V", [pyip, "-V"]),
        ("pyip xfrm policy count", [pyip, "xfrm", "policy", "count"]),
        ("pyip xfrm state count", [pyip, "xfrm", "state", "count"]),
        # commands whose words the grammar's walk reads (global options, a filter, an SA)
        ("pyip -s xfrm policy count", [pyip, "-s", "xfrm", "policy", "count"]),
        ("pyip xfrm policy list dir out", [pyip, "xfrm", "policy", "list", "dir", "out"]),
        ("pyip xfrm state get src 192.0.2.1 dst 192.0.2.2 proto esp spi 1",
         [pyip, "xfrm", "state", "get", "src", "192.0.2.1", "dst", "192.0.2.2", "proto", "esp",
          "spi", "1"]),
        ("ip -V", ["ip", "-V"]),
        ("ip xfrm policy count", ["ip", "xfrm", "policy", "count"]),
        ("ip xfrm policy list dir out", ["ip", "xfrm", "policy", "list", "dir", "out"]),
    ]
    for cmd in rows:                      # warm the page cache once
        median_ms(cmd[1], 1, env)
    results = [(name, median_ms(cmd, runs, env)) for name, cmd in rows]
    base = results[0][1]
    print("| command | median ms (%d runs) | x python3 -c pass |" % runs)
    print("|---|---:|---:|")
    worst = 0
    for name, ms in results:
        ratio = ms / base
        if name.startswith("pyip"):
            worst = max(worst, ratio)
        print("| `%s` | %.1f | %.2f |" % (name, ms, ratio))
    print("\nworst pyip ratio %.2f (budget %.1f): %s"
          % (worst, BUDGET, "ok" if worst <= BUDGET else "OVER BUDGET"))
    return 0 if worst <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
