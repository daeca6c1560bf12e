"""pyip as a Python library.

    import pyip
    with pyip.IP(netns="lab1") as ip:           # netns: a name in /run/netns, or None
        ip.run("xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x100 ...")
        text = ip.run("-s xfrm policy list")     # what pyip would print, as a str
        sas = ip.xfrm_states()                   # [pyip.xfrm.objects.XfrmState]
        pols = ip.xfrm_policies()                # [XfrmPolicy]
        links = ip.links()                       # [pyip.link.objects.Link]
        sa.as_dict() == json.loads(ip.run("-j xfrm state list"))[0]

A failure raises IpError: `.message` is ip's text (stderr), `.code` its exit status.
Arguments of the wrong type raise TypeError before anything runs; a handle used after
close() raises ValueError (it never falls back to the caller's namespace).  A handle dropped
without close() gives its namespace's descriptor back when it is collected.

The calling process is left as it was: sockets are opened inside the namespace by a short-
lived thread (setns changes one thread) and used from the caller; `-n NAME` in run() opens
that run's sockets in NAME; nothing goes to sys.stdout or sys.stderr unless run(...,
stdout=True); options, the garbage collector and caches are the run's (pyip.context), not
the process's.  One IP object's calls, and two IP objects' calls, may interleave freely;
calls are serialized by a lock (pyip's run state is installed for one run at a time).

What pyip does not implement (address, route, neigh, rule, netns, ...) run() hands to the
system's ip (the first `ip` on PATH that is not pyip, else /usr/sbin/ip or /sbin/ip), as
`ip -n NAME ...` for a handle on NAME: its text is returned and its errors raised as
IpError, so one handle serves a whole lab script.  -batch lines of such objects go to it
too, one at a time.

    ip.check()          [CheckFinding]: what `xfrm check` finds, as data
    ip.monitor(...)     an iterator of XFRM events as objects (pyip.xfrm.events.Monitor)

Typed calls (pyip.xfrm.calls, pyip.link.calls): an object or its fields as keyword arguments,
sent as the command line that says the same would send it:

    ip.xfrm_state_add(src="10.0.0.1", dst="10.0.0.2", proto="esp", spi=0x100, ...)
    ip.xfrm_policy_add(XfrmPolicy(sel=Selector(src="10.1.0.0/16", ...), dir="out", ...))
    ip.xfrm_states(proto="esp")             list's filter words as keywords
    ip.link_add("ipsec0", "xfrm", dev="eth0", if_id=42)

IP(netns, iproute2="6.15"): the handle follows that ip release (pyip.release)."""
from __future__ import annotations

import io
import threading

from pyip import fielddocs
from pyip.check.findings import CheckFinding
from pyip.context import Context
from pyip.errors import IpExit
from pyip.link.calls import LinkCalls
from pyip.xfrm.calls import XfrmCalls
from pyip.link import objects as link_objects
from pyip.xfrm import messages as xfrm_messages
from pyip.xfrm import objects as xfrm_objects
from pyip.xfrm.events import Monitor

TYPE_CHECKING = False       # (typing's import is not needed to run)
if TYPE_CHECKING:
    from typing import Iterable, Union

    from pyip.link.objects import Link
    from pyip.xfrm.messages import SadInfo, SpdInfo

# help() on the objects a handle returns tells what each field means (the man page's words)
fielddocs.annotate([getattr(xfrm_objects, n) for n in dir(xfrm_objects)] +
                   [getattr(xfrm_messages, n) for n in dir(xfrm_messages)] +
                   [getattr(link_objects, n) for n in dir(link_objects)])

_LOCK = threading.RLock()
NETNS_RUN_DIR = "/var/run/netns"
CLONE_NEWNET = 0x40000000


class IpError(Exception):
    """A command failed: `message` is exactly what ip prints on stderr, `code` its exit
    status (255 syntax, 1 validation, 2 kernel); `output` what it printed on stdout before
    (`xfrm check` prints its findings there and exits 1 when one is an error: the
    exception's text is then that report)."""

    def __init__(self, message: str, code: int, output: str = "") -> None:
        Exception.__init__(self, (message or output).rstrip("\n"))
        self.message, self.code, self.output = message, code, output


def _open_netns(name):
    import os
    try:
        return os.open("%s/%s" % (NETNS_RUN_DIR, name), os.O_RDONLY | os.O_CLOEXEC)
    except OSError as e:
        raise IpError('Cannot open network namespace "%s": %s\n' % (name, os.strerror(e.errno)),
                      255)
    except ValueError:              # a NUL in the name: no path holds it (ip's ENOENT)
        raise IpError('Cannot open network namespace "%s": %s\n'
                      % (name, os.strerror(2)), 255)


def _as_word(word):
    """A word as ip would get it from argv: bytes.  A str with a surrogate that no byte was
    escaped to (not U+DC80..U+DCFF) has no bytes of its own; it becomes those a C string would
    hold for it (UTF-8 of the code point), escaped as pyip reads argv."""
    try:
        word.encode("utf-8", "surrogateescape")
        return word
    except UnicodeEncodeError:
        raw = b"".join(c.encode("utf-8", "surrogatepass") if 0xd800 <= ord(c) < 0xdc80
                       or 0xdd00 <= ord(c) <= 0xdfff else c.encode("utf-8", "surrogateescape")
                       for c in word)
        return raw.decode("utf-8", "surrogateescape")


def _words(cmdline):
    """run()'s argument as words; TypeError for anything but a str or a list of str."""
    if isinstance(cmdline, str):
        from pyip.batch import makeargs
        try:
            return [_as_word(w) for w in makeargs(cmdline)]
        except IpExit as e:         # ip's own words for the line (a quote left open, ...)
            raise IpError(e.message, e.code) from None
    if isinstance(cmdline, (bytes, bytearray)):
        raise TypeError("pyip.IP.run() takes a str or a list of str, not %s"
                        % type(cmdline).__name__)
    try:
        words = list(cmdline)
    except TypeError:
        raise TypeError("pyip.IP.run() takes a str or a list of str, not %s"
                        % type(cmdline).__name__) from None
    for w in words:
        if not isinstance(w, str):
            raise TypeError("pyip.IP.run(): each word must be a str, not %s"
                            % type(w).__name__)
    return [_as_word(w) for w in words]


def in_netns(fd, name, fn, *args):
    """fn(*args) on a thread of its own that has entered the network namespace `fd`."""
    import ctypes
    import os
    result = {}

    def target():
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.setns(fd, CLONE_NEWNET) < 0:
            # ip's netns_switch() text; an IpExit, so that a run ends with it as ip does
            err = ctypes.get_errno()
            result["error"] = IpExit('setting the network namespace "%s" failed: %s\n'
                                     % (name, os.strerror(err)), 255)
            return
        try:
            result["value"] = fn(*args)
        except BaseException as e:  # handed to the caller's thread
            result["error"] = e
    t = threading.Thread(target=target, name="pyip-netns")
    t.start()
    t.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


class IP(XfrmCalls, LinkCalls):
    """A handle on one network namespace (None: the caller's).  Its typed calls: for SAs
    and policies pyip.xfrm.calls, for links pyip.link.calls."""

    def __init__(self, netns: str | None = None, iproute2: str | None = None) -> None:
        """netns: a name in /run/netns (None: the caller's namespace).  iproute2: the ip
        release this handle's runs follow ("6.1", "6.15", "7.3" or any between; None: chosen
        as for the command line -- PYIP_IPROUTE2, the system's ip, else the newest)."""
        if netns is not None and not isinstance(netns, str):
            raise TypeError("pyip.IP(netns=...) takes a str or None, not %s"
                            % type(netns).__name__)
        chosen = None
        if iproute2 is not None:
            from pyip import release
            if not isinstance(iproute2, str):
                raise TypeError("pyip.IP(iproute2=...) takes a str such as \"6.15\", not %s"
                                % type(iproute2).__name__)
            try:
                chosen = release.given(iproute2, "iproute2=")
            except release.BadRelease as e:
                raise ValueError(e.message.rstrip("\n")) from None
        self.netns = netns
        self._fd = None
        self._closed = False
        if netns is not None:
            import os
            import weakref
            fd = _open_netns(netns)
            # a handle dropped without close() must not keep the descriptor open
            self._release = weakref.finalize(self, os.close, fd)
            try:
                in_netns(fd, netns, int)    # what `ip -n NAME` tries first: can it enter?
            except IpExit as e:
                self._release()
                raise IpError(e.message, e.code) from None
            self._fd = fd
        # what pyip does not implement (address, route, netns, ...) the system's ip answers,
        # in this handle's namespace
        self._context = Context(open_transport=self._open_transport,
                                switch_netns=self._switch, in_netns=self._in_netns,
                                hand_over=self._hand_over, release=chosen)
        self._run_fd = None         # the namespace a run's -n NAME chose
        self.stderr = ""            # what the last run() printed on stderr

    def _check_open(self):
        if self._closed:
            raise ValueError("pyip.IP handle is closed")

    # sockets: opened where this handle (or the run's -n) points
    def _open_transport(self, proto, groups=0):
        from pyip.netlink import Transport
        fd, name = self._where()
        if fd is None:
            return Transport(proto, groups)
        return in_netns(fd, name, Transport, proto, groups)

    def _in_netns(self, fn, *args):
        fd, name = self._where()
        return fn(*args) if fd is None else in_netns(fd, name, fn, *args)

    def _where(self):
        """The namespace a run's sockets go to: its -n NAME's, else the handle's."""
        if self._run_fd is not None:
            return self._run_fd, self._run_name
        return self._fd, self.netns

    def _hand_over(self):
        """The system's ip's options for what pyip does not implement: the namespace of
        this run's sockets (-n NAME given to run(), else the handle's)."""
        name = self._where()[1]
        return [] if name is None else ["-n", name]

    def _switch(self, name):
        """-n NAME within run(): this run's sockets are opened in NAME."""
        from pyip import netlink
        try:
            fd = _open_netns(name)
        except IpError as e:
            return e.message
        netlink.close_all()             # those of the handle's namespace, from the last run
        self._run_fd, self._run_name = fd, name
        return None

    def _new_run(self):
        self._check_open()
        self._context.new_run()
        return self._context

    def close(self) -> None:
        """Close the sockets and the namespace's descriptor; the handle can do nothing more
        (a second close() does nothing)."""
        with _LOCK:
            if self._closed:
                return
            self._closed = True
            self._context.close()
            if self._fd is not None:
                self._release()
                self._fd = None

    def __enter__(self) -> IP:
        return self

    def __exit__(self, *exc: object) -> bool:
        self.close()
        return False

    def run(self, cmdline: Union[str, Iterable[str]], stdout: bool = False) -> str:
        """Run one pyip command line (without "pyip"; a str split as a -batch line is, or a
        list of words): what it printed on stdout, as a str (and also onto sys.stdout when
        `stdout` is true).  IpError if it fails."""
        from pyip import main
        argv = _words(cmdline)
        so, se = io.BytesIO(), io.BytesIO()
        with _LOCK:
            self._check_open()
            ctx = self._context
            ctx.new_run()
            ctx.stdout, ctx.stderr = so, se
            try:
                code = main.main(argv, ctx)
            finally:
                ctx.stdout = ctx.stderr = None
                if self._run_fd is not None:     # sockets of -n NAME: not for the next run
                    ctx.close()
                    import os
                    os.close(self._run_fd)
                    self._run_fd = None
        text = so.getvalue().decode("utf-8", "surrogateescape")
        self.stderr = se.getvalue().decode("utf-8", "surrogateescape")
        if stdout:
            import sys
            sys.stdout.write(text)
        if code != 0:
            raise IpError(self.stderr, code, text)
        return text

    # objects ----------------------------------------------------------------------------
    def _dump(self, proto, mtype, request, decode):
        from pyip import netlink
        with _LOCK, self._new_run():
            h = netlink.xfrm() if proto == netlink.NETLINK_XFRM else netlink.rtnl()
            try:
                return [decode(msg) for msg in h.dump(mtype, request)]
            except IpExit as e:
                raise IpError(e.message, e.code)

    def _call(self, fn, *args):
        """fn(*args) as one run of this handle (its sockets, its namespace); IpError for
        what ip would print and exit with."""
        with _LOCK, self._new_run():
            try:
                return fn(*args)
            except IpExit as e:
                raise IpError(e.message, e.code) from None

    def links(self) -> list[Link]:
        """Every device, as Link objects (kind and, for xfrm/vti/vti6, its options)."""
        from pyip import netlink as nl
        from pyip import ifla
        from pyip.link.objects import decode_message
        req = ifla.IFINFOMSG.pack(17, 0, 0, 0, 0) + nl.attr(
            ifla.IFLA_EXT_MASK, nl.U32.pack(ifla.RTEXT_FILTER_VF | ifla.RTEXT_FILTER_SKIP_STATS))
        return self._dump(nl.NETLINK_ROUTE, ifla.RTM_GETLINK, req, decode_message)

    def xfrm_state_count(self) -> SadInfo:
        """SadInfo: the SAD's count (and hash buckets)."""
        from pyip.xfrm import msgs as m
        return self._info(m.XFRM_MSG_GETSADINFO)

    def xfrm_policy_count(self) -> SpdInfo:
        """SpdInfo: the SPD's counts, buckets and hash thresholds."""
        from pyip.xfrm import msgs as m
        return self._info(m.XFRM_MSG_GETSPDINFO)

    def _info(self, mtype):
        from pyip import netlink
        from pyip.xfrm.messages import decode_message
        with _LOCK, self._new_run():
            try:
                return decode_message(netlink.xfrm().talk(mtype, 0, netlink.U32.pack(0xffffffff)))
            except IpExit as e:
                raise IpError(e.message, e.code)

    # check ---------------------------------------------------------------------------------
    def check(self) -> list[CheckFinding]:
        """What `xfrm check` finds in this namespace now, as CheckFinding objects (rule,
        severity, objects, detail, why, fix, lines, counters); `f.as_dict()` is the object
        `pyip -j xfrm check` prints.  An empty list: nothing found."""
        from pyip.check import reading, report, rules
        with _LOCK, self._new_run():
            try:
                model = reading.live()
            except IpExit as e:
                raise IpError(e.message, e.code) from None
            found = rules.run(model)
            report.counters(model, found)
            return [f.data() for f in found]

    # events --------------------------------------------------------------------------------
    def monitor(self, *objects: str, timeout: float | None = None) -> Monitor:
        """The XFRM events of this namespace as objects, what `ip xfrm monitor [OBJECTS]`
        prints: a pyip.xfrm.events.Monitor, subscribed when this returns.  `objects`: the
        monitor's words (acquire, expire, SA, aevent, policy, report; none or "all": every
        group).  Iteration ends after `timeout` seconds without an event (None: never), on
        stop() (any thread) or close(); use it as a context manager to close it.

            with ip.monitor("policy", timeout=5) as events:
                for e in events:
                    print(e.event, e.dir, e.sel.dst)
        """
        from pyip.netlink import NETLINK_XFRM
        from pyip.xfrm import monitor as mon
        argv = _words(list(objects))
        if timeout is not None and not isinstance(timeout, (int, float)):
            raise TypeError("pyip.IP.monitor(timeout=...) takes seconds or None, not %s"
                            % type(timeout).__name__)
        with _LOCK, self._new_run():
            try:
                groups, file, nokeys, all_nsid = mon.parse(argv)
                if file is not None or nokeys or all_nsid:
                    raise TypeError("pyip.IP.monitor() takes the event groups only, not "
                                    "file, nokeys or all-nsid")
                transport = self._open_transport(NETLINK_XFRM, groups)
            except IpExit as e:
                raise IpError(e.message, e.code) from None
        return Monitor(transport, timeout)
