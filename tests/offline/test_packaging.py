"""What a distribution takes: the sdist carries everything to rebuild and test, and a wheel
installed into a fresh venv brings its man pages (found by man-db from PATH) and the bash
completion along."""
import glob
import os
import shutil
import subprocess
import sys
import tarfile

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def build_sdist(source, out):
    code = "import sys; from setuptools import build_meta as b; print(b.build_sdist(sys.argv[1]))"
    r = subprocess.run([sys.executable, "-c", code, out], cwd=source, check=True,
                       capture_output=True, text=True)
    return os.path.join(out, r.stdout.split()[-1])


@pytest.fixture(scope="module")
def sdist(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sdist")
    path = build_sdist(ROOT, str(tmp))
    with tarfile.open(path) as t:
        t.extractall(tmp)
        names = [n.split("/", 1)[1] for n in t.getnames() if "/" in n]
    return str(tmp / os.path.basename(path)[:-len(".tar.gz")]), names


def tracked():
    r = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True)
    if r.returncode:
        pytest.skip("not a git checkout")
    return r.stdout.split()


def test_the_sdist_carries_every_tracked_file(sdist):
    _, names = sdist
    missing = [f for f in tracked() if f not in names and f != ".gitignore"]
    assert missing == []


def test_the_sdist_regenerates_its_tables_and_pages(sdist):
    top, _ = sdist
    for script in ("compile.py", "manpages.py"):
        r = subprocess.run([sys.executable, os.path.join("grammar", script), "--check"],
                           cwd=top, capture_output=True, text=True)
        assert (script, r.returncode, r.stderr) == (script, 0, "")


def test_bin_pyip_is_executable_in_git():
    r = subprocess.run(["git", "ls-files", "-s", "bin/pyip"], cwd=ROOT, capture_output=True,
                       text=True)
    if r.returncode:
        pytest.skip("not a git checkout")
    assert r.stdout.split()[0] == "100755"


@pytest.fixture(scope="module")
def venv(sdist, tmp_path_factory):
    top, _ = sdist
    tmp = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--no-build-isolation", "-w", str(tmp), top], check=True,
                   capture_output=True)
    wheel = str(next(tmp.glob("pyip-*.whl")))
    env = str(tmp / "env")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", env], check=True)
    subprocess.run([sys.executable, "-m", "pip", "--python", os.path.join(env, "bin", "python"),
                    "install", "-q", "--no-deps", "--no-index", wheel], check=True)
    return env


def test_the_wheel_installs_the_man_pages_and_the_completion(venv):
    man8 = os.path.join(venv, "share", "man", "man8")
    pages = sorted(n for n in os.listdir(os.path.join(ROOT, "man")) if n.endswith(".8"))
    assert {"pyip.8", "pyip-xfrm.8", "pyip-link.8"} <= set(pages)
    assert sorted(os.listdir(man8)) == pages
    with open(os.path.join(venv, "share", "bash-completion", "completions", "pyip")) as f, \
            open(os.path.join(ROOT, "completion", "pyip")) as g:
        assert f.read() == g.read()


@pytest.mark.skipif(not shutil.which("man"), reason="man-db is not installed")
def test_man_finds_the_pages_of_a_venv_on_path(venv):
    env = {"PATH": os.path.join(venv, "bin") + ":/usr/bin:/bin", "LANG": "C"}
    pages = [n[:-2] for n in os.listdir(os.path.join(ROOT, "man")) if n.endswith(".8")]
    for page in pages:
        r = subprocess.run(["man", "-w", page], env=env, capture_output=True, text=True)
        assert r.stdout.strip() == os.path.join(venv, "share", "man", "man8", page + ".8")


def test_the_wheel_ships_the_type_hints_marker_and_the_pytest_plugin(venv):
    site, = glob.glob(os.path.join(venv, "lib", "python*", "site-packages"))
    assert os.path.isfile(os.path.join(site, "pyip", "py.typed"))
    dist, = glob.glob(os.path.join(site, "pyip-*.dist-info"))
    with open(os.path.join(dist, "entry_points.txt")) as f:
        text = f.read()
    assert "[pytest11]" in text and "pyip = pyip.pytest_plugin" in text


def test_the_installed_command_runs(venv):
    r = subprocess.run([os.path.join(venv, "bin", "pyip"), "-V"], capture_output=True,
                       text=True)
    assert (r.returncode, r.stdout.startswith("pyip utility, pyip-")) == (0, True)


BASH_COMPLETION = "/usr/share/bash-completion/bash_completion"


@pytest.mark.skipif(not os.path.exists(BASH_COMPLETION), reason="bash-completion not installed")
def test_bash_completion_loads_the_installed_completion_on_first_tab(venv):
    """bash-completion finds completions under $XDG_DATA_DIRS/bash-completion/completions:
    the venv's share/ there (or a link from /usr/local/share) is all it takes."""
    import pexpect
    env = {"PATH": os.path.join(venv, "bin") + ":/usr/bin:/bin", "HOME": venv, "TERM": "dumb",
           "PS1": "PROMPT> ", "XDG_DATA_DIRS": os.path.join(venv, "share") + ":/usr/share"}
    sh = pexpect.spawn("bash", ["--norc", "--noprofile", "-i"], env=env, encoding="utf-8",
                       timeout=20)
    sh.expect_exact("PROMPT> ")
    sh.sendline("source " + BASH_COMPLETION)
    sh.expect_exact("PROMPT> ")
    sh.send("pyip xf\t")
    sh.expect_exact("pyip xfrm ")
    sh.sendline("\x15exit")
    sh.expect(pexpect.EOF)
