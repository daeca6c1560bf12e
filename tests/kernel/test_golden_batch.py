"""The golden cases of the groups that need Debian's kernel -- link kinds xfrm, vti and vti6,
ESP states, vrf -- each as one -batch file run by ip and by pyip side by side in the VM,
each in a fresh network namespace: there the lines work, where the live tier's run of the
same files on the host sees ip and pyip refuse them alike.  state_behaviours' 145 cases are
taken one in eight: the 67 cases take ~5 min of the VM (two processes each, ~2 s apiece
under TCG)."""
import shutil

import pytest

from tests.live.test_golden_batch import assert_batch_is_ips, batch_cases

CASES = batch_cases(["link", "state", "vrf"]) + batch_cases(["state_behaviours"])[::8]


@pytest.mark.parametrize("lines", CASES)
def test_a_vm_golden_case_as_one_batch_is_ips(tmp_path, lines):
    assert_batch_is_ips(shutil.which("pyip"), tmp_path, lines)
