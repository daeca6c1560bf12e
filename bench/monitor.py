"""xfrm monitor under a flood of policy events, side by side with the real ip: how many events
each prints and loses, and its CPU per event.

    python bench/monitor.py [--events 20000,100000,200000] [--runs 3] [--together] [--mixed]
                    (as root: each flood in a fresh netns)

A flood is `ip -batch` of N `xfrm policy add` lines (N XFRM_MSG_NEWPOLICY events, as fast as
the kernel takes them).  The monitors listen with the default buffer (no -rcvbuf: ip's and
pyip's 1 MiB SO_RCVBUF request, which the kernel caps at net.core.rmem_max), stdout to a
file.  By default ip and pyip take turns, one monitor per flood (the order flips every run),
so neither takes CPU from the other; --together runs both in the same flood.  --mixed: the
policies take four shapes in turn (MIXED: IPv4 and IPv6 with a template, ports without one,
marks and two templates).  A marker
event first tells that the monitor listens; after the flood, its output must stand still
for a second before it is stopped (SIGTERM).  Events printed: the lines that start a policy
("src ..."); lost: N minus those; ENOBUFS: the "No buffer space available" lines on stderr.
CPU per event: the monitor's time on a CPU (/proc/PID/schedstat) from the marker to the end,
divided by the events printed.
"""
import os
import statistics
import subprocess
import sys
import tempfile

_INSIDE = r"""
import json, os, signal, subprocess, sys, time
batch, out_dir, cmds = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
MARK = "xfrm policy add src 198.18.0.1/32 dst 198.18.0.2/32 dir in".split()


def on_cpu(pid):
    with open("/proc/%d/schedstat" % pid) as f:
        return int(f.read().split()[0])


def size(path):
    return os.path.getsize(path)


procs = []
for i, cmd in enumerate(cmds):
    o = open(os.path.join(out_dir, "%d.out" % i), "wb")
    e = open(os.path.join(out_dir, "%d.err" % i), "wb")
    procs.append((subprocess.Popen(cmd, stdout=o, stderr=e), o.name, e.name))
time.sleep(0.3)
for _ in range(600):                    # until each monitor prints the marker
    subprocess.run(["ip"] + MARK, stderr=subprocess.DEVNULL)
    time.sleep(0.1)
    if all(size(o) for _, o, _ in procs):
        break
    subprocess.run(["ip", "xfrm", "policy", "flush"])
    time.sleep(0.1)
start = [size(o) for _, o, _ in procs]
cpu0 = [on_cpu(p.pid) for p, _, _ in procs]
t0 = time.perf_counter()
subprocess.run(["ip", "-batch", batch], check=True)
flood = time.perf_counter() - t0
last, still = None, 0
while still < 10:                       # a second of no new output
    time.sleep(0.1)
    now = [size(o) for _, o, _ in procs]
    still = still + 1 if now == last else 0
    last = now
cpu1 = [on_cpu(p.pid) for p, _, _ in procs]
result = []
for (p, o, e), c0, c1, s0 in zip(procs, cpu0, cpu1, start):
    p.send_signal(signal.SIGTERM)
    p.wait()
    with open(o, "rb") as f:
        f.seek(s0)
        text = f.read()
    with open(e, "rb") as f:
        err = f.read()
    result.append({"printed": text.count(b"\nsrc ") + text.startswith(b"src "),
                   "enobufs": err.count(b"No buffer space available"),
                   "cpu_ns": c1 - c0})
print(json.dumps({"flood_s": flood, "monitors": result}))
"""


# --mixed: the flood's policies take these shapes in turn (each its own key, so a monitor's
# events change shape from one to the next, as a VPN daemon's set-up of several tunnels)
MIXED = [
    "xfrm policy add src 10.%(a)d.%(b)d.0/24 dst 10.200.%(b)d.%(c)d/32 dir out priority %(p)d "
    "tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid %(i)d mode tunnel",
    "xfrm policy add src 2001:db8:%(a)x:%(b)x::/64 dst 2001:db8:ff:%(c)x::%(b)x/128 dir in "
    "priority %(p)d tmpl src 2001:db8::1 dst 2001:db8::2 proto esp reqid %(i)d mode tunnel",
    "xfrm policy add src 10.%(a)d.%(b)d.%(c)d/32 dst 172.16.%(b)d.%(c)d/32 proto tcp dport %(d)d "
    "dir fwd priority %(p)d",
    "xfrm policy add src 10.%(a)d.%(b)d.%(c)d/32 dst 172.17.%(b)d.%(c)d/32 dir out "
    "mark %(i)d if_id 7 tmpl proto esp reqid 1 mode transport "
    "tmpl src 192.0.2.1 dst 192.0.2.3 proto ah reqid 2 mode tunnel",
]


def flood_line(i, mixed):
    a, b = divmod(i, 250)
    if not mixed:
        return ("xfrm policy add src 10.%d.%d.0/24 dst 10.200.%d.%d/32 dir out "
                "priority %d tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid %d "
                "mode tunnel\n" % (a // 250, a % 250, a % 250, b, i % 100, i))
    return MIXED[i % len(MIXED)] % {"a": a // 250, "b": a % 250, "c": b, "p": i % 100,
                                    "i": i + 1, "d": 1 + i % 65000} + "\n"


def pyip_cmd():
    return os.path.join(os.path.dirname(sys.executable), "pyip")


def flood(batch, cmds):
    import json
    with tempfile.TemporaryDirectory(prefix="pyip-monitor.") as out_dir:
        p = subprocess.run(["unshare", "-n", sys.executable, "-c", _INSIDE, batch, out_dir,
                            json.dumps(cmds)], capture_output=True, text=True)
        if p.returncode:
            raise SystemExit("bench failed: %s" % p.stderr[-2000:])
        return json.loads(p.stdout.splitlines()[-1])


def main(argv):
    sizes = ([int(x) for x in argv[argv.index("--events") + 1].split(",")]
             if "--events" in argv else [20000, 100000, 200000])
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 3
    together = "--together" in argv
    mixed = "--mixed" in argv
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sides = {"ip": ["ip", "xfrm", "monitor"], "pyip": [pyip_cmd(), "xfrm", "monitor"]}
    tmp = tempfile.mkdtemp(prefix="pyip-bench.")
    print("| events | side | lost (each run) | median lost | ENOBUFS (each run) "
          "| CPU us/event (each run) | CPU us/event (median) | pyip/ip CPU per event |")
    print("|---:|---|---|---:|---|---|---:|---:|")
    for n in sizes:
        batch = os.path.join(tmp, "flood.batch")
        with open(batch, "w") as f:
            for i in range(n):
                f.write(flood_line(i, mixed))
        got = {"ip": [], "pyip": []}
        for r in range(runs):
            order = ["ip", "pyip"] if r % 2 == 0 else ["pyip", "ip"]
            if together:
                res = flood(batch, [sides[s] for s in order])["monitors"]
                for s, m in zip(order, res):
                    got[s].append(m)
            else:
                for s in order:
                    got[s].append(flood(batch, [sides[s]])["monitors"][0])
        per_event = {}
        for s in ("ip", "pyip"):
            ms = got[s]
            lost = [n - m["printed"] for m in ms]
            cpu = [m["cpu_ns"] / max(m["printed"], 1) / 1000 for m in ms]
            per_event[s] = statistics.median(cpu)
            print("| %d | %s | %s | %d | %s | %s | %.2f | %s |" % (
                n, s, ", ".join("%d" % x for x in lost), statistics.median(lost),
                ", ".join("%d" % m["enobufs"] for m in ms),
                ", ".join("%.2f" % x for x in cpu), per_event[s],
                "%.2f" % (per_event["pyip"] / per_event["ip"]) if s == "pyip" else ""),
                flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
