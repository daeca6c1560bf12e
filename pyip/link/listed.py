"""ip link show's fast path for a dump: devices of the common shapes (pyip/shapes.py) are read
with one unpack and printed from a few pieces, the pieces every device shares (flags, the
mtu/qdisc/state line, -d details, -s counters) taken from print_linkinfo()'s own helpers once
per value.
print_linkinfo() prints everything else: -br, colours, pretty JSON, filters, and devices
with an alias, altnames, a link-netnsid or a protodown reason."""
from _functools import partial
from _operator import itemgetter, methodcaller   # operator.py costs half a millisecond
from _struct import Struct

from pyip import links, shapes
from pyip import netlink as nl
from pyip.jsonw import quote
from pyip.link import show as S
from pyip.ifla import (
    IFF_POINTOPOINT, IFF_UP, IFLA_ADDRESS, IFLA_AF_SPEC, IFLA_BROADCAST, IFLA_EVENT,
    IFLA_GROUP, IFLA_IFALIAS, IFLA_IFNAME, IFLA_INET6_ADDR_GEN_MODE, IFLA_LINK, IFLA_LINKINFO,
    IFLA_LINK_NETNSID, IFLA_LINKMODE, IFLA_MASTER, IFLA_MTU, IFLA_NEW_IFINDEX,
    IFLA_NEW_NETNSID, IFLA_OPERSTATE, IFLA_PERM_ADDRESS, IFLA_PROP_LIST, IFLA_PROTO_DOWN,
    IFLA_PROTO_DOWN_REASON, IFLA_QDISC, IFLA_STATS, IFLA_STATS64, IFLA_TXQLEN, IFLA_XDP,
    IFLA_CARRIER_CHANGES, RTM_NEWLINK)
from pyip.opts import opts

_STATE_KEYS = (IFLA_MTU, IFLA_XDP, IFLA_QDISC, IFLA_MASTER, IFLA_OPERSTATE, IFLA_LINKMODE,
               IFLA_GROUP, IFLA_TXQLEN, IFLA_EVENT)
_STATS_KEYS = (IFLA_STATS64, IFLA_STATS, IFLA_CARRIER_CHANGES)


# what is read only to be a memo key (state, details, counters) may be a number
_READERS = dict.fromkeys(_STATE_KEYS, shapes.u32_or_raw)
_READERS.update(dict.fromkeys((IFLA_IFNAME, IFLA_ADDRESS, IFLA_BROADCAST, IFLA_PERM_ADDRESS),
                              shapes.raw))
_READERS.update(dict.fromkeys((IFLA_LINK_NETNSID, IFLA_NEW_NETNSID, IFLA_NEW_IFINDEX,
                               IFLA_PROTO_DOWN_REASON, IFLA_IFALIAS, IFLA_PROP_LIST),
                              shapes.refuse))
_READERS[IFLA_LINK] = shapes.exactly(4, "I")
_READERS[IFLA_PROTO_DOWN] = shapes.exactly(1, "B")


def _getter(where, tag, keys):
    """(the keys present, f(values) -> their values): a memo key's two halves (the first
    tagged, so that no piece's key is another's, nor one of print_linkinfo()'s)."""
    present = (tag,) + tuple(t for t in keys if t in where)
    at = [where[t] for t in present[1:]]
    if len(at) > 1:
        return present, itemgetter(*at)
    if at:
        return present, itemgetter(at[0])
    return present, _nothing


def _nothing(v):
    return ()


def _plan(shape):
    where = shape.where
    if IFLA_IFNAME not in where:
        return None     # ip's "BUG: ... nil ifname": print_linkinfo() says it
    get = where.get
    keyed = [where[t] for t in _STATE_KEYS + S.DETAIL_KEYS + _STATS_KEYS if t in where]
    return (where[IFLA_IFNAME], get(IFLA_LINK), get(IFLA_ADDRESS), get(IFLA_BROADCAST),
            get(IFLA_PERM_ADDRESS), get(IFLA_AF_SPEC), get(IFLA_PROTO_DOWN)) + \
        _getter(where, "state", _STATE_KEYS) + _getter(where, "details", S.DETAIL_KEYS) + \
        _getter(where, "stats", _STATS_KEYS) + (itemgetter(*keyed, 0),) + \
        ((get(IFLA_LINK), get(IFLA_MASTER), get(IFLA_LINKINFO)),)


def _shapes_for(details, stats):
    """The shapes of one print mode: -d details, AF_SPEC and -s counters are read only
    where they are printed (a device's counters and AF_SPEC are most of its bytes)."""
    readers = dict(_READERS)
    if details:
        readers.update(dict.fromkeys(S.DETAIL_KEYS, shapes.u32_or_raw))
        readers[IFLA_AF_SPEC] = shapes.raw
    if stats:
        readers.update(dict.fromkeys((IFLA_STATS64, IFLA_STATS), shapes.raw))
        readers[IFLA_CARRIER_CHANGES] = shapes.u32_or_raw
    # struct ifinfomsg: type, index, flags
    return shapes.Shapes("=18xHiI4x", 32, readers, _plan, other=shapes.skip,
                         ignore=nl.NLA_F_NESTED)


_modes = {}


def _shapes_now():
    """The shapes of the print mode the options of the command being run ask for."""
    mode = (bool(opts.show_details), bool(opts.show_stats))
    shapes_ = _modes.get(mode)
    if shapes_ is None:
        shapes_ = _modes[mode] = _shapes_for(*mode)
    return shapes_


def usable(f, p):
    """Whether a dump's devices may take the fast path: what it prints, ip's plain
    print_linkinfo() would, for every option and filter set."""
    return not (opts.brief or p.color is not None or
                (p.jw is not None and p.jw.pretty) or f.ifindex or f.up or f.down or f.master or
                f.group != -1 or f.kind is not None or f.slave_kind is not None or
                f.label is not None)


def shape_of(msg):
    """The Shape of a dumped RTM_NEWLINK the fast path prints, or None."""
    if msg[4] != 16 or msg[5] or len(msg) < 32:
        return None
    shape = _shapes_now().of(msg)
    return shape if shape is not None and shape.plan is not None else None


_name = itemgetter(0)                   # a name before its NUL
_before_nul = methodcaller("partition", b"\0")
_text = methodcaller("decode", "utf-8", "surrogateescape")
_index_flags = itemgetter(1, 2)
_index = itemgetter(0)
_type = itemgetter(slice(4, 6))
_NEWLINK = RTM_NEWLINK.to_bytes(2, "little")


def read(msgs, i, items, seen):
    """Read msgs[i] and the messages of its shape after it, if it has a fast one: each as
    (msg, plan, values, name, the indexes it names) onto items, its index, flags and name
    noted as ip's store_nlmsg() notes them, its index added to seen.  How many were read
    (0: msgs[i] is not for the fast path).
    A dump's devices come in runs of one shape: each run is checked and read by C-level
    maps over its messages, no Python code per device."""
    msg = msgs[i]
    shape = shape_of(msg)
    if shape is None:
        return 0
    run = msgs[i:i + 512]
    # the messages after it that are RTM_NEWLINKs of its length and attribute heads
    same = list(map(_NEWLINK.__eq__, map(_type, run)))
    same = same[:same.index(False)] if False in same else same
    same = list(map(len(msg).__eq__, map(len, run[:len(same)])))
    same = same[:same.index(False)] if False in same else same
    same = list(map(shape.expect.__eq__, map(shape.heads.unpack_from, run[:len(same)])))
    run = run[:same.index(False)] if False in same else run[:len(same)]
    rows = list(map(shape.st.unpack_from, run))
    plan = shape.plan
    names = list(map(_text, map(_name, map(_before_nul, map(itemgetter(plan[0]), rows)))))
    index_flags = list(map(_index_flags, rows))
    links.note_all(index_flags, names)
    seen.update(map(_index, index_flags))
    items.extend(zip(run, [plan] * len(run), rows, names, map(partial(named, plan), rows)))
    return len(run)


def named(plan, v):
    """show.named() of a device of a fast shape (no link-netnsid: not a fast one)."""
    i_link, i_master, i_info = plan[-1]
    refs = []
    if i_link is not None and v[i_link]:
        refs.append(v[i_link])
    if i_master is not None:
        master = v[i_master]
        master = master if master.__class__ is int else nl.u32(master)
        if master:
            refs.append(master)
    if i_info is not None:
        lower = S.lower_device(v[i_info])
        if lower:
            refs.append(lower)
    return refs


def print_device(p, msg, plan, v, name):
    """print_linkinfo() for a device of a fast shape (`name`: its IFLA_IFNAME, as text): the
    text of devices alike is one format, made once per key (see _compose), filled with what
    each device has of its own (index, names, link-layer addresses)."""
    (i_name, i_link, i_addr, i_brd, i_perm, i_spec, i_down, state_keys, state, detail_keys,
     details, stats_keys, stats, keyed, _) = plan
    ltype, index, flags = v[0], v[1], v[2]
    if not links.check_ifname(name):
        return
    m_flag = link = 0
    if i_link is not None:
        iflink = v[i_link]
        if iflink:
            link, link_flags = links.name_and_flags(iflink)
            m_flag = 0 if link_flags & IFF_UP else 1
    addr = None if i_addr is None else v[i_addr]
    perm = i_perm is not None and v[i_perm] != addr
    agm = None if i_spec is None or not opts.show_details else addr_gen_mode(v[i_spec])
    jw = p.jw
    key = (id(plan), link == 0, flags, m_flag, perm, i_down is not None and v[i_down], agm,
           None if jw is None else jw.depth, keyed(v))     # keyed(v) holds ltype too
    form = p.forms.get(key)
    if form is None:
        form = _compose(p, msg, plan, v, flags, m_flag, ltype, link, perm, agm, key)
    ll = _ll_texts.get(ltype)
    if ll is None:
        # ll_addr() of one link type, kept: broadcast addresses repeat device after device
        ll = _ll_texts[ltype] = shapes.Memo(partial(S.ll_addr, ltype=ltype), 4096)
    args = [index]
    if jw is None:
        args.append(name if i_link is None else "%s@%s" % (name, link or "NONE"))
    else:
        if link:
            args.append(quote(link))
        args.append(quote(name))
    if addr is not None:        # unique to the device: not worth keeping its text
        args.append(ll[addr] if ltype in S.IP_LL_TYPES or not addr else addr.hex(":"))
    if i_brd is not None:
        args.append(ll[v[i_brd]])
    if perm:
        args.append(ll[v[i_perm]])
    p.out.append(form[0] % tuple(args))
    if jw is not None:
        jw.sep = form[1]


_ll_texts = {}


def _compose(p, msg, plan, v, flags, m_flag, ltype, link, perm, agm, key):
    """The format of the devices of one key: print_linkinfo()'s text with %-slots for the
    index, the names and the link-layer addresses, and the JSON separator it leaves."""
    (i_name, i_link, i_addr, i_brd, i_perm, i_spec, i_down, state_keys, state, detail_keys,
     details, stats_keys, stats, _, _) = plan
    o = p.out
    start = len(o)
    jw = p.jw

    def piece(*memo_args):          # a memoised piece's text, as a literal of the format
        at = len(o)
        p.memo(*memo_args)
        o[at:] = ["".join(o[at:]).replace("%", "%%")]

    if jw is None:
        o.append("%d: %s: ")
    else:
        o.append('"ifindex":%d,' + ("" if i_link is None else '"link":null,' if not link
                                    else '"link":%s,') + '"ifname":%s')
        jw.sep = ","
    piece(p.pieces, (flags, m_flag, ltype, state_keys, state(v)), _head, p, msg, flags, m_flag,
          ltype)
    # ll_addr() gives hex and colons, or an address's text: nothing JSON must escape
    if jw is None:
        if i_addr is not None:
            o.append("%s")
        if i_brd is not None:
            o.append(" peer %s" if flags & IFF_POINTOPOINT else " brd %s")
        if perm:
            o.append(" permaddr %s")
        if i_down is not None and v[i_down]:
            o.append(" protodown on ")
    else:
        if i_addr is not None:
            o.append(',"address":"%s"')
        if i_brd is not None:
            o.append(',"link_pointtopoint":true,"broadcast":"%s"' if flags & IFF_POINTOPOINT
                     else ',"broadcast":"%s"')
        if perm:
            o.append(',"permaddr":"%s"')
        if i_down is not None and v[i_down]:
            o.append(',"proto_down":true')
    if opts.show_details or opts.show_stats:
        piece(p.pieces, (agm, detail_keys, details(v), stats_keys, stats(v)), _tail, p, msg, agm)
    if jw is None:
        o.append("\n")
    form = ("".join(o[start:]), None if jw is None else jw.sep)
    del o[start:]
    if len(p.forms) < 4096:
        p.forms[key] = form
    return form


def _head(p, msg, flags, m_flag, ltype):
    """From the flags to "link/TYPE ": what devices of one kind and state share."""
    S.print_flags(p, flags, m_flag)
    S.print_state_line(p, nl.link_attrs(msg, 32))
    p.nl(opts.SL)
    p.string("link_type", "    link/%s ", S.ll_type(ltype))


def _tail(p, msg, agm):
    """-d details and -s counters."""
    tb = nl.link_attrs(msg, 32)
    if opts.show_details:
        S.print_details(p, tb, agm)
    if opts.show_stats:
        p.nl(opts.SL)
        S.print_stats(p, tb)


# IFLA_AF_SPEC holds per-device times, so it is not a memo key; the walk to its addrgenmode
# is the same for every nest of one layout: the headers it reads, checked in one unpack.
_walks = {}


def addr_gen_mode(raw):
    """show._addr_gen_mode(raw), by the walk recorded for nests of raw's layout."""
    walk = _walks.get(len(raw))
    if walk is not None:
        heads, expect, at = walk
        if heads.unpack_from(raw) == expect:
            return None if at is None else raw[at]
    seen, at = _walk(raw)
    fmt, pos = ["="], 0
    for i in seen:
        fmt.append("%dxHH" % (i - pos))         # small ints: no object made
        pos = i + 4
    if len(_walks) < 64:
        heads = Struct("".join(fmt))
        _walks[len(raw)] = (heads, heads.unpack_from(raw), at)
    return None if at is None else raw[at]


def _walk(raw):
    """The offsets of the headers show._addr_gen_mode() reads, and of the mode's byte."""
    seen = []
    unpack = nl.RTA.unpack_from
    i, n = 0, len(raw)
    while i + 4 <= n:
        ln, t = unpack(raw, i)
        seen.append(i)
        if ln < 4 or i + ln > n:
            break
        if t == 10:                             # AF_INET6, compared exactly
            j, end = i + 4, i + ln
            while j + 4 <= end:
                ln6, t6 = unpack(raw, j)
                seen.append(j)
                if ln6 < 4 or j + ln6 > end:
                    break
                if t6 & ~nl.NLA_F_NESTED == IFLA_INET6_ADDR_GEN_MODE:
                    return seen, (j + 4 if ln6 > 4 else None)
                j += (ln6 + 3) & ~3
            return seen, None
        i += (ln + 3) & ~3
    return seen, None
