"""Which iproute2 release pyip follows in a run: its syntax, texts and request bytes.

One code base follows iproute2 6.1, 6.15 and 7.3 (the verified releases: every golden case
recorded from that release's own binary) and any release in between (derived from the gates:
each difference is declared once, with the first release that has it -- `//@since` in the
grammar, a table keyed by release beside the code that prints or encodes it).

The release is chosen, first that answers:
1. `--iproute2=R` as pyip's first word(s) (pyip's own option: no ip option can be spelled so,
   ip matches its options as prefixes of words without "=" or digits);
2. the environment variable PYIP_IPROUTE2=R;
3. the system's ip (the one pyip hands what it does not implement to, pyip.delegate): its
   `ip -V`, asked once per binary and cached by the binary's identity (path, inode, size,
   mtime) in $XDG_CACHE_HOME/pyip/iproute2 (~/.cache/...), so that a command pays a stat and
   one small read, not a process;
4. else the newest verified release.

R is "MAJOR.MINOR" or "MAJOR.MINOR.PATCH" (the patch level changes nothing pyip reproduces).
A system ip older than 6.1 is followed as 6.1, one newer than 7.3 as 7.3.  The choice is the
run's (opts.release, read by current()); nothing of it is kept in this module.
"""
import os

from pyip.opts import opts

VERIFIED = ((6, 1), (6, 15), (7, 3))
OLDEST, NEWEST = VERIFIED[0], VERIFIED[-1]
ENV = "PYIP_IPROUTE2"
OPTION = "--iproute2="


class BadRelease(Exception):
    """A release pyip does not follow, named by the user: said before anything runs (exit
    255, as ip's own bad options)."""

    def __init__(self, message):
        Exception.__init__(self, message)
        self.message = message


def parse(text):
    """(major, minor) of "6.15", "6.15.0" or "iproute2-6.15.0", or None."""
    text = text.strip()
    if text.startswith("iproute2-"):
        text = text[9:]
    if text.startswith("v"):
        text = text[1:]
    parts = text.split(".")
    if not 2 <= len(parts) <= 3 or not all(p.isdigit() and len(p) <= 4 for p in parts):
        return None
    return int(parts[0]), int(parts[1])


def name(release):
    return "%d.%d" % release


def full_name(release):
    return "%d.%d.0" % release


def given(text, where):
    """The release a user named (PYIP_IPROUTE2 or --iproute2=): one pyip follows, or
    BadRelease with what to say."""
    release = parse(text)
    if release is None or not OLDEST <= release <= NEWEST:
        raise BadRelease('pyip: %s "%s" is not an iproute2 release pyip follows: %s to %s '
                         '(verified: %s)\n' % (where, text, name(OLDEST), name(NEWEST),
                                               ", ".join(map(name, VERIFIED))))
    return release


def current():
    """The run's release: chosen on first use (a command that prints or sends nothing that
    differs between releases never asks)."""
    release = opts.release
    if release is None:
        release = opts.release = choose()
    return release


def since(first):
    """Whether the run's release has what came in `first` ((major, minor))."""
    return current() >= first


def choose():
    text = os.environ.get(ENV)
    if text:
        try:
            return given(text, ENV)
        except BadRelease:
            # named wrong in the environment: main() says so before the command runs
            pass
    return system() or NEWEST


def clamp(release):
    return OLDEST if release < OLDEST else NEWEST if release > NEWEST else release


def cache_path():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "pyip", "iproute2")


def system():
    """The system ip's release, clamped to what pyip follows; None without a system ip or
    where it does not say."""
    from pyip.delegate import system_ip
    ip = system_ip()
    if ip is None:
        return None
    try:
        st = os.stat(ip)
    except OSError:
        return None
    key = "%s %d %d %d" % (os.path.realpath(ip), st.st_ino, st.st_size, st.st_mtime_ns)
    path = cache_path()
    try:
        with open(path) as f:
            for line in f:
                k, _, value = line.rstrip("\n").rpartition(" ")
                if k == key:
                    found = parse(value)
                    return clamp(found) if found else None
    except OSError:
        pass
    found = ask(ip)
    _remember(path, key, found)
    return clamp(found) if found else None


def ask(ip):
    """`ip -V`'s release ("ip utility, iproute2-6.1.0, libbpf 1.1.2"), or None."""
    import subprocess
    try:
        p = subprocess.run([ip, "-V"], stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    for word in p.stdout.decode("ascii", "replace").replace(",", " ").split():
        if word.startswith("iproute2-"):
            return parse(word)
    return None


def _remember(path, key, release):
    """Keep the answer for this binary (the binaries of other keys stay; a file that cannot
    be written only costs an `ip -V` next time)."""
    value = name(release) if release else "unknown"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        kept = []
        try:
            with open(path) as f:
                kept = [line for line in f if line.rpartition(" ")[0] != key][-15:]
        except OSError:
            pass
        tmp = "%s.%d" % (path, os.getpid())
        with open(tmp, "w") as f:
            f.writelines(kept + ["%s %s\n" % (key, value)])
        os.replace(tmp, path)
    except OSError:
        pass


def take_option(argv):
    """pyip's own `--iproute2=R` words at the front of argv: the run's release set, the rest
    of argv returned (BadRelease for a release pyip does not follow)."""
    while argv and argv[0].startswith(OPTION):
        opts.release = given(argv[0][len(OPTION):], "--iproute2")
        argv = argv[1:]
    return argv


def check_environment():
    """A PYIP_IPROUTE2 pyip cannot follow is said before anything runs."""
    text = os.environ.get(ENV)
    if text:
        given(text, ENV)


def pick(table, key):
    """table[key] as the run's release has it: the newest "KEY@X.Y" variant the release has
    (grammar/compile.py lists them in _tables.NEWER), else the oldest text, table[key]."""
    from pyip._tables import NEWER
    variants = NEWER.get(key)
    if variants:
        release = current()
        for first, variant in variants:
            if release >= first:
                return table[variant]
    return table[key]


def by_release(table):
    """The value of a table keyed by first release ({(6, 1): old, (6, 13): new}) that the
    run's release has: wording, printing and encoding differences, declared beside the code
    that uses them."""
    release = current()
    return table[max(k for k in table if k <= release)]
