"""Run pyip's own parser and encoder on a command without a kernel: what it would send.

The netlink transport is replaced by one that keeps every request and answers only what
ip needs to go on -- an ack for a request that asks for one, an empty dump, and, where ip
first asks the kernel about a device (RTM_GETLINK), a made-up device with a placeholder
index.  A request whose answer is the kernel's data (get, count, allocspi) ends the run:
what ip would do with the answer is the kernel's part.  Nothing reaches a kernel, nothing
needs root, and the request bytes are the very bytes `pyip` (and so `ip`) would send.
"""
import io
import sys

from pyip import netlink as nl
from pyip import out
from pyip.errors import IpExit
from pyip.ifla import (IFINFOMSG, IFLA_ADDRESS, IFLA_ALT_IFNAME, IFLA_IFNAME,
                       IFLA_INFO_DATA, IFLA_INFO_KIND, IFLA_LINKINFO, IFLA_TARGET_NETNSID,
                       RTM_GETLINK, RTM_NEWLINK)

HDR = nl.HDR
# Indexes of made-up devices start here, far from the small numbers of real ones, so that
# a placeholder is easy to spot in a decoded message.
PLACEHOLDER_INDEX = 1000


class Stop(BaseException):
    """The request just sent waits for the kernel's data: the command's part ends here.
    (A BaseException: pyip's front end turns every Exception into ip's error line.)"""


class Question:
    """A request ip sends to learn something before the command's own request, and the
    made-up answer it got here."""
    __slots__ = ("index", "about", "answer")

    def __init__(self, index, about, answer):
        self.index, self.about, self.answer = index, about, answer


class Run:
    """What running the command showed: the requests (netlink protocol, bytes), the xfrm
    ones also as the objects they encode (`objects`: index in sent -> XfrmState,
    XfrmPolicy, ...), the questions answered with placeholders, ip's error text and exit
    status."""

    def __init__(self, words):
        self.words = words
        self.sent = []
        self.objects = {}
        self.questions = []
        self.stdout = self.stderr = ""
        self.rc = 0
        self.waits = False          # the last request waits for the kernel's data
        self.declined = None        # why explain itself (not ip) does not run the command
        self.kind = _kind(words)

    @property
    def accepted(self):
        return self.rc == 0

    @property
    def placeholders(self):
        return {PLACEHOLDER_INDEX + i for i in range(len(self.questions))}

    @property
    def merges_current(self):
        """Whether ip would merge a device's current settings into its request (vti, gre set),
        which explain's stand-in device does not have."""
        return any(q.about.startswith("the current") for q in self.questions)


def _kind(words):
    for i, w in enumerate(words[:-1]):
        if w == "type":
            return words[i + 1]
    return None


def _follows(words, keyword, word):
    return any(a == keyword and b == word for a, b in zip(words, words[1:]))


def is_placeholder(value, placeholders):
    """Whether a decoded value (a number, or an object with numbers) holds a placeholder."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value in placeholders
    slots = getattr(value, "__slots__", None)
    return bool(slots) and any(is_placeholder(getattr(value, f, None), placeholders)
                               for f in slots if f != "attrs")


class FakeTransport:
    def __init__(self, run, proto):
        self.run, self.proto = run, proto
        self.pid = 0
        self.answer = None

    def send(self, data):
        self.run.sent.append((self.proto, bytes(data)))
        self.answer = self._answer(bytes(data))

    def _answer(self, data):
        n, mtype, flags, seq, _ = HDR.unpack_from(data, 0)
        dump = flags & nl.NLM_F_DUMP == nl.NLM_F_DUMP and not flags & nl.NLM_F_ACK
        if self.proto == nl.NETLINK_ROUTE and mtype == RTM_GETLINK and not dump:
            return self._device(data, seq)
        if dump:
            return HDR.pack(20, nl.NLMSG_DONE, nl.NLM_F_MULTI, seq, 0) + bytes(4)
        if flags & nl.NLM_F_ACK:
            return HDR.pack(36, nl.NLMSG_ERROR, 0, seq, 0) + bytes(4) + data[:16]
        return None

    def _device(self, data, seq):
        """A made-up RTM_NEWLINK for the device asked about (by name or by index)."""
        _, _, index, _, _ = IFINFOMSG.unpack_from(data, 16)
        tb = nl.link_attrs(data, 32)
        raw = tb.get(IFLA_IFNAME) or tb.get(IFLA_ALT_IFNAME)
        run = self.run
        if raw is not None:
            name = nl.cstr(raw)
            index = PLACEHOLDER_INDEX + len(run.questions)
            about = 'the index of device "%s"' % name
            target = tb.get(IFLA_TARGET_NETNSID)
            if target is not None and len(target) >= 4:
                # link DEV beside link-netns/link-netnsid (ip 6.12): DEV of that namespace
                about += " in the namespace known here as nsid %d" % nl.I32.unpack_from(target)[0]
            answer = "index %d (a placeholder)" % index
        else:
            name = "dev%d" % index
            if run.kind in ("vti", "vti6", "gre", "gretap", "erspan"):
                about = ("the current settings of device %d (ip keeps those the "
                         "command does not change)" % index)
                answer = "none (a placeholder: a %s device with no options)" % run.kind
            else:
                about = "about device %d" % index
                answer = "a placeholder device"
        run.questions.append(Question(len(run.sent) - 1, about, answer))
        body = IFINFOMSG.pack(0, 1, index, 0, 0)
        body += nl.attr(IFLA_IFNAME, name.encode("utf-8", "surrogateescape") + b"\0")
        body += nl.attr(IFLA_ADDRESS, bytes(6))
        kind = run.kind
        if raw is not None and _follows(run.words, "vrf", name):
            kind = "vrf"            # "ip link show vrf NAME" checks that NAME is one
        if kind:
            info = nl.attr(IFLA_INFO_KIND, kind.encode() + b"\0")
            info += nl.attr(IFLA_INFO_DATA, b"")
            body += nl.attr(IFLA_LINKINFO, info)
        return HDR.pack(16 + len(body), RTM_NEWLINK, 0, seq, 0) + body

    def recv(self):
        answer, self.answer = self.answer, None
        if answer is None:
            self.run.waits = True
            raise Stop()
        return answer

    def peek_nowait(self):
        return None

    def listen_all_nsid(self):
        pass

    def recv_event(self, with_nsid):
        self.run.waits = True
        raise Stop()

    def close(self):
        pass


def capture(words):
    """Run `ip WORDS` with pyip against no kernel, in a run of its own (pyip.context): the
    options, sockets and caches it sets are its own and are gone afterwards."""
    from pyip import command
    from pyip.errors import usage
    from pyip.opts import opts
    from pyip.context import Context
    run = Run(words)
    stdout, stderr = io.BytesIO(), io.BytesIO()
    ctx = Context(stdout=stdout, stderr=stderr,
                  open_transport=lambda proto, groups=0: FakeTransport(run, proto),
                  switch_netns=lambda name: None,      # -n NAME: explained, never entered
                  note_request=lambda type_, obj: run.objects.__setitem__(len(run.sent), obj))
    saved_stdin = sys.stdin
    sys.stdin = io.StringIO("")
    try:
        with ctx:
            try:
                rest = command.parse_options(list(words))
                if opts.batch_file is not None:
                    run.declined = "it explains one command, not a -batch file (ip would " \
                        "read the file and run each line)"
                    raise IpExit("pyip explain: explain one command, not -batch.\n", 1)
                if not rest:
                    usage("ip")
                run.rc = command.do_cmd(rest)
            except IpExit as e:
                if e.message:
                    out.error(e.message)
                run.rc = e.code
            except Stop:
                run.rc = 0
            except Exception as e:  # as pyip's front end: one line, never a traceback
                out.error("pyip: internal error: %s: %s\n" % (type(e).__name__, e))
                run.rc = 1
            finally:
                out.flush()
    finally:
        sys.stdin = saved_stdin
    run.stdout = stdout.getvalue().decode("utf-8", "surrogateescape")
    run.stderr = stderr.getvalue().decode("utf-8", "surrogateescape")
    return run
