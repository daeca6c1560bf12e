"""A fixed-seed slice of tests/replyfuzz.py: recorded xfrm replies, mutated, through
`ip xfrm monitor file` and pyip's.  No mutant may give pyip an internal error, and each
must print as ip prints it, but where ip crashes or reads a Deficit's rta_len past the
message (README "Differences")."""
import pytest

from tests import replyfuzz


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("args", [[], ["-s"]], ids=["plain", "s"])
def test_mutated_replies_print_as_ip_prints_them(seed, args):
    n, same, bugs, others = replyfuzz.run(300, seed, args)
    assert bugs == 0
    assert [(o[1], o[2]) for o in others] == []
    assert same >= 0.9 * n          # the mutants are mostly ones ip prints
