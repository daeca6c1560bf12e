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


def switch(name):
    """Returns an error text (ip's), or None once inside the namespace."""
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
    import sys
    d = "%s/%s" % (NETNS_ETC_DIR, name)
    try:
        entries = os.listdir(d)
    except OSError:
        return
    for e in entries:
        src, dst = "%s/%s" % (d, e), "/etc/%s" % e
        if libc.mount(b(src), b(dst), b"none", MS_BIND, None) < 0:
            sys.stderr.write("Bind %s -> %s failed: %s\n"
                             % (src, dst, os.strerror(ctypes.get_errno())))
