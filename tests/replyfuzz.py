"""A fuzz of netlink replies: the xfrm messages ip received in golden/rec (dumps, gets,
monitor streams), mutated -- truncated messages and attributes, wrong lengths, unknown types
and flags, repeated attributes, huge counts -- and fed to `ip xfrm monitor file` and to
pyip's (in-process, against the same file).  Every mutant must leave pyip without an
internal error and print as ip prints it, but for the differences README "Differences"
documents (ip crashing, ip reading a Deficit's rta_len past the message); any other
difference is counted, and kept with --keep DIR.

    python -m tests.replyfuzz [--n 10000] [--seed 1] [--keep DIR] [--args=-s]

tests/live/test_reply_fuzz.py runs a fixed-seed slice of it.
"""
import argparse
import glob
import io
import json
import os
import random
import re
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REC = os.path.join(os.path.dirname(HERE), "golden", "rec")
NETLINK_XFRM = 6
HDR = struct.Struct("=IHHII")


def corpus():
    """Every message of every datagram ip received from NETLINK_XFRM in the recordings."""
    msgs = []
    for path in sorted(glob.glob(os.path.join(REC, "*.json"))):
        with open(path) as f:
            cases = json.load(f)
        for steps in cases.values():
            for step in steps:
                for proto, hexdata in step.get("received", ()):
                    if proto != NETLINK_XFRM:
                        continue
                    buf = bytes.fromhex(hexdata)
                    off = 0
                    while off + 16 <= len(buf):
                        n, type_ = HDR.unpack_from(buf, off)[:2]
                        if n < 16 or off + n > len(buf):
                            break
                        if type_ >= 16:             # not NLMSG_ERROR/DONE
                            msgs.append(buf[off:off + n])
                        off += (n + 3) & ~3
    return msgs


def _fix_len(m):
    return HDR.pack(len(m), *HDR.unpack_from(m)[1:]) + m[16:]


def _aligned(rnd, m, lo=16):
    if len(m) - 4 <= lo:
        return lo
    return lo + 4 * rnd.randrange((len(m) - 4 - lo) // 4 + 1)


def truncate(rnd, m):
    cut = rnd.randrange(16, len(m) + 1)
    m = m[:cut]
    return _fix_len(m) if rnd.random() < 0.7 else m


def wrong_len(rnd, m):
    n = rnd.choice([0, 1, 15, 16, 17, len(m) - 1, len(m) + 1, len(m) + 4, 16384, 16385,
                    0xffffffff, rnd.randrange(0, 2 * len(m) + 32)])
    return struct.pack("=I", n & 0xffffffff) + m[4:]


def odd_type(rnd, m):
    t = rnd.choice([rnd.randrange(16, 40), rnd.randrange(0, 16), rnd.randrange(0, 65536)])
    flags = rnd.choice([HDR.unpack_from(m)[2], rnd.randrange(0, 65536), 0x10, 0x2])
    return m[:4] + struct.pack("=HH", t, flags) + m[8:]


def attr_len(rnd, m):
    at = _aligned(rnd, m, 20)
    n = rnd.choice([0, 1, 3, 4, 5, 8, 0xffff, rnd.randrange(0, 512)])
    return m[:at] + struct.pack("=H", n) + m[at + 2:]


def attr_type(rnd, m):
    at = _aligned(rnd, m, 20)
    t = rnd.choice([rnd.randrange(0, 40), rnd.randrange(0, 40) | 0x8000,
                    rnd.randrange(0, 40) | 0x4000, 0xffff])
    return m[:at + 2] + struct.pack("=H", t) + m[at + 4:]


def repeat(rnd, m):
    a = _aligned(rnd, m, 20)
    b = min(len(m), a + 4 * rnd.randrange(1, 40))
    return _fix_len(m[:b] + m[a:b] + m[b:])


def huge(rnd, m):
    at = _aligned(rnd, m, 16)
    v = rnd.choice([0xffffffff, 0x7fffffff, 0x80000000, 0x10000, 0xffff, 64, 65, 128, 4096])
    return m[:at] + struct.pack("=I", v) + m[at + 4:]


def flip(rnd, m):
    b = bytearray(m)
    for _ in range(rnd.randrange(1, 6)):
        i = rnd.randrange(16, len(b)) if len(b) > 16 else 0
        b[i] = rnd.randrange(256)
    return bytes(b)


MUTATIONS = [truncate, wrong_len, odd_type, attr_len, attr_type, repeat, huge, flip]


def mutant(rnd, msgs):
    """One to three messages, each changed one to three times (one of them at least)."""
    out = []
    for k in range(rnd.choice([1, 1, 1, 2, 3])):
        m = rnd.choice(msgs)
        for _ in range(rnd.choice([1, 1, 2, 3]) if k == 0 or rnd.random() < 0.5 else 0):
            m = rnd.choice(MUTATIONS)(rnd, m)
        out.append(m + b"\0" * (-len(m) % 4))
    return b"".join(out)


def ip_side(path, args):
    p = subprocess.run(["ip"] + args + ["xfrm", "monitor", "file", path], capture_output=True,
                       timeout=20)
    return p.returncode, p.stdout, p.stderr


def pyip_side(path, args):
    """pyip's main() in this process, its stdout and stderr caught."""
    from pyip import main as pyip_main
    from pyip import out
    from pyip.opts import Options, opts
    fresh = Options()
    for name in Options.__slots__:
        setattr(opts, name, getattr(fresh, name))
    o, e = io.BytesIO(), io.BytesIO()
    saved = out._out, out._err
    out._out, out._err = o, e
    try:
        rc = pyip_main.main(args + ["xfrm", "monitor", "file", path])
    finally:
        out._out, out._err = saved
    return rc, o.getvalue(), e.getvalue()


_DEFICIT = re.compile(rb"(!!!Deficit -?\d+, rta_len=)\d+")


def documented(ip, pyip):
    """Whether a difference is one README "Differences" gives: ip crashed (it read past its
    buffer), or ip's Deficit line read its rta_len from past the message."""
    if ip[0] < 0:
        return True
    return (ip[:2] == pyip[:2] and
            _DEFICIT.sub(rb"\1L", ip[2]) == _DEFICIT.sub(rb"\1L", pyip[2]))


def run(n, seed, args=(), keep=None, progress=False):
    """(mutants, the same as ip, internal errors, [(file bytes, ip, pyip) of the others]);
    `others` leaves out the documented differences."""
    os.environ["TZ"] = "UTC"
    rnd = random.Random(seed)
    msgs = corpus()
    same = bugs = 0
    others = []
    args = list(args)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "mutant")
        for i in range(n):
            data = mutant(rnd, msgs)
            with open(path, "wb") as f:
                f.write(data)
            a = ip_side(path, args)
            b = pyip_side(path, args)
            if b"internal error" in b[2] or b"Traceback" in b[2]:
                bugs += 1
            if a == b:
                same += 1
            elif not documented(a, b):
                others.append((data, a, b))
                if keep:
                    os.makedirs(keep, exist_ok=True)
                    with open(os.path.join(keep, "%d-%d" % (seed, i)), "wb") as f:
                        f.write(data)
            if progress and (i + 1) % 1000 == 0:
                sys.stderr.write("%d mutants, %d as ip, %d internal errors\n"
                                 % (i + 1, same, bugs))
    return n, same, bugs, others


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--args", default="")
    ap.add_argument("--keep")
    a = ap.parse_args()
    n, same, bugs, others = run(a.n, a.seed, a.args.split(), a.keep, progress=True)
    print("%d mutants: %d the same as ip, %d documented differences (README), %d other "
          "differences, %d internal errors (tracebacks)"
          % (n, same, n - same - len(others), len(others), bugs))
    return 1 if bugs or others else 0


if __name__ == "__main__":
    sys.exit(main())
