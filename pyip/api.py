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

The calling process is left as it was: sockets are opened inside the namespace by a short-
lived thread (setns changes one thread) and used from the caller; `-n NAME` in run() opens
that run's sockets in NAME; nothing goes to sys.stdout or sys.stderr unless run(...,
stdout=True); options, the garbage collector and caches are the run's (pyip.context), not
the process's.  One IP object's calls, and two IP objects' calls, may interleave freely;
calls are serialized by a lock (pyip's run state is installed for one run at a time)."""
import io
import threading

from pyip.context import Context
from pyip.errors import IpExit

_LOCK = threading.RLock()
NETNS_RUN_DIR = "/var/run/netns"
CLONE_NEWNET = 0x40000000


class IpError(Exception):
    """A command failed: `message` is exactly what ip prints on stderr, `code` its exit
    status (255 syntax, 1 validation, 2 kernel)."""

    def __init__(self, message, code):
        Exception.__init__(self, message.rstrip("\n"))
        self.message, self.code = message, code


def _open_netns(name):
    import os
    try:
        return os.open("%s/%s" % (NETNS_RUN_DIR, name), os.O_RDONLY | os.O_CLOEXEC)
    except OSError as e:
        raise IpError('Cannot open network namespace "%s": %s\n' % (name, os.strerror(e.errno)),
                      255)


def in_netns(fd, name, fn, *args):
    """fn(*args) on a thread of its own that has entered the network namespace `fd`."""
    import ctypes
    import os
    result = {}

    def target():
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.setns(fd, CLONE_NEWNET) < 0:
            err = ctypes.get_errno()
            result["error"] = IpError('setting the network namespace "%s" failed: %s\n'
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


class IP:
    """A handle on one network namespace (None: the caller's)."""

    def __init__(self, netns=None):
        self.netns = netns
        self._fd = None if netns is None else _open_netns(netns)
        self._context = Context(open_transport=self._open_transport,
                                switch_netns=self._switch, in_netns=self._in_netns)
        self._run_fd = None         # the namespace a run's -n NAME chose
        self.stderr = ""            # what the last run() printed on stderr

    # sockets: opened where this handle (or the run's -n) points
    def _open_transport(self, proto, groups=0):
        from pyip.netlink import Transport
        fd = self._run_fd if self._run_fd is not None else self._fd
        if fd is None:
            return Transport(proto, groups)
        return in_netns(fd, self.netns, Transport, proto, groups)

    def _in_netns(self, fn, *args):
        fd = self._run_fd if self._run_fd is not None else self._fd
        return fn(*args) if fd is None else in_netns(fd, self.netns, fn, *args)

    def _switch(self, name):
        """-n NAME within run(): this run's sockets are opened in NAME."""
        from pyip import netlink
        try:
            fd = _open_netns(name)
        except IpError as e:
            return e.message
        netlink.close_all()             # those of the handle's namespace, from the last run
        self._run_fd = fd
        return None

    def _new_run(self):
        self._context.new_run()
        return self._context

    def close(self):
        with _LOCK:
            self._context.close()
            if self._fd is not None:
                import os
                os.close(self._fd)
                self._fd = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def run(self, cmdline, stdout=False):
        """Run one pyip command line (without "pyip"; a str split as a -batch line is, or a
        list of words): what it printed on stdout, as a str (and also onto sys.stdout when
        `stdout` is true).  IpError if it fails."""
        from pyip import main
        if isinstance(cmdline, str):
            from pyip.batch import makeargs
            argv = makeargs(cmdline)
        else:
            argv = list(cmdline)
        so, se = io.BytesIO(), io.BytesIO()
        with _LOCK:
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
            raise IpError(self.stderr, code)
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

    def xfrm_states(self):
        """The SAD, as XfrmState objects (what `xfrm state list` shows)."""
        from pyip.netlink import NETLINK_XFRM
        from pyip.xfrm import msgs as m
        from pyip.xfrm.objects import decode_message
        return self._dump(NETLINK_XFRM, m.XFRM_MSG_GETSA, b"", decode_message)

    def xfrm_policies(self):
        """The SPD, as XfrmPolicy objects (what `xfrm policy list` shows)."""
        from pyip.netlink import NETLINK_XFRM
        from pyip.xfrm import msgs as m
        from pyip.xfrm.objects import decode_message
        return self._dump(NETLINK_XFRM, m.XFRM_MSG_GETPOLICY, b"", decode_message)

    def links(self):
        """Every device, as Link objects (kind and, for xfrm/vti/vti6, its options)."""
        from pyip import netlink as nl
        from pyip.link import ifla
        from pyip.link.objects import decode_message
        req = ifla.IFINFOMSG.pack(17, 0, 0, 0, 0) + nl.attr(
            ifla.IFLA_EXT_MASK, nl.U32.pack(ifla.RTEXT_FILTER_VF | ifla.RTEXT_FILTER_SKIP_STATS))
        return self._dump(nl.NETLINK_ROUTE, ifla.RTM_GETLINK, req, decode_message)

    def xfrm_state_count(self):
        """SadInfo: the SAD's count (and hash buckets)."""
        from pyip.xfrm import msgs as m
        return self._info(m.XFRM_MSG_GETSADINFO)

    def xfrm_policy_count(self):
        """SpdInfo: the SPD's counts, buckets and hash thresholds."""
        from pyip.xfrm import msgs as m
        return self._info(m.XFRM_MSG_GETSPDINFO)

    def _info(self, mtype):
        from pyip import netlink
        from pyip.xfrm.objects import decode_message
        with _LOCK, self._new_run():
            try:
                return decode_message(netlink.xfrm().talk(mtype, 0, netlink.U32.pack(0xffffffff)))
            except IpExit as e:
                raise IpError(e.message, e.code)
