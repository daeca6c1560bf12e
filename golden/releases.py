"""The newer iproute2 releases pyip follows, and their kernels, fetched from Debian's archive
into a cache and run from there: never installed, never upgrading the machine's packages.

    python -m golden.releases fetch [RELEASE|KERNEL...]   download and unpack (idempotent)
    python -m golden.releases status                      what is in the cache
    python -m golden.releases ip RELEASE ARGS...          run "ip of release R" here

ip 6.1 is the system's own (/usr/sbin/ip, Debian 12).  6.15 is bookworm-backports' build,
which runs on Debian 12 as it is.  7.3 is sid's, built for glibc >= 2.38: it runs through
sid's own libc loader (ld-linux invoked explicitly with sid's libc and libbpf first on the
library path, bookworm's libraries for the rest; LD_LIBRARY_PATH alone does not work, the
ELF interpreter would stay bookworm's).  The kernels (trixie's 6.12, trixie-backports' 7.3)
are unpacked for the test VM (tests/vm/kvm.py) to boot.

Debian's archive moves on (sid's 7.3.0-1 will be replaced): a package that can no longer be
fetched is reported plainly and its release skipped -- never an error for CI.  The cache is
$PYIP_RELEASES (default /var/cache/iproute2-releases: no "pyip" in
its path: pyip.delegate takes a script naming pyip for a wrapper of pyip), shared read-only with the VM.
"""
import os
import shutil
import subprocess
import sys

CACHE = os.environ.get("PYIP_RELEASES", "/var/cache/iproute2-releases")
ARCHIVE = "http://deb.debian.org/debian"
SUITES = ("bookworm-backports", "trixie", "trixie-backports", "sid")
KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"

# release -> (the exact Debian package versions, the binary inside, whether it needs sid's
# libc loader); the -V line each prints on this machine is in VERSION_LINES
PACKAGES = {
    "6.15": ([("iproute2", "6.15.0-1~bpo12+1")], "bin/ip", False),
    "7.3": ([("iproute2", "7.3.0-1"), ("libc6", None), ("libbpf1", None)], "usr/bin/ip", True),
}
KERNELS = {
    "6.12": ([("linux-image-6.12.117+deb13-amd64", None)],
             "boot/vmlinuz-6.12.117+deb13-amd64", "usr/lib/modules/6.12.117+deb13-amd64"),
    "7.3": ([("linux-binary-7.3.4+deb13-amd64", None), ("linux-modules-7.3.4+deb13-amd64", None),
             ("linux-base-7.3.4+deb13-amd64", None)],
            "usr/lib/modules/7.3.4+deb13-amd64/vmlinuz", "usr/lib/modules/7.3.4+deb13-amd64"),
}
# the suite a package without a pinned version comes from (the loader's libc and libbpf
# must be sid's, as the 7.3 binary was built against them)
FROM = {"libc6": "sid", "libbpf1": "sid"}


def _apt_dir():
    return os.path.join(CACHE, "apt")


def _apt_options():
    d = _apt_dir()
    return ["-o", "Dir::Etc::sourcelist=" + os.path.join(d, "sources.list"),
            "-o", "Dir::Etc::sourceparts=-",
            "-o", "Dir::State::Lists=" + os.path.join(d, "lists"),
            "-o", "Dir::Cache=" + os.path.join(d, "cache"),
            "-o", "Dir::State::status=" + os.path.join(d, "status"),
            "-o", "APT::Get::List-Cleanup=0",
            "-o", "Debug::NoLocking=1"]


def _apt_update():
    """A private package list naming the newer suites: the machine's own lists and
    packages are not touched."""
    d = _apt_dir()
    os.makedirs(os.path.join(d, "lists", "partial"), exist_ok=True)
    os.makedirs(os.path.join(d, "cache", "archives", "partial"), exist_ok=True)
    with open(os.path.join(d, "sources.list"), "w") as f:
        for suite in SUITES:
            f.write("deb [signed-by=%s] %s %s main\n" % (KEYRING, ARCHIVE, suite))
    open(os.path.join(d, "status"), "a").close()
    p = subprocess.run(["apt-get"] + _apt_options() + ["-q", "update"],
                       capture_output=True, text=True)
    return p.returncode == 0, p.stderr.strip()


def _download(name, version, into):
    """The .deb of name=version (or the suite FROM names), in `into`; its path or None."""
    os.makedirs(into, exist_ok=True)
    spec = name + ("=" + version if version else "/" + FROM[name] if name in FROM else "")
    p = subprocess.run(["apt-get"] + _apt_options() + ["-q", "download", spec],
                       capture_output=True, text=True, cwd=into)
    if p.returncode != 0:
        return None, p.stderr.strip().splitlines()[-1:] or ["apt-get download failed"]
    debs = sorted(n for n in os.listdir(into) if n.startswith(name + "_") and
                  n.endswith(".deb"))
    return (os.path.join(into, debs[-1]) if debs else None), []


def _unpack(deb, into):
    os.makedirs(into, exist_ok=True)
    subprocess.run(["dpkg-deb", "-x", deb, into], check=True)


def release_dir(release):
    return os.path.join(CACHE, "iproute2-" + release)


def kernel_dir(kernel):
    return os.path.join(CACHE, "linux-" + kernel)


def fetch_release(release, say):
    root = release_dir(release)
    packages, binary, _ = PACKAGES[release]
    if os.path.exists(os.path.join(root, "tree", binary)):
        say("ip %s: in the cache (%s)" % (release, root))
        return True
    debs = os.path.join(root, "debs")
    for name, version in packages:
        deb, why = _download(name, version, debs)
        if deb is None:
            say("ip %s: cannot fetch %s%s from Debian's archive (%s): skipped"
                % (release, name, "=" + version if version else "", "; ".join(why)))
            shutil.rmtree(root, ignore_errors=True)
            return False
        _unpack(deb, os.path.join(root, "tree"))
    say("ip %s: fetched into %s" % (release, root))
    return True


def fetch_kernel(kernel, say):
    root = kernel_dir(kernel)
    packages, vmlinuz, _ = KERNELS[kernel]
    if os.path.exists(os.path.join(root, "tree", vmlinuz)):
        say("kernel %s: in the cache (%s)" % (kernel, root))
        return True
    for name, version in packages:
        deb, why = _download(name, version, os.path.join(root, "debs"))
        if deb is None:
            say("kernel %s: cannot fetch %s from Debian's archive (%s): skipped"
                % (kernel, name, "; ".join(why)))
            shutil.rmtree(root, ignore_errors=True)
            return False
        _unpack(deb, os.path.join(root, "tree"))
        os.remove(deb)          # the modules' .deb alone is 100 MB
    prepare_modules(kernel)
    say("kernel %s: fetched into %s" % (kernel, root))
    return True


def prepare_modules(kernel):
    """What installing the package would have done for its modules: modules.dep (depmod, on
    the cache's tree: /lib/modules is reached through a lib -> usr/lib link there)."""
    tree = os.path.join(kernel_dir(kernel), "tree")
    lib = os.path.join(tree, "lib")
    if not os.path.exists(lib):
        os.symlink("usr/lib", lib)
    kver = os.path.basename(KERNELS[kernel][2])
    if not os.path.exists(os.path.join(tree, "usr/lib/modules", kver, "modules.dep")):
        subprocess.run(["depmod", "-b", tree, kver], check=True)


def ip_command(release):
    """The argv prefix that runs ip of `release` here, or None where it is not in the cache
    ("6.1": the system's own)."""
    if release == "6.1":
        return ["/usr/sbin/ip"]
    if release not in PACKAGES:
        return None
    tree = os.path.join(release_dir(release), "tree")
    _, binary, own_libc = PACKAGES[release]
    path = os.path.join(tree, binary)
    if not os.path.exists(path):
        return None
    if not own_libc:
        return [path]
    lib = os.path.join(tree, "usr/lib/x86_64-linux-gnu")
    loader = os.path.join(lib, "ld-linux-x86-64.so.2")
    if not os.path.exists(loader):
        loader = os.path.join(tree, "lib64/ld-linux-x86-64.so.2")
    return [loader, "--library-path", lib + ":/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu",
            "--argv0", "ip", path]


def ip_wrapper(release):
    """A script that runs ip of `release` (what strace traces, what a PATH can name); None
    where the release is not in the cache."""
    cmd = ip_command(release)
    if cmd is None:
        return None
    if len(cmd) == 1:
        return cmd[0]
    path = os.path.join(release_dir(release), "ip")
    text = "#!/bin/sh\n# ip %s, through its own libc's loader (golden/releases.py of the test suite)\nexec %s \"$@\"\n" \
        % (release, " ".join(cmd))
    if not os.path.exists(path) or open(path).read() != text:
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, 0o755)
    return path


def vmlinuz(kernel):
    """(kernel image, its version, the tree whose lib/modules/VERSION holds its modules) of
    `kernel`, or None where it is not in the cache."""
    packages, image, modules = KERNELS.get(kernel, (None, None, None))
    if image is None:
        return None
    root = os.path.join(kernel_dir(kernel), "tree")
    if not os.path.exists(os.path.join(root, image)):
        return None
    prepare_modules(kernel)
    return os.path.join(root, image), os.path.basename(modules), root


def main(argv):
    say = print
    if argv[:1] == ["ip"] and len(argv) >= 2:
        cmd = ip_command(argv[1])
        if cmd is None:
            say("ip %s is not in the cache: python -m golden.releases fetch %s"
                % (argv[1], argv[1]))
            return 77
        os.execv(cmd[0], cmd + argv[2:])
    if argv[:1] == ["status"]:
        for r in sorted(PACKAGES):
            say("ip %s: %s" % (r, ip_wrapper(r) or "not fetched"))
        for k in sorted(KERNELS):
            got = vmlinuz(k)
            say("kernel %s: %s" % (k, "%s (%s)" % got[:2] if got else "not fetched"))
        return 0
    if argv[:1] == ["fetch"]:
        wanted = argv[1:] or ["ip"] + ["linux-" + k for k in KERNELS]
        cached = [w for w in wanted if (w == "ip" and all(ip_command(r) for r in PACKAGES)) or
                  (w in PACKAGES and ip_command(w)) or
                  (w.startswith("linux-") and w[6:] in KERNELS and vmlinuz(w[6:]))]
        if len(cached) == len(wanted):
            say("everything asked for is in the cache (%s)" % CACHE)
            return 0
        ok, why = _apt_update()
        if not ok:
            say("cannot read Debian's package lists (%s): nothing fetched" % why)
            return 0
        for w in wanted:
            if w == "ip":
                for r in PACKAGES:
                    fetch_release(r, say)
                    ip_wrapper(r)
            elif w in PACKAGES:
                fetch_release(w, say)
                ip_wrapper(w)
            elif w.startswith("linux-") and w[6:] in KERNELS:
                fetch_kernel(w[6:], say)
            else:
                say("unknown release or kernel %r (releases: %s; kernels: %s)"
                    % (w, " ".join(PACKAGES), " ".join("linux-" + k for k in KERNELS)))
        return 0
    say(__doc__.strip().split("\n\n")[1])
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
