"""The real ip of a release for a test to run beside pyip (golden/releases.py's cache), or
the test skipped, saying so: a release whose binary is not cached is never a failure."""
import pytest

from golden import releases


def release_ip(release):
    ip = releases.ip_wrapper(release)
    if ip is None:
        pytest.skip("ip %s is not in the cache (python -m golden.releases fetch %s): its "
                    "cases are skipped" % (release, release))
    return ip
