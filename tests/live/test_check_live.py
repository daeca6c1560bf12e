"""xfrm check reads what the kernel holds as it reads a script: the real ip applies a
policies-only script (this host's kernel has no ESP) in a fresh namespace, then check's live
findings must be the script's static findings -- the kernel's dump and pyip's own encoder
judged against each other."""
import json
import subprocess

import pytest

from golden.record import IP

SCRIPTS = {
    "no SA for the template": [
        "xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir out priority 5 tmpl src 1.1.1.1 "
        "dst 2.2.2.2 proto esp reqid 3 mode tunnel"],
    "a block policy shadows a narrower one": [
        "xfrm policy add src 10.1.1.0/24 dst 10.2.0.0/16 dir out priority 20 tmpl src 1.1.1.1 "
        "dst 2.2.2.2 proto esp reqid 3 mode tunnel",
        "xfrm policy add src 10.1.0.0/16 dst 10.0.0.0/8 dir out priority 10 action block"],
    "an if_id no interface carries": [
        "xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir in if_id 7 mark 0x5 mask 0xf"],
    "nothing wrong": [
        "xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir in"],
}


def findings(argv):
    p = subprocess.run(argv, capture_output=True, text=True)
    assert p.stderr == ""
    found = json.loads(p.stdout)
    assert p.returncode == (1 if any(f["severity"] == "error" for f in found) else 0)
    return [(f["rule"], f["severity"], f["objects"], f["detail"]) for f in found]


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_check_live_finds_what_check_batch_finds(netns, pyip, tmp_path, name):
    script = tmp_path / "setup.batch"
    script.write_text("\n".join(SCRIPTS[name]) + "\n")
    subprocess.run([IP, "-batch", str(script)], check=True)
    static = findings([pyip, "-j", "xfrm", "check", "-batch", str(script)])
    assert findings([pyip, "-j", "xfrm", "check"]) == static
    assert bool(static) == (name != "nothing wrong")
