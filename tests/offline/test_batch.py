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
