"""What one TAB costs: the completion call (completion/pyip runs `pyip` with _PYIP_COMPLETE)
beside `python3 -c pass`, taking turns so that a busy machine weighs on both alike.

    python bench/complete.py [--runs N]

Uses the interpreter that runs this script and the `pyip` beside it (the venv pyip is
installed in), with bytecode caching on.  Prints the median wall time of N runs (default 30)
of each line's completion and its difference from `python3 -c pass`: what pyip's grammar
walk adds to the interpreter's start.
"""
import os
import statistics
import subprocess
import sys
import time

LINES = [
    "pyip ",
    "pyip x s ",
    "pyip xfrm state add src 192.0.2.1 dst 198.51.100.2 proto esp spi 0x100 mode tunnel "
    "reqid 1 aead ",
    "pyip xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 proto ",
    "pyip link add vti1 type vti ",
]


def run(cmd, env):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - t


def main(argv):
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 30
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    py = sys.executable
    pyip = os.path.join(os.path.dirname(py), "pyip")
    base, each = [], {line: [] for line in LINES}
    for _ in range(runs):
        for line in LINES:
            base.append(run([py, "-c", "pass"], env))
            tab = dict(env, _PYIP_COMPLETE="bash", COMP_LINE=line, COMP_POINT=str(len(line)))
            each[line].append(run([pyip, ""], tab))
    b = statistics.median(base) * 1000
    print("| completion of | median ms | - python3 -c pass |\n|---|---:|---:|")
    print("| (`python3 -c pass`) | %.1f | |" % b)
    for line in LINES:
        m = statistics.median(each[line]) * 1000
        print("| `%s` | %.1f | %+.1f |" % (line if len(line) < 50 else line[:47] + "...", m,
                                           m - b))


if __name__ == "__main__":
    main(sys.argv[1:])
