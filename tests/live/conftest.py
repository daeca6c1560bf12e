import ctypes
import os
import shutil
import subprocess

import pytest

CLONE_NEWNET = 0x40000000


@pytest.fixture
def netns():
    """A fresh, empty network namespace for this test (the whole test process moves into
    it; the namespace goes away when nothing uses it any more)."""
    if os.geteuid() != 0:
        pytest.fail("the live tier needs root (unshare CLONE_NEWNET)")
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNET) != 0:
        pytest.fail("unshare(CLONE_NEWNET): %s" % os.strerror(ctypes.get_errno()))
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    yield


@pytest.fixture
def pyip():
    path = shutil.which("pyip")
    assert path, "pyip is not installed on PATH"
    return path
