"""Cold-start cost of one pyip command, side by side with `python3 -c pass` and the real ip.

    python bench/startup.py [--runs N]

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


def main(argv):
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 20
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
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
