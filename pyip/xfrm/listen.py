"""ip xfrm monitor's events (xfrm_monitor.c xfrm_accept_msg() and rtnl_listen()): the text
of each event, and the listener that reads them (a flood's in bursts)."""
from pyip import out
from pyip.errors import IpExit
from pyip.netlink import (HDR, NETLINK_XFRM, NLMSG_DONE, NLMSG_ERROR, NLMSG_NOOP, U32,
                          malformed, parse_rtattr)
from pyip.opts import opts
from pyip.xfrm import common as c
from pyip.xfrm import msgs as m
from pyip.xfrm import policy_print as policy
from pyip.xfrm import policy_runs, sa, sa_runs

# a burst's text is written out (ip fflush()es each event) once the socket has nothing more
# queued, or after this many datagrams
BURST = 64
# a datagram is read into this much room (ip's rtnl_listen(): a 16 KiB buffer)
EVENT_SIZE = 16384
# the most a burst of the plain listener reads before printing it: room for all a socket
# holds (its receive buffer, what -rc asked for doubled and capped at twice
# net.core.rmem_max, counts each event's whole allocation, so the events' bytes fill less),
# bounded for a host whose rmem_max is huge
MAX_ROOM = 1 << 23
MSG_DONTWAIT = 0x40
# a burst of fewer events than this is printed event by event (_print_events, by
# Runs.one()): a run's setup costs more than it saves on a few events.  Instructions per
# event of a flood's policies (one process, events fed K at a time): K=4 44.7k event by
# event against 66.9k by runs, K=8 43.1k / 45.7k, K=16 42.2k / 36.1k
SMALL = 10
# after a poll() that found no second event queued, this many events that come alone are
# printed without asking again (ip reads and writes each event, two system calls; a poll()
# for each is a third, ~0.5 us): a monitor that falls behind reads its queue in one burst
# after at most this many
QUIET = 8


def timestamp():
    import time
    now = time.time()
    usec = int((now % 1) * 1e6)
    if opts.tshort:
        return "[%s.%06d] " % (time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(now)), usec)
    return "Timestamp: %s %d usec\n" % (time.asctime(time.localtime(now)), usec)


def accept(msg, nsid, nokeys, all_nsid):
    """xfrm_accept_msg(): the text for one message, written to out (flushed by the caller:
    listen() once a burst of events is printed)."""
    if opts.json:
        from pyip.xfrm.jsonout import event
        out.write(event(msg, nsid, nokeys, all_nsid, timestamp().strip() if opts.timestamp
                        else None))
        out.flush()
        return
    o = []
    if opts.timestamp:
        o.append(timestamp())
    if all_nsid:
        o.append("[nsid current]" if nsid is None or nsid < 0 else "[nsid %d]" % nsid)
    mtype = int.from_bytes(msg[4:6], "little")
    # a new policy or SA event is what a dump brings: the listing's fast path prints it
    if mtype == m.XFRM_MSG_NEWPOLICY:
        policy.print_listed(msg, o)
    elif mtype == m.XFRM_MSG_NEWSA:
        sa.print_listed(msg, o, False)          # ip does not hide keys of SA events
    elif mtype in (m.XFRM_MSG_DELSA, m.XFRM_MSG_UPDSA, m.XFRM_MSG_EXPIRE):
        sa.print_sa_msg(msg, o, False)
    elif mtype in (m.XFRM_MSG_DELPOLICY, m.XFRM_MSG_UPDPOLICY, m.XFRM_MSG_POLEXPIRE):
        policy.print_policy_msg(msg, o)
    elif mtype == m.XFRM_MSG_ACQUIRE:
        acquire(msg, o)
    elif mtype == m.XFRM_MSG_FLUSHSA:
        if len(msg) < 20:
            out.error("BUG: wrong nlmsg len %d\n" % (len(msg) - 20))
        else:
            o.append("Flushed state proto %s%s" % (c.xfrm_proto_name(msg[16]), opts.SL))
            if opts.oneline:
                o.append("\n")
    elif mtype == m.XFRM_MSG_FLUSHPOLICY:
        o.append("Flushed policy ")
        tb = parse_rtattr(msg, 16)
        if m.XFRMA_POLICY_TYPE in tb:
            t = tb[m.XFRMA_POLICY_TYPE]
            o.append("ptype ")
            if len(t) < m.POLICY_TYPE.size:
                o.append("(ERROR truncated)")
            ptype = t[0] if t else 0
            o.append(policy.PTYPE_NAMES.get(ptype, "%u" % ptype) + " ")
        o.append(opts.SL)
        if opts.oneline:
            o.append("\n")
    elif mtype == m.XFRM_MSG_REPORT:
        report(msg, o, nokeys)
    elif mtype == m.XFRM_MSG_NEWAE:
        aevent(msg, o)
    elif mtype == m.XFRM_MSG_MAPPING:
        mapping(msg, o)
    elif mtype == m.XFRM_MSG_GETDEFAULT:
        out.write("".join(o))
        o = []
        policy.print_default(msg)
    elif mtype not in (NLMSG_ERROR, NLMSG_NOOP, NLMSG_DONE):
        o.append("Unknown message: %08d 0x%08x 0x%08x\n"
                 % (len(msg), mtype, int.from_bytes(msg[6:8], "little")))
    out.write("".join(o))


def acquire(msg, o):
    from pyip.xfrm.policy_print import decode_info, print_info
    size = m.USER_ACQUIRE.size
    if len(msg) - 16 - size < 0:
        out.error("BUG: wrong nlmsg len %d\n" % (len(msg) - 16 - size))
        return
    off = 16
    id_ = m.XFRM_ID.unpack(msg, off)
    at = m.USER_ACQUIRE.offsets
    sel = m.SELECTOR.unpack(msg, off + at["sel"])
    pol = decode_info(msg, off + at["policy"])
    tail = m.USER_ACQUIRE_TAIL.unpack(msg, off + at[None])
    tb = parse_rtattr(msg, 16 + size)
    family = sel["family"] or pol["sel"]["family"] or opts.preferred_family
    o.append("acquire proto %s " % c.xfrm_proto_name(id_["proto"]))
    spi = int.from_bytes(id_["spi"], "big")
    if opts.show_stats > 0 or spi:
        o.append("spi 0x%08x(%u) " % (spi, spi) if opts.show_stats > 0 else "spi 0x%08x " % spi)
    o.append(opts.SL)
    c.print_selector(o, sel, family, "  sel ")
    print_info(o, pol, tb, "    ", "  policy ")
    if opts.show_stats > 0:
        o.append("  seq 0x%08u " % tail["seq"])
        o.append("enc-mask %.8x auth-mask %.8x comp-mask %.8x"
                 % (tail["ealgos"], tail["aalgos"], tail["calgos"]))
    o.append(opts.SL)
    if opts.oneline:
        o.append("\n")


def report(msg, o, nokeys):
    size = 4 + m.SELECTOR.size
    if len(msg) - 16 - size < 0:
        out.error("BUG: wrong nlmsg len %d\n" % (len(msg) - 16 - size))
        return
    proto = msg[16]
    sel = m.SELECTOR.unpack(msg, 20)
    family = sel["family"] or opts.preferred_family
    o.append("report proto %s %s" % (c.xfrm_proto_name(proto), opts.SL))
    c.print_selector(o, sel, family, "  sel ")
    c.print_xfrma(o, parse_rtattr(msg, 16 + size), family, "  ", nokeys)
    if opts.oneline:
        o.append("\n")


def _usersa(o, sa_id, reqid):
    from pyip.addr import ntop
    o.append("dst %s " % ntop(sa_id["family"], sa_id["daddr"]))
    o.append(" reqid 0x%x" % reqid)
    o.append(" protocol %s " % c.proto_name(sa_id["proto"]))
    o.append(" SPI 0x%x" % int.from_bytes(sa_id["spi"], "big"))


def aevent(msg, o):
    from pyip.addr import ntop
    body = msg[16:] + bytes(m.AEVENT_ID.size)
    sa_id = m.USERSA_ID.unpack(body, 0)
    tail = m.AEVENT_ID_TAIL.unpack(body, m.USERSA_ID.size)
    flags = tail["flags"]
    o.append("Async event  (0x%x) " % flags)
    # the event's cause: XFRM_AE_CR, XFRM_AE_CE, XFRM_AE_CU
    if flags & 16:
        o.append(" replay update ")
    if flags & 32:
        o.append(" timer expired ")
    if flags & 64:
        o.append(" policy updated ")
    o.append("\n\tsrc %s " % ntop(sa_id["family"], tail["saddr"]))
    _usersa(o, sa_id, tail["reqid"])
    o.append("\n")


def mapping(msg, o):
    from pyip.addr import ntop
    body = msg[16:] + bytes(m.USER_MAPPING.size)
    sa_id = m.USERSA_ID.unpack(body, 0)
    t = m.USER_MAPPING_TAIL.unpack(body, m.USERSA_ID.size)
    f = sa_id["family"]
    o.append("Mapping change %s:%d -> %s:%d\n\t"
             % (ntop(f, t["old_saddr"]), int.from_bytes(t["old_sport"], "big"),
                ntop(f, t["new_saddr"]), int.from_bytes(t["new_sport"], "big")))
    _usersa(o, sa_id, t["reqid"])
    o.append("\n")


def from_file(path, nokeys, all_nsid):
    """rtnl_from_file(): the saved messages of FILE, printed as if they had arrived."""
    try:
        f = open(path, "rb")
    except OSError as e:
        import os
        raise IpExit("Cannot fopen: %s\n" % os.strerror(e.errno), 255)
    with f:
        while True:
            head = f.read(16)
            if not head:
                return 0
            if len(head) != 16:
                out.error("rtnl-from_file: truncated message\n")
                return 1
            n = HDR.unpack_from(head)[0]
            if n < 16 or n > 16384:
                out.error(malformed(n)[:-1] + " @%d\n" % f.tell())
                return 1
            want = (n - 16 + 3) & ~3
            body = f.read(want)
            if len(body) != want:
                out.error("rtnl-from_file: truncated message\n")
                return 1
            accept(head + body[:n - 16], None, nokeys, all_nsid)
            out.flush()


def listen(groups, nokeys, all_nsid):
    """rtnl_listen(): print events until killed."""
    import os
    from pyip import netlink as nl
    t = nl.open_transport(NETLINK_XFRM, groups)
    if all_nsid:
        try:
            t.listen_all_nsid()
        except OSError as e:
            raise IpExit("NETLINK_LISTEN_ALL_NSID: %s\n" % os.strerror(e.errno), 1)
    # ip fflush()es after each event.  pyip reads on while more events are queued (a burst,
    # up to BURST datagrams), prints them together and writes their text once: the same
    # bytes, but under a flood a burst's policies and SAs are printed by the listing's runs
    # and written in a few writes, so the monitor keeps up.
    reader = getattr(t, "event_reader", None)
    if reader is not None and not (opts.json or opts.timestamp or all_nsid):
        return _listen_plain(reader(), nokeys)
    nowait = getattr(t, "recv_event_nowait", None)
    plain = nowait is not None and not (opts.json or opts.timestamp or all_nsid)
    burst = []              # whole single-message datagrams not printed yet (plain only)
    pending = False         # text written to out but not flushed
    while True:
        try:
            if pending or burst:
                got = nowait(all_nsid, len(burst) > 1)
                if got is None:
                    _print_burst(burst, nokeys)
                    out.flush()
                    pending = False
                    continue
                data, nsid = got
            else:
                data, nsid = t.recv_event(all_nsid)
        except InterruptedError:
            continue
        except OSError as e:
            _print_burst(burst, nokeys)
            out.error("netlink receive error %s (%d)\n" % (os.strerror(e.errno), e.errno))
            if e.errno == 105:      # ENOBUFS: events were lost; go on
                continue
            return 2
        if not data:
            _print_burst(burst, nokeys)
            out.error("EOF on netlink\n")
            return 2
        if plain and len(data) >= 16 and HDR.unpack_from(data)[0] == len(data) and \
                not len(data) & 3:
            burst.append(data)
            if len(burst) >= BURST:
                _print_burst(burst, nokeys)
                out.flush()
            continue
        _print_burst(burst, nokeys)
        _accept_datagram(data, nsid, nokeys, all_nsid)
        pending = True
        if nowait is None:
            out.flush()
            pending = False


def _listen_plain(reader, nokeys):
    """listen() for plain text (no -json, -timestamp, all-nsid), the flood's case: a burst's
    datagrams are read back to back into one buffer by the socket's own recv_into() (no
    Python call and no 16 KiB bytes object per datagram: ~40 % of the CPU per event went
    there, bench/monitor.py), then printed as one (_print_events) and written at once.

    A burst takes all the socket has queued before any of it is printed (the buffer has
    room for a full socket's worth): once a socket's queue overflows, the kernel drops
    every event (netlink's congested state) until the queue is empty, so the time to empty
    it decides how many are lost, and a queue emptied at once leaves the socket its whole
    buffer while the burst is printed.  Reading ~1 us an event, printing ~3: printing
    between the reads (64 at a time) lost twice ip's events after an overflow, and
    overflowed more often."""
    import os
    recv_into, poll, room = reader
    by_type = _runs_by_type()
    single = by_type.get if not c.filter.use else {}.get
    write = out.write_flush
    size = EVENT_SIZE
    buf = bytearray(min(room, MAX_ROOM) + size)
    view = memoryview(buf)
    length = U32.unpack_from            # a message's nlmsg_len
    dontwait = MSG_DONTWAIT
    last = len(buf) - size              # a datagram read at most here fits
    first = view[:size]
    quiet = 0                           # events to print alone before the next poll()
    while True:
        off = count = 0
        error = None
        while off <= last:
            try:
                if not count:               # nothing to print: wait for an event
                    n = recv_into(first, size)
                elif count == 1:            # one read: poll() says if another is queued
                    if quiet:
                        quiet -= 1
                        break
                    if not poll(0):
                        quiet = QUIET
                        break
                    n = recv_into(view[off:off + size], size)
                else:                       # a burst: read until the socket is empty
                    n = recv_into(view[off:off + size], size, dontwait)
            except BlockingIOError:
                break
            except InterruptedError:
                continue
            except OSError as e:
                error = e
                break
            if n >= 16 and not n & 3 and length(buf, off)[0] == n:
                off += n                    # one whole message: the burst's
                count += 1
                continue
            # EOF, or a datagram of several messages (or cut short): the burst before it
            # is printed, then it alone, as accept() reads a datagram
            odd = bytes(view[off:off + n])
            _print_events(bytes(view[:off]), count, nokeys, by_type)
            off = count = 0
            if not n:
                out.error("EOF on netlink\n")
                return 2
            _accept_datagram(odd, None, nokeys, False)
            out.flush()
        if count == 1:
            # an event alone (most often, where the monitor keeps up): _print_events()'s
            # first case without its set-up
            msg = bytes(first[:off])
            taken = single(msg[4]) if not msg[5] else None
            text = taken[0].one(msg, taken[1]) if taken is not None else None
            if text:
                write(text)
            else:
                _print_events(msg, 1, nokeys, by_type)
        elif count:
            _print_events(bytes(view[:off]), count, nokeys, by_type)
        if error is not None:
            quiet = 0
            out.error("netlink receive error %s (%d)\n" % (os.strerror(error.errno),
                                                          error.errno))
            if error.errno != 105:      # ENOBUFS: events were lost; go on
                return 2


def _accept_datagram(data, nsid, nokeys, all_nsid):
    """Each message of a datagram, as rtnl_listen() reads them."""
    off = 0
    while len(data) - off >= 16:
        n = HDR.unpack_from(data, off)[0]
        if n < 16 or off + n > len(data):
            raise IpExit(malformed(n), 1)
        accept(data[off:off + n], nsid, nokeys, all_nsid)
        off += (n + 3) & ~3


def _print_burst(burst, nokeys):
    """Print the events of `burst` (datagrams of one whole message each, plain output) and
    empty it."""
    if burst:
        buf = b"".join(burst)
        count = len(burst)
        burst.clear()
        _print_events(buf, count, nokeys)


def _runs_by_type():
    """The runs that print events, by message type: (runs, print mode) for new policies and
    new SAs (none for SAs under -s: their runs print no -s events, which show keys as ip
    does); what the monitor works out once, not per event."""
    sl, oneline = opts.SL, opts.oneline
    by_type = {m.XFRM_MSG_NEWPOLICY: (policy_runs.list_runs,
                                      (sl, oneline, bool(opts.show_stats)))}
    if not opts.show_stats:
        by_type[m.XFRM_MSG_NEWSA] = (sa_runs.list_runs, (sl, oneline, False))
    return by_type


def _print_events(buf, count, nokeys, by_type=None):
    """Print `count` events, whole messages back to back in buf (plain output): new policies
    and SAs by the listing's runs (`by_type`, _runs_by_type()'s; the text accept() gives
    them, as tests/offline/test_fast_paths.py holds), the others one by one by accept().  A
    burst of fewer than SMALL events is printed event by event: an event whose shape and
    key the runs know already by Runs.one(), the others by a run of one message (which
    learns them); a larger burst by runs over the whole buffer.  Its text is written out
    (flushed, as ip fflush()es each event) when it returns."""
    if by_type is None:
        by_type = _runs_by_type()
    use_runs = not c.filter.use
    o = []
    off, end = 0, len(buf)
    if count < SMALL:
        while off < end:
            n = U32.unpack_from(buf, off)[0]
            msg = buf if n == end else buf[off:off + n]
            off += n
            # (a type below 256: maybe a run's)
            taken = by_type.get(msg[4]) if use_runs and not msg[5] else None
            if taken is not None:
                runs, mode = taken
                text = runs.one(msg, mode)
                if text:
                    o.append(text)
                    continue
                if text is None and runs(msg, 0, None, o, mode):
                    continue
            if o:
                out.write("".join(o))
                o.clear()
            accept(msg, None, nokeys, False)
        out.write_flush("".join(o))
        return
    policy_mode = by_type[m.XFRM_MSG_NEWPOLICY][1]
    sa_mode = by_type.get(m.XFRM_MSG_NEWSA, (None, None))[1]
    while off < end:
        if use_runs:
            taken = policy_runs.list_runs(buf, off, None, o, policy_mode)
            if not taken and sa_mode is not None:
                taken = sa_runs.list_runs(buf, off, None, o, sa_mode)
            if taken:
                off += taken
                continue
        if o:
            out.write("".join(o))
            o.clear()
        n = HDR.unpack_from(buf, off)[0]
        accept(buf[off:off + n], None, nokeys, False)
        off += n
    out.write_flush("".join(o))
