"""Words ip cannot take, in every address, prefix, protocol and name position of the grammar
(tests/live/positions.py), on the command line and in a -batch line, beside the real ip:
a byte that is not UTF-8, and names and values longer than ip's request buffers hold."""
import os
import subprocess
import tempfile

import pytest

from tests.live.positions import lines

KINDS = {"ADDR", "PREFIX", "PROTO", "DEV", "NAME", "CTX", "GRE_KEY", "KEY"}
POSITIONS = lines(KINDS)
GROUPS = sorted({tuple(before[:2]) for before, _, _ in POSITIONS})


def _quoted(word):
    """A bash $'...' word holding word's bytes."""
    raw = word.encode("utf-8", "surrogateescape")
    return "$'" + "".join(chr(b) if 32 < b < 127 and b not in b"'\\" else "\\x%02x" % b
                          for b in raw) + "'"


def _script(commands, batch):
    """Each command run by $IP (from argv, or as a one-line -batch), its status after it."""
    out = []
    for words in commands:
        if batch:
            out.append('printf "%%s\\n" %s | "$IP" -batch - 2>&1; echo "status $?"'
                       % _quoted(" ".join(words)))
        else:
            out.append('"$IP" %s 2>&1; echo "status $?"' % " ".join(map(_quoted, words)))
    return "\n".join(out) + "\n"


def both(binaries, script):
    """`script` run by bash with $IP each binary, each in a fresh network namespace, side by
    side; [(exit status, stdout)].  From a file: a script of long words passes the 128 KiB
    of one argv string."""
    with tempfile.NamedTemporaryFile("w", suffix=".sh") as f:
        f.write(script)
        f.flush()
        outs = [tempfile.TemporaryFile() for _ in binaries]
        runs = [subprocess.Popen(["unshare", "-n", "bash", f.name], stdout=o,
                                 stderr=subprocess.DEVNULL, env=dict(os.environ, IP=b))
                for b, o in zip(binaries, outs)]
        done = []
        for p, o in zip(runs, outs):
            rc = p.wait(timeout=300)
            o.seek(0)
            done.append((rc, o.read()))
            o.close()
        return done


def _compare(pyip, commands, batch):
    script = _script(commands, batch)
    (rc, want), (py_rc, got) = both(["ip", pyip], script)
    want, got = want.decode("utf-8", "replace"), got.decode("utf-8", "replace")
    assert b"internal error" not in got.encode()
    assert (py_rc, got) == (rc, want)


def _filled(bad, positions=POSITIONS):
    return [list(before) + [bad(kind)] + list(after) for before, kind, after in positions]


def _not_utf8(kind):
    return "1.2.3.\udcff" if kind in ("ADDR", "PREFIX") else "a\udcff"


@pytest.mark.parametrize("batch", [False, True], ids=["argv", "batch"])
@pytest.mark.parametrize("group", GROUPS, ids=" ".join)
def test_a_byte_that_is_not_utf8_gets_ips_message(pyip, group, batch):
    _compare(pyip, [c for c in _filled(_not_utf8) if tuple(c[:2]) == group], batch)


def test_a_lone_non_utf8_byte_as_protocol_and_address(pyip):
    _compare(pyip, [["xfrm", "policy", "list", "proto", "\udcff", "dir", "out"],
                    ["xfrm", "policy", "list", "src", "\udcff"],
                    ["link", "add", "v", "type", "vti", "remote", "\udcff"]], False)


# past ip's request buffers: ip's addattr_l() says so and sends its request without the
# attribute (ll_link_get(), iplink_modify(), property's altnames: 1056 bytes).  A ctx of 256
# bytes or more overruns ip's own char[256] (it aborts, or sends its stack): not compared
CTX_FREE = [p for p in POSITIONS if p[1] != "CTX"]


@pytest.mark.parametrize("group", GROUPS, ids=" ".join)
def test_a_value_past_ips_request_buffer_gets_ips_bound_message(pyip, group):
    _compare(pyip, [c for c in _filled(lambda kind: "a" * 70000, CTX_FREE)
                    if tuple(c[:2]) == group], False)


@pytest.mark.parametrize("batch", [False, True], ids=["argv", "batch"])
def test_a_long_device_name_at_and_past_the_bound(pyip, batch):
    commands = []
    for length in (1000, 1011, 1012, 65000, 65536):
        name = "a" * length
        commands += [["link", "show", "dev", name], ["link", "add", name, "type", "dummy"],
                     ["link", "add", name[:1000], "type", "vti", "remote", "1.1.1.1"],
                     ["link", "property", "add", "dev", "lo", "altname", name],
                     ["xfrm", "policy", "list", "dev", name]]
    _compare(pyip, commands, batch)


@pytest.mark.parametrize("length", [256, 300, 70000])
def test_a_ctx_past_ips_buffer_is_refused_before_anything_is_sent(pyip, length):
    ctx = "a" * length
    script = _script([["xfrm", "policy", "add", "ctx", ctx, "dir", "out"],
                      ["xfrm", "state", "add", "src", "1.1.1.1", "dst", "2.2.2.2", "proto",
                       "esp", "spi", "1", "enc", "cbc(aes)", "0x" + "00" * 16, "ctx", ctx],
                      ["xfrm", "policy", "count"]], False)
    [(_, got)] = both([pyip], script)
    refused = 'Error: CTX "%s" is longer than 255 bytes.\nstatus 255\n' % ctx
    assert got.decode() == refused * 2 + "\t SPD IN  0 OUT 0 FWD 0\nstatus 0\n"


def test_a_ctx_of_255_bytes_is_ips(pyip):
    _compare(pyip, [["xfrm", "policy", "add", "ctx", "a" * 255, "dir", "out"],
                    ["xfrm", "policy", "list"]], False)


def _valid(kind):
    from tests.live.positions import VALID
    return VALID.get(kind, "x")


@pytest.mark.parametrize("group", GROUPS, ids=" ".join)
def test_a_cr_before_and_a_nul_after_a_value_in_a_batch_line(pyip, tmp_path, group):
    # getline() ends the line at LF only (the CR is a blank for makeargs()) and C's string
    # functions stop at the NUL: the words after it are never read
    script = []
    for k, (before, kind, after) in enumerate(POSITIONS):
        if tuple(before[:2]) != group:
            continue
        line = " ".join(before) + "\r" + _valid(kind) + "\0 " + " ".join(after) + " junk\n"
        path = tmp_path / ("%d.batch" % k)
        path.write_bytes(line.encode())
        script.append('"$IP" -batch %s 2>&1; echo "status $?"' % path)
    script = "\n".join(script) + "\n"
    (rc, want), (py_rc, got) = both(["ip", pyip], script)
    assert (py_rc, got.decode("utf-8", "replace")) == (rc, want.decode("utf-8", "replace"))
