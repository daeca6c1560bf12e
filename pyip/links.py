"""Interface names <-> indexes the way ip's lib/ll_map.c finds them: a cache, then an
RTM_GETLINK on a fresh NETLINK_ROUTE socket (those requests are part of what ip sends),
then if_nametoindex()/if_indextoname(), then "ifN"."""

from pyip import netlink as nl
from pyip.ifla import (IFINFOMSG, IFLA_ALT_IFNAME, IFLA_EXT_MASK, IFLA_IFNAME,
                       RTEXT_FILTER_NAME_ONLY, RTEXT_FILTER_SKIP_STATS, RTEXT_FILTER_VF,
                       RTM_GETLINK)

# ll_link_get()'s IFLA_EXT_MASK by first release: iproute2 de91e928 (after 7.1, in the 7.3.0
# binary; taken here as 7.2) asks for the name only (kernels before 7.2 ignore the bit)
LL_EXT_MASK = {(6, 1): RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS,
               (7, 2): RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS | RTEXT_FILTER_NAME_ONLY}
IFNAMSIZ = 16
LL_REQ = 16 + 16 + 1024     # sizeof ip's request structs: nlmsghdr, ifinfomsg, buf[1024]

_by_name = {}
_by_index = {}
_flags = {}


def reset():
    _by_name.clear()
    _by_index.clear()
    _flags.clear()


# the run's tables (pyip.context); new ones for whatever comes next
from pyip import context  # noqa: E402
context.holds_globals(globals(), {"_by_name": dict, "_by_index": dict, "_flags": dict})


# ba4dc2f6 (7.0): check_ifname() refuses "." and ".." too; check_altifname() checks the
# length only (ALTIFNAMSIZ), no longer the characters
IFNAME_CHECKS_SINCE = (7, 0)
ALTIFNAMSIZ = 128


def check_ifname(name):
    """check_ifname(): what the kernel's dev_valid_name() takes (bytes, C isspace)."""
    if name.isalnum() and name.isascii():       # the common case, asked once per device
        return len(name) < IFNAMSIZ
    from pyip.release import since
    if name in (".", "..") and since(IFNAME_CHECKS_SINCE):
        return False
    return len(name.encode("utf-8", "surrogateescape")) < IFNAMSIZ and _valid_chars(name)


def check_altifname(name):
    """check_altifname(): not empty, no '/' and no C white space (any length); from 7.0 on:
    not empty and shorter than ALTIFNAMSIZ."""
    from pyip.release import since
    if since(IFNAME_CHECKS_SINCE):
        return 0 < len(name.encode("utf-8", "surrogateescape")) < ALTIFNAMSIZ
    return _valid_chars(name)


def _valid_chars(name):
    return bool(name) and not any(c in "/ \t\n\v\f\r" for c in name)


def name_attr(offset, name):
    """A device's name in a request, as ll_link_get() puts it at `offset` bytes into ip's
    request buffer (1024 bytes after the ifinfomsg): IFLA_IFNAME, or IFLA_ALT_IFNAME for a
    name check_ifname() refuses."""
    raw = name.encode("utf-8", "surrogateescape") + b"\0"
    return nl.addattr_l(offset, LL_REQ, IFLA_IFNAME if check_ifname(name) else IFLA_ALT_IFNAME,
                        raw)


def _link_get(name, index):
    body = IFINFOMSG.pack(0, 0, index, 0, 0)
    from pyip.release import by_release
    body += nl.attr(IFLA_EXT_MASK, nl.U32.pack(by_release(LL_EXT_MASK)))
    if name is not None:
        body += name_attr(16 + len(body), name)
    try:
        h = nl.Netlink(nl.NETLINK_ROUTE)
    except nl.OpenError as e:      # ll_link_get(): rtnl_open()'s perror, then "not found"
        from pyip import out
        out.error(e.message)
        return 0
    try:
        msg = h.talk(RTM_GETLINK, 0, body)
    except nl.KernelError:
        return 0
    finally:
        h.close()
    if msg is None or len(msg) < 32:
        return 0
    return remember(msg, nl.link_attrs(msg, 32))


def remember(msg, tb=None):
    """ll_remember_index(): note a RTM_NEWLINK's index, name and flags; returns the index."""
    _, _, idx, flags, _ = IFINFOMSG.unpack_from(msg, 16)
    if tb is None:
        tb = nl.link_attrs(msg, 32)
    name = tb.get(IFLA_IFNAME)
    if name is not None:
        note(idx, flags, nl.cstr(name))
    return idx


def note(idx, flags, name):
    """ll_remember_index() for a device whose index, flags and name are already read."""
    old = _by_index.get(idx)
    if old is not None and old != name and _by_name.get(old) == idx:
        del _by_name[old]
    _by_name[name] = idx
    _by_index[idx] = name
    _flags[idx] = flags


def note_all(index_flags, names):
    """note() for each (index, flags) and name in turn; all at once where that leaves the
    same tables (indexes new to them, each once): a dump's thousand devices."""
    indexes = [index for index, _ in index_flags]
    if _by_index.keys().isdisjoint(indexes) and len(set(indexes)) == len(indexes):
        _by_index.update(zip(indexes, names))
        _by_name.update(zip(names, indexes))
        _flags.update(index_flags)
    else:
        for (index, flags), name in zip(index_flags, names):
            note(index, flags, name)


def drop_by_index(idx):
    """ll_drop_by_index(): forget a device a command changed (its next use asks the kernel
    again), as iplink_modify() does after each success -- a -batch's later lines must see it
    renamed, deleted or re-created.  As in ip, only its index and its main name go."""
    name = _by_index.pop(idx, None)
    if name is not None:
        _flags.pop(idx, None)
        if _by_name.get(name) == idx:
            del _by_name[name]


def name_and_flags(idx):
    """(index_to_name(idx), index_to_flags(idx)) for an index other than 0, in one call: a
    device already noted is one lookup in each table."""
    if idx not in _by_index:
        return index_to_name(idx), index_to_flags(idx)
    return _by_index[idx], _flags[idx]


def index_to_flags(idx):
    """ll_index_to_flags(): the cached flags, -1 for a device ip has not seen."""
    if idx == 0:
        return 0
    return _flags.get(idx, -1)


def name_to_index(name):
    if name in _by_name:
        return _by_name[name]
    idx = _link_get(name, 0)
    if not idx:
        try:
            import _socket
            idx = nl.in_run_netns(_socket.if_nametoindex, name)
        except OSError:
            idx = 0
    if not idx and name.startswith("if"):
        idx = _scan_if_u(name[2:])
    return idx


def _scan_if_u(s):
    """sscanf(name, "if%u") after the "if": white space, a sign, ASCII digits, read as
    glibc's strtoul reads them (ULONG_MAX on overflow) into an unsigned int; 0 if none."""
    s = s.lstrip(" \t\n\v\f\r")
    neg = s[:1] == "-"
    if s[:1] in ("+", "-"):
        s = s[1:]
    j = 0
    while j < len(s) and "0" <= s[j] <= "9":
        j += 1
    if not j:
        return 0
    value = int(s[:j])
    if value >= 1 << 64:
        value = (1 << 64) - 1
    elif neg:
        value = -value
    return value & 0xffffffff


def index_to_name(idx):
    if idx == 0:
        return "*"
    if idx in _by_index:
        return _by_index[idx]
    if _link_get(None, idx) == idx and idx in _by_index:
        return _by_index[idx]
    try:
        import _socket
        return nl.in_run_netns(_socket.if_indextoname, idx)
    except OSError:
        return "if%u" % idx
