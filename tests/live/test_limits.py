"""Tight limits and odd input, pyip beside the real ip as child processes (each side in its
own fresh network namespace): -rc's receive buffer, replies bigger than 32 KiB, and -batch
lines with NULs, CRs, too many words or a continuation at the end of the file."""
import re
import shutil

import pytest

from tests.live.test_edges import same, shell


def _netlink_buffers(binary, argv):
    """The receive buffers (ss's rb) of the netlink sockets `binary argv` holds open."""
    # a loaded machine may take a while to start pyip: wait for its socket, then a moment
    script = ('"$IP" %s & for i in $(seq 100); do ss -f netlink -p | grep -q "xfrm:[^k]" && '
              'break; sleep 0.1; done; sleep 0.3\n'
              'ss -f netlink -m -p | grep -v -e ":kernel" -e ":ss/"; kill $!' % argv)
    rc, out, err = shell(binary, script)
    return re.findall(r"rb(\d+)", out.decode())


@pytest.mark.parametrize("size", [None, "1000", "0", "4194304", "0x100000", "4294967295"])
def test_rc_sets_the_receive_buffer_of_the_monitor_socket(pyip, size):
    argv = "xfrm monitor" if size is None else "-rc %s xfrm monitor" % size
    want = _netlink_buffers("ip", argv)
    assert want and _netlink_buffers(pyip, argv) == want


@pytest.mark.parametrize("size", ["-1", "abc", "4294967296", ""])
def test_rc_with_a_bad_size_is_ips_error(pyip, size):
    same(pyip, '"$IP" -rc "%s" xfrm policy count; echo "status $?"' % size)


def test_a_reply_over_32_kib_is_read_whole(pyip):
    # ip's rtnl_recvmsg() peeks at the size first: 250 altnames of 124 characters make one
    # RTM_NEWLINK of some 34 KiB
    names = "".join("link property add dev v0 altname %s%03d\\n" % ("a" * 121, i)
                    for i in range(250))
    rc, out, err = same(pyip, 'ip link add v0 type veth peer name v1\n'
                              'printf "%s" | ip -batch -\n'
                              '"$IP" link show; echo "status $?"\n'
                              '"$IP" link show v0 | wc -c' % names)
    assert out.count(b"altname") == 250 and b"status 0" in out


# -batch lines as getline() and makeargs() cut them
BATCHES = {
    "a NUL ends the line": r"xfrm policy flush\0 ptype sub\nxfrm policy count\n",
    "a NUL ends a word": r"xfrm policy count\0 junk\nxfrm policy cou\0nt\n",
    "a NUL before a continuation drops it": r"xfrm policy count\0 \\\nptype sub\n",
    "a NUL in a continued line": r"xfrm policy \\\nflush\0 junk\nxfrm policy count\n",
    "a lone CR is a blank": r"xfrm policy flush\rptype sub\nxfrm policy count\n",
    "a CR in a quoted word": "xfrm policy flush ptype 'sub\\rx'\\nxfrm policy count\\n",
    "a CR between words and at the end": r"xfrm\rpolicy\r\rcount\r\n\r\nxfrm policy list\r\n",
    "line numbers count LFs only": r"xfrm policy count\rx\nxfrm bogus\n",
    "a continuation at the end of the file": r"xfrm policy count\nxfrm policy count \\\n",
    "a continuation at the end after a failure": r"xfrm bogus\nxfrm policy \\\n",
    "a continuation ending in a comment": r"xfrm policy # \\\ncount\n",
}


@pytest.mark.parametrize("force", ["", "-force"])
@pytest.mark.parametrize("name", sorted(BATCHES))
def test_batch_lines_are_cut_as_ip_cuts_them(pyip, name, force):
    same(pyip, 'ip xfrm policy add src 1.0.0.0/8 dst 2.0.0.0/8 dir out ptype sub\n'
               'printf "%s" | "$IP" %s -batch -; echo "status $?"\nip xfrm policy count'
               % (BATCHES[name], force))


def _words(n, quoted=False):
    word = "'x'" if quoted else "x"
    return "xfrm policy count" + (" " + word) * (n - 3)


@pytest.mark.parametrize("force", ["", "-force"])
@pytest.mark.parametrize("words", [511, 512, 600])
@pytest.mark.parametrize("how", ["plain", "quoted", "continued", "tabs"])
def test_too_many_words_on_a_batch_line_end_the_batch(pyip, tmp_path, words, how, force):
    line = _words(words, quoted=how == "quoted")
    if how == "continued":
        line = line.replace(" x", " \\\nx")
    elif how == "tabs":
        line = line.replace(" ", "\t")
    path = tmp_path / "many.batch"
    path.write_text("xfrm policy count\n%s\nxfrm policy count\n" % line)
    same(pyip, '"$IP" %s -batch %s; echo "status $?"' % (force, path))


def test_an_unterminated_quote_past_the_word_limit_is_too_many_words(pyip, tmp_path):
    path = tmp_path / "many.batch"
    path.write_text(_words(520) + " 'open\n")
    same(pyip, '"$IP" -batch %s; echo "status $?"' % path)


# ---- running out of descriptors and memory -------------------------------------------------

LINES = ["xfrm policy add src 1.0.0.0/8 dst 2.0.0.0/8 dir out",
         "xfrm state add src 1.1.1.1 dst 2.2.2.2 proto esp spi 1 enc cbc(aes) 0x" + "00" * 16,
         "xfrm policy list", "xfrm state list", "xfrm state count", "-s xfrm policy count",
         "link add d0 type ifb", "link set d0 up", "link show d0", "link property add dev d0 "
         "altname alt0", "link add v0 type vti remote 1.1.1.1", "-d link show v0",
         "link add x0 type xfrm dev lo if_id 5", "-d link show", "xfrm policy flush",
         "link del d0", "xfrm monitor help"]


@pytest.mark.parametrize("limit", [5, 6, 8])
def test_a_batch_under_a_low_descriptor_limit_runs_as_ips(pyip, tmp_path, limit):
    # every module a line needs is loaded before the batch file is opened
    path = tmp_path / "lines.batch"
    path.write_text("\n".join(LINES) + "\n")
    same(pyip, 'prlimit --nofile=%d "$IP" -force -batch %s; echo "status $?"' % (limit, path))


def test_a_batch_of_dev_zero_under_a_memory_limit_ends_as_its_end(pyip):
    # ip's getline() fails for want of memory: the end of the batch, exit 0
    same(pyip, '(ulimit -v 400000; "$IP" -batch /dev/zero; echo "status $?")')


# Every 100 KiB from where the interpreter cannot start to where the listing fits: the
# limits where memory runs out while pyip loads, while it lists, or as it ends.  (Before
# bin/pyip's HEADROOM, CPython 3.11 hung in an import at 12250-12350 and crashed in its
# MemoryError at 13300.)
MEMORY_LIMITS = range(11500, 16001, 100)
SWEEP = """
ip -batch %s
for limit in %s; do
    (ulimit -v $limit; timeout 20 "$IP" xfrm policy list > %s/$limit.out 2> %s/$limit.err
     echo $? > %s/$limit.rc)
done
"""


@pytest.fixture(scope="module")
def memory_sweep(tmp_path_factory):
    """{limit: {binary: (status, stdout, stderr)}}: a 5,000-policy listing under each limit."""
    base = tmp_path_factory.mktemp("memory")
    path = base / "policies.batch"
    path.write_text("".join("xfrm policy add src 10.%d.%d.0/24 dst 20.0.0.0/8 dir out\n"
                            % (i // 256, i % 256) for i in range(5000)))
    pyip = shutil.which("pyip")
    found = {limit: {} for limit in MEMORY_LIMITS}
    for binary in ("ip", pyip):
        where = base / ("ip" if binary == "ip" else "pyip")
        where.mkdir()
        shell(binary, SWEEP % (path, " ".join(map(str, MEMORY_LIMITS)), where, where, where))
        for limit in MEMORY_LIMITS:
            found[limit][binary] = (int((where / ("%d.rc" % limit)).read_text()),
                                    (where / ("%d.out" % limit)).read_bytes(),
                                    (where / ("%d.err" % limit)).read_bytes())
    return found


@pytest.mark.parametrize("limit", MEMORY_LIMITS)
def test_memory_running_out_in_a_listing_is_one_line_not_an_internal_error(pyip, memory_sweep,
                                                                           limit):
    rc, out, err = memory_sweep[limit]["ip"]
    py_rc, py_out, py_err = memory_sweep[limit][pyip]
    assert rc == 0 and err == b""
    if py_err.startswith(b"Fatal Python error") or py_err.startswith(b"Error processing line"):
        pytest.skip("the interpreter itself did not start under %d KiB" % limit)
    # ip's C fits where Python may not (README "Differences"): then what was printed is
    # ip's first lines, and one line says why the rest is missing -- never a hang (timeout's
    # 124), a crash or a traceback
    assert (py_rc, py_out, py_err) == (0, out, b"") or (
        py_rc == 1 and out.startswith(py_out) and py_err == b"Cannot allocate memory\n")


FLOOD = """
"$IP" %s xfrm monitor > monitor.out 2>&1 &
m=$!
for i in $(seq 100); do ss -f netlink -p | grep -q "xfrm:[^k]" && break; sleep 0.1; done
sleep 0.3
kill -STOP $m
ip -batch %s
kill -CONT $m
sleep 2
kill $m; wait $m
echo "events $(grep -c '^src' monitor.out)"
grep -v -e '^\\s' -e '^src' -e '^$' monitor.out | sort | uniq -c
"""


@pytest.mark.parametrize("size", ["1000", "4194304"])
def test_rc_decides_how_many_events_a_stopped_monitor_keeps(pyip, tmp_path, size):
    # the monitor is stopped while 3,000 policies are added: its socket keeps what its
    # buffer holds (ip then says ENOBUFS); with -rc 4194304 every event, with 1000 two
    path = tmp_path / "flood.batch"
    path.write_text("".join("xfrm policy add src 10.%d.%d.0/24 dst 20.0.0.0/8 dir out\n"
                            % (i // 256, i % 256) for i in range(3000)))
    script = "cd %s\n" % tmp_path + FLOOD % ("-rc " + size, path)
    # ip and pyip run one after the other; on a loaded machine (five sessions' tests and
    # benches on 2 cores) pyip's monitor once kept 3 events to ip's 2 and then 2 in ten
    # runs, as ip did (and both in 6 of 6 runs each at rest): a timing we do not control,
    # so three tries for the two to agree, and a real difference still fails
    for attempt in range(3):
        try:
            rc, out, err = same(pyip, script)
            break
        except AssertionError:
            if attempt == 2:
                raise
    assert (b"events 3000" in out) == (size == "4194304")
