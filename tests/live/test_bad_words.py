"""Words ip cannot take, in every address, prefix, protocol and name position of the grammar
(tests/live/positions.py), on the command line and in a -batch line, beside the real ip:
a byte that is not UTF-8, and names and values longer than ip's request buffers hold."""
import pytest

from tests.live.positions import lines
from tests.live.test_edges import shell

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


def _compare(pyip, commands, batch):
    script = _script(commands, batch)
    rc, want, _ = shell("ip", script)
    py_rc, got, _ = shell(pyip, script)
    want, got = want.decode("utf-8", "replace"), got.decode("utf-8", "replace")
    assert b"internal error" not in got.encode()
    assert (py_rc, got) == (rc, want)


def _filled(bad):
    return [list(before) + [bad(kind)] + list(after) for before, kind, after in POSITIONS]


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
