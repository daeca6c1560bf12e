"""A listing's memory does not grow with the dump, in every print mode: pyip's peak memory
(max RSS) listing 20,000 policies (larval SAs) is, within 1 MiB, what it is listing 5,000,
as the real ip's is, and the output holds every object.  The kernel's real dumps, in a fresh network
namespace per kind; the real ip's listing of the same 20,000 says how many objects the
output must hold.

(ip 6.1 needs the same memory for both sizes, -j too, which it ignores for xfrm; pyip's
-j held the whole dump before it wrote the array: +116 MB from 5,000 to 50,000 policies.
Max RSS rather than the least `ulimit -v` that fits: under ulimit -v the interpreter's
need is not monotonic -- a 2,000-SA -j listing fits 14,000 KiB, not 14,200-14,600, and
fits again from 14,800 -- so a search for the least limit lands on either side.)
"""
import json
import re
import shutil
import sys

import pytest

from tests.live.test_edges import shell

SMALL, LARGE = 5000, 20000
MODES = ["", "-s", "-s -s", "-o", "-j", "-j -p", "-j -s"]
# What the large listing may take beyond the small one (where ip takes no more): the address
# texts' caches (pyip.addr: 4,096 texts by bytes, 4,096 bytes by text) are full only once
# some 8,000 distinct addresses went through them, ~0.5 MiB more than at 5,000 objects;
# a listing that kept its dump (or its text) would take 3 KiB more for each object, 45 MiB
# here.
GROWTH_KIB = 1024


def _fill(kind, start, stop):
    if kind == "policy":
        return "".join("xfrm policy add src 10.%d.%d.0/24 dst 20.0.0.0/8 dir out\n"
                       % (i // 256, i % 256) for i in range(start, stop))
    return "".join("xfrm state allocspi src 10.%d.%d.1 dst 11.0.0.1 proto esp min 256 "
                   "max 4000000000\n" % (i // 256, i % 256) for i in range(start, stop))


# A child's status and max RSS (KiB), by wait4(): written to the file argv[1]
MAXRSS = """import os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
open(sys.argv[1], "w").write("%d %d" % (os.waitstatus_to_exitcode(status), usage.ru_maxrss))
"""
# Each mode's listing of SMALL objects, then of LARGE, each side measured the same way
SCRIPT = r"""
D=%(dir)s
# a larval SA lives net.core.xfrm_acq_expires seconds (30): longer than the listings
echo 3600 > /proc/sys/net/core/xfrm_acq_expires
run() {
    i=0
    for mode in %(modes)s; do
        for binary in ip "$IP"; do
            side=$([ $binary = ip ] && echo ip || echo pyip)
            %(python)s $D/maxrss.py $D/$1.$side.$i.rss $binary $mode xfrm %(kind)s list \
                > $D/$1.$side.$i.out 2> $D/$1.$side.$i.err
        done
        i=$((i + 1))
    done
}
ip -batch $D/small.batch >/dev/null
run small
ip -batch $D/large.batch >/dev/null
run large
"""


def _listings(kind, base):
    """{(size, side, mode): (status, max RSS KiB, stdout, stderr)}"""
    (base / "small.batch").write_text(_fill(kind, 0, SMALL))
    (base / "large.batch").write_text(_fill(kind, SMALL, LARGE))
    (base / "maxrss.py").write_text(MAXRSS)
    modes = " ".join("'%s'" % m for m in MODES)
    shell(shutil.which("pyip"), SCRIPT % {"dir": base, "kind": kind, "modes": modes,
                                          "python": sys.executable})
    found = {}
    for size in ("small", "large"):
        for side in ("ip", "pyip"):
            for i, mode in enumerate(MODES):
                name = "%s.%s.%d." % (size, side, i)
                rc, rss = map(int, (base / (name + "rss")).read_text().split())
                found[size, side, mode] = (rc, rss, (base / (name + "out")).read_bytes(),
                                           (base / (name + "err")).read_bytes())
    return found


@pytest.fixture(scope="module")
def policies(tmp_path_factory):
    return _listings("policy", tmp_path_factory.mktemp("policies"))


@pytest.fixture(scope="module")
def states(tmp_path_factory):
    return _listings("state", tmp_path_factory.mktemp("states"))


def _objects_in(mode, text):
    """How many objects a listing's output holds: the array's items, or the text's heads
    (a policy's "src A dst B" line, an SA's "src A dst B" line)."""
    if "-j" in mode:
        return len(json.loads(text))
    return len(re.findall(rb"^src ", text, re.M))


def _found(request, kind):
    return request.getfixturevalue("policies" if kind == "policy" else "states")


@pytest.mark.parametrize("kind", ["policy", "state"])
@pytest.mark.parametrize("mode", MODES, ids=[m or "plain" for m in MODES])
def test_ten_times_the_objects_take_no_more_memory(request, kind, mode):
    found = _found(request, kind)
    for size in ("small", "large"):
        assert found[size, "pyip", mode][::3] == found[size, "ip", mode][::3] == (0, b"")
    ip_growth = found["large", "ip", mode][1] - found["small", "ip", mode][1]
    growth = found["large", "pyip", mode][1] - found["small", "pyip", mode][1]
    assert growth <= max(ip_growth, 0) + GROWTH_KIB, "+%d KiB (ip: %+d KiB)" % (growth,
                                                                                ip_growth)


@pytest.mark.parametrize("kind", ["policy", "state"])
@pytest.mark.parametrize("mode", MODES, ids=[m or "plain" for m in MODES])
def test_a_large_listing_holds_every_object_ip_lists(request, kind, mode):
    found = _found(request, kind)
    # (the namespace's own policy too: tests.live.test_edges.SETUP)
    ip_objects = _objects_in("", found["large", "ip", ""][2])
    assert ip_objects >= LARGE
    assert _objects_in(mode, found["large", "pyip", mode][2]) == ip_objects


@pytest.mark.parametrize("kind", ["policy", "state"])
def test_pretty_json_of_a_large_listing_is_the_same_document(request, kind):
    found = _found(request, kind)
    assert json.loads(found["large", "pyip", "-j -p"][2]) == \
        json.loads(found["large", "pyip", "-j"][2])


def test_a_reader_that_leaves_early_ends_the_json_listing_as_it_ends_ips(pyip, tmp_path):
    # ip prints text under -j; both write more than a pipe holds, and die by SIGPIPE
    path = tmp_path / "policies.batch"
    path.write_text(_fill("policy", 0, 3000))
    script = ('ip -batch %s\n"$IP" -j xfrm policy list | head -c 100 | wc -c\n'
              'echo "${PIPESTATUS[@]}"' % path)
    outs = [shell(binary, script)[1] for binary in ("ip", pyip)]
    assert outs[1] == outs[0] == b"100\n141 0 0\n"
