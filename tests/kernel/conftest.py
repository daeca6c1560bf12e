import os

import pytest

from golden.record import load_modules


def pytest_configure(config):
    # The kernel tier needs Debian's full kernel: it runs inside the VM (tests/run starts
    # it).  Anywhere else it fails rather than skips, so CI cannot pass without it.
    if os.environ.get("PYIP_VM") != "1":
        raise pytest.UsageError("tests/kernel runs inside the test VM: use tests/run")
    load_modules()
