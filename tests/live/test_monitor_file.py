"""Odd messages, as `ip xfrm monitor file FILE` prints them: the real ip and pyip read the
same crafted file (no kernel involved) and must print the same.  One case per way a
message can be odd; each is a well-formed policy or SA with one thing changed."""
import struct
import subprocess

import pytest

from tests.offline.test_fast_paths import rta

AF_INET, AF_PACKET = 2, 17
XFRM_MSG_NEWSA, XFRM_MSG_NEWPOLICY = 16, 19
XFRMA_ALG_AUTH, XFRMA_ALG_CRYPT, XFRMA_TMPL, XFRMA_MARK, XFRMA_IF_ID = 1, 2, 5, 21, 31
NLA_F_NESTED = 0x8000


def selector(family=AF_INET):
    return struct.pack("=16s16sHHHHHBBB3xiI", b"\x0a\0\0\0" + bytes(12),
                       b"\x0a\0\1\0" + bytes(12), 0, 0, 0, 0, family, 24, 24, 0, 0, 0)


def policy(attrs, family=AF_INET):
    body = (selector(family) + struct.pack("=8Q4Q", *([2 ** 64 - 1] * 4 + [0] * 8))
            + struct.pack("=IIBBBB4x", 5, 8, 1, 0, 0, 0) + attrs)
    return struct.pack("=IHHII", 16 + len(body), XFRM_MSG_NEWPOLICY, 0, 1, 0) + body


def sa(attrs):
    body = (selector() + struct.pack("=16s4sB3x16s", b"\x0a\0\0\1" + bytes(12),
                                     b"\0\0\1\0", 50, b"\x0a\0\0\2" + bytes(12))
            + struct.pack("=8Q4QIII", *([2 ** 64 - 1] * 4 + [0] * 8), 0, 0, 0)
            + struct.pack("=IIHBBB7x", 0, 7, AF_INET, 1, 32, 0) + attrs)
    return struct.pack("=IHHII", 16 + len(body), XFRM_MSG_NEWSA, 0, 1, 0) + body


def mark(v, m):
    return struct.pack("=II", v, m)


def algo(name, key):
    return struct.pack("=64sI", name, len(key) * 8) + key


CASES = {
    "a-repeated-attribute-the-first-wins": policy(
        rta(XFRMA_MARK, mark(1, 0xff)) + rta(XFRMA_MARK, mark(2, 0xf))),
    "a-repeated-algorithm-the-first-wins": sa(
        rta(XFRMA_ALG_CRYPT, algo(b"cbc(aes)", bytes(16))) +
        rta(XFRMA_ALG_CRYPT, algo(b"cbc(des)", bytes(8)))),
    "a-nested-flag-makes-another-type": policy(
        rta(XFRMA_IF_ID | NLA_F_NESTED, struct.pack("=I", 7)) + rta(XFRMA_IF_ID, b"\0\0\0\x09")),
    "attributes-short-of-the-end-deficit": policy(rta(XFRMA_MARK, mark(1, 2)) + b"\xff\xff\x05\0"),
    "an-attribute-longer-than-the-message-deficit": policy(b"\x40\0\x15\0" + bytes(12)),
    "a-zero-length-attribute-deficit": policy(rta(XFRMA_IF_ID, b"\0\0\0\1") + bytes(8)),
    "a-link-layer-family-prints-hex": policy(b"", family=AF_PACKET),
    "a-64-byte-algorithm-name-runs-into-key-len": sa(
        rta(XFRMA_ALG_AUTH, algo(b"x" * 64, bytes(20)))),
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("args", [[], ["-s"]], ids=["plain", "s"])
def test_odd_messages_print_as_ip_prints_them(pyip, tmp_path, case, args):
    path = tmp_path / "messages"
    path.write_bytes(CASES[case])
    ran = [subprocess.run([prog] + args + ["xfrm", "monitor", "file", str(path)],
                          capture_output=True) for prog in ("ip", pyip)]
    assert ran[0].stdout                # each case prints its message
    assert [(r.returncode, r.stdout, r.stderr) for r in ran[1:]] == \
        [(ran[0].returncode, ran[0].stdout, ran[0].stderr)]
