"""Numbers are read as ip reads them, with C's strtoul(..., 0): checked against the C
library itself, so octal ("010"), hex, signs and white space agree with ip."""
import ctypes

import pytest

from pyip.words import strtoul

libc = ctypes.CDLL(None, use_errno=True)
libc.strtoul.restype = ctypes.c_ulong
libc.strtoul.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_char_p), ctypes.c_int]

SAMPLES = ["0", "7", "010", "08", "0x10", "0X1f", "0x", "0xg", "", " 5", "5 ", "+7", "-0",
           "-1", "1_0", "4294967295", "4294967296", "0xffffffff", "0x100000000", "037777777777",
           "99999999999999999999999", "abc", "1e3", "00", "0x0", "\t12", "\u0663", "0x\u0663",
           "1\u0663"]


def c_strtoul(raw, base):
    """libc's strtoul(raw, &end, base): (value, bytes taken, errno)."""
    end = ctypes.c_char_p()
    ctypes.set_errno(0)
    value = libc.strtoul(raw, ctypes.byref(end), base)
    errno = ctypes.get_errno()
    start = ctypes.cast(ctypes.c_char_p(raw), ctypes.c_void_p).value
    return value, ctypes.cast(end, ctypes.c_void_p).value - start, errno


def c_get_unsigned(text, bits, base):
    """lib/utils.c get_u8/u16/u32/u64(text, base): all of text taken, no ERANGE, in range."""
    if not text:
        return None
    raw = text.encode()
    value, consumed, errno = c_strtoul(raw, base)
    if errno or value >= 1 << bits:
        return None
    return value if consumed == len(raw) and consumed > 0 else None


@pytest.mark.parametrize("text", SAMPLES)
def test_strtoul_agrees_with_libc(text):
    assert strtoul(text) == c_get_unsigned(text, 32, 0)


PIECES = ["0", "0", "1", "7", "8", "9", "a", "f", "g", "x", "X", "o", "O", "b", "B", "_", " ",
          "-", "+", "0x", "0X", "0o", "0b", "ff", "\u0663", "18446744073709551615",
          "18446744073709551616", "4294967296"]


@pytest.mark.parametrize("base", [0, 16])
def test_random_numbers_agree_with_libc_strtoul(base):
    """Python's int() takes prefixes ("0x" in base 16, "0o" in base 8) and underscores that
    C's strtoul stops at: "0x0x1" and "0o7" are no numbers to ip; a negated number past
    ULONG_MAX is ERANGE, not a wrap."""
    import random
    rnd = random.Random(base)
    for _ in range(6000):
        text = "".join(rnd.choice(PIECES) for _ in range(rnd.randrange(1, 6)))
        for bits in (8, 16, 32, 64):
            assert strtoul(text, bits, base) == c_get_unsigned(text, bits, base), \
                (text, bits, base)


def c_keymat(digits):
    """xfrm_algo_parse()'s hex branch: a leading 0 for odd lengths, then get_u8(pair, 16) for
    each pair of bytes; None where ip refuses the key."""
    digits = digits.encode("utf-8", "surrogateescape")
    if len(digits) % 2:
        digits = b"0" + digits
    out = bytearray()
    for i in range(0, len(digits), 2):
        raw = digits[i:i + 2]
        value, consumed, errno = c_strtoul(raw, 16)
        if errno or value > 0xff or consumed != len(raw):
            return None
        out.append(value)
    return bytes(out)


KEYS = ["00", "0123456789abcdef", "ABCDEF", "aBcD", "123", "f", "0g", "g0", " 1", "+1", "-1",
        "1 ", "0x12", "\u0663\u0663", "1_", "ff" * 40, "Zz"]


@pytest.mark.parametrize("digits", KEYS)
def test_hex_keys_are_read_pair_by_pair_as_ip_does(digits):
    from pyip.errors import IpExit
    from pyip.xfrm.state import keymat
    try:
        got = keymat("0x" + digits)
    except IpExit:
        got = None
    assert got == c_keymat(digits)


ATOI_SAMPLES = ["12", " 12abc", "-3", "+7", "+", "", "abc", "\u0663", "1\u0663", "\t\n42",
                "99999999999", "007", "2147483648", "-2147483649", "99999999999999999999",
                "-99999999999999999999"]


@pytest.mark.parametrize("text", ATOI_SAMPLES)
def test_atoi_agrees_with_libc(text):
    from pyip.words import atoi as _atoi
    libc.atoi.restype = ctypes.c_int
    raw = text.encode("utf-8")
    assert _atoi(text) == libc.atoi(raw)        # glibc: (int) strtol(text, NULL, 10)


IF_U_SAMPLES = ["if5", "if 7", "if-1", "if+3", "if", "ifx", "if\u0663", "if5x",
                "if99999999999999999999999", "if4294967296", "if\t12", "if-"]


@pytest.mark.parametrize("name", IF_U_SAMPLES)
def test_ifN_names_are_scanned_as_sscanf_if_u(name):
    from pyip.links import _scan_if_u
    value = ctypes.c_uint(0)
    n = libc.sscanf(name.encode("utf-8"), b"if%u", ctypes.byref(value))
    assert _scan_if_u(name[2:]) == (value.value if n == 1 else 0)


INTEGER_SAMPLES = ["0", "5", "-5", "+5", " 5", "- 5", "--5", "+-5", "0x10", "-0x10", "010",
                   "2147483647", "2147483648", "-2147483648", "-2147483649", "x", "", "5 ",
                   "99999999999999999999", "\u0663"]


@pytest.mark.parametrize("text", INTEGER_SAMPLES)
def test_get_integer_agrees_with_libc_strtol(text):
    from pyip.link.modify import get_integer
    libc.strtol.restype = ctypes.c_long
    libc.strtol.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_char_p), ctypes.c_int]
    raw = text.encode("utf-8")
    end = ctypes.c_char_p()
    ctypes.set_errno(0)
    value = libc.strtol(raw, ctypes.byref(end), 0)
    errno = ctypes.get_errno()
    used = ctypes.cast(end, ctypes.c_void_p).value - ctypes.cast(ctypes.c_char_p(raw),
                                                                   ctypes.c_void_p).value
    ok = raw and used == len(raw) and used > 0 and not errno and -2 ** 31 <= value < 2 ** 31
    assert get_integer(text) == (value if ok else None)
