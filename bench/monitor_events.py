"""The monitor's own work per event, by how many events a wake-up brings: instructions
(valgrind's callgrind), which do not move with the machine's load as bench/monitor.py's CPU
times do.

    python bench/monitor_events.py [--k 1,2,3,4,8,16,64]     (as root: unshare -n, valgrind)

First a flood of the bench's policies (bench/monitor.py's lines) is added in a new network
namespace and its XFRM_MSG_NEWPOLICY datagrams kept, as the kernel sent them.  Then, for
each K, the installed pyip's listener (`pyip.xfrm.listen._listen_plain`) is given those
events K per wake-up by a stand-in for the socket (its recv_into, a poll(0) that says
whether more of this wake-up's events are queued), stdout to /dev/null, under callgrind:
once with 5,000 events, once with 15,000 (the selectors' addresses changed, so caches miss
as a flood's do); the difference over 10,000 is the instructions per event, start-up and
imports left out.  The stand-in is Python (~3,000 instructions per event), the kernel's
work is not counted: compare figures of this script only (e.g. a venv of main against this
one: run the script with each venv's python).
"""
import os
import subprocess
import sys
import tempfile

_CAPTURE = r"""
import socket, subprocess, sys
n, batch, dest = int(sys.argv[1]), sys.argv[2], sys.argv[3]
subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 6)       # NETLINK_XFRM
s.setsockopt(socket.SOL_SOCKET, 33, 1 << 26)                    # SO_RCVBUFFORCE: all of it
s.bind((0, 1 << 3))                                             # XFRMNLGRP_POLICY (4)
subprocess.run(["ip", "-batch", batch], check=True)
s.setblocking(False)
with open(dest, "wb") as f:
    while True:
        try:
            f.write(s.recv(65536))
        except BlockingIOError:
            break
"""

_FEED = r"""
import os, sys
events_file, k, copies = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
from pyip.opts import opts
opts.SL, opts.oneline, opts.show_stats = "\n", 0, 0
null = os.open(os.devnull, os.O_WRONLY)
os.dup2(null, 1)
from pyip.xfrm import listen
data = open(events_file, "rb").read()
msgs, off = [], 0
while off < len(data):
    n = int.from_bytes(data[off:off + 4], "little")
    msgs.append(data[off:off + n])
    off += n
events = []
for c in range(copies):                 # new addresses in each copy: caches miss
    for msg in msgs:
        b = bytearray(msg)
        b[17] = c                       # the selector's daddr, second byte
        b[34] = c                       # its saddr, third byte
        events.append(bytes(b))


class Socket:
    def __init__(self):
        self.at = self.in_wakeup = 0

    def recv_into(self, view, size, flags=0):
        if flags and not self.in_wakeup:
            raise BlockingIOError()
        if self.at == len(events):
            return 0                    # EOF: the listener returns
        d = events[self.at]
        self.at += 1
        view[:len(d)] = d
        self.in_wakeup = (self.in_wakeup + 1) % k
        return len(d)

    def poll(self, timeout):
        return [(3, 1)] if self.in_wakeup and self.at < len(events) else []


import gc
gc.freeze()
gc.enable()
s = Socket()
os.dup2(null, 2)                        # (its "EOF on netlink")
listen._listen_plain((s.recv_into, s.poll, 1 << 21), False)
"""


def instructions(events_file, k, copies):
    import re
    p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                        sys.executable, "-c", _FEED, events_file, str(k), str(copies)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                       env=dict(os.environ, PYTHONHASHSEED="0"),
                       cwd=os.path.dirname(events_file))    # the venv's pyip, not ./pyip
    return int(re.search(r"Collected : (\d+)", p.stderr).group(1))


def main(argv):
    ks = ([int(x) for x in argv[argv.index("--k") + 1].split(",")]
          if "--k" in argv else [1, 2, 3, 4, 8, 16, 64])
    with tempfile.TemporaryDirectory(prefix="pyip-monitor-events.") as tmp:
        batch = os.path.join(tmp, "flood.batch")
        with open(batch, "w") as f:
            for i in range(5000):
                a, b = divmod(i, 250)
                f.write("xfrm policy add src 10.%d.%d.0/24 dst 10.200.%d.%d/32 dir out "
                        "priority %d tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid %d "
                        "mode tunnel\n" % (a // 250, a % 250, a % 250, b, i % 100, i))
        events = os.path.join(tmp, "events")
        subprocess.run(["unshare", "-n", sys.executable, "-c", _CAPTURE, "5000", batch, events],
                       check=True)
        print("| events per wake-up (K) | instructions per event |")
        print("|---:|---:|")
        for k in ks:
            per = (instructions(events, k, 3) - instructions(events, k, 1)) / 10000
            print("| %d | %.1fk |" % (k, per / 1000), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
