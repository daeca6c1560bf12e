"""The Python API against pyroute2: read every link of a namespace as objects.

    python bench/api.py [--links 1000] [--runs 15]      (as root: a fresh netns of its own)

pyip: `pyip.IP().links()` (Link objects, kind and xfrm/vti options decoded); pyroute2:
`IPRoute().get_links()` (what a Python user would pick instead).  Each in two ways: a new
handle per read (open, dump, close) and one handle read again.  Median seconds of `runs`,
taking turns.  1,000 links are 500 veth pairs (this host's kernel has veth, not dummy).
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time


def child(links, runs):
    import pyip
    from pyroute2 import IPRoute
    with tempfile.NamedTemporaryFile("w", suffix=".batch", delete=False) as f:
        for i in range(links // 2):
            f.write("link add va%d type veth peer name vb%d\n" % (i, i))
    subprocess.run(["ip", "-batch", f.name], check=True)
    os.unlink(f.name)

    def pyip_new():
        with pyip.IP() as ip:
            return len(ip.links())

    def pyroute2_new():
        with IPRoute() as ipr:
            return len(ipr.get_links())

    ip_handle, ipr_handle = pyip.IP(), IPRoute()
    rows = [("new handle per read", pyip_new, pyroute2_new),
            ("one handle, read again", lambda: len(ip_handle.links()),
             lambda: len(ipr_handle.get_links()))]
    print("| read %d links | pyip.IP().links() s | pyroute2 get_links() s | pyroute2/pyip |"
          % (links + 1))
    print("|---|---:|---:|---:|")
    for label, a, b in rows:
        assert a() == b() == links + 1
        ta, tb = [], []
        for r in range(runs):
            for fn, t in ((a, ta), (b, tb)) if r % 2 else ((b, tb), (a, ta)):
                t0 = time.perf_counter()
                fn()
                t.append(time.perf_counter() - t0)
        ma, mb = statistics.median(ta), statistics.median(tb)
        print("| %s | %.4f | %.4f | %.1f |" % (label, ma, mb, mb / ma))
    ip_handle.close()
    ipr_handle.close()


def main(argv):
    links = int(argv[argv.index("--links") + 1]) if "--links" in argv else 1000
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 15
    if "--child" in argv:
        child(links, runs)
        return 0
    return subprocess.run(["unshare", "-n", sys.executable, os.path.abspath(__file__),
                           "--child", "--links", str(links), "--runs", str(runs)]).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
