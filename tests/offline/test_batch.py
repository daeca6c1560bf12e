"""-batch lines are split into words as ip's makeargs() splits them: on " ", tab, CR and LF
only (str.split() alone would also split on form feeds, \\x1c-\\x1f and Unicode spaces)."""
import random

import pytest

from pyip.batch import makeargs

ALPHABET = ["a", "b", "0", " ", " ", "\t", "\r", "\n", "\x0b", "\x0c", "\x1c", "\x1f", "\xa0",
            "\u2003", "\u3000", "\x85", "\u00e9", "/"]


def ip_words(line):
    """What ip's makeargs keeps from a line without quotes."""
    for c in "\t\r\n":
        line = line.replace(c, " ")
    return [w for w in line.split(" ") if w]


@pytest.mark.parametrize("seed", range(4))
def test_lines_split_on_ip_white_space_only(seed):
    rnd = random.Random(seed)
    for _ in range(2000):
        line = "".join(rnd.choice(ALPHABET) for _ in range(rnd.randrange(12)))
        if rnd.random() < 0.5:
            line += "\n"
        assert makeargs(line) == ip_words(line), repr(line)


def ip_makeargs(line):
    """lib/utils.c makeargs(), a character at a time as C runs it: a word that begins with a
    quote runs to the next of that quote; the byte after any word is overwritten."""
    words, cp, n = [], 0, len(line)
    while cp < n:
        while cp < n and line[cp] in " \t\r\n":             # strspn(cp, ws)
            cp += 1
        if cp >= n:
            break
        if line[cp] in "'\"":
            quote, start = line[cp], cp + 1
            end = line.find(quote, start)                    # strchr(cp, quote)
            if end < 0:
                return "Unterminated quoted string"
            words.append(line[start:end])
            cp = end
        else:
            start = cp
            while cp < n and line[cp] not in " \t\r\n":     # strcspn(cp, ws)
                cp += 1
            words.append(line[start:cp])
            if cp >= n:
                break
        cp += 1                                              # *cp++ = 0
    return words


def pyip_makeargs(line):
    """pyip's words of a line, or its error text as ip_makeargs() gives it."""
    from pyip.errors import IpExit
    try:
        return makeargs(line)
    except IpExit as e:
        return e.message.strip()


@pytest.mark.parametrize("seed", range(4))
def test_quoted_words_run_to_their_closing_quote(seed):
    rnd = random.Random(seed)
    alphabet = ALPHABET + ["'", "'", '"', "x y"]
    for _ in range(3000):
        line = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(16)))
        if "'" not in line and '"' not in line:
            line += "'"
        assert pyip_makeargs(line) == ip_makeargs(line), repr(line)


@pytest.mark.parametrize("seed", range(4))
def test_printable_lines_with_quotes_split_as_ip_splits_them(seed):
    """Lines of words, spaces and quotes alone (ESP lines quote their algorithm names):
    quoted words whole or cut, adjacent, empty, unterminated, of both kinds."""
    rnd = random.Random(seed)
    alphabet = ["a", "cbc(aes)", "0x00", " ", " ", " ", "'", "'", '"', "x y", "''", "' '"]
    for _ in range(5000):
        line = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(14)))
        if rnd.random() < 0.5:
            line += "\n"
        assert pyip_makeargs(line) == ip_makeargs(line), repr(line)
