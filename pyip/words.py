"""ip's ways of reading words: the keyword tables (first-word dispatch), and C's strtoul and
atoi numbers."""
from pyip._tables import TABLES


class _Meanings(dict):
    """word -> meaning in one grammar rule (first hit in ip's order, None if none).  A -batch
    asks the same questions thousands of times: an answer, once found, is a dict hit."""

    def __init__(self, rule):
        self.table = TABLES[rule]

    def __missing__(self, word):
        meaning = None
        for keyword, by_prefix, m, _ in self.table:
            if (by_prefix and word and keyword.startswith(word)) or keyword == word:
                meaning = m
                break
        if len(self) < 4096:
            self[word] = meaning
        return meaning


class _Rules(dict):
    def __missing__(self, rule):
        meanings = self[rule] = _Meanings(rule)
        return meanings


MEANINGS = _Rules()


def lookup(rule, word):
    """What `word` means in grammar rule `rule` (first hit in ip's order), or None."""
    return MEANINGS[rule][word]


_WS = " \t\n\v\f\r"
_INT_PREFIXES = {16: ("x", "X"), 8: ("o", "O")}


def strtoul(text, bits=32, base=0):
    """C strtoul(text, &end, base) that must consume all of text, limited to `bits` bits.

    Accepts what glibc does: leading white space, a sign, 0x/0X hex, a leading-0 octal.
    Returns None where ip's get_u32()/get_u16()/... would fail.
    """
    if text.isdigit() and text.isascii() and (text[0] != "0" or len(text) == 1) \
            and base in (0, 10):
        value = int(text)       # the common case: plain decimal
        return value if value < (1 << bits) else None
    if text[:2] == "0x" and base != 10:
        digits = text[2:]       # the next commonest: an spi, a mark, a key byte
        if digits.isalnum() and digits.isascii() and digits[1:2] not in _INT_PREFIXES[16]:
            try:
                value = int(digits, 16)
            except ValueError:
                return None     # C stops at the first non-hex: not all of the text
            return value if value < (1 << bits) else None
    s = text.lstrip(_WS)
    neg = False
    if s[:1] in ("+", "-"):
        neg = s[0] == "-"
        s = s[1:]
    if base in (0, 16) and s[:2] in ("0x", "0X") and len(s) > 2 and \
            s[2] in "0123456789abcdefABCDEF":
        base, digits = 16, s[2:]
    elif base == 0 and s[:1] == "0":
        base, digits = 8, s
    else:
        base, digits = base or 10, s
    if not digits or not text:
        return None
    if digits[1:2] in _INT_PREFIXES.get(base, ()) and digits[0] == "0":
        return None     # int() reads "0x1" in base 16 and "0o7" in base 8; C stops at the x/o
    try:
        value = int(digits, base)
    except ValueError:
        return None
    if not digits.isalnum() or not digits.isascii():
        return None     # int() allows "_", inner signs and other scripts' digits; C does not
    if value >= (1 << 64):
        return None     # ERANGE, with or without a sign
    if neg:
        value = (1 << 64) - value if value else 0
    if value >= (1 << bits):
        return None
    return value


def get_integer(text):
    """get_integer(): C strtol(text, &end, 0) that must consume all of text, within an int."""
    s = text.lstrip(" \t\n\v\f\r")
    neg = s[:1] == "-"
    digits = s[1:] if s[:1] in ("+", "-") else s
    if not digits[:1].isalnum():
        return None             # strtol takes one sign, after the white space only
    v = strtoul(digits, 64)
    if v is None or v > (0x80000000 if neg else 0x7fffffff):
        return None
    return -v if neg else v


def atoi(text):
    """glibc atoi(): (int) strtol(text, NULL, 10): white space, a sign, ASCII digits (not
    other scripts'), saturated to a long, then cut to an int."""
    s = text.lstrip(" \t\n\v\f\r")
    j = 1 if s[:1] in ("+", "-") else 0
    while j < len(s) and "0" <= s[j] <= "9":
        j += 1
    try:
        value = int(s[:j])
    except ValueError:
        return 0
    value = max(-1 << 63, min(value, (1 << 63) - 1))
    return (value + (1 << 31)) % (1 << 32) - (1 << 31)
