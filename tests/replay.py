"""Run pyip in-process against a recording of the real ip (golden/rec/*.json).

The netlink transport is replaced by one that serves, per netlink protocol and in order,
the datagrams the kernel sent to ip, and keeps what pyip sends for comparison with what ip
sent.  Sequence numbers and port ids (bytes 8-15 of each message) are the only bytes not
compared: ip seeds its sequence from the clock.
"""
import io
import json
import os
import struct
import sys

import pyip.netlink as netlink
from pyip import links, netns
from pyip import main as pyip_main
from pyip.xfrm import common as c
from pyip import out
from pyip.opts import opts

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REC = os.path.join(ROOT, "golden", "rec")
CASES = os.path.join(ROOT, "golden", "cases")
HDR = struct.Struct("=IHHII")


def recordings():
    """(id, recording) of every command recorded by ip 6.1 (golden/rec), in file order."""
    return _recordings(REC, "")


def release_recordings():
    """(id, recording) of every command recorded by each release's ip
    (golden/rec/releases/RELEASE/GROUP.json, ids "RELEASE:group/case/n")."""
    out_ = []
    releases = os.path.join(REC, "releases")
    for release in sorted(os.listdir(releases)) if os.path.isdir(releases) else ():
        out_ += _recordings(os.path.join(releases, release), release + ":")
    return out_


def _recordings(folder, prefix):
    out_ = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".json"):
            continue
        group = name[:-5]
        with open(os.path.join(folder, name)) as f:
            data = json.load(f)
        for case, commands in data.items():
            for i, rec in enumerate(commands):
                if "setup" not in rec:
                    out_.append(("%s%s/%s/%d" % (prefix, group, case, i + 1), rec))
    return out_


def recorded_release(rec):
    """The iproute2 release a recording was taken with (its "ip": ip -V's line); golden/rec's
    own recordings are ip 6.1's."""
    for word in rec.get("ip", "").replace(",", " ").split():
        if word.startswith("iproute2-"):
            return word[9:]
    return "6.1"


def messages(datagram):
    off = 0
    while off + 16 <= len(datagram):
        n = HDR.unpack_from(datagram, off)[0]
        if n < 16:
            break
        yield off, n
        off += (n + 3) & ~3


XFRM_MSG_NEWSA, XFRM_MSG_UPDSA, XFRMA_ENCAP = 0x10, 0x1a, 4
XFRM_MSG_DELSA, XFRM_MSG_DELPOLICY = 0x11, 0x14
RTM_NEWNSID, RTM_GETNSID, NETNSA_FD = 88, 90, 3
USERSA_INFO_SIZE = 224


def masked(datagram, proto=None):
    """The datagram with each message's seq and pid zeroed, and the bytes ip leaves
    uninitialized: the 2 padding bytes of struct xfrm_encap_tmpl (a stack variable in
    xfrm_state_modify(); pyip sends zeros there), and the padding after the dir of struct
    xfrm_userpolicy_id (3 bytes) and after the proto of struct xfrm_usersa_id (1 byte) in
    the requests deleteall writes into its stack buffer without clearing it (zeros while
    that buffer was unused, later stack garbage or a former round's bytes; pyip: zeros).
    File descriptors a request names
    (NETNSA_FD of RTM_GETNSID/NEWNSID) are the process's own: zeroed too."""
    b = bytearray(datagram)
    for off, n in messages(b):
        b[off + 8:off + 16] = bytes(8)
        mtype = int.from_bytes(b[off + 4:off + 6], "little")
        if proto == 0 and mtype in (RTM_NEWNSID, RTM_GETNSID):
            a = off + 20
            while a + 8 <= off + n:
                alen = int.from_bytes(b[a:a + 2], "little")
                if alen < 4:
                    break
                if int.from_bytes(b[a + 2:a + 4], "little") == NETNSA_FD:
                    b[a + 4:a + 8] = bytes(4)
                a += (alen + 3) & ~3
        if proto == 6 and mtype == XFRM_MSG_DELPOLICY and n >= 80:
            b[off + 77:off + 80] = bytes(3)
        if proto == 6 and mtype == XFRM_MSG_DELSA and n >= 40:
            b[off + 39] = 0
        if proto == 6 and mtype in (XFRM_MSG_NEWSA, XFRM_MSG_UPDSA):
            a = off + 16 + USERSA_INFO_SIZE
            while a + 4 <= off + n:
                alen = int.from_bytes(b[a:a + 2], "little")
                if alen < 4:
                    break
                if int.from_bytes(b[a + 2:a + 4], "little") == XFRMA_ENCAP and alen >= 12:
                    b[a + 10:a + 12] = bytes(2)
                a += (alen + 3) & ~3
    return bytes(b)


class OutOfReplies(Exception):
    pass


class Killed(BaseException):
    """Where ip's monitor got SIGTERM: the end of a background recording."""


class FakeTransport:
    def __init__(self, world, proto):
        self.world, self.proto = world, proto
        self.pid = 4242
        self.seq = 0

    def send(self, data):
        self.world.sent.append([self.proto, data])
        self.seq = HDR.unpack_from(data, 0)[3]

    def recv(self):
        queue = self.world.replies.get(self.proto)
        if not queue:
            raise OutOfReplies("pyip waits for a reply the kernel never sent to ip")
        b = bytearray(queue.pop(0))
        for off, _ in messages(b):
            struct.pack_into("=II", b, off + 8, self.seq, self.pid)
        return bytes(b)

    def peek_nowait(self):
        """What ip's look found (recordings that have "peeked"), else nothing."""
        queue = self.world.peeked.get(self.proto)
        if not queue:
            return None
        return queue.pop(0) or None

    def listen_all_nsid(self):
        pass

    def recv_event(self, with_nsid):
        """A monitor's next event; when the recording ends, the monitor was killed."""
        queue = self.world.replies.get(self.proto)
        if not queue:
            raise Killed()
        return queue.pop(0), (-1 if with_nsid else None)

    def close(self):
        pass


class World:
    def __init__(self, rec):
        self.sent = []
        self.replies = {}
        self.peeked = {}
        for proto, hexdata in rec.get("peeked", ()):
            self.peeked.setdefault(proto, []).append(bytes.fromhex(hexdata))
        for proto, hexdata in rec["received"]:
            self.replies.setdefault(proto, []).append(bytes.fromhex(hexdata))


def run(rec):
    """Run the recorded command with pyip; returns (stdout, stderr, rc, sent)."""
    world = World(rec)
    stdout, stderr = io.BytesIO(), io.BytesIO()
    saved = (netlink.open_transport, out._out, out._err, sys.stdin, os.getcwd())
    netlink.open_transport = lambda proto, groups=0: FakeTransport(world, proto)
    out._out, out._err = stdout, stderr
    if rec["stdin"]:
        sys.stdin = io.TextIOWrapper(open(os.path.join(CASES, rec["stdin"]), "rb"))
    os.environ["TZ"] = "UTC"
    saved_release = os.environ.get("PYIP_IPROUTE2")
    os.environ["PYIP_IPROUTE2"] = recorded_release(rec)     # the release that recorded it
    reset()
    os.chdir(CASES)
    try:
        try:
            rc = pyip_main.main(rec["argv"][1:])
        except Killed:
            rc = "SIGTERM"
    finally:
        netlink.open_transport, out._out, out._err, sys.stdin, cwd = saved
        os.chdir(cwd)
        if saved_release is None:
            os.environ.pop("PYIP_IPROUTE2", None)
        else:
            os.environ["PYIP_IPROUTE2"] = saved_release
    return (stdout.getvalue().decode("utf-8", "surrogateescape"),
            stderr.getvalue().decode("utf-8", "surrogateescape"), rc, world.sent)


class InProcess:
    """Runs pyip inside the calling process against the live kernel (for the kernel tier,
    where a Python start costs ~0.5 s).  Commands that enter a named namespace (-n) run as
    a real process, since entering one cannot be undone.  `program` is pyip's script, for
    background commands."""

    def __init__(self, program):
        self.program = program

    def __call__(self, argv, stdin, env):
        import subprocess
        if enters_netns(argv):
            p = subprocess.run([self.program] + argv[1:], capture_output=True, cwd=CASES,
                               env=env, stdin=open(stdin, "rb") if stdin else None)
            return p.returncode, p.stdout, p.stderr
        stdout, stderr = io.BytesIO(), io.BytesIO()
        saved = (out._out, out._err, sys.stdin, os.getcwd())
        out._out, out._err = stdout, stderr
        if stdin:
            sys.stdin = io.TextIOWrapper(open(stdin, "rb"))
        os.environ.update(env)
        reset()
        os.chdir(CASES)
        try:
            rc = pyip_main.main(argv[1:])
        finally:
            out._out, out._err, sys.stdin, cwd = saved
            os.chdir(cwd)
            for h in (netlink._rtnl, netlink._xfrm):
                if h is not None:
                    h.close()
            netlink._rtnl = netlink._xfrm = None
        return rc, stdout.getvalue(), stderr.getvalue()


def reset():
    """What a new pyip process would start from (TZ read afresh, as a new process would)."""
    import time
    time.tzset()
    opts.__init__()
    netlink._rtnl = netlink._xfrm = None
    netlink._heap = bytearray()
    links.reset()
    netns.reset()
    c.filter = c.Filter()


def enters_netns(argv):
    from pyip.command import option as _option
    for word in argv[1:]:
        if not word.startswith("-"):
            return False
        if _option(word[1:] if word.startswith("--") else word) == "netns":
            return True
    return False
