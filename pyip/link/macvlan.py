"""type macvlan and macvtap (iproute2's ip/iplink_macvlan.c): print (ip -d link show).
pyip does not parse their options: `ip link add|set ... type macvlan ARGS` goes to the
system's ip before anything is sent."""
from pyip.link.reader import U16, U32

# IFLA_MACVLAN_* (linux/if_link.h)
(IFLA_MACVLAN_MODE, IFLA_MACVLAN_FLAGS, IFLA_MACVLAN_MACADDR_MODE, IFLA_MACVLAN_MACADDR,
 IFLA_MACVLAN_MACADDR_DATA, IFLA_MACVLAN_MACADDR_COUNT, IFLA_MACVLAN_BC_QUEUE_LEN,
 IFLA_MACVLAN_BC_QUEUE_LEN_USED) = range(1, 9)
LAYOUT = {IFLA_MACVLAN_MODE: U32, IFLA_MACVLAN_FLAGS: U16, IFLA_MACVLAN_MACADDR_COUNT: U32,
          IFLA_MACVLAN_BC_QUEUE_LEN: U32, IFLA_MACVLAN_BC_QUEUE_LEN_USED: U32}
# MACVLAN_MODE_* -> the name ip prints ("unknown" for any other)
MODES = {1: "private", 2: "vepa", 4: "bridge", 8: "passthru", 16: "source"}
MACVLAN_MODE_SOURCE = 16
MACVLAN_FLAG_NOPROMISC, MACVLAN_FLAG_NODST = 1, 2


def _sized(tb, attr):
    """The attribute's number if it holds the layout's bytes (ip checks RTA_PAYLOAD), else
    None."""
    raw = tb.get(attr)
    codec = LAYOUT[attr]
    return codec.read(raw) if raw is not None and len(raw) >= codec.size else None


def print_opt(p, tb):
    """macvlan_print_opt()."""
    mode = _sized(tb, IFLA_MACVLAN_MODE)
    if mode is None:
        return
    p.string("mode", "mode %s ", MODES.get(mode, "unknown"))
    flags = _sized(tb, IFLA_MACVLAN_FLAGS) or 0
    if flags & MACVLAN_FLAG_NOPROMISC:
        p.boolean("nopromisc", "nopromisc ")
    if flags & MACVLAN_FLAG_NODST:
        p.boolean("nodst", "nodst ")
    for attr, key, fmt in ((IFLA_MACVLAN_BC_QUEUE_LEN, "bcqueuelen", "bcqueuelen %u "),
                           (IFLA_MACVLAN_BC_QUEUE_LEN_USED, "usedbcqueuelen",
                            "usedbcqueuelen %u ")):
        n = _sized(tb, attr)
        if n is not None:
            p.num(key, fmt, n)
    if mode != MACVLAN_MODE_SOURCE:
        return
    count = _sized(tb, IFLA_MACVLAN_MACADDR_COUNT)
    if count is None:
        return
    p.num("macaddr_count", "remotes (%d) ", count - (1 << 32) if count >= 1 << 31 else count)
    data = tb.get(IFLA_MACVLAN_MACADDR_DATA)
    if data is None:
        return
    if p.jw is not None:
        p.jw.name("macaddr_data")
        p.jw.start_array()
    off, n = 0, len(data)
    while off + 4 <= n:                 # RTA_OK / RTA_NEXT
        alen = int.from_bytes(data[off:off + 2], "little")
        atype = int.from_bytes(data[off + 2:off + 4], "little")
        if alen < 4 or alen > n - off:
            break
        addr = data[off + 4:off + alen]
        if atype == IFLA_MACVLAN_MACADDR and len(addr) >= 6:
            text = ":".join("%.2x" % b for b in addr[:6])
            if p.jw is not None:
                p.string(None, "%s", text)
            else:
                p.fp(text + " ")
        off += (alen + 3) & ~3
    if p.jw is not None:
        p.jw.end_array()
