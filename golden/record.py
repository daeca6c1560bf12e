"""Record what the real `ip` prints, sends and receives, for pyip's tests to compare against.

    python -m golden.record [GROUP...]      (as root; boots the test VM once for all)
    python -m golden.record --release R [GROUP...]
                                            ip of release R (golden/releases.py), cases of
                                            golden/cases/releases/, on this machine's kernel

Cases live in golden/cases/GROUP.txt: "## NAME" starts a case, each following line is one
command as a user types it ("ip ...", optionally "< FILE" to feed stdin), "#" lines are
comments, and "$ CMD" lines are setup run by the shell with the real ip, not compared (e.g.
"$ ip netns add NAME" for an -n case).  A command ending in " &" (ip xfrm monitor ...)
runs in the background from there to the end of the case, then gets SIGTERM; its
recording holds what it printed and the netlink messages it received.  Every case runs in a fresh network namespace inside the VM (Debian's full kernel,
every IPsec module loaded before the first namespace exists), with TZ=UTC, cwd golden/cases.
For each command the recording (golden/rec/GROUP.json) keeps: stdout (masked, see MASKS),
stderr, exit code, and every netlink message ip sent and received, by protocol, from
`strace -e write=all -e read=all`.  Nothing in golden/rec is edited by hand.
"""
import json
import os
import re
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CASES = os.path.join(HERE, "cases")
REC = os.path.join(HERE, "rec")
MODULES = ("esp4 ah4 xfrm_ipcomp ipcomp xfrm_interface ip_vti ip6_vti xfrm6_tunnel esp6 ah6 "
           "ipcomp6 xfrm_user dummy veth vrf").split()
# Values that differ from run to run.  Kernel replies are kept raw (the offline tier
# formats them and masks its own output the same way).
MASKS = [
    (re.compile(r"\b\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\b"), "YYYY-MM-DD hh:mm:ss"),
    (re.compile(r"permaddr \S+"), "permaddr MASKED"),
    (re.compile(r'"permaddr": ?"[^"]*"'), '"permaddr":"MASKED"'),
    (re.compile(r"Timestamp: .* usec"), "Timestamp: MASKED usec"),
    (re.compile(r"(?m)^  seq 0x\d{8} "), "  seq 0xMASKED "),        # acquire: a kernel counter
    (re.compile(r"\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\]"), "[MASKED]"),
    # a bridge's and its ports' running timers (ip -d link show)
    (re.compile(r"\b(\w+_timer) +\d+\.\d\d "), r"\1 MASKED "),
    (re.compile(r'("\w+_timer": ?)\d+\.\d\d'), r'\1"MASKED"'),
]
PROTOS = {"NETLINK_ROUTE": 0, "NETLINK_XFRM": 6}
IP = "/usr/sbin/ip"             # the real one, whatever PATH says


def mask(text):
    for rx, repl in MASKS:
        text = rx.sub(repl, text)
    return text


def load(group):
    """[(case name, [command line, ...]), ...] of golden/cases/GROUP.txt."""
    cases = []
    with open(os.path.join(CASES, group + ".txt")) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("## "):
                cases.append((line[3:].strip(), []))
            elif line.strip() and not line.startswith("#"):
                cases[-1][1].append(line)
    return cases


def groups():
    return sorted(n[:-4] for n in os.listdir(CASES) if n.endswith(".txt"))


def split_command(line):
    """argv and stdin file of one case line."""
    words = shlex.split(line)
    stdin = None
    if "<" in words:
        i = words.index("<")
        stdin, words = words[i + 1], words[:i]
    return words, stdin


def parse_trace(text):
    """[(direction 'sent'|'received', protocol, bytes)] from strace -e write/read=all."""
    fds, out = {}, []
    current = None
    for line in text.splitlines():
        if line.startswith(" | "):
            if current is not None:
                hexpart = line[10:59]
                current[2].extend(bytes.fromhex(hexpart.replace(" ", "")))
            continue
        if line.startswith(" * "):
            continue
        current = None
        m = re.match(r"\d+\s+(\w+)\((\d+)?(.*)", line)
        if not m:
            continue
        call, arg, rest = m.groups()
        if call == "socket":
            p = re.search(r"(NETLINK_\w+)\) = (\d+)", line)
            if p:
                fds[p.group(2)] = PROTOS.get(p.group(1), p.group(1))
        elif call == "close" and arg in fds:
            del fds[arg]
        elif call in ("sendmsg", "sendto") and arg in fds:
            current = ("sent", fds[arg], bytearray())
            out.append(current)
        elif call in ("recvmsg", "recvfrom") and arg in fds and "MSG_PEEK" not in rest:
            current = ("received", fds[arg], bytearray())
            out.append(current)
        elif call in ("recvmsg", "recvfrom") and arg in fds and "MSG_DONTWAIT" in rest:
            # rtnl_send_check()'s look for an error: kept, empty where nothing was there
            current = ("peeked", fds[arg], bytearray())
            out.append(current)
    return [(d, p, bytes(b)) for d, p, b in out if b or d == "peeked"]


def _command(line, tool, trace, traced=IP):
    argv, stdin = split_command(line)
    if tool:
        cmd = [tool] + argv[1:]
    else:
        cmd = ["strace", "-f", "-qq", "-o", trace, "-e",
               "trace=socket,sendmsg,sendto,recvmsg,recvfrom,close",
               "-e", "write=all", "-e", "read=all", "--", traced] + argv[1:]
    fin = open(os.path.join(CASES, stdin), "rb") if stdin else subprocess.DEVNULL
    return argv, stdin, cmd, fin


def _result(line, argv, stdin, rc, stdout, stderr, trace, tool):
    msgs = [] if tool else parse_trace(open(trace).read())
    peeked = [[proto, b.hex()] for d, proto, b in msgs if d == "peeked"]
    return dict({
        "cmd": line,
        "argv": argv,
        "stdin": stdin,
        "rc": rc,
        "stdout": mask(stdout.decode("utf-8", "surrogateescape")),
        "stderr": stderr.decode("utf-8", "surrogateescape"),
        "sent": [[proto, b.hex()] for d, proto, b in msgs if d == "sent"],
        "received": [[proto, b.hex()] for d, proto, b in msgs if d == "received"],
    }, **({"peeked": peeked} if peeked else {}))


def run_command(line, env, tool=None, background=None, traced=IP):
    """Run one case line with the real ip (or `traced`) under strace, or (tool) another
    program, untraced.
    A line ending in " &" is started and added to `background` (see finish())."""
    if line.startswith("$ "):
        p = subprocess.run(line[2:], shell=True, capture_output=True, cwd=CASES, env=env)
        return {"setup": line[2:], "rc": p.returncode}
    if line.endswith(" &"):
        trace = "/tmp/pyip-record.%d.bg%d.trace" % (os.getpid(), len(background))
        if callable(tool):
            tool = getattr(tool, "program")
        argv, stdin, cmd, fin = _command(line[:-2], tool, trace, traced)
        p = subprocess.Popen(cmd, stdin=fin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             cwd=CASES, env=env)
        rec = {"cmd": line, "background": True}
        background.append((rec, p, argv, stdin, trace))
        import time
        time.sleep(0.5 if not tool else 3.0)    # let it subscribe (python starts slower)
        return rec
    trace = "/tmp/pyip-record.%d.trace" % os.getpid()    # two recorders at once: two files
    if callable(tool):
        # a runner inside this process (the kernel tier runs pyip so: no start-up per command)
        argv, stdin = split_command(line)
        rc, stdout, stderr = tool(argv, stdin and os.path.join(CASES, stdin), env)
        return _result(line, argv, stdin, rc, stdout, stderr, trace, tool)
    argv, stdin, cmd, fin = _command(line, tool, trace, traced)
    p = subprocess.run(cmd, stdin=fin, capture_output=True, cwd=CASES, env=env, timeout=300)
    return _result(line, argv, stdin, p.returncode, p.stdout, p.stderr, trace, tool)


def finish(background, tool):
    """SIGTERM the background commands (the ip itself, not strace, so the trace is whole)."""
    if not background:
        return          # (the wait below, paid by every case, was a third of the kernel tier)
    import signal
    import time
    if callable(tool):
        tool = getattr(tool, "program")
    time.sleep(0.5 if not tool else 2.0)
    for rec, p, argv, stdin, trace in background:
        target = p.pid
        if not tool:
            try:
                with open("/proc/%d/task/%d/children" % (p.pid, p.pid)) as f:
                    target = int(f.read().split()[0])
            except (OSError, IndexError, ValueError):
                pass
        os.kill(target, signal.SIGTERM)
        stdout, stderr = p.communicate(timeout=60)
        rec.update(_result(rec["cmd"], argv, stdin, "SIGTERM", stdout, stderr, trace, tool))


def fresh_netns(name):
    """Run the rest of this process in a new, empty network namespace."""
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(0x40000000) != 0:      # CLONE_NEWNET
        raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWNET)")
    subprocess.run([IP, "link", "set", "lo", "up"], check=True)


def record_case(commands, tool=None, traced=IP):
    """Fork, enter a fresh netns, run the commands; returns their recordings."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            fresh_netns("rec")
            env = dict(os.environ, TZ="UTC", LC_ALL="C")
            background = []
            results = [run_command(c, env, tool, background, traced) for c in commands]
            finish(background, tool)
            data = json.dumps(results).encode()
            with os.fdopen(w, "wb") as f:
                f.write(data)
            os._exit(0)
        except BaseException as e:  # report and leave the child, whatever happened
            sys.stderr.write("record: %r\n" % (e,))
            os._exit(1)
    os.close(w)
    with os.fdopen(r, "rb") as f:
        data = f.read()
    _, status = os.waitpid(pid, 0)
    if status:
        raise SystemExit("record: a case failed: %r" % (commands,))
    return json.loads(data)


def load_modules():
    """Every module before the first namespace: ip_vti/ip6_vti create fallback devices in
    each namespace, which would shift interface indexes if they came mid-test."""
    subprocess.run(["modprobe", "-a"] + list(MODULES), check=True)


def inside(names):
    load_modules()
    os.makedirs(REC, exist_ok=True)
    for g in names:
        result = {}
        for name, commands in load(g):
            result[name] = record_case(commands)
        with open(os.path.join(REC, g + ".json"), "w") as f:
            json.dump(result, f, indent=1, sort_keys=True)
            f.write("\n")
        print("recorded %s: %d cases" % (g, len(result)))


# ---- the newer releases (golden/releases.py) ---------------------------------------------
# golden/cases/releases/GROUP.txt are recorded with ip of each release (6.1: the system's;
# 6.15, 7.3: Debian's binaries from the cache) on the kernel that runs the recorder, into
# golden/rec/releases/RELEASE/GROUP.json; every command's recording keeps the exact release
# (ip -V) and kernel (uname -r) it was taken from.  A release not in the cache is said and
# skipped.
RELEASE_CASES = os.path.join(CASES, "releases")
RELEASE_REC = os.path.join(REC, "releases")


def release_groups():
    return sorted(n[:-4] for n in os.listdir(RELEASE_CASES) if n.endswith(".txt"))


# A share of every 6.1 group, recorded again with a newer release on its kernel ("share-GROUP"):
# the kernel tier's side-by-side run, in part, where each release's behaviour is its own
# binary's on its own kernel.  Every SHARE_EVERY-th case of each group, from its first.
SHARE = "share-"
SHARE_EVERY = 3


def share_groups():
    return [SHARE + g for g in groups()]


def load_release(name):
    if name.startswith(SHARE):
        return load(name[len(SHARE):])[::SHARE_EVERY]
    return load(os.path.join("releases", name))


def record_release(release, names):
    from golden import releases
    traced = releases.ip_wrapper(release)
    if traced is None:
        print("ip %s is not in the cache (python -m golden.releases fetch): not recorded"
              % release)
        return 0
    version = subprocess.run([traced, "-V"], capture_output=True, text=True).stdout.strip()
    kernel = os.uname().release
    if os.path.isdir("/lib/modules/" + kernel):     # a full kernel (the VM): its modules first
        subprocess.run(["modprobe", "-a"] + list(MODULES))
    out_dir = os.path.join(RELEASE_REC, release)
    os.makedirs(out_dir, exist_ok=True)
    for g in names:
        result = {}
        for name, commands in load_release(g):
            recs = record_case(commands, traced=traced)
            for rec in recs:
                rec.update(ip=version, kernel=kernel)
            result[name] = recs
        with open(os.path.join(out_dir, g + ".json"), "w") as f:
            json.dump(result, f, indent=1, sort_keys=True)
            f.write("\n")
        print("recorded %s with %s on %s: %d cases" % (g, version, kernel, len(result)))
    return 0


def main(argv):
    if argv[:1] == ["--release"]:
        # python -m golden.record --release RELEASE [GROUP...]: here, on this kernel (as
        # root); inside the VM where another kernel is wanted
        # (--share: the share of every 6.1 group)
        names = argv[2:] or release_groups()
        if names == ["--share"]:
            names = share_groups()
        return record_release(argv[1], names)
    if argv[:1] == ["--inside"]:
        inside(argv[1:] or groups())
        return 0
    names = argv or groups()
    vm = os.path.join(ROOT, "tests", "vm", "kvm.py")
    return subprocess.call([sys.executable, vm, "--timeout", "3000", "--",
                            sys.executable, "-m", "golden.record", "--inside"] + names,
                           cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
