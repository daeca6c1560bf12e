"""A lean netlink codec: sockets, request/ack, dumps, attributes, and ip's error texts.

Only the C modules _socket and _struct are imported (the socket module alone would cost
more than all of pyip's start-up).  Message layouts are declared as tables in the object
modules (pyip/xfrm/msgs.py, ...); this module moves bytes.
"""
import _socket
from _struct import Struct            # struct.py itself is an import more

from pyip.errors import IpExit
from pyip.opts import opts

AF_NETLINK = 16
NETLINK_ROUTE = 0
NETLINK_XFRM = 6
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
NETLINK_GET_STRICT_CHK = 12
NETLINK_LISTEN_ALL_NSID = 8

NLM_F_REQUEST = 0x1
NLM_F_MULTI = 0x2
NLM_F_ACK = 0x4
NLM_F_ECHO = 0x8
NLM_F_DUMP_INTR = 0x10
NLM_F_ROOT = 0x100
NLM_F_MATCH = 0x200
NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH
# (in a request that makes something: the same bits as ROOT, MATCH and ATOMIC)
NLM_F_REPLACE, NLM_F_EXCL, NLM_F_CREATE, NLM_F_APPEND = 0x100, 0x200, 0x400, 0x800
NLM_F_ATOMIC = 0x400            # (in a dump request)
NLM_F_CAPPED = 0x100            # in NLMSG_ERROR
NLM_F_ACK_TLVS = 0x200          # in NLMSG_ERROR
NLMSG_NOOP = 1
NLMSG_ERROR = 2
NLMSG_DONE = 3
NLMSGERR_ATTR_MSG = 1

HDR = Struct("=IHHII")          # struct nlmsghdr: len, type, flags, seq, pid
RTA = Struct("=HH")             # struct rtattr / nlattr: len, type
I32 = Struct("=i")
U32 = Struct("=I")


def align(n):
    return (n + 3) & ~3


def attr(type_, payload):
    """One rtattr, padded to 4 bytes."""
    n = 4 + len(payload)
    return RTA.pack(n, type_) + payload + b"\0" * (align(n) - n)


def addattr_l(length, maxlen, type_, payload):
    """ip's addattr_l() on a request now `length` bytes long (its header included) in a C
    buffer of `maxlen` bytes: the attribute, or -- where it would not fit -- ip's message on
    stderr and no attribute (ip sends its request on without it)."""
    return attr(type_, payload) if _fits(length, 4 + len(payload), maxlen) else b""


def _fits(length, size, maxlen):
    if align(length) + align(size) > maxlen:
        from pyip import out
        out.error("addattr_l ERROR: message exceeded bound of %d\n" % maxlen)
        return False
    return True


def nest_l(length, maxlen, type_, inner, nests=None):
    """addattr_nest(), each attribute of `inner` (bytes) by addattr_l(), addattr_nest_end(),
    as ip builds a nest in a request `length` bytes long in a buffer of `maxlen`: what does
    not fit is left out, with ip's message for each.  `nests`: {type: maxlen} of the inner
    attributes that are nests themselves, whose own attributes ip adds with that bound (a
    link kind's options: 1024)."""
    return _nest(length, maxlen, type_, inner, nests or {})[0]


def _nest(length, maxlen, type_, inner, nests, inner_max=None):
    fits = _fits(length, 4, maxlen)
    if fits:
        length = align(length) + 4
    kept = bytearray()
    i = 0
    while i + 4 <= len(inner):
        n = inner[i] | inner[i + 1] << 8
        t = (inner[i + 2] | inner[i + 3] << 8) & ~NLA_F_NESTED
        if t in nests:
            part, length = _nest(length, maxlen, t, inner[i + 4:i + n], {}, nests[t])
        elif _fits(length, n, maxlen if inner_max is None else inner_max):
            part = inner[i:i + align(n)]
            length = align(length) + align(n)
        else:
            part = b""
        if fits:
            kept += part
        i += align(n)
    # without room for its header, ip's nest is lost (its rta_len written past the message)
    return (attr(type_, bytes(kept)) if fits else b""), length


NLA_F_NESTED = 0x8000
_shapes = {0: {}, NLA_F_NESTED: {}}


def attrs(buf, start=0, end=None, ignore=0):
    """{type: payload} of the rtattrs in buf[start:end], as ip's parse_rtattr_flags() reads
    them: the first attribute of a type wins, and a type is the header's with the `ignore`
    flag bits cleared (none for xfrm's parse_rtattr(); NLA_F_NESTED for rtnetlink's links).

    Dumps bring thousands of messages laid out alike, so each layout seen (the length and
    type of every attribute, none repeated) becomes one Struct: a message of the same size
    is read with one unpack_from and taken if its attribute headers are the layout's."""
    if end is None:
        end = len(buf)
    cache = _shapes[ignore]
    shape = cache.get(end - start)
    if shape is not None:
        st, heads, types = shape
        vals = st.unpack_from(buf, start)
        if vals[::2] == heads:
            return dict(zip(types, vals[1::2]))
    out = {}
    spans = []
    unpack = RTA.unpack_from
    keep = ~ignore
    i = start
    while i + 4 <= end:
        n, raw = unpack(buf, i)
        if n < 4 or i + n > end:
            return out
        t = raw & keep
        if t not in out:
            out[t] = buf[i + 4:i + n]
        spans.append((i, n, raw, t))
        i += (n + 3) & ~3
    if i >= end and spans and len(out) == len(spans) and len(cache) < 512:
        cache[end - start] = _shape(spans, end)
    return out


def parse_rtattr(buf, start):
    """attrs(buf, start) where ip's printers call parse_rtattr(): when the attributes do not
    fill the message, ip says so on stderr ("!!!Deficit"), then prints what it read."""
    end = len(buf)
    left, i = end - start, start
    while left >= 4:
        n = buf[i] | buf[i + 1] << 8
        if n < 4 or n > left:
            break
        step = (n + 3) & ~3
        i += step
        left -= step
    if left:
        from pyip import out
        n = buf[i] | buf[i + 1] << 8 if i + 2 <= end else 0
        out.error("!!!Deficit %d, rta_len=%d\n" % (left, n))
    return attrs(buf, start)


def link_attrs(buf, start=0):
    """attrs() as rtnetlink's link parsers read them (parse_rtattr_flags(.., NLA_F_NESTED))."""
    return attrs(buf, start, None, NLA_F_NESTED)


def _shape(spans, end):
    fmt = ["="]
    for i, n, _, _ in spans:
        fmt.append("I%ds" % (n - 4))
        pad = min(((n + 3) & ~3) - n, end - (i + n))
        if pad:
            fmt.append("%dx" % pad)
    return (Struct("".join(fmt)), tuple(n | raw << 16 for _, n, raw, _ in spans),
            [t for _, _, _, t in spans])


def cstr(raw):
    """rta_getattr_str(): a NUL-terminated string attribute as text."""
    return raw.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")


def u32(raw):
    """rta_getattr_u32() of an attribute's payload; 0 when it is absent or short."""
    return U32.unpack_from(raw)[0] if raw is not None and len(raw) >= 4 else 0


def strerror(errno):
    import os
    return os.strerror(errno)


class OpenError(IpExit):
    """A netlink socket that could not be opened or bound: ip's perror() text, exit 1."""


class KernelError(IpExit):
    """The kernel's NLMSG_ERROR, as ip's rtnl_talk prints it (exit 2 unless a caller says)."""

    def __init__(self, errno, message, code=2):
        IpExit.__init__(self, message, code)
        self.errno = errno


def ext_ack_text(msg, err):
    """nl_dump_ext_ack(): the kernel's message in an NLMSG_ERROR, as ip prints it, or None."""
    flags = msg[6] | msg[7] << 8
    if flags & NLM_F_ACK_TLVS:
        # struct nlmsgerr: error, then the request's header (and, unless capped, its body)
        off = 20 + (16 if flags & NLM_F_CAPPED else align(U32.unpack_from(msg, 20)[0]))
        text = attrs(msg, off).get(NLMSGERR_ATTR_MSG)
        if text:
            text = cstr(text)
            if text:
                kind = "Error" if err else "Warning"
                return "%s: %s%s\n" % (kind, text, "" if text.endswith(".") else ".")
    return None


def error_text(msg):
    """ip's text for an NLMSG_ERROR message (whole message bytes, header included)."""
    err = -I32.unpack_from(msg, 16)[0]
    return err, ext_ack_text(msg, err) or "RTNETLINK answers: %s\n" % strerror(err)


# The peek's buffer: one byte, because CPython's recv_into() of an empty buffer returns 0
# without asking the kernel.  The peek matters beyond the size it tells: a netlink dump
# fills its next datagram on every recvmsg, sized by the largest buffer the socket was
# read with so far, so ip's peek (iov_len 0) makes the second datagram of a dump a small
# one (NLMSG_GOODSIZE), as a read with 32 KiB makes the third a large one.  Without the
# peek the kernel cuts a dump into other datagrams than ip gets.
_PEEK = bytearray(1)


class Transport:
    """A bound netlink socket.  Tests replace `open_transport` to replay recordings."""

    def __init__(self, proto, groups=0):
        # rtnl_open_byproto(): each step that fails is perror()ed with ip's words
        step = "Cannot open netlink socket"
        s = None
        try:
            s = _socket.socket(AF_NETLINK, _socket.SOCK_RAW | _socket.SOCK_CLOEXEC, proto)
            step = "SO_SNDBUF"
            s.setsockopt(_socket.SOL_SOCKET, _socket.SO_SNDBUF, 32768)
            step = "SO_RCVBUF"
            # ip's global `rcvbuf` (-rc SIZE; 1 MiB by default), passed as its C int is:
            # as bytes, since a size past INT_MAX is a negative int to the kernel
            s.setsockopt(_socket.SOL_SOCKET, _socket.SO_RCVBUF, U32.pack(opts.rcvbuf))
            try:
                s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
            except OSError:
                pass
            step = "Cannot bind netlink socket"
            s.bind((0, groups))
            step = "Cannot getsockname"
            self.pid = s.getsockname()[0]
        except OSError as e:
            if s is not None:
                s.close()
            raise OpenError("%s: %s\n" % (step, strerror(e.errno)), 1)
        self.sock = s

    def send(self, data):
        self.sock.sendto(data, (0, 0))

    def recv(self):
        # MSG_PEEK|MSG_TRUNC tells the datagram's size, as ip's rtnl_recvmsg() asks it.
        size = self.sock.recv_into(_PEEK, 1, _socket.MSG_PEEK | _socket.MSG_TRUNC)
        return self.sock.recv(max(size, 32768))

    def listen_all_nsid(self):
        self.sock.setsockopt(SOL_NETLINK, NETLINK_LISTEN_ALL_NSID, 1)

    def recv_event(self, with_nsid, flags=0):
        """One datagram of a multicast listener, and the nsid it came from (None unless
        asked for: ip prints [nsid current] then)."""
        if not with_nsid:
            return self.sock.recv(16384, flags), None
        data, anc, _, _ = self.sock.recvmsg(16384, _socket.CMSG_SPACE(4), flags)
        nsid = -1
        for level, kind, value in anc:
            if level == SOL_NETLINK and kind == NETLINK_LISTEN_ALL_NSID and len(value) == 4:
                nsid = I32.unpack(value)[0]
        return data, nsid

    def recv_event_nowait(self, with_nsid, more=False):
        """recv_event() where a datagram is queued already, else None.  `more`: the last
        one found one (in a burst, a plain non-blocking read); otherwise poll() asks first,
        as an empty socket's EAGAIN would cost an exception each time."""
        if more:
            try:
                return self.recv_event(with_nsid, _socket.MSG_DONTWAIT)
            except BlockingIOError:
                return None
        poll = self.__dict__.get("poll")
        if poll is None:
            import select
            poll = self.poll = select.poll()
            poll.register(self.sock.fileno(), select.POLLIN)
        if not poll.poll(0):
            return None
        return self.recv_event(with_nsid)

    def event_reader(self):
        """For a listener that reads a burst of events back to back into one buffer (the
        monitor under a flood): the socket's bound recv_into(), a poll(0) that says
        whether a datagram is queued (cheaper than an empty non-blocking read's exception;
        no Python call of this module's per datagram), and the size of the socket's
        receive buffer as the kernel keeps it (what -rc asked for, doubled and capped):
        what the socket can hold queued at most."""
        import select
        poll = select.poll()
        poll.register(self.sock.fileno(), select.POLLIN)
        room = self.sock.getsockopt(_socket.SOL_SOCKET, _socket.SO_RCVBUF)
        return self.sock.recv_into, poll.poll, room

    def peek_nowait(self):
        try:
            return self.sock.recv(65536, _socket.MSG_PEEK | _socket.MSG_DONTWAIT)
        except BlockingIOError:
            return None

    def close(self):
        self.sock.close()


def open_transport(proto, groups=0):
    return Transport(proto, groups)


def in_run_netns(fn, *args):
    """fn(*args) in the network namespace of the run's sockets (a pyip.IP handle's runs it
    on a thread in its namespace; a command line is in it already)."""
    return fn(*args)


IN_PLACE = in_run_netns     # the command line's (a pyip.IP run replaces it with its own)


def malformed(n):
    """ip's text for a message whose nlmsg_len the datagram cannot hold: it prints the
    length as a C int."""
    return "!!!malformed message: len=%d\n" % (n - (1 << 32) if n >= 1 << 31 else n)


def split(buf):
    """The messages of a received datagram: [(type, flags, seq, whole message bytes)]; a
    message that claims more than the datagram holds is ip's "malformed message"."""
    msgs = []
    off = 0
    while off + 16 <= len(buf):
        n, type_, flags, seq, _ = HDR.unpack_from(buf, off)
        if n < 16 or off + n > len(buf):
            raise IpExit(malformed(n), 1)
        msgs.append((type_, flags, seq, buf[off:off + n]))
        off += align(n)
    return msgs


class Netlink:
    """ip's rtnl_handle: one socket, a sequence number seeded from the clock."""

    def __init__(self, proto, opener=None):
        from time import time
        self.t = (opener or open_transport)(proto)
        self.seq = int(time()) & 0xffffffff

    def close(self):
        self.t.close()

    def _send(self, type_, flags, payload):
        self.seq = (self.seq + 1) & 0xffffffff
        self.t.send(HDR.pack(16 + len(payload), type_, flags, self.seq, 0) + payload)

    def messages(self):
        """Messages of one received datagram: (type, flags, seq, whole message bytes)."""
        buf = self.t.recv()
        _heap[:len(buf)] = buf
        return split(buf)

    def talk(self, type_, flags, payload, answer=True):
        """rtnl_talk(): send one request; return the answer (bytes), or None for an ack.

        A kernel error raises KernelError with ip's text.
        """
        if not answer:
            flags |= NLM_F_ACK
        self._send(type_, flags | NLM_F_REQUEST, payload)
        seq = self.seq
        while True:
            for mtype, flags, mseq, msg in self.messages():
                if mseq != seq:
                    continue        # an answer to another request: ip skips it too
                if mtype == NLMSG_ERROR:
                    if len(msg) < 20:
                        raise IpExit("ERROR truncated\n", 2)
                    if msg[16:20] != b"\0\0\0\0":
                        raise KernelError(*error_text(msg))
                    if flags & NLM_F_ACK_TLVS:
                        warning = ext_ack_text(msg, 0)
                        if warning:
                            from pyip import out
                            out.error(warning)
                    return None if not answer else msg
                if answer:
                    return msg

    def send_check(self, data):
        """rtnl_send_check(): send requests that ask for no ack; an error the kernel already
        queued fails it (returns the strerror text), else None."""
        self.t.send(data)
        buf = self.t.peek_nowait()
        off = 0
        while buf and off + 16 <= len(buf):
            n, type_, _, _, _ = HDR.unpack_from(buf, off)
            if n < 16 or off + n > len(buf):
                break
            if type_ == NLMSG_ERROR:
                if n < 20:
                    return "ERROR truncated"
                return strerror(-I32.unpack_from(buf, off + 16)[0])
            off += align(n)
        return None

    def dump(self, type_, payload, run=None):
        """rtnl_dump: send a dump request, yield each answer message (bytes).

        Sets self.interrupted if the kernel flagged the dump as inconsistent.  `run(buf,
        off, seq)`, where given, prints the messages it can take from buf[off:] itself
        (runs.Runs) and tells how many bytes it took; the others are yielded.
        """
        self.interrupted = False
        self._send(type_, NLM_F_DUMP | NLM_F_REQUEST, payload)
        seq = self.seq
        unpack = HDR.unpack_from
        # messages() inlined: a dump's loop runs once per object, and a generator fewer
        # is a good part of the cost of each.
        while True:
            buf = self.t.recv()
            _heap[:len(buf)] = buf
            off, end = 0, len(buf) - 16
            while off <= end:
                if run is not None:
                    taken = run(buf, off, seq)
                    if taken:
                        off += taken
                        continue
                n, mtype, flags, mseq, _ = unpack(buf, off)
                if n < 16 or off + n > end + 16:
                    raise IpExit(malformed(n), 1)
                if mseq == seq:
                    if flags & NLM_F_DUMP_INTR:
                        self.interrupted = True
                    if mtype == NLMSG_DONE:
                        return
                    if mtype == NLMSG_ERROR:
                        errno, text = error_text(buf[off:off + n])
                        raise KernelError(errno, text)
                    self.at = off
                    yield buf[off:off + n]
                off += (n + 3) & ~3


def past(at, n):
    """n bytes from offset `at` of ip's receive buffer, as they lie there after the datagram
    last received: ip reads past a dumped attribute where it copies rta_len bytes of its
    payload (deleteall's XFRMA_MARK).  rtnl_recvmsg() malloc()s 32 KiB (or the datagram's
    size) for each datagram and frees it before the next, and glibc hands back the same
    chunk each time, so what lies past a datagram is what longer datagrams before it left
    there, zeros where none reached (strace of ip 6.1's deleteall: the next message's
    nlmsg_len inside a datagram, zeros past the first datagrams' ends, the previous
    datagram's bytes past a shorter last one).  `_heap` keeps every datagram the run
    received, each written over the start of the last."""
    b = bytes(_heap[at:at + n])
    return b + bytes(n - len(b))


_rtnl = None
_xfrm = None
_heap = bytearray()


def close_all():
    """Close the run's sockets (the next asks for new ones)."""
    for h in _take():
        if h is not None:
            h.close()


# the sockets belong to the run (pyip.context), not to the process
from pyip import context  # noqa: E402  (after the names it registers)
_take = context.holds_globals(globals(), {"_rtnl": type(None), "_xfrm": type(None)}, kept=True)
context.holds_hooks(globals(), "open_transport", "in_run_netns")
context.holds_globals(globals(), {"_heap": bytearray})
context.CLOSERS.append(close_all)


def xfrm():
    """The NETLINK_XFRM socket of the process.  ip opens one per command; pyip keeps one for
    a whole -batch (a socket costs more in Python), which nothing but the port id shows."""
    global _xfrm
    if _xfrm is None:
        _xfrm = Netlink(NETLINK_XFRM)
    return _xfrm


def fresh_xfrm():
    """A NETLINK_XFRM socket no command has read from yet, as each of ip's commands opens:
    the kernel cuts a dump into datagrams by the largest buffer its socket was read with
    (see _PEEK), and deleteall's requests copy bytes from past a datagram's end (`past`), so
    a socket a -batch line before has read with 32 KiB would give other requests."""
    global _xfrm
    if _xfrm is not None:
        _xfrm.close()
    _xfrm = Netlink(NETLINK_XFRM)
    return _xfrm


def rtnl():
    """ip's global `rth`: the one NETLINK_ROUTE socket of the process (and of a -batch)."""
    global _rtnl
    if _rtnl is None:
        _rtnl = Netlink(NETLINK_ROUTE)
    return _rtnl

