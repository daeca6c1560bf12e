"""Peak memory (max RSS, by /usr/bin/time -f %M) of listings, ip beside pyip, with few and
with many objects, in every print mode: a listing streams when its RSS does not grow with
the dump.

    sudo .venv/bin/python bench/memory.py [--pyip PATH] [--small 1000] [--large 100000]
                                          [--only policy|state|link] [--modes "-j,-j -p"]

Each size runs in a fresh network namespace of this host's kernel, filled by the real ip
(-batch): policies, larval SAs (allocspi: this host has no ESP) and ifb devices (links
stop at 5,000, as the issue asks).  Prints a Markdown table for the README.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

# Every print mode a listing has (ip's xfrm prints text under -j; pyip prints its JSON).
# `count` answers with one message whatever the dump holds: a row to see that it stays flat.
MODES = ["", "-s", "-s -s", "-o", "-j", "-j -p", "-j -s"]
LISTINGS = [
    ("policy", "xfrm policy list", MODES),
    ("policy", "xfrm policy count", ["", "-j"]),
    ("state", "xfrm state list", MODES),
    ("state", "xfrm state count", ["", "-j"]),
    ("link", "link show", MODES + ["-d", "-j -d", "-j -p -s -d"]),
]
WORKS = [(("%s %s" % (mode, what)).strip(), kind, (mode + " " + what).split())
         for kind, what, modes in LISTINGS for mode in modes]
LINKS_AT_MOST = 5000


def fill_lines(kind, n):
    for i in range(n):
        a, b, c = i >> 16, (i >> 8) & 255, i & 255
        if kind == "policy":
            yield "xfrm policy add src 10.%d.%d.%d/32 dst 11.0.0.1/32 dir out\n" % (a, b, c)
        elif kind == "state":
            yield ("xfrm state allocspi src 10.%d.%d.%d dst 11.0.0.1 proto esp min 256 "
                   "max 4000000000\n" % (a, b, c))
        else:
            yield "link add d%d type ifb\n" % i


def measure(kind, n, commands, pyip):
    """{(label, binary): KiB} for one filled namespace."""
    with tempfile.TemporaryDirectory() as d:
        batch = os.path.join(d, "fill")
        with open(batch, "w") as f:
            f.writelines(fill_lines(kind, n))
        # a larval SA lives net.core.xfrm_acq_expires seconds (30): longer than the runs
        script = ["echo 3600 > /proc/sys/net/core/xfrm_acq_expires",
                  "ip -batch %s >/dev/null" % batch]
        for label, argv in commands:
            for binary in ("ip", pyip):
                script.append("echo %s; /usr/bin/time -f %%M %s %s 2>&1 >/dev/null | tail -1"
                              % (binary, binary, " ".join(argv)))
        p = subprocess.run(["unshare", "-n", "bash", "-c", "\n".join(script)],
                           capture_output=True, text=True, check=True)
    words = p.stdout.split()
    kib = {}
    i = 0
    for label, _ in commands:
        for binary in ("ip", pyip):
            assert words[i] == binary, p.stdout
            kib[label, binary] = int(words[i + 1])
            i += 2
    return kib


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pyip", default=shutil.which("pyip") or "pyip")
    ap.add_argument("--small", type=int, default=1000)
    ap.add_argument("--large", type=int, default=100000)
    ap.add_argument("--only", choices=("policy", "state", "link"))
    ap.add_argument("--modes", help="comma-separated print modes to run (default: all)")
    args = ap.parse_args()
    modes = None if args.modes is None else [m.strip() for m in args.modes.split(",")]
    rows = []
    for kind in [args.only] if args.only else ("policy", "state", "link"):
        commands = [(label, argv) for label, k, argv in WORKS if k == kind
                    and (modes is None or " ".join(a for a in argv if a.startswith("-"))
                         in modes)]
        if not commands:
            continue
        large = min(args.large, LINKS_AT_MOST) if kind == "link" else args.large
        small = measure(kind, args.small, commands, args.pyip)
        big = measure(kind, large, commands, args.pyip)
        for label, _ in commands:
            ip_s, ip_l = small[label, "ip"], big[label, "ip"]
            py_s, py_l = small[label, args.pyip], big[label, args.pyip]
            rows.append((label, args.small, large, ip_s, ip_l, py_s, py_l))
    print("| work | objects | ip MB | pyip MB | ip growth MB | pyip growth MB |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, s, l, ip_s, ip_l, py_s, py_l in rows:
        print("| %s | %d / %d | %.1f / %.1f | %.1f / %.1f | %+.1f | %+.1f |"
              % (label, s, l, ip_s / 1024, ip_l / 1024, py_s / 1024, py_l / 1024,
                 (ip_l - ip_s) / 1024, (py_l - py_s) / 1024))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
