"""A fixed-seed slice of tests/replyfuzz.py: recorded xfrm replies, mutated, through
`ip xfrm monitor file` and pyip's.  No mutant may give pyip an internal error, and nearly
all must print as ip prints them; the rest are where ip reads past the message (README
"Differences": a Deficit's rta_len, structs shorter than their layout, ip's crashes)."""
import pytest

from tests import replyfuzz


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("args", [[], ["-s"]], ids=["plain", "s"])
def test_mutated_replies_print_as_ip_prints_them(seed, args):
    n, same, bugs, others = replyfuzz.run(300, seed, args)
    assert bugs == 0
    assert same >= 0.97 * n, [(o[1], o[2]) for o in others[:5]]
