"""`link show` of a dump prints each device as soon as its text is known (pyip/link/dumped.py),
and that text is what ip's way gives: every answer of the dump remembered first, then each
device printed (ipaddr_list_flush_or_save()'s store_nlmsg(), then print_linkinfo()).

The golden cases hold print_linkinfo() to ip's own output; here random dumps whose devices
name devices later in the dump, earlier, or not in it at all (links, masters, a vti's lower
device under -d) are shown the streaming way, fast path on and off, and ip's way, in every
print mode: same text, same kernel questions in the same order."""
import io
import random
import struct

import pytest

from pyip import links, out
from pyip import netlink as nl
from pyip.link import dumped, listed, listing, show
from pyip import ifla as L
from pyip.opts import opts
from tests.offline.test_fast_paths import nlmsg, rta
from tests.offline.test_link_fast_path import MODES, device

MODES = dict(MODES, br={"brief": 1}, **{"br-j": {"brief": 1, "json": 1}})


def u32(v):
    return struct.pack("=I", v)


def ip_way(p, f, msgs):
    """ip's order of work: the whole dump kept and remembered, then printed."""
    msgs = list(msgs)
    for msg in msgs:
        if msg[4] == L.RTM_NEWLINK and msg[5] == 0 and len(msg) >= 32:
            links.remember(msg)
    d = dumped.Dumped(p, f)
    for msg in msgs:
        d.print((msg, None, nl.link_attrs(msg, 32), None, ()))


def vti(index, lower, count):
    """A vti device whose options name its lower device (-d prints "dev NAME")."""
    data = rta(2, u32(5)) + rta(4, b"\xc0\0\2\1") + rta(1, u32(lower))
    info = rta(L.IFLA_INFO_KIND, b"vti\0") + rta(L.IFLA_INFO_DATA, data)
    body = struct.pack("=BxHiII", 0, 768, index, 0x91, 0) + rta(L.IFLA_IFNAME, b"t%d\0" % index) \
        + rta(L.IFLA_MTU, u32(1480)) + rta(L.IFLA_LINK, u32(0)) + rta(L.IFLA_LINKINFO, info)
    return nlmsg(L.RTM_NEWLINK, body)


@pytest.fixture
def shown(monkeypatch):
    """show(argv) over a given dump, one of three ways: (stdout, stderr, the devices asked
    of the kernel in turn)."""
    saved = [getattr(opts, k) for k in opts.__slots__]
    asked = []
    monkeypatch.setattr(links, "_link_get", lambda name, index: asked.append(index) or 0)
    import _socket
    monkeypatch.setattr(_socket, "if_indextoname", lambda i: (_ for _ in ()).throw(OSError()))
    stream, usable = dumped.show, listed.usable

    def run(dump, way, argv=()):
        links.reset()
        asked.clear()
        monkeypatch.setattr(listing, "_dump", lambda h, f: iter(dump))
        monkeypatch.setattr(dumped, "show", ip_way if way == "ip" else stream)
        monkeypatch.setattr(listed, "usable", usable if way == "fast" else lambda f, p: False)
        o, e = io.BytesIO(), io.BytesIO()
        monkeypatch.setattr(out, "_out", o)
        monkeypatch.setattr(out, "_err", e)
        listing.show(list(argv))
        return o.getvalue(), e.getvalue(), list(asked)

    yield run
    for k, v in zip(opts.__slots__, saved):
        setattr(opts, k, v)


@pytest.mark.parametrize("mode", sorted(MODES))
def test_a_streamed_dump_prints_what_ip_prints_having_kept_it_whole(shown, mode, monkeypatch):
    for k, v in MODES[mode].items():
        setattr(opts, k, v)
    rnd = random.Random("stream" + mode)
    for _ in range(40):
        count = rnd.randrange(1, 60)
        dump = [device(rnd, i, count) for i in range(1, count + 1)]
        for _ in range(rnd.randrange(3)):
            at = rnd.randrange(len(dump) + 1)
            dump.insert(at, vti(count + at + 1, rnd.randrange(count + 5), count))
        rnd.shuffle(dump) if rnd.random() < 0.3 else None
        # messages are read a slice at a time: devices named across slices must wait
        monkeypatch.setattr(dumped, "SLICE", rnd.choice([1, 2, 5, 256]))
        want = shown(dump, "ip")
        assert shown(dump, "fast") == want, [m.hex() for m in dump]
        assert shown(dump, "general") == want, [m.hex() for m in dump]


def test_a_filtered_streamed_dump_prints_what_ip_prints(shown, monkeypatch):
    monkeypatch.setattr(dumped, "SLICE", 3)
    rnd = random.Random(11)
    dump = [device(rnd, i, 30) for i in range(1, 31)]
    for argv in (["up"], ["type", "veth"], ["type", "bridge_slave"], ["group", "7"]):
        assert shown(dump, "fast", argv) == shown(dump, "ip", argv), argv


def veth_pairs(n):
    """n devices, pairs naming each other, the first of each pair naming a later device."""
    dump = []
    for i in range(1, n + 1):
        peer = i + 1 if i % 2 else i - 1
        body = struct.pack("=BxHiII", 0, 1, i, 0x1002, 0) + \
            rta(L.IFLA_IFNAME, b"v%d\0" % i) + rta(L.IFLA_MTU, u32(1500)) + \
            rta(L.IFLA_LINK, u32(peer)) + rta(L.IFLA_ADDRESS, bytes(5) + bytes([i % 256])) + \
            rta(L.IFLA_STATS64, bytes(200))
        dump.append(nlmsg(L.RTM_NEWLINK, body))
    return dump


@pytest.mark.parametrize("fast", [True, False])
def test_a_device_is_printed_before_the_dump_ends(monkeypatch, fast):
    """Memory stays bounded: a device is out (in the stdout writer) long before the dump's
    last answer is read, and only the devices waiting for a peer are held."""
    saved = [getattr(opts, k) for k in opts.__slots__]
    links.reset()
    o = io.BytesIO()
    monkeypatch.setattr(out, "_out", o)
    monkeypatch.setattr(links, "_link_get", lambda name, index: 0)
    monkeypatch.setattr(dumped, "SLICE", 1)        # each pair's first half waits
    if not fast:
        monkeypatch.setattr(listed, "usable", lambda f, p: False)
    most = []
    real_read = dumped.Dumped.read

    def read(d, msgs):
        real_read(d, msgs)
        most.append(len(d.waiting))

    monkeypatch.setattr(dumped.Dumped, "read", read)
    dump = veth_pairs(5000)
    printed_at = []

    def answers(h, f):
        for i, msg in enumerate(dump):
            if i % 1000 == 999:
                printed_at.append(len(o.getvalue()))
            yield msg

    monkeypatch.setattr(listing, "_dump", answers)
    try:
        listing.show([])
    finally:
        for k, v in zip(opts.__slots__, saved):
            setattr(opts, k, v)
    text = o.getvalue()
    assert text.count(b"\n") == 2 * 5000
    assert b"v1@v2: " in text and b"v2@v1: " in text and b"v5000@v4999: " in text
    assert 0 < printed_at[0] < printed_at[1] < printed_at[-1] < len(text)
    assert max(most) <= 1, most


def test_a_device_naming_one_the_dump_lacks_is_printed_at_the_end(shown, monkeypatch):
    """ip asks the kernel about a device its dump did not list only when it prints: after
    the whole dump, in print order."""
    dump = veth_pairs(6)
    body = bytearray(dump[1])
    at = body.index(rta(L.IFLA_LINK, u32(1)))
    body[at:at + 8] = rta(L.IFLA_LINK, u32(77))
    dump[1] = bytes(body)
    monkeypatch.setattr(dumped, "SLICE", 1)
    o, e, asked = shown(dump, "fast")
    assert asked == [77]
    assert o.split(b"\n")[2].startswith(b"2: v2@if77: ")
    assert (o, e, asked) == shown(dump, "ip")
