"""Listing's fast paths print exactly what the general printers print.

`xfrm policy list` and `xfrm state list` read the objects of common shapes with one unpack
(policy.print_listed, sa.print_listed); every other message goes through print_policy_msg /
print_sa_msg, whose output the golden tests hold to ip's.
Here random messages, of the fast path's shapes and of shapes just beside them, go through
both, in every print mode: any difference is a bug of the fast path."""
import collections
import io
import random
import struct

import pytest

from pyip import out
from pyip.opts import opts
from pyip.xfrm import msgs as m
from pyip.xfrm import policy_print as policy, policy_runs, sa, sa_runs

AF_INET, AF_INET6 = 2, 10


def rta(type_, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n, type_) + payload + bytes(-n % 4)


def usually(rnd, common, *others):
    """`common` nine times in ten (usually.rate), else one of the others: most messages take
    the fast path, each of the others tries one way off it."""
    return common if rnd.random() < usually.rate else rnd.choice(others)


usually.rate = 0.9


def address(rnd, family):
    if family == AF_INET6:
        return rnd.choice([bytes(16), bytes(15) + b"\1", rnd.randbytes(16)])
    return rnd.choice([bytes(4), b"\xc0\0\2\1", rnd.randbytes(4)]) + bytes(12)


def selector(rnd, zero_too=False):
    family = usually(rnd, rnd.choice([AF_INET, AF_INET6]), 0, 17)
    proto = usually(rnd, 0, 6, 17, 1, 47, 135, 58)
    masks = usually(rnd, (0, 0), (0xffff, 0), (0, 0xffff), (0xffff, 0xffff))
    if zero_too and rnd.random() < 0.5:
        return bytes(56) if rnd.random() < 0.9 else bytes(45) + b"\1" + bytes(10)   # the pad
    return struct.pack("=16s16sHHHHHBBB3xiI", address(rnd, family), address(rnd, family),
                       rnd.randrange(65536), masks[1], rnd.randrange(65536), masks[0], family,
                       rnd.randrange(129), rnd.randrange(129), proto,
                       usually(rnd, 0, 1, -1), rnd.choice([0, 0, 1000]))


def userpolicy_info(rnd):
    lifetimes = struct.pack("=8Q4Q", *[rnd.choice([0, 5, m.XFRM_INF]) for _ in range(12)])
    tail = struct.pack("=IIBBBB4x", rnd.randrange(2 ** 32), rnd.randrange(2 ** 32),
                       usually(rnd, rnd.choice([0, 1, 2]), 3, 4, 5, 7),
                       usually(rnd, rnd.choice([0, 1]), 2), usually(rnd, 0, 1, 2, 3, 8),
                       rnd.choice([0, 0, 1, 5]))
    return selector(rnd) + lifetimes + tail


def tmpl(rnd):
    family = usually(rnd, rnd.choice([AF_INET, AF_INET6]), 0)
    return struct.pack("=16s4sB3xH2x16sIBBBxIII", address(rnd, family),
                       rnd.choice([bytes(4), b"\0\0\1\0", rnd.randbytes(4)]),
                       rnd.choice([50, 50, 51, 108, 43, 9]), family, address(rnd, family),
                       rnd.randrange(2 ** 32), rnd.choice([0, 1, 1, 4, 9]), rnd.choice([0, 3, 7]),
                       usually(rnd, rnd.choice([0, 1]), 2), *[rnd.choice([0, 0xffffffff, 5])
                                                       for _ in range(3)])


def attributes(rnd):
    out = []
    if rnd.random() < 0.97:
        out.append(rta(m.XFRMA_TMPL, b"".join(tmpl(rnd) for _ in range(usually(rnd, 1, 0, 2)))))
    if rnd.random() < 0.7:
        out.append(rta(m.XFRMA_POLICY_TYPE, struct.pack("=B5x", rnd.choice([0, 0, 1, 4]))))
    if rnd.random() < 0.3:
        out.append(rta(m.XFRMA_MARK, struct.pack("=II", rnd.choice([0, 5]),
                                                 rnd.choice([0, 0xffffffff]))))
    if rnd.random() < 0.3:
        out.append(rta(m.XFRMA_IF_ID, struct.pack("=I", rnd.choice([0, 1, 42]))))
    if rnd.random() < 0.03:
        out.append(rta(m.XFRMA_SEC_CTX, struct.pack("=HHBBH", 12, 8, 1, 1, 3) + b"ab\0\0"))
    if rnd.random() < 0.03:
        out.append(rta(m.XFRMA_MARK, b"\1\2\3"))           # short: ip reads what is there
    return repeated_or_shuffled(rnd, out)


def repeated_or_shuffled(rnd, out):
    """The attributes, now and then with the first repeated (ip keeps the first one) or all
    in another order."""
    if rnd.random() < 0.03 and out:
        out.append(out[0])
    rnd.shuffle(out) if rnd.random() < 0.1 else None
    return b"".join(out)


def nlmsg(mtype, body):
    """A dumped message: nlmsghdr (NLM_F_MULTI, seq 1) and body."""
    return struct.pack("=IHHII", 16 + len(body), mtype, 2, 1, 0) + body


def message(rnd):
    body = userpolicy_info(rnd) + attributes(rnd)
    return nlmsg(usually(rnd, m.XFRM_MSG_NEWPOLICY, m.XFRM_MSG_UPDPOLICY,
                         m.XFRM_MSG_DELPOLICY), body)


def algo(rnd, extra, kind=None):
    kind = kind or rnd
    key = rnd.randbytes(kind.choice([0, 16, 20, 32]))
    bits = usually(rnd, len(key) * 8, len(key) * 8 + 8, len(key) * 8 + 40, 7, len(key) * 4)
    name = kind.choice([b"cbc(aes)", b"hmac(sha256)", b"rfc4106(gcm(aes))", b"x" * 64])
    return struct.pack("=64sI", name, bits) + (struct.pack("=i", rnd.choice([96, 128, -1]))
                                               if extra else b"") + key


def usersa_info(rnd):
    family = usually(rnd, rnd.choice([AF_INET, AF_INET6]), 0, 17)
    return (selector(rnd, zero_too=True)
            + struct.pack("=16s4sB3x16s", address(rnd, family),
                          usually(rnd, rnd.randbytes(4), bytes(4)),
                          usually(rnd, rnd.choice([50, 51, 108]), 43, 255, 0),
                          address(rnd, family))
            + struct.pack("=8Q4QIII", *[rnd.choice([0, 5, m.XFRM_INF]) for _ in range(8)],
                          *[rnd.choice([0, 7, 1700000000]) for _ in range(4)],
                          *[rnd.choice([0, 3]) for _ in range(3)])
            + struct.pack("=IIHBBB7x", rnd.randrange(2 ** 32), rnd.randrange(2 ** 32), family,
                          usually(rnd, rnd.choice([0, 1, 4]), 2, 3, 9), rnd.choice([0, 32, 255]),
                          usually(rnd, 0, 1, 32, 128, 255)))


def sa_attributes(rnd, kind=None):
    """An SA's attributes; `kind` (a Random) draws which ones and of what size, where that
    should repeat among messages."""
    kind = kind or rnd
    out = []
    for type_, extra in ((m.XFRMA_ALG_AUTH, False), (m.XFRMA_ALG_AUTH_TRUNC, True),
                         (m.XFRMA_ALG_AEAD, True), (m.XFRMA_ALG_CRYPT, False),
                         (m.XFRMA_ALG_COMP, False)):
        if kind.random() < 0.4:
            out.append(rta(type_, algo(rnd, extra, kind)))
    if kind.random() < 0.9:
        out.append(rta(m.XFRMA_REPLAY_VAL, struct.pack("=III", *[rnd.choice([0, 5, 2 ** 32 - 1])
                                                                  for _ in range(3)])))
    for type_, payload in ((m.XFRMA_MARK, struct.pack("=II", 5, 0xffffffff)),
                           (m.XFRMA_IF_ID, struct.pack("=I", 42)),
                           (m.XFRMA_LASTUSED, struct.pack("=Q", rnd.choice([0, 1700000000])))):
        if kind.random() < 0.3:
            out.append(rta(type_, payload))
    for type_, payload in ((m.XFRMA_ENCAP, struct.pack("=HHH2x16s", 2, 4500, 4500, bytes(16))),
                           (m.XFRMA_SA_EXTRA_FLAGS, struct.pack("=I", 1)),
                           (m.XFRMA_MARK, b"\1\2"), (m.XFRMA_ALG_CRYPT, b"short")):
        if rnd.random() < 0.02:
            out.append(rta(type_, payload))
    return repeated_or_shuffled(rnd, out)


def sa_message(rnd, kind=None):
    body = usersa_info(rnd) + sa_attributes(rnd, kind)
    return nlmsg(usually(rnd, m.XFRM_MSG_NEWSA, m.XFRM_MSG_UPDSA, m.XFRM_MSG_EXPIRE), body)


@pytest.fixture
def print_mode():
    saved = opts.show_stats, opts.oneline, opts.SL
    yield
    opts.show_stats, opts.oneline, opts.SL = saved


def same_as_general_printer(monkeypatch, module, general_name, fast, make, seed, *extra):
    """Random messages through the fast printer and the general one: the same status, text
    and error lines for each; and both ways taken, often."""
    general = getattr(module, general_name)
    passed_on = []
    monkeypatch.setattr(module, general_name,
                        lambda msg, o, *a: passed_on.append(msg) or general(msg, o, *a))
    err = io.BytesIO()
    monkeypatch.setattr(out, "_err", err)

    def printed(printer, msg):
        o = []
        status = printer(msg, o, *extra)
        errors = err.getvalue()
        err.seek(0)
        err.truncate()
        return status, "".join(o), errors

    rnd = random.Random(seed)
    n = 4000
    for i in range(n):
        msg = make(rnd)
        assert printed(fast, msg) == printed(general, msg), msg.hex()
    assert n / 5 < n - len(passed_on) < n * 4 / 5, n - len(passed_on)


@pytest.mark.parametrize("stats", [0, 1, 2])
@pytest.mark.parametrize("oneline", [0, 1])
def test_policy_list_fast_path_prints_as_the_general_printer(print_mode, monkeypatch, stats,
                                                             oneline):
    opts.show_stats, opts.oneline, opts.SL = stats, oneline, "\\" if oneline else "\n"
    same_as_general_printer(monkeypatch, policy, "print_policy_msg", policy.print_listed,
                            message, stats * 2 + oneline)


@pytest.mark.parametrize("stats", [0, 1, 2])
@pytest.mark.parametrize("oneline", [0, 1])
@pytest.mark.parametrize("nokeys", [False, True])
def test_state_list_fast_path_prints_as_the_general_printer(print_mode, monkeypatch, stats,
                                                            oneline, nokeys):
    opts.show_stats, opts.oneline, opts.SL = stats, oneline, "\\" if oneline else "\n"
    same_as_general_printer(monkeypatch, sa, "print_sa_msg", sa.print_listed, sa_message,
                            stats * 4 + oneline * 2 + nokeys, nokeys)


# ---- runs: a dump's buffers, many messages of one shape printed at once (runs.py) ----------

class Buffers:
    """The transport of a Netlink whose dump answers with the given datagrams."""

    def __init__(self, bufs):
        self.bufs = list(bufs)

    def send(self, data):
        pass

    def recv(self):
        return self.bufs.pop(0)


def dump_text(monkeypatch, module, bufs, print_msg, runs, *extra, mode=None):
    """What print_dump() writes (stdout, stderr) for a dump answered by `bufs`."""
    from pyip.errors import IpExit
    from pyip.netlink import Netlink
    from pyip.xfrm import common
    nl = object.__new__(Netlink)
    nl.t, nl.seq = Buffers(bufs), 0           # the dump's seq becomes 1, as nlmsg() makes
    so, se = io.BytesIO(), io.BytesIO()
    monkeypatch.setattr(out, "_out", so)
    monkeypatch.setattr(out, "_err", se)
    with pytest.raises(IpExit) as e:
        common.print_dump(nl, 0, b"", print_msg, *extra, runs=runs, mode=mode)
    return e.value.code, so.getvalue(), se.getvalue()


def shape_key(shape):
    return None if shape is None else (shape.st.size, shape.expect)


def run_dump(rnd, make, shapes, families, interleaved=False):
    """Datagrams of a dump: random messages, sorted so that many of one shape and families
    (the bytes `families` picks) come in a row, with a few others between (`interleaved`:
    not sorted, each message's shape most often another than the last's), now and then one
    of another seq, type or flags, cut into datagrams at random message boundaries,
    NLMSG_DONE last."""
    msgs = [make(rnd) for _ in range(rnd.choice([5, 60, 300]))]
    sig = {}
    # a shape by its length and heads, not by id(): the Shape objects a full cache lets go
    # are freed, and a new one may take an old one's id (the order would vary by process)
    if not interleaved:
        msgs.sort(key=lambda msg: sig.setdefault((shape_key(shapes.of(msg)), families(msg)),
                                                 rnd.random())
                  + rnd.random() * 0.02)
    for i in rnd.sample(range(len(msgs)), len(msgs) // 30):
        head = list(struct.unpack_from("=IHHII", msgs[i]))
        which = rnd.randrange(4)
        if which == 0:
            head[3] = 7                             # another request's: skipped
        elif which == 1:
            head[2] |= 0x10                         # NLM_F_DUMP_INTR
        elif which == 2:
            head[1] = m.XFRM_MSG_DELPOLICY if head[1] == m.XFRM_MSG_NEWPOLICY else m.XFRM_MSG_DELSA
        else:
            head[4] = 99                            # another port id
        msgs[i] = struct.pack("=IHHII", *head) + msgs[i][16:]
    msgs = [msg + bytes(-len(msg) % 4) for msg in msgs]
    msgs.append(struct.pack("=IHHIIi", 20, 3, 2, 1, 0, 0))
    bufs, cut = [], 0
    while cut < len(msgs):
        k = rnd.randint(1, 150)
        bufs.append(b"".join(msgs[cut:cut + k]))
        cut += k
    return bufs


def same_runs_as_general_printer(monkeypatch, module, general, runs, make, families, seed,
                                 *extra, mode=None, interleaved=False):
    """Random dumps through runs (and the fast path, for what runs do not take) and through
    the general printer alone: the same stdout, stderr and status; runs taken, often."""
    monkeypatch.setattr(usually, "rate", 0.99)     # runs end at the first message off them
    # the shapes of earlier tests' dumps filled the runs' table (it keeps 512)
    monkeypatch.setattr(runs, "batches", {})
    taken = []
    real_call = type(runs).__call__
    monkeypatch.setattr(type(runs), "__call__", lambda self, *a: taken.append(
        real_call(self, *a)) or taken[-1])
    rnd = random.Random(seed)
    for _ in range(60):
        bufs = run_dump(rnd, make, module.SHAPES, families, interleaved)
        with_runs = dump_text(monkeypatch, module, bufs, module.print_listed, runs, *extra,
                              mode=mode)
        general_only = dump_text(monkeypatch, module, bufs, getattr(module, general), None,
                                 *extra)
        assert with_runs == general_only, [b.hex() for b in bufs]
    assert sum(1 for t in taken if t) > 40, taken


@pytest.mark.parametrize("oneline", [0, 1])
@pytest.mark.parametrize("stats", [0, 1, 2])
def test_policy_list_runs_print_as_the_general_printer(print_mode, monkeypatch, oneline, stats):
    opts.show_stats, opts.oneline, opts.SL = stats, oneline, "\\" if oneline else "\n"
    same_runs_as_general_printer(monkeypatch, policy, "print_policy_msg", policy_runs.list_runs,
                                 message,
                                 lambda msg: msg[56:58] + msg[212:214], oneline + 10 * stats,
                                 mode=(opts.SL, opts.oneline, bool(stats)))


@pytest.mark.parametrize("oneline", [0, 1])
@pytest.mark.parametrize("nokeys", [False, True])
def test_state_list_runs_print_as_the_general_printer(print_mode, monkeypatch, oneline, nokeys):
    opts.show_stats, opts.oneline, opts.SL = 0, oneline, "\\" if oneline else "\n"
    same_runs_as_general_printer(monkeypatch, sa, "print_sa_msg", sa_runs.list_runs,
                                 lambda rnd: sa_message(rnd, random.Random(rnd.randrange(4))),
                                 lambda msg: msg[16 + 212:16 + 214], oneline * 2 + nokeys, nokeys,
                                 mode=(opts.SL, opts.oneline, nokeys))


# ---- every shape of bench/shapes.py, through runs and the general printer -------------------

def bench_selector(rnd, family, kind):
    """A selector of one of bench/shapes.py's shapes: addresses, then the protocol and ports
    (ports, ICMP type/code, a protocol alone) or none."""
    proto, smask, dmask = 0, 0, 0
    if kind == "ports":
        proto = rnd.choice([6, 17, 132, 33])
        smask, dmask = rnd.choice([(0xffff, 0xffff), (0xffff, 0), (0, 0xffff)])
    elif kind == "icmp":
        proto = 1 if family == AF_INET else 58
        smask, dmask = rnd.choice([(0xffff, 0xffff), (0xffff, 0), (0, 0xffff)])
    elif kind == "proto":
        proto = rnd.choice([6, 17, 50, 47, 135])
    elif kind == "mh":
        proto, smask = 135, 0xffff
    return struct.pack("=16s16sHHHHHBBB3xiI", address(rnd, family), address(rnd, family),
                       rnd.randrange(65536), dmask, rnd.randrange(65536), smask, family,
                       rnd.randrange(33 if family == AF_INET else 129),
                       rnd.randrange(33 if family == AF_INET else 129), proto, 0,
                       rnd.choice([0, 0, 1000]))


def bench_policy(rnd, kind=None):
    """A dumped policy in one of bench/shapes.py's shapes (which `kind`, a Random, draws):
    0-3 templates, ports / ICMP / a protocol, marks, if_id, IPv6, ptype sub, action block,
    policy flags, levels."""
    kind = kind or rnd
    family = kind.choice([AF_INET, AF_INET6])
    upspec = kind.choice(["none", "none", "ports", "icmp", "proto", "mh"])
    lifetimes = struct.pack("=8Q4Q", *[rnd.choice([0, 5, m.XFRM_INF]) for _ in range(12)])
    tail = struct.pack("=IIBBBB4x", rnd.randrange(2 ** 32), rnd.randrange(2 ** 32),
                       kind.choice([0, 1, 2]), kind.choice([0, 0, 1]),
                       kind.choice([0, 0, 0, 1, 2, 3]), rnd.choice([0, 0, 1]))
    attrs = []
    ntmpl = kind.choice([0, 1, 1, 2, 3])
    if ntmpl:
        t_family = kind.choice([family, family, AF_INET, AF_INET6])
        tmpls = []
        for _ in range(ntmpl):
            tmpls.append(struct.pack(
                "=16s4sB3xH2x16sIBBBxIII", address(rnd, t_family),
                rnd.choice([bytes(4), b"\0\0\1\0"]), kind.choice([50, 51, 108]), t_family,
                address(rnd, t_family), rnd.randrange(2 ** 32), kind.choice([0, 1]), 0,
                kind.choice([0, 0, 1]), *[rnd.choice([0, 0xffffffff]) for _ in range(3)]))
        attrs.append(rta(m.XFRMA_TMPL, b"".join(tmpls)))
    attrs.append(rta(m.XFRMA_POLICY_TYPE, struct.pack("=B5x", kind.choice([0, 0, 1]))))
    if kind.random() < 0.3:
        attrs.append(rta(m.XFRMA_MARK, struct.pack("=II", rnd.randrange(2 ** 16), 0xffff)))
    if kind.random() < 0.3:
        attrs.append(rta(m.XFRMA_IF_ID, struct.pack("=I", rnd.randrange(1, 1000))))
    return nlmsg(m.XFRM_MSG_NEWPOLICY, bench_selector(rnd, family, upspec) + lifetimes + tail
                 + b"".join(attrs))


def bench_sa(rnd, kind=None):
    """A larval SA as allocspi makes them (bench/shapes.py): esp, ah or comp, IPv4 or IPv6,
    reqid and mode, a mark, the replay state, the host selector."""
    kind = kind or rnd
    family = kind.choice([AF_INET, AF_INET6])
    saddr, daddr = address(rnd, family), address(rnd, family)
    plen = 32 if family == AF_INET else 128
    sel = struct.pack("=16s16sHHHHHBBB3xiI", daddr, saddr, 0, 0, 0, 0, family, plen, plen, 0,
                      0, 0)
    info = (sel + struct.pack("=16s4sB3x16s", daddr, rnd.randbytes(4),
                              kind.choice([50, 51, 108]), saddr)
            + struct.pack("=8Q4QIII", *[m.XFRM_INF] * 4, 0, 0, 30, 0, 0, 0,
                          rnd.choice([0, 1700000000]), 0, 0, 0, 0)
            + struct.pack("=IIHBBB7x", 0, rnd.randrange(2 ** 32), family, kind.choice([0, 1]),
                          0, 0))
    attrs = [rta(m.XFRMA_REPLAY_VAL, bytes(12))]
    if kind.random() < 0.3:
        attrs.insert(0, rta(m.XFRMA_MARK, struct.pack("=II", rnd.randrange(2 ** 16), 0xffff)))
    return nlmsg(m.XFRM_MSG_NEWSA, info + b"".join(attrs))


@pytest.mark.parametrize("oneline", [0, 1])
@pytest.mark.parametrize("stats", [0, 1, 2])
def test_policy_list_runs_print_every_bench_shape_as_the_general_printer(
        print_mode, monkeypatch, oneline, stats):
    opts.show_stats, opts.oneline, opts.SL = stats, oneline, "\\" if oneline else "\n"
    same_runs_as_general_printer(
        monkeypatch, policy, "print_policy_msg", policy_runs.list_runs,
        lambda rnd: bench_policy(rnd, random.Random(rnd.randrange(40))),
        lambda msg: msg[56:58] + msg[212:214], 100 + oneline + 10 * stats,
        mode=(opts.SL, opts.oneline, bool(stats)))


@pytest.mark.parametrize("oneline", [0, 1])
@pytest.mark.parametrize("nokeys", [False, True])
def test_state_list_runs_print_every_bench_shape_as_the_general_printer(
        print_mode, monkeypatch, oneline, nokeys):
    opts.show_stats, opts.oneline, opts.SL = 0, oneline, "\\" if oneline else "\n"
    same_runs_as_general_printer(
        monkeypatch, sa, "print_sa_msg", sa_runs.list_runs,
        lambda rnd: bench_sa(rnd, random.Random(rnd.randrange(8))),
        lambda msg: msg[16 + 212:16 + 214], 100 + oneline * 2 + nokeys, nokeys,
        mode=(opts.SL, opts.oneline, nokeys))


def counted_ones(monkeypatch):
    """The messages the pass over runs of one (Runs._ones) took: counted by their bytes."""
    from pyip import runs as runs_module
    taken = []
    real = runs_module.Runs._ones
    monkeypatch.setattr(runs_module.Runs, "_ones", lambda self, buf, off, *a: taken.append(
        real(self, buf, off, *a) - off) or off + taken[-1])
    return taken


@pytest.mark.parametrize("oneline", [0, 1])
@pytest.mark.parametrize("nokeys", [False, True])
@pytest.mark.parametrize("make", ["bench", "random"])
def test_state_list_interleaved_runs_of_one_print_as_the_general_printer(
        print_mode, monkeypatch, oneline, nokeys, make):
    # dumps whose SAs each differ in kind from the next (bench/shapes.py's "larval, all
    # interleaved"): runs of one message, most of them taken by columns (Runs._ones), cut
    # where a batch or key is new, refused, of another seq, type or flags
    opts.show_stats, opts.oneline, opts.SL = 0, oneline, "\\" if oneline else "\n"
    taken = counted_ones(monkeypatch)
    kinds = 8 if make == "bench" else 4
    same_runs_as_general_printer(
        monkeypatch, sa, "print_sa_msg", sa_runs.list_runs,
        (lambda rnd: bench_sa(rnd, random.Random(rnd.randrange(kinds)))) if make == "bench"
        else (lambda rnd: sa_message(rnd, random.Random(rnd.randrange(kinds)))),
        lambda msg: msg[16 + 212:16 + 214], 400 + oneline * 2 + nokeys, nokeys,
        mode=(opts.SL, opts.oneline, nokeys), interleaved=True)
    # (random SAs seldom repeat a key: a few are taken by columns, the bench's most)
    enough = (40, 100000) if make == "bench" else (5, 2000)
    assert sum(1 for t in taken if t) > enough[0] and sum(taken) > enough[1], (
        len(taken), sum(taken))


@pytest.mark.parametrize("oneline", [0, 1])
@pytest.mark.parametrize("stats", [0, 1, 2])
def test_policy_list_interleaved_runs_of_one_print_as_the_general_printer(
        print_mode, monkeypatch, oneline, stats):
    opts.show_stats, opts.oneline, opts.SL = stats, oneline, "\\" if oneline else "\n"
    taken = counted_ones(monkeypatch)
    same_runs_as_general_printer(
        monkeypatch, policy, "print_policy_msg", policy_runs.list_runs,
        lambda rnd: bench_policy(rnd, random.Random(rnd.randrange(40))),
        lambda msg: msg[56:58] + msg[212:214], 500 + oneline + 10 * stats,
        mode=(opts.SL, opts.oneline, bool(stats)), interleaved=True)
    assert sum(1 for t in taken if t) > 40 and sum(taken) > 100000, (len(taken), sum(taken))


def test_a_raw_key_is_equal_where_the_key_is(monkeypatch):
    """Batch.raw_key (the pass over runs of one looks formats up by it) against Batch.key,
    on the rows of random SAs and policies of every kind, read by each batch."""
    for module, runs, make in ((sa, sa_runs.list_runs, lambda rnd: sa_message(rnd)),
                               (policy, policy_runs.list_runs, message)):
        monkeypatch.setattr(runs, "batches", {})
        rnd = random.Random(7)
        by_batch = {}
        for _ in range(3000):
            msg = make(rnd)
            shape = module.SHAPES.of(msg)
            if shape is None:
                continue
            lk = runs.layout_at[1](msg, runs.layout_at[0])[0]
            if (shape, lk) not in by_batch:
                by_batch[shape, lk] = runs._batch(shape, len(msg), lk)
            b = by_batch[shape, lk]
            if b is not None:
                b.raw_known.setdefault(b.raw_key(msg, 0), set()).add(b.key(b.st.unpack(msg)))
        batches = [b for b in by_batch.values() if b is not None]
        assert sum(map(len, (b.raw_known for b in batches))) > 50
        for b in batches:
            assert all(len(keys) == 1 for keys in b.raw_known.values())
            keys = [next(iter(k)) for k in b.raw_known.values()]
            assert len(set(keys)) == len(keys)      # and a key has one raw key


def counted_bakes(monkeypatch):
    """The runs of one format printed by a format of their own (runs._baked): counted."""
    from pyip import runs as runs_module
    baked = []
    real = runs_module._baked
    monkeypatch.setattr(runs_module, "_baked", lambda *a: baked.append(1) or real(*a))
    return baked


@pytest.mark.parametrize("oneline", [0, 1])
@pytest.mark.parametrize("stats", [0, 1, 2])
def test_policy_runs_of_one_format_print_as_the_general_printer(
        print_mode, monkeypatch, oneline, stats):
    # long runs of one kind of policy whose values are one of two: along a run, some
    # columns keep one value (written into the run's own format) and others change
    opts.show_stats, opts.oneline, opts.SL = stats, oneline, "\\" if oneline else "\n"
    baked = counted_bakes(monkeypatch)
    for kind in range(6):
        same_runs_as_general_printer(
            monkeypatch, policy, "print_policy_msg", policy_runs.list_runs,
            lambda rnd: bench_policy(random.Random(rnd.randrange(2)), random.Random(kind)),
            lambda msg: msg[56:58] + msg[212:214], 200 + kind + oneline + 10 * stats,
            mode=(opts.SL, opts.oneline, bool(stats)))
    assert len(baked) > 20, baked


@pytest.mark.parametrize("oneline", [0, 1])
@pytest.mark.parametrize("nokeys", [False, True])
def test_state_runs_of_one_format_print_as_the_general_printer(
        print_mode, monkeypatch, oneline, nokeys):
    opts.show_stats, opts.oneline, opts.SL = 0, oneline, "\\" if oneline else "\n"
    baked = counted_bakes(monkeypatch)
    for kind in range(4):
        same_runs_as_general_printer(
            monkeypatch, sa, "print_sa_msg", sa_runs.list_runs,
            lambda rnd: bench_sa(random.Random(rnd.randrange(2)), random.Random(kind)),
            lambda msg: msg[16 + 212:16 + 214], 300 + kind + oneline * 2 + nokeys, nokeys,
            mode=(opts.SL, opts.oneline, nokeys))
    assert len(baked) > 10, baked


@pytest.mark.parametrize("stats", [0, 1, 2])
@pytest.mark.parametrize("oneline", [0, 1])
def test_policy_fast_path_prints_every_bench_shape_as_the_general_printer(
        print_mode, monkeypatch, stats, oneline):
    opts.show_stats, opts.oneline, opts.SL = stats, oneline, "\\" if oneline else "\n"
    general = policy.print_policy_msg
    rnd = random.Random(200 + stats * 2 + oneline)
    for _ in range(2000):
        msg = bench_policy(rnd)
        o1, o2 = [], []
        assert (policy.print_listed(msg, o1), "".join(o1)) == (general(msg, o2), "".join(o2))


# ---- a shape the runs refuse costs the general printer once per object, no more -------------

def gre_key_policy(rnd, refused=True):
    """A policy of the bench's tmpl1 shape; `refused`: its selector a GRE key (proto gre with
    port masks), which only the general printer prints (the same length as the others)."""
    msg = bytearray(bench_policy(rnd, random.Random(3)))
    sel = bench_selector(rnd, AF_INET, "none")
    if refused:
        sel = sel[:32] + struct.pack("=HHHH", 1, 0xffff, 2, 0xffff) + sel[40:44] + b"\x2f" + sel[45:]
    msg[16:16 + 56] = sel
    return bytes(msg)


def runs_work(monkeypatch, pattern, n):
    """Rows the runs read and general-printer calls for one datagram of n policies, the
    i-th refused where pattern[i % len(pattern)]."""
    with monkeypatch.context() as mp:
        return _runs_work(mp, pattern, n)


def _runs_work(monkeypatch, pattern, n):
    from pyip import runs as runs_module
    work = {"rows": 0, "general": 0}

    class CountingStruct(runs_module.Struct):
        def unpack_from(self, *a):
            work["rows"] += 1
            return super().unpack_from(*a)

        def iter_unpack(self, *a):
            for row in super().iter_unpack(*a):
                work["rows"] += 1
                yield row

    monkeypatch.setattr(runs_module, "Struct", CountingStruct)
    monkeypatch.setattr(policy_runs.list_runs, "batches", {})     # new batches count
    general = policy.print_policy_msg
    monkeypatch.setattr(policy, "print_policy_msg", lambda msg, o: work.__setitem__(
        "general", work["general"] + 1) or general(msg, o))
    rnd = random.Random(n)
    msgs = [gre_key_policy(rnd, pattern[i % len(pattern)]) for i in range(n)]
    done = struct.pack("=IHHIIi", 20, 3, 2, 1, 0, 0)
    code, text, _ = dump_text(monkeypatch, policy, [b"".join(msgs) + done],
                              policy.print_listed, policy_runs.list_runs, mode=("\n", 0, False))
    assert code == 0 and text.count(b"\nsrc ") + 1 == n
    return work


@pytest.mark.parametrize("pattern", [(True,), (True, False, False), (False, True)],
                         ids=["all refused", "one in three refused", "every other refused"])
def test_a_refused_shape_costs_the_same_per_object_in_a_longer_dump(print_mode, monkeypatch,
                                                                    pattern):
    opts.show_stats, opts.oneline, opts.SL = 0, 0, "\n"
    small, large = (runs_work(monkeypatch, pattern, n) for n in (1000, 2000))
    refused = sum(pattern) / len(pattern)
    # the general printer once per refused object (and the runs take the others) ...
    assert small["general"] <= 1000 * refused + 2 and large["general"] <= 2000 * refused + 2, \
        (small, large)
    # ... and the runs read a bounded number of rows per object, whatever the dump's size
    # (the slack: how the dump's last run ends)
    assert large["rows"] + large["general"] <= 2 * (small["rows"] + small["general"]) + 20
    assert large["rows"] <= 20 * 2000


@pytest.mark.parametrize("interleaved", [False, True], ids=["in rows", "interleaved"])
def test_runs_take_every_bench_shape(print_mode, monkeypatch, interleaved):
    """A dump of the bench's shapes, many of each in a row or each next to another: the
    general printer prints next to none of them (the runs' key is wide enough for all, and
    a run may be one message)."""
    opts.show_stats, opts.oneline, opts.SL = 0, 0, "\n"
    monkeypatch.setattr(policy_runs.list_runs, "batches", {})
    general = policy.print_policy_msg
    calls = []
    monkeypatch.setattr(policy, "print_policy_msg",
                        lambda msg, o: calls.append(1) or general(msg, o))
    rnd = random.Random(5)
    kinds = [random.Random(k) for k in range(40)]
    msgs = []
    for k in kinds:
        state = k.getstate()
        for _ in range(50):
            k.setstate(state)
            msgs.append(bench_policy(rnd, k))
    if interleaved:
        msgs = [msgs[i * 50 + j] for j in range(50) for i in range(len(kinds))]
    done = struct.pack("=IHHIIi", 20, 3, 2, 1, 0, 0)
    bufs = [b"".join(msgs[i:i + 100]) for i in range(0, len(msgs), 100)] + [done]
    with_runs = dump_text(monkeypatch, policy, bufs, policy.print_listed,
                          policy_runs.list_runs, mode=("\n", 0, False))
    assert len(calls) < len(msgs) / 50, len(calls)
    # (an interleaved dump's runs of one message each, made into text by groups of columns
    # and put back in order: the general printer's text)
    assert with_runs == dump_text(monkeypatch, policy, bufs, general, None)


# ---- the monitor: a burst of events printed by the runs, as accept() prints each -------------

def event(rnd):
    """An event as the monitor gets it: a new policy or SA of the bench's shapes (now and
    then another kind of message), no NLM_F_MULTI, the sequence number of whichever request
    caused it."""
    which = rnd.random()
    return event_of(bench_policy(rnd, random.Random(rnd.randrange(6))) if which < 0.6 else
                    bench_sa(rnd, random.Random(rnd.randrange(4))) if which < 0.9 else
                    message(rnd), rnd)


def event_of(msg, rnd):
    """A dumped message as an event: no NLM_F_MULTI, a request's sequence number."""
    msg = bytearray(msg)
    struct.pack_into("=HII", msg, 6, 0, rnd.choice([0, rnd.randrange(2 ** 32)]),
                     rnd.randrange(2 ** 32))
    return bytes(msg) + bytes(-len(msg) % 4)


def captured(monkeypatch, run):
    """(stdout, stderr) of run()."""
    so, se = io.BytesIO(), io.BytesIO()
    monkeypatch.setattr(out, "_out", so)
    monkeypatch.setattr(out, "_err", se)
    run()
    return so.getvalue(), se.getvalue()


def accepted(monkeypatch, events):
    """What accept() prints of each of `events` in turn (the monitor's general printer)."""
    from pyip.xfrm import listen as monitor
    return captured(monkeypatch, lambda: [monitor.accept(msg, None, False, False)
                                          for msg in events])


def printed_as_accept(monkeypatch, events, run):
    """run() prints `events` as accept() prints each."""
    assert captured(monkeypatch, run) == accepted(monkeypatch, events), [
        msg.hex() for msg in events]


@pytest.mark.parametrize("stats", [0, 1, 2])
@pytest.mark.parametrize("oneline", [0, 1])
def test_monitor_prints_a_burst_as_each_event_alone(print_mode, monkeypatch, stats, oneline):
    from pyip.xfrm import listen as monitor
    opts.show_stats, opts.oneline, opts.SL = stats, oneline, "\\" if oneline else "\n"
    rnd = random.Random(300 + stats * 2 + oneline)
    monkeypatch.setattr(policy_runs.list_runs, "batches", {})
    monkeypatch.setattr(sa_runs.list_runs, "batches", {})
    taken = []
    real_call = type(policy_runs.list_runs).__call__
    monkeypatch.setattr(type(policy_runs.list_runs), "__call__", lambda self, *a: taken.append(
        real_call(self, *a)) or taken[-1])
    for _ in range(40):
        burst = [event(rnd) for _ in range(rnd.choice([2, 5, 64]))]
        burst.sort(key=len)                         # runs of one shape, as a flood brings
        printed_as_accept(monkeypatch, burst, lambda: monitor._print_burst(list(burst), False))
    assert sum(1 for t in taken if t) > 20, taken


@pytest.mark.parametrize("stats", [0, 1, 2])
@pytest.mark.parametrize("oneline", [0, 1])
def test_monitor_prints_events_one_at_a_time_as_accept(print_mode, monkeypatch, stats,
                                                        oneline):
    """Events that come one, two or three at a time (a flood the monitor keeps up with):
    printed event by event, by Runs.one() once the runs know an event's shape and key, by
    a run of one message before; the text accept() gives each, and Runs.one() takes most."""
    from pyip import runs as runs_module
    from pyip.xfrm import listen as monitor
    opts.show_stats, opts.oneline, opts.SL = stats, oneline, "\\" if oneline else "\n"
    rnd = random.Random(700 + stats * 2 + oneline)
    monkeypatch.setattr(policy_runs.list_runs, "batches", {})
    monkeypatch.setattr(sa_runs.list_runs, "batches", {})
    ones = []
    real_one = runs_module.Runs.one
    monkeypatch.setattr(runs_module.Runs, "one", lambda self, msg, mode: ones.append(
        real_one(self, msg, mode)) or ones[-1])
    events = [event(rnd) for _ in range(400)]
    at = 0
    while at < len(events):
        burst = events[at:at + rnd.choice([1, 1, 2, 3])]
        at += len(burst)
        printed_as_accept(monkeypatch, burst, lambda: monitor._print_events(
            b"".join(burst), len(burst), False))
    assert len(ones) >= len(events) // 2, len(ones)
    # the SAs' runs take no -s events (ip prints their keys' text otherwise)
    assert sum(1 for t in ones if t) > len(ones) // (3 if stats else 2), ones.count(None)


def test_a_flood_of_single_events_sets_up_a_run_once_per_shape(print_mode, monkeypatch):
    """The monitor's work per event of a flood it keeps up with (events one at a time, the
    bench's policies: one shape and key, new addresses, priorities, reqids): a run set up
    for the first event only, then Runs.one() alone, never the general printer nor
    print_listed()."""
    from pyip import runs as runs_module
    from pyip.xfrm import listen as monitor
    opts.show_stats, opts.oneline, opts.SL = 0, 0, "\n"
    monkeypatch.setattr(policy_runs.list_runs, "batches", {})
    calls = collections.Counter()
    for owner, name in ((runs_module.Runs, "__call__"), (runs_module.Runs, "one"),
                        (policy, "print_listed"), (policy, "print_policy_msg")):
        real = getattr(owner, name)
        monkeypatch.setattr(owner, name, lambda *a, real=real, name=name: calls.update(
            [name]) or real(*a))
    rnd = random.Random(11)
    kind = random.Random(3)
    state = kind.getstate()
    events = []
    for _ in range(300):
        kind.setstate(state)
        events.append(event_of(bench_policy(rnd, kind), rnd))
    so = io.BytesIO()
    monkeypatch.setattr(out, "_out", so)
    by_type = monitor._runs_by_type()
    for msg in events:
        monitor._print_events(msg, 1, False, by_type)
    # (the few keys the shape's random values make: a run for the first event of each)
    assert calls["one"] == 300 and 1 <= calls["__call__"] <= 10, calls
    assert not calls["print_listed"] and not calls["print_policy_msg"], calls
    first = so.getvalue()
    assert first.count(b"src ") >= 300
    calls.clear()
    for msg in events:
        monitor._print_events(msg, 1, False, by_type)
    assert calls == {"one": 300}, calls
    assert so.getvalue() == first * 2


def drifting_events(rnd, make, count):
    """Events of a few keys whose columns mostly keep their values and now and then change
    (a monitor's events of one VPN's policies and SAs): each event is the one before of its
    kind with a few 4-byte words taken from a fresh message of that kind (or that message
    whole, where its length differs), so every column, in the key or not, changes
    somewhere along them."""
    kinds = [random.Random(rnd.randrange(1000)) for _ in range(3)]
    states = [k.getstate() for k in kinds]
    before = [None] * len(kinds)
    events = []
    for _ in range(count):
        i = rnd.randrange(len(kinds))
        kinds[i].setstate(states[i])
        fresh = event_of(make(rnd, kinds[i]), rnd)
        msg = before[i]
        if msg is None or len(msg) != len(fresh):
            msg = fresh
        else:
            msg = bytearray(msg)
            for _ in range(rnd.choice([1, 1, 1, 2, 5])):
                at = rnd.randrange(4, len(msg) // 4) * 4    # (not the length)
                msg[at:at + 4] = fresh[at:at + 4]
            msg = bytes(msg)
        before[i] = msg
        events.append(msg)
    return events


@pytest.mark.parametrize("make", [bench_policy, bench_sa], ids=["policy", "state"])
@pytest.mark.parametrize("stats", [0, 1])
@pytest.mark.parametrize("oneline", [0, 1])
def test_monitor_bakes_what_a_keys_events_keep_and_prints_as_accept(print_mode, monkeypatch,
                                                                    make, stats, oneline):
    """Runs.one() writes the columns a key's events keep into that key's format (_bake) and
    bakes it again without a column once one changes: each event's text is accept()'s, and
    a key is baked at most once per column."""
    from pyip import runs as runs_module
    from pyip.xfrm import listen as monitor
    opts.show_stats, opts.oneline, opts.SL = stats, oneline, "\\" if oneline else "\n"
    rnd = random.Random(900 + stats * 2 + oneline + (make is bench_sa) * 4)
    monkeypatch.setattr(policy_runs.list_runs, "batches", {})
    monkeypatch.setattr(sa_runs.list_runs, "batches", {})
    bakes = collections.Counter()
    real_bake = runs_module._bake
    monkeypatch.setattr(runs_module, "_bake", lambda baking, *a: bakes.update(
        [id(baking)]) or real_bake(baking, *a))
    baked = []
    real_one = runs_module.Runs.one

    def one(self, msg, mode):
        text = real_one(self, msg, mode)
        # (printed by the key's baked format: the last known taken has one)
        baked.append(bool(text) and self.batches[mode][2][2][9][1] is not None)
        return text
    monkeypatch.setattr(runs_module.Runs, "one", one)
    by_type = monitor._runs_by_type()
    for msg in drifting_events(rnd, make, 600):
        printed_as_accept(monkeypatch, [msg], lambda: monitor._print_events(msg, 1, False,
                                                                             by_type))
    if make is bench_policy or not stats:       # (no -s SA events by runs)
        assert sum(baked) > 200, sum(baked)
    assert max(bakes.values(), default=0) <= 40, bakes


def test_a_flood_of_one_key_formats_only_the_columns_that_change(print_mode, monkeypatch):
    """The bench's flood (one key; new addresses, priorities and reqids): after its first
    events, Runs.one() converts none of the templates' addresses and formats the changing
    columns only."""
    from pyip.xfrm import listen as monitor
    opts.show_stats, opts.oneline, opts.SL = 0, 0, "\n"
    monkeypatch.setattr(policy_runs.list_runs, "batches", {})
    rnd = random.Random(5)
    base = event_of(bench_policy(rnd, random.Random(1)), rnd)
    events = []
    for i in range(200):
        msg = bytearray(base)
        struct.pack_into("=I", msg, 16 + 56 + 64 + 32, i)          # the priority
        events.append(bytes(msg))
    so = io.BytesIO()
    monkeypatch.setattr(out, "_out", so)
    by_type = monitor._runs_by_type()
    for msg in events[:3]:
        monitor._print_events(msg, 1, False, by_type)
    known = policy_runs.list_runs.batches[("\n", 0, False)][2][2]
    same, _, take, conversions, form = known[9][1][:5]
    assert take(known[5](events[5], 0)) == (5,) and not conversions, form
    assert form.count("%") - 2 * form.count("%%") == 1, form
    for msg in events[3:]:
        monitor._print_events(msg, 1, False, by_type)
    expected = io.BytesIO()
    monkeypatch.setattr(out, "_out", expected)
    for msg in events:
        monitor.accept(msg, None, False, False)
    assert so.getvalue() == expected.getvalue()


def test_the_runs_hex_converter_prints_as_c():
    from pyip import runs as runs_module
    from pyip.xfrm.common import hash_x
    first, then = runs_module.HASH_X
    for v in [0, 1, 15, 16, 0x100, 0x1000, 0xffff, 0x10000, 0x7fffffff, 0xffffffff]:
        assert then(first(v)) == hash_x(v), v


@pytest.mark.parametrize("distinct", [1, 2, 3, 50, 100])
def test_a_column_converted_once_per_value_prints_as_value_by_value(distinct):
    """Repeated values are converted once and looked up (a peer's addresses), a column of
    values that mostly differ value by value: the texts are the converters' either way, in
    the rows' order, and a value a converter refuses is refused either way."""
    from pyip import runs as runs_module
    rnd = random.Random(distinct)
    values = [bytes([10, 0, rnd.randrange(distinct), 1]) + bytes(12) for _ in range(100)]
    convs = runs_module.address_text(2)
    convs = convs if type(convs) is tuple else (convs,)
    expected = values
    for conv in convs:
        expected = list(map(conv, expected))
    assert list(runs_module._converted(values, convs)) == expected

    def refuse(v):
        if v == values[-1]:
            raise runs_module.Refused
        return v
    with pytest.raises(runs_module.Refused):
        list(runs_module._converted(values, (refuse,)))


def listened(monkeypatch, sock, room, log, events):
    """The plain listener reading `sock` until its EOF, each _print_events() call's count
    logged in `log` beside the socket's own entries; its text must be accept()'s of each
    of `events`, then ip's "EOF on netlink"."""
    from pyip.xfrm import listen as monitor
    real_print = monitor._print_events
    monkeypatch.setattr(monitor, "_print_events", lambda buf, count, *rest: log.append(
        count) or real_print(buf, count, *rest))
    rc = []
    texts = captured(monkeypatch, lambda: rc.append(
        monitor._listen_plain((sock.recv_into, sock.poll, room), False)))
    assert rc == [2]
    stdout, stderr = accepted(monkeypatch, events)
    assert texts == (stdout, stderr + b"EOF on netlink\n")


class QueuedSocket:
    """A monitor's socket with datagrams queued: event_reader()'s three, the reads and the
    points where the monitor wrote its text logged in turn; empty, a blocking read is EOF."""

    def __init__(self, datagrams, room, log):
        self.queue, self.room, self.log = list(datagrams), room, log

    def recv_into(self, view, size, flags=0):
        if not self.queue:
            if flags:
                raise BlockingIOError()
            return 0
        data = self.queue.pop(0)[:size]
        view[:len(data)] = data
        self.log.append("read")
        return len(data)

    def poll(self, timeout):
        return [(3, 1)] if self.queue else []


@pytest.mark.parametrize("room", [1 << 16, 1 << 21])
def test_monitor_reads_all_that_is_queued_before_it_prints(print_mode, monkeypatch, room):
    # once its socket overflows, the kernel drops every event until the queue is empty:
    # a flood's burst is read whole (as much as the socket's buffer holds) before any of
    # it is printed, and printed as each event alone
    from pyip.xfrm import listen as monitor
    opts.show_stats, opts.oneline, opts.SL = 0, 0, "\n"
    rnd = random.Random(77)
    events = [event(rnd) for _ in range(3000)]
    log = []
    listened(monkeypatch, QueuedSocket(events, room, log), room, log, events)
    bursts = [x for x in log if x != "read"]
    # the first event alone (nothing queued yet when it came: here all was), then bursts
    # as large as the room lets
    assert sum(bursts) == len(events)
    per_burst = min(room, monitor.MAX_ROOM) // max(map(len, events))
    assert len(bursts) <= len(events) // per_burst + 3, bursts
    if room > sum(map(len, events)) + monitor.EVENT_SIZE:
        assert log[:len(events)] == ["read"] * len(events)


class ArrivingSocket:
    """A monitor's socket whose datagrams arrive in groups (`arrivals`: lists of them): a
    blocking read waits for the next group once this one is read; poll() says whether more
    of this group is queued.  Reads and polls are logged."""

    def __init__(self, arrivals, log):
        self.arrivals, self.queue, self.log = [list(a) for a in arrivals], [], log

    def recv_into(self, view, size, flags=0):
        if not self.queue:
            if flags:
                raise BlockingIOError()
            if not self.arrivals:
                return 0
            self.queue = self.arrivals.pop(0)
        data = self.queue.pop(0)
        view[:len(data)] = data
        self.log.append("read")
        return len(data)

    def poll(self, timeout):
        self.log.append("poll")
        return [(3, 1)] if self.queue else []


def test_monitor_asks_whether_more_is_queued_once_in_quiet_events(print_mode, monkeypatch):
    """Events that come alone: after a poll() that found nothing more queued, the next QUIET
    events are printed without one (ip's read and write an event, no third system call);
    a flood that comes then is read whole after at most QUIET events alone.  The text is
    accept()'s."""
    from pyip.xfrm import listen as monitor
    opts.show_stats, opts.oneline, opts.SL = 0, 0, "\n"
    rnd = random.Random(78)
    events = [event(rnd) for _ in range(100)]
    log = []
    quiet = monitor.QUIET
    alone = quiet + 3
    sock = ArrivingSocket([[e] for e in events[:alone]] + [events[alone:]], log)
    listened(monkeypatch, sock, 1 << 20, log, events)
    flood = len(events) - alone
    # alone: a poll after the first event and after the QUIET after it; the flood comes
    # QUIET - 1 events after that poll: those are read alone, then the rest whole
    assert [x for x in log if type(x) is str] == (
        ["read", "poll"] + ["read"] * quiet + ["read", "poll"] + ["read"]
        + ["read"] * (quiet - 1) + ["read", "poll"] + ["read"] * (flood - quiet))
    assert [x for x in log if type(x) is int and x > 1] == [flood - quiet + 1], log
