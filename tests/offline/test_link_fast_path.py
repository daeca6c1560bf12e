"""`link show`'s fast path prints exactly what print_linkinfo() prints.

A dump's devices of common shapes are read with one unpack and printed from pieces
(pyip/link/listed.py); every other device goes through print_linkinfo(), whose output the
golden tests hold to ip's.  Here random dumps, of devices of the fast path's shapes and of
devices just beside them, are shown both ways in every print mode: any difference is a bug
of the fast path."""
import io
import random
import struct

import pytest

from pyip import links, out
from pyip.link import listed, listing, show
from pyip import ifla as L
from pyip.opts import opts
from tests.offline.test_fast_paths import nlmsg, rta, usually

AF_INET, AF_INET6 = 2, 10


def u32(v):
    return struct.pack("=I", v)


def af_spec(rnd):
    inet = rta(AF_INET, rta(1, bytes(rnd.choice([124, 128]))))
    children = [rta(1, u32(0x80000000)), rta(5, bytes(16)), rta(2, bytes(rnd.choice([232, 236]))),
                rta(3, rnd.randbytes(296)), rta(6, bytes(56)), rta(7, bytes(16))]
    mode = usually(rnd, rta(L.IFLA_INET6_ADDR_GEN_MODE, bytes([rnd.choice([0, 0, 1, 2, 3])])),
                   b"", rta(L.IFLA_INET6_ADDR_GEN_MODE, b""),
                   rta(L.IFLA_INET6_ADDR_GEN_MODE, b"\x07"))
    if rnd.random() < 0.05:
        rnd.shuffle(children)
    inet6 = rta(AF_INET6, b"".join(children) + mode)
    return usually(rnd, inet + inet6, inet6, inet, b"", inet6 + inet, inet + b"\x03\x00")


def linkinfo(rnd):
    kind = rnd.choice([b"veth", b"veth", b"dummy", b"xfrm", b"vti", b"bridge"])
    info = [rta(L.IFLA_INFO_KIND, kind + b"\0")]
    if kind == b"xfrm":
        info.append(rta(L.IFLA_INFO_DATA, rta(1, u32(rnd.choice([0, 1]))) +
                        rta(2, u32(rnd.choice([0, 42])))))
    if kind == b"vti":
        info.append(rta(L.IFLA_INFO_DATA, rta(2, u32(5)) + rta(4, b"\xc0\0\2\1")))
    if rnd.random() < 0.1:
        info.append(rta(L.IFLA_INFO_SLAVE_KIND, b"bridge\0"))
    return b"".join(info)


def device(rnd, index, count, each=None):
    """A random device; with `each` (a Random), what devices alike differ in (flags, the
    link's target, protodown, addresses, mtu, qlen, state, group, counters, message type) is
    drawn from it and the rest from rnd."""
    each = each or rnd
    ltype = usually(rnd, rnd.choice([1, 1, 772]), 768, 769, 776, 65534, 999)
    flags = each.choice([0x1002, 0x1003, 0x11043, 0x8, 0x49, 0x1091, 0x90, 0x1, 0x41])
    name = usually(rnd, b"d%d" % index, b"bad name", b"x" * 16, ("\u00e9%d" % index).encode())
    attrs = [(L.IFLA_IFNAME, name + b"\0"),
             (L.IFLA_TXQLEN, u32(each.choice([1000, 0, 10, 2 ** 32 - 1]))),
             (L.IFLA_OPERSTATE, bytes([usually(each, each.choice([2, 6, 0]), 1, 3, 5, 7, 9)])),
             (L.IFLA_LINKMODE, bytes([usually(rnd, 0, 1, 2)])),
             (L.IFLA_MTU, u32(each.choice([1500, 65536, 1400, 2 ** 32 - 1]))),
             (L.IFLA_MIN_MTU, u32(68)), (L.IFLA_MAX_MTU, u32(rnd.choice([65535, 0]))),
             (L.IFLA_GROUP, u32(usually(each, 0, 7, 255))),
             (L.IFLA_PROMISCUITY, u32(usually(each, 0, 1))), (L.IFLA_ALLMULTI, u32(0)),
             (L.IFLA_NUM_TX_QUEUES, u32(rnd.choice([1, 2]))), (L.IFLA_NUM_RX_QUEUES, u32(1)),
             (L.IFLA_GSO_MAX_SEGS, u32(65535)), (L.IFLA_GSO_MAX_SIZE, u32(65536)),
             (L.IFLA_GRO_MAX_SIZE, u32(65536)), (L.IFLA_TSO_MAX_SIZE, u32(524280)),
             (L.IFLA_TSO_MAX_SEGS, u32(65535)), (L.IFLA_CARRIER, b"\1"),
             (L.IFLA_CARRIER_CHANGES, u32(each.randrange(5))),
             (L.IFLA_PROTO_DOWN, usually(each, b"\0", b"\1", b"")),
             (L.IFLA_STATS64, usually(rnd, bytes(200), each.randbytes(200), bytes(192))),
             (L.IFLA_STATS, usually(rnd, bytes(96), rnd.randbytes(96))),
             (L.IFLA_XDP, rta(2, bytes([usually(rnd, 0, 1, 2)]))),
             (L.IFLA_QDISC, usually(rnd, b"noop\0", b"noqueue\0", b"fq_codel\0")),
             (L.IFLA_AF_SPEC, af_spec(rnd)), (99, rnd.randbytes(rnd.randrange(9)))]
    hw = {768: 4, 776: 4, 769: 16}.get(ltype, 6)
    if rnd.random() < 0.95:
        attrs.append((L.IFLA_ADDRESS, usually(rnd, each.randbytes(hw), b"", each.randbytes(3))))
    if rnd.random() < 0.9:
        attrs.append((L.IFLA_BROADCAST, usually(rnd, b"\xff" * hw, bytes(hw))))
    if rnd.random() < 0.2:
        attrs.append((L.IFLA_PERM_ADDRESS, each.choice([attrs[-1][1], each.randbytes(hw)])))
    if rnd.random() < 0.6:
        attrs.append((L.IFLA_LINK, u32(usually(each, each.randrange(count + 1), 99999))))
    if rnd.random() < 0.8:
        attrs.append((L.IFLA_LINKINFO, linkinfo(rnd)))
    for type_, payload in ((L.IFLA_MASTER, u32(rnd.randrange(1, count + 1))),
                           (L.IFLA_EVENT, u32(rnd.choice([0, 2, 40]))),
                           (L.IFLA_LINK_NETNSID, struct.pack("=i", rnd.choice([0, -1]))),
                           (L.IFLA_IFALIAS, b"an alias\0"),
                           (L.IFLA_PROP_LIST, rta(L.IFLA_ALT_IFNAME, b"alt%d\0" % index)),
                           (L.IFLA_PROTO_DOWN_REASON, rta(2, u32(5))),
                           (L.IFLA_PHYS_PORT_NAME, b"p0\0"), (L.IFLA_LINK, u32(0))):
        if rnd.random() < 0.03:
            attrs.append((type_, payload))
    for type_ in (L.IFLA_IFNAME, L.IFLA_STATS64, L.IFLA_CARRIER_CHANGES):
        if rnd.random() < 0.03:
            attrs = [a for a in attrs if a[0] != type_]
    if rnd.random() < 0.1:
        rnd.shuffle(attrs)
    body = struct.pack("=BxHiII", 0, ltype, index, flags, 0) + b"".join(
        rta(t | (0x8000 if t == 99 and rnd.random() < 0.5 else 0), v) for t, v in attrs)
    mtype = usually(each, L.RTM_NEWLINK, L.RTM_DELLINK)
    return nlmsg(mtype, body)


@pytest.fixture
def shown(monkeypatch):
    """show(argv) over a given dump: (stdout, stderr) bytes; fast=False keeps every device
    on print_linkinfo()."""
    saved = [getattr(opts, k) for k in opts.__slots__]
    monkeypatch.setattr(links, "_link_get", lambda name, index: 0)
    taken = []
    print_device, usable = listed.print_device, listed.usable
    monkeypatch.setattr(listed, "print_device", lambda *a: taken.append(1) or print_device(*a))

    def run(dump, fast, argv=()):
        links.reset()
        monkeypatch.setattr(listing, "_dump", lambda h, f: list(dump))
        monkeypatch.setattr(listed, "usable", usable if fast else lambda f, p: False)
        o, e = io.BytesIO(), io.BytesIO()
        monkeypatch.setattr(out, "_out", o)
        monkeypatch.setattr(out, "_err", e)
        listing.show(list(argv))
        return o.getvalue(), e.getvalue()

    run.taken = taken
    yield run
    for k, v in zip(opts.__slots__, saved):
        setattr(opts, k, v)


MODES = {"plain": {}, "d": {"show_details": 1}, "j": {"json": 1},
         "d-j": {"show_details": 1, "json": 1}, "o": {"oneline": 1, "SL": "\\"},
         "d-o": {"show_details": 1, "oneline": 1, "SL": "\\"},
         "n-d": {"numeric": 1, "show_details": 1}, "j-p": {"json": 1, "pretty": 1},
         "s": {"show_stats": 1}, "s-s-o": {"show_stats": 2, "oneline": 1, "SL": "\\"},
         "d-s-j": {"show_details": 1, "show_stats": 1, "json": 1}}


@pytest.mark.parametrize("mode", list(MODES))
def test_link_show_fast_path_prints_as_print_linkinfo(shown, mode):
    for k, v in MODES[mode].items():
        setattr(opts, k, v)
    rnd = random.Random(mode)
    devices = 0
    for _ in range(60):
        count = rnd.randrange(1, 40)
        dump = [device(rnd, i, count) for i in range(1, count + 1)]
        devices += count
        assert shown(dump, True) == shown(dump, False), [m.hex() for m in dump]
    if mode == "j-p":
        assert not shown.taken
    else:
        assert devices / 5 < len(shown.taken) < devices * 4 / 5, (len(shown.taken), devices)


@pytest.mark.parametrize("mode", sorted(MODES))
def test_devices_alike_print_as_print_linkinfo(shown, mode):
    """Dumps of devices of a few kinds, alike but for what device() draws from `each`:
    where the fast path keeps a format per kind of device, each of those must still be told
    apart."""
    for k, v in MODES[mode].items():
        setattr(opts, k, v)
    rnd = random.Random(mode + "alike")
    for _ in range(30):
        count = rnd.randrange(5, 40)
        kinds = [rnd.randrange(10 ** 9) for _ in range(rnd.randint(1, 3))]
        dump = [device(random.Random(rnd.choice(kinds)), i, count, rnd)
                for i in range(1, count + 1)]
        assert shown(dump, True) == shown(dump, False), [m.hex() for m in dump]


def test_a_filtered_show_stays_on_print_linkinfo(shown):
    rnd = random.Random(7)
    dump = [device(rnd, i, 9) for i in range(1, 10)]
    assert shown(dump, True, ["up"]) == shown(dump, False, ["up"])
    assert not shown.taken


def test_a_dump_that_repeats_an_index_is_noted_device_by_device():
    """ip notes each answer in turn (a renamed index loses its old name); runs read at once
    only where that gives the same tables."""
    dump = [device(random.Random(0), i, 4, random.Random(i)) for i in (1, 2, 2, 3)]
    dump[2] = dump[2].replace(b"d2\0", b"e2\0")
    listed.usable(listing.parse([])[0], show.Printer())
    tables = []
    for way in ("runs", "one by one"):
        links.reset()
        items = []
        if way == "runs":
            assert listed.read(dump, 0, items, set()) == 4
        else:
            for i in range(len(dump)):
                assert listed.read(dump[i:i + 1], 0, items, set()) == 1
        tables.append((dict(links._by_name), dict(links._by_index), dict(links._flags)))
    assert tables[0] == tables[1]
    assert "e2" in tables[0][0] and "d2" not in tables[0][0]
