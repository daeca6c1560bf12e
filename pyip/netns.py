"""ip -n NAME: enter /run/netns/NAME as ip's netns_switch() does (setns, a private mount
namespace, /sys remounted for the new network namespace, /etc/netns/NAME bind-mounted)."""
import os

NETNS_RUN_DIR = "/var/run/netns"
NETNS_ETC_DIR = "/etc/netns"
CLONE_NEWNS = 0x00020000
CLONE_NEWNET = 0x40000000
MS_RDONLY, MS_BIND, MS_REC, MS_SLAVE = 1, 4096, 16384, 1 << 19
MNT_DETACH = 2
ST_RDONLY = 1


def _libc():
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    return libc, ctypes


switch_hook = None      # a run's own meaning of -n NAME (pyip.IP: sockets opened in NAME)


def switch(name):
    """Returns an error text (ip's), or None once inside the namespace."""
    if switch_hook is not None:
        return switch_hook(name)
    path = "%s/%s" % (NETNS_RUN_DIR, name)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError as e:
        return 'Cannot open network namespace "%s": %s\n' % (name, os.strerror(e.errno))
    libc, ctypes = _libc()
    b = lambda s: s.encode("utf-8", "surrogateescape")
    if libc.setns(fd, CLONE_NEWNET) < 0:
        err = ctypes.get_errno()
        os.close(fd)
        return 'setting the network namespace "%s" failed: %s\n' % (name, os.strerror(err))
    os.close(fd)
    if libc.unshare(CLONE_NEWNS) < 0:
        return "unshare failed: %s\n" % os.strerror(ctypes.get_errno())
    if libc.mount(b"", b"/", b"none", MS_SLAVE | MS_REC, None):
        return '"mount --make-rslave /" failed: %s\n' % os.strerror(ctypes.get_errno())
    flags = 0
    if libc.umount2(b"/sys", MNT_DETACH) < 0:
        try:
            if os.statvfs("/sys").f_flag & ST_RDONLY:
                flags = MS_RDONLY
        except OSError:
            pass
    if libc.mount(b(name), b"/sys", b"sysfs", flags, None) < 0:
        return "mount of /sys failed: %s\n" % os.strerror(ctypes.get_errno())
    _bind_etc(name, libc, ctypes, b)
    return None


def _bind_etc(name, libc, ctypes, b):
    from pyip import out
    d = "%s/%s" % (NETNS_ETC_DIR, name)
    try:
        entries = os.listdir(d)
    except OSError:
        return
    for e in entries:
        src, dst = "%s/%s" % (d, e), "/etc/%s" % e
        if libc.mount(b(src), b(dst), b"none", MS_BIND, None) < 0:
            out.error("Bind %s -> %s failed: %s\n"
                             % (src, dst, os.strerror(ctypes.get_errno())))


# ---- network namespace ids (ipnetns.c): the nsid this namespace knows another one by ------

RTM_NEWNSID, RTM_GETNSID = 88, 90
NETNSA_NSID, NETNSA_FD = 1, 3
_rtnsh = None           # ip's second NETLINK_ROUTE socket, for nsid questions
_names = None           # nsid -> name, from /var/run/netns, once read


def reset():
    global _rtnsh, _names
    if _rtnsh is not None:
        _rtnsh.close()
    _rtnsh = _names = None


from pyip import context  # noqa: E402
context.holds_globals(globals(), {"_rtnsh": type(None), "_names": type(None)})
context.holds_hooks(globals(), "switch_hook")
context.CLOSERS.append(reset)


def _nsid_socket():
    global _rtnsh
    if _rtnsh is None:
        from pyip import netlink as nl
        from pyip.errors import IpExit
        try:
            _rtnsh = nl.Netlink(nl.NETLINK_ROUTE)
        except nl.OpenError as e:       # netns_nsid_socket_init()
            raise IpExit(e.message + "Cannot open rtnetlink\n", 1)
    return _rtnsh


def _request(fd, nsid=None):
    """struct rtgenmsg (AF_UNSPEC, padded to 4) and NETNSA_FD [, NETNSA_NSID]."""
    from pyip import netlink as nl
    body = bytes(4) + nl.attr(NETNSA_FD, nl.U32.pack(fd))
    if nsid is not None:
        body += nl.attr(NETNSA_NSID, nl.I32.pack(nsid))
    return body


def _open(name):
    """netns_get_fd(): a name, or a path if it holds a '/'."""
    return os.open(name if "/" in name else "%s/%s" % (NETNS_RUN_DIR, name), os.O_RDONLY)


def nsid_from_name(name, h=None):
    """get_netnsid_from_name(): the nsid of namespace NAME here (or where socket h is), -1 if
    it has none or cannot be opened, -2 when the kernel refuses the question (its answer is
    printed, as ip's)."""
    from pyip import netlink as nl
    from pyip import out
    if h is None:
        h = _nsid_socket()
    try:
        fd = _open(name)
    except OSError:
        return -1
    try:
        msg = h.talk(RTM_GETNSID, 0, _request(fd), answer=True)
    except nl.KernelError as e:
        out.error(e.message)
        return -2
    finally:
        os.close(fd)
    if msg is None or msg[4] | msg[5] << 8 == nl.NLMSG_ERROR or len(msg) < 20:
        return -1
    raw = nl.attrs(msg, 20).get(NETNSA_NSID)
    return nl.I32.unpack_from(raw)[0] if raw is not None and len(raw) >= 4 else -1


def set_nsid_from_name(name, nsid, h=None):
    """set_netnsid_from_name(): RTM_NEWNSID on the main socket (or h); 0, or <0 on
    failure."""
    from pyip import netlink as nl
    from pyip import out
    try:
        fd = _open(name)
    except OSError:
        return -1
    try:
        (h or nl.rtnl()).talk(RTM_NEWNSID, 0, _request(fd, nsid), answer=False)
    except nl.KernelError as e:
        out.error(e.message)
        return -2
    finally:
        os.close(fd)
    return 0


def name_from_nsid(nsid):
    """get_name_from_nsid(): the name under /var/run/netns of the namespace this one knows
    as nsid, or None.  The directory is read (and each entry asked about) once."""
    global _names
    if nsid < 0:
        return None
    if _names is None:
        try:
            entries = os.listdir(NETNS_RUN_DIR)       # readdir() order, as ip reads it
        except OSError:
            return None
        names = {}
        for entry in entries:
            n = nsid_from_name(entry)
            if n >= 0 and n not in names:
                names[n] = entry
        _names = names
    return _names.get(nsid)


def rtnl_in(fd):
    """A NETLINK_ROUTE socket of the namespace of fd, opened as iplink_parse() does from 6.12
    (a597ab15) when both `netns` and `link-netns`/`link-netnsid` are given: ip enters the
    namespace, opens it and goes back; pyip opens it on a thread of its own that entered the
    namespace (setns changes one thread), so that nothing needs undoing.  ip's words and
    exit(-1) where a step fails."""
    import threading
    from pyip import netlink as nl
    from pyip.errors import IpExit
    got = []        # the socket, or what to raise in the caller's thread
    # the run's way of opening sockets (a replay's or explain's stand-in), but for a pyip.IP
    # handle's run: its open_transport opens where the handle points, and this socket belongs
    # where `netns` points, which the thread has entered
    opener = nl.open_transport if nl.in_run_netns is nl.IN_PLACE else nl.Transport

    def target():
        libc, ctypes = _libc()
        if libc.setns(fd, CLONE_NEWNET) < 0:
            got.append(IpExit("Cannot set namespace: %s\n" % os.strerror(ctypes.get_errno()),
                              255))
            return
        try:
            got.append(nl.Netlink(nl.NETLINK_ROUTE, opener))
        except nl.OpenError as e:
            got.append(IpExit(e.message + "Cannot open rtnetlink\n", 255))
        except BaseException as e:      # handed to the caller's thread
            got.append(e)
    t = threading.Thread(target=target, name="pyip-link-netns")
    t.start()
    t.join()
    if isinstance(got[0], BaseException):
        raise got[0]
    return got[0]
