"""A dump's messages of one shape printed a run at a time: the plain listings' fast path.

A recv buffer holds a hundred-odd objects laid out alike.  Where consecutive messages have one
Shape, Struct.iter_unpack reads them all into rows, and the text comes from C-level maps over
the rows, not from Python code run per object:
  - a row's `key` (its header, attribute heads and every field the text's wording depends on:
    flags, modes, protocol...) picks a format string, which the printer's `compose` makes once
    per key and refuses (None) for what only the general printer prints;
  - the row's columns (addresses, numbers, keys...) fill it, some through converters: text
    caches whose hits cost no Python call, or C functions.
A refused key ends the run there (and is kept as refused); a run may be one message long, and
one call takes the runs that follow each other, their rows made into text by groups of the
same columns wherever they lie (an interleaved dump's).  Where runs of one follow each other
(an interleaved dump: each object of another kind than the last), a pass over them (_ones)
reads each message's batch, key, format and columns by C-level maps over chunks of
messages, as far as those are known: one Python step per message, to find the next.  A
message no run takes goes through the per-message printer once, as do messages a converter
refuses (Refused) and the rest of their buffer.  A run reads no more rows than about twice what it takes, so a dump of shapes
the runs refuse costs the per-message printer per object, never a re-read of the rest of the
buffer per object.  tests/offline/test_fast_paths.py holds the runs to the general printers'
text."""
from _operator import attrgetter, eq, itemgetter, methodcaller
from _functools import partial
from itertools import compress, islice, repeat
from _socket import inet_ntoa, inet_ntop
from _struct import Struct

from pyip.addr import AF_INET, AF_INET6, TEXTS

from pyip.netlink import NLM_F_DUMP_INTR
from pyip.shapes import count

MAX_FORMS = 1024            # keys a run keeps a format for; past it runs end at a new key
FIRST = 2                   # rows read in a run's first chunk after its first message
_U32 = Struct("=I")
_FIRST4 = itemgetter(slice(0, 4))


# A run of at least this many messages of one format is printed by a format of its own, the
# columns that have one value all along it written into it (_baked)
BAKE = 8
# messages in the first chunk of a pass over runs of one (_ones): at least ONES, at most
# ONES_MAX, twice what the last pass took; the next chunks double
ONES = 8
ONES_MAX = 256
# a column's first values, looked at to tell whether its values mostly differ (_converted)
SAMPLE = 16

# what a pass over runs of one (_ones) reads by C-level maps over the messages: a batch's
# raw key reader and known formats by raw key; a known format's (Runs._first) columns
# reader, format and group; a columns row's seq
try:
    from _operator import call as _call     # Python 3.11: a vectorcall, no argument tuple
except ImportError:
    def _call(f, *args):
        return f(*args)
_READ = itemgetter(5)
_RAW_KEY = attrgetter("raw_key")
_RAW_KNOWN = attrgetter("raw_known_get")
_FORM = itemgetter(3)
_CID = itemgetter(7)
_SEQ = itemgetter(0)            # a row's @seq: the first field _columns_only() reads


class Refused(Exception):
    """Raised by a converter for a value only the general printer prints."""


# C's %#x (common.hash_x()) by C functions alone, for a column converter: a dump's marks
# rarely repeat, and a Memo's miss is a Python call.  Python's %#x differs for 0 alone
# ("0x0", which no other value's text holds), where C prints "0".
HASH_X = ("%#x".__mod__, methodcaller("replace", "0x0", "0"))


def address_text(family):
    """A converter of 16-byte xfrm addresses to text, C functions only where it can: a dump's
    selectors rarely repeat an address, and a cache miss costs a Python call.  One object
    per family, so that columns converted alike are seen to be (_converted)."""
    if family == AF_INET:
        return _TO_TEXT[AF_INET]
    if family == AF_INET6:
        return _TO_TEXT[AF_INET6]
    texts = TEXTS.get(family)
    return None if texts is None else texts.__getitem__


_TO_TEXT = {AF_INET: (_FIRST4, inet_ntoa), AF_INET6: (partial(inet_ntop, AF_INET6),)}


def layout(spec):
    """(name, struct format) pairs -> format string and name -> value index; a name of ""
    reads nothing (padding)."""
    fmt, where, n = [], {}, 0
    for name, f in spec:
        fmt.append(f)
        if name:
            where[name] = n
            if count("=" + f) != 1:
                raise ValueError("one value per named field: %s %s" % (name, f))
        n += count("=" + f)
    return "=" + "".join(fmt), where


def _columns_only(spec, cols):
    """A reader of a message's sequence number and columns alone (the fields `cols` name,
    of the (name, struct format) pairs `spec`), and the columns as laid out in what it
    reads: the pass over runs of one (_ones) reads no field it does not print (its key is
    read by Batch.raw_key)."""
    names = {f for f, _ in cols}
    fmt, where, n = ["="], {}, 0
    for name, f in spec:
        if name in names or name == "@seq":
            where[name] = n
            n += 1
            fmt.append(f)
        else:
            fmt.append("%dx" % Struct("=" + f).size)
    read = Struct("".join(fmt)).unpack_from
    return read, [(itemgetter(where[f]), convs, where[f]) for f, convs in cols]


def _raw_key(spec, names):
    """A reader of a message's key as its bytes (Batch.raw_key): the key's fields (`names`
    of the (name, struct format) pairs `spec`) read where they lie, each stretch of them
    that touch as one value.  Two messages of a batch have equal raw keys where their keys
    are equal, and fewer values are read and hashed: the pass over runs of one (_ones)
    looks a message's format up by it."""
    at, spans = 0, []
    names = set(names)
    for name, f in spec:
        size = Struct("=" + f).size
        if name in names:
            if spans and spans[-1][1] == at:
                spans[-1][1] = at + size
            else:
                spans.append([at, at + size])
        at += size
    fmt, at = ["="], 0
    for start, stop in spans:
        fmt.append("%dx" % (start - at) if start > at else "")
        # as numbers (a bytes object's hash is a siphash of it, a number's is itself)
        while start < stop:
            size = next(k for k in (8, 4, 2, 1) if k <= stop - start)
            fmt.append({1: "B", 2: "H", 4: "I", 8: "Q"}[size])
            start += size
        at = stop
    return Struct("".join(fmt)).unpack_from


class Batch:
    """A Shape laid out for runs: the rows' Struct, `key` (itemgetter) and its field names,
    where each named field is, `expect` (the Shape's attribute heads, which a row's key
    holds after its header) and the variants (forms and columns) made so far."""
    __slots__ = ("n", "st", "key", "key_names", "seq", "where", "expect", "variants", "known",
                 "raw_key", "raw_known", "raw_known_get", "spec")


class Runs:
    """Runs of one printer.  `fixed`: the fields after the netlink header, (name, struct
    format) pairs; `attr_fields(type, payload length)`: an attribute payload's (None: no
    runs for that shape); `key_names`: the fields (of those present) the wording depends on;
    `variant(first)`: what the run's converters depend on, from its first row (a dict), a
    function of the key's fields only (what a key is printed with is kept by key);
    `columns(variant, batch)`: (field, converter) pairs in print order, a converter being
    None, a function or a tuple of functions applied in turn; `compose(fields, variant)`: the
    format for one key's fields (fields the shape has outside the key are there as None), or
    None where only the general printer prints the message.  `mtype`: the message type runs
    take.  `layout_at`, where given, is (offset, struct format) of a number in a message
    that tells its layout of the fixed fields, and `fixed` is then a function of that
    value (IPv4 addresses as four bytes, printed by the format itself; a selector's fields
    or its bytes).  Each call names the print options the formats depend on
    (`mode`): they belong to the command, the formats made for them are kept for the next
    command of that mode."""

    def __init__(self, shapes, mtype, fixed, attr_fields, key_names, variant, columns,
                 compose, layout_at=None):
        self.shapes, self.mtype, self.fixed, self.attr_fields = shapes, mtype, fixed, attr_fields
        self.key_names, self.variant, self.columns, self.compose = \
            key_names, variant, columns, compose
        self.layout_at = None if layout_at is None else (layout_at[0],
                                                         Struct(layout_at[1]).unpack_from)
        # a message's length and layout number by one read: what picks its batch in a pass
        # over runs of one (_ones)
        probe = Struct("=I" if layout_at is None else
                       "=I%dx%s" % (layout_at[0] - 4, layout_at[1].lstrip("=@<>!")))
        self.probe, self.probe_size = probe.unpack_from, probe.size
        # per print mode: (shape, layout number) -> batch, and (length, layout number) -> the
        # batch last taken for it (for _ones)
        self.batches = {}
        self.refused = None         # the buffer a converter refused a value of
        self.ones = ONES            # the first chunk of the next pass over runs of one

    def _batch(self, shape, n, lk):
        size = (n + 3) & ~3
        spec = [("@len", "I"), ("@mtype", "H"), ("@flags", "H"), ("@seq", "I"), ("", "4x")]
        spec += list(self.fixed if self.layout_at is None else self.fixed(lk))
        for i, (ln, type_, _) in enumerate(shape.formats):
            fields = self.attr_fields(type_ & ~self.shapes.ignore, ln - 4)
            if fields is None:
                return None
            spec += [("@%d.len" % i, "H"), ("@%d.type" % i, "H")]
            spec += fields
            used = Struct(layout(fields)[0]).size
            if used > ln - 4:
                return None
            spec.append(("", "%dx" % ((ln - 4 - used) + (-ln % 4))))
        fmt, where = layout(spec)
        st = Struct(fmt)
        if st.size != size:
            return None
        b = Batch()
        b.n, b.st, b.where, b.variants, b.known = n, st, where, {}, {}
        b.spec, b.raw_known = spec, {}
        b.raw_known_get = b.raw_known.get
        heads = ["@%d.%s" % (i, w) for i in range(len(shape.formats)) for w in ("len", "type")]
        b.key_names = ["@len", "@mtype", "@flags"] + heads + [k for k in self.key_names
                                                             if k in where]
        b.key = itemgetter(*[where[k] for k in b.key_names])
        b.raw_key = _raw_key(spec, b.key_names)
        b.seq = itemgetter(where["@seq"])
        b.expect = shape.expect
        return b

    def _first(self, b, mode, key, row, buf, off):
        """What a run starting with `row` (of key `key`, in print mode `mode`) is printed
        with: its variant, that variant's formats and columns, and its format (False: the
        general printer's), kept for the next run of that key (the variant is a function
        of the key's fields)."""
        first = {k: row[i] for k, i in b.where.items()}
        vkey = (mode, self.variant(first))
        v = b.variants.get(vkey)
        if v is None:
            cols = self.columns(vkey, b)
            cols = [] if cols is None else [
                (f, () if conv is None else conv if type(conv) is tuple else (conv,))
                for f, conv in cols if f in b.where]
            read, ccols = _columns_only(b.spec, cols)
            v = b.variants[vkey] = ({}, [(itemgetter(b.where[f]), convs, b.where[f])
                                         for f, convs in cols], read, ccols, _single(ccols))
        forms, cols, read, ccols, single = v
        form = self._known(b, vkey, forms, key) if cols else False
        # (the last slot: what Runs.one() learns of this key's events, _bake())
        known = (vkey, forms, cols, form, id(cols), read, ccols, id(ccols), single, [None, None])
        if form is not None and len(b.known) < MAX_FORMS:
            b.known[key] = known
            b.raw_known[b.raw_key(buf, off)] = known
        return known

    def __call__(self, buf, off, seq, o, mode):
        """Print the runs of messages at buf[off:] into o; the bytes taken (0: none).  Runs
        take messages of sequence number `seq` only (None: any, as events have theirs).

        The work is bounded by what the runs take: a message's key alone decides whether
        a run starts there (what a key gives is kept, a refusal too: the next message of
        that key costs a lookup), a run may be that one message (a dump whose shapes
        change from one object to the next), and the rows after it are read in chunks that
        double, so a run of k messages reads at most about 2k + FIRST rows, never the rest
        of the buffer.  Runs follow each other until a message no run takes (or the end of
        buf); their text is made together: the rows of all runs printed with one variant's
        columns (an interleaved dump's runs of one message each, most of them) are
        converted and formatted as columns, by C-level maps, and their texts put back in
        the buffer's order (_text)."""
        if buf is self.refused:
            return 0
        start, end = off, len(buf)
        # the batches as laid out for this mode (one per command: its formats are kept by
        # key alone, no (mode, key) pair made and hashed per message)
        per_mode = self.batches.get(mode)
        if per_mode is None:
            per_mode = self.batches[mode] = ({}, {}, [None, None, None])
        batches, sigs = per_mode[0], per_mode[1]
        shapes, shapes_of = self.shapes, self.shapes.of
        layout_at = self.layout_at
        # the runs' rows and formats, grouped by the columns they are printed with, and the
        # group of each row in the buffer's order
        where, cols_of, rows_of, forms_of, order = {}, [], [], [], []
        # the row read where the last message looked at the next one (its batch, offset)
        ahead, ahead_b, ahead_row = -1, None, None
        while end - off >= 16:
            n = _U32.unpack_from(buf, off)[0]
            size = (n + 3) & ~3
            if n < 16:
                break
            fit = (end - off) // size           # whole messages of this size left in buf
            if not fit:
                break
            shape = shapes.get(n)               # Shapes.of(), the short way where it is
            if shape is None or shape.heads.unpack_from(buf, off) != shape.expect:
                shape = shapes_of(buf[off:off + n])
                if shape is None:
                    break
            lk = None if layout_at is None else layout_at[1](buf, off + layout_at[0])[0]
            b = batches.get((shape, lk))
            if b is None:
                if (shape, lk) in batches or len(batches) >= 512:
                    break
                b = batches[shape, lk] = self._batch(shape, n, lk)
                if b is None:
                    break
            row = ahead_row if off == ahead and b is ahead_b else b.st.unpack_from(buf, off)
            if seq is not None and b.seq(row) != seq:
                break
            key = b.key(row)
            known = b.known.get(key)
            if known is None:
                known = self._first(b, mode, key, row, buf, off)
            vkey, forms, cols, form = known[:4]
            if not form:
                break
            g = where.get(id(cols))
            if g is None:
                g = where[id(cols)] = len(rows_of)
                cols_of.append(cols)
                rows_of.append([])
                forms_of.append([])
            # the next message may go on this run: of its length and layout (a look at two
            # numbers), then of its key (its row, kept for the next turn where it is not)
            if (fit > 1 and _U32.unpack_from(buf, off + size)[0] == n
                    and (layout_at is None
                         or layout_at[1](buf, off + size + layout_at[0])[0] == lk)):
                ahead, ahead_b = off + size, b
                ahead_row = b.st.unpack_from(buf, ahead)
                same = b.key(ahead_row) == key
            else:
                same = False
            if same:
                rows, fl = self._more(b, buf, off, size, fit, seq, vkey, forms, row, form)
                rows_of[g] += rows
                forms_of[g] += fl
                order += [g] * len(rows)
                off += len(rows) * size
            else:
                rows_of[g].append(row)
                forms_of[g].append(form)
                order.append(g)
                off += size
                # a run of one: the messages after it are most often runs of one too (an
                # interleaved dump), taken by columns as far as their batches and keys are
                # known
                sigs[(n,) if lk is None else (n, lk)] = b
                off = self._ones(buf, off, end, seq, sigs, where, cols_of, rows_of, forms_of,
                                 order)
        if not order:
            return 0
        try:
            o.append(_text(cols_of, rows_of, forms_of, order))
        except Refused:
            self.refused = buf
            return 0
        return off - start

    def one(self, msg, mode):
        """The text of one message `msg` (its bytes, whole: an event) by what the runs of
        print mode `mode` already know of its batch and key, as __call__ would print it
        alone: a text, None where they know nothing of it yet (__call__ learns it), False
        where its key is refused (the general printer's).  The monitor's path for events
        that come one at a time: a message's length and layout, its key's bytes, its
        columns and their format, each by one C call, no run set up (~1.5 us of Python a
        call, most of an event's own work)."""
        per_mode = self.batches.get(mode)
        if per_mode is None:
            return None
        last = per_mode[2]          # the batch, raw key and known of the last one taken
        b = last[0]
        if b is not None and b.n == len(msg) and b.raw_key(msg, 0) == last[1]:
            # the key of the event before (a flood's events, most often): its raw key holds
            # the length, attribute heads and layout number, so its batch is this one's
            known = last[2]
        else:
            b = per_mode[1].get(self.probe(msg, 0))
            if b is None or b.n != len(msg):
                return None
            raw = b.raw_key(msg, 0)
            known = b.raw_known_get(raw)
            if known is None:
                return None
            last[0], last[1], last[2] = b, raw, known
        form = known[3]
        if not form:
            return False
        row = known[5](msg, 0)
        baking = known[9]
        baked = baking[1]
        if baked is not None and baked[0](row) == baked[1]:
            take, conversions, form = baked[2], baked[3], baked[4]
            if take is None:
                return form
        else:
            before = baking[0]
            if before is None:
                baking[0] = row
            elif before is not False:
                _bake(baking, form, known[6], row)
            take, conversions = known[8]
        values = list(take(row))
        try:
            for i, conv in conversions:
                values[i] = conv(values[i])
        except Refused:
            return False
        return form % tuple(values)

    def _ones(self, buf, off, end, seq, sigs, where, cols_of, rows_of, forms_of, order):
        """Take the messages at buf[off:] that are runs of one message each, of batches and
        keys already known (`sigs`: a message's length and layout number -> the batch last
        taken for them), into the groups of __call__; the offset of the first not taken.

        An interleaved dump's objects each differ from the next, and a run's per-message
        Python (shape, batch, row, key, format, group: ~1.5 us) would be most of an SA's
        cost; here a message costs one Python step (its length and layout number read, to
        find the next) and its row, key, format and group are read by C-level maps over a
        chunk of messages.  The pass stops at the first message whose batch or key is not
        known yet, or refused, or of another seq, and before one whose key its next message
        has (a run longer than one: __call__'s, which reads its rows by iter_unpack), and
        leaves it to __call__.  Chunks double from twice what the last pass took (at least
        ONES messages: a chunk's fixed work is ~10 % of an SA's in a chunk of 8), so what a
        pass reads past where it stops is bounded by what it and the last took."""
        probe, last = self.probe, end - self.probe_size
        want, took = self.ones, 0
        while True:
            offs, probes, at = [], [], off
            add_off, add_probe = offs.append, probes.append
            for _ in range(want):
                if at > last:
                    break
                p = probe(buf, at)
                size = (p[0] + 3) & ~3
                # (a message shorter than 16 bytes has no batch: it ends the pass below)
                if at + size > end or size < 16:
                    break
                add_off(at)
                add_probe(p)
                at += size
            bs = list(map(sigs.get, probes))
            if not all(bs):             # (all(): truth, where `in` compares each)
                del offs[bs.index(None):]
                del bs[len(offs):]
            if not offs:
                break
            keys = list(map(_call, map(_RAW_KEY, bs), repeat(buf), offs))
            same = list(map(eq, keys, islice(keys, 1, None)))
            if any(same):               # a longer run starts there: __call__'s
                j = same.index(True)
                del offs[j:], bs[j:], keys[j:]
            knowns = list(map(_call, map(_RAW_KNOWN, bs), keys))
            if not all(knowns):
                j = knowns.index(None)
                del offs[j:], knowns[j:]
            forms = list(map(_FORM, knowns))
            if not all(forms):          # refused before: the general printer's
                j = next(i for i, form in enumerate(forms) if not form)
                del offs[j:], knowns[j:], forms[j:]
            rows = list(map(_call, map(_READ, knowns), repeat(buf), offs))
            if seq is not None:
                seqs = list(map(_SEQ, rows))
                if seqs.count(seq) != len(seqs):
                    j = next(i for i, s in enumerate(seqs) if s != seq)
                    del offs[j:], rows[j:], knowns[j:], forms[j:]
            k = len(offs)
            if not k:
                break
            cids = list(map(_CID, knowns))
            first = cids[0]
            if cids.count(first) == k:
                g = where.get(first)
                if g is None:
                    g = where[first] = len(rows_of)
                    cols_of.append(knowns[0][6])
                    rows_of.append([])
                    forms_of.append([])
                rows_of[g] += rows
                forms_of[g] += forms
                order += [g] * k
            else:
                for cid in set(cids):
                    g = where.get(cid)
                    if g is None:
                        g = where[cid] = len(rows_of)
                        cols_of.append(knowns[cids.index(cid)][6])
                        rows_of.append([])
                        forms_of.append([])
                    mine = list(map(eq, cids, repeat(cid)))
                    rows_of[g] += compress(rows, mine)
                    forms_of[g] += compress(forms, mine)
                order += map(where.__getitem__, cids)
            took += k
            if k < len(probes) or k < want:
                off = offs[-1] + ((probes[k - 1][0] + 3) & ~3)
                break
            off = at
            want *= 2
        self.ones = max(ONES, min(ONES_MAX, 2 * took))
        return off

    def _more(self, b, buf, off, size, fit, seq, vkey, forms, row, form):
        """The rows (and their formats) of the run that starts with `row` at buf[off:]:
        the messages after it of its batch and variant."""
        rows, fl = [row], [form]
        it = b.st.iter_unpack(memoryview(buf)[off + size:off + fit * size])
        want = FIRST
        while True:
            chunk = list(islice(it, want))
            keys = list(map(b.key, chunk))
            if keys and keys.count(keys[0]) == len(keys):
                # one key all along (most chunks): compared, not hashed, per row
                fc = [forms.get(keys[0])] * len(keys)
            else:
                fc = list(map(forms.get, keys))
            while None in fc:
                j = fc.index(None)
                k = b.key(chunk[j])
                if not self._known(b, vkey, forms, k):
                    del chunk[j:], fc[j:]
                    break
                fc[j:] = map(forms.get, map(b.key, chunk[j:]))
            if False in fc:             # a key refused before: the run ends there
                j = fc.index(False)
                del chunk[j:], fc[j:]
            if seq is not None:
                seqs = list(map(b.seq, chunk))
                if seqs.count(seq) != len(seqs):    # another request's: the run ends there
                    j = next(i for i, s in enumerate(seqs) if s != seq)
                    del chunk[j:], fc[j:]
            rows += chunk
            fl += fc
            if len(chunk) < want:
                return rows, fl
            want *= 2

    def _known(self, b, vkey, forms, key):
        """The format of a key (made for a key not seen yet, and kept: False where the
        printer refuses it); a false value where there is none.  A row that is no message
        of the batch's shape (a message of another length or layout read at this one's, an
        interrupted dump's) is refused and not kept, as is a new key past MAX_FORMS."""
        form = forms.get(key)
        if form is not None:
            return form
        n, mtype, flags = key[:3]
        nheads = len(b.expect)
        if (n != b.n or mtype != self.mtype or flags & NLM_F_DUMP_INTR
                or key[3:3 + nheads] != b.expect or len(forms) >= MAX_FORMS):
            return False
        fields = dict.fromkeys(b.where)       # present, but not part of the key: None
        fields.update(zip(b.key_names, key))
        form = self.compose(fields, vkey)
        forms[key] = False if form is None else form
        return forms[key]


_specs = {}


def _conversions(form):
    """A format's literal text and conversion specifiers, alternating: [text, spec, text,
    ..., spec, text], one spec per value it formats ("%%" stays in the text)."""
    parts = _specs.get(form)
    if parts is None:
        parts, start, i, n = [], 0, 0, len(form)
        while True:
            i = form.find("%", i)
            if i < 0:
                break
            j = i + 1
            while form[j] in "#0- +.123456789":    # flags, width, precision
                j += 1
            if form[j] == "%":
                i = j + 1
                continue
            parts += [form[start:i], form[i:j + 1]]
            start = i = j + 1
        parts.append(form[start:n])
        if len(_specs) < MAX_FORMS:
            _specs[form] = parts
    return parts


def _bake(baking, form, ccols, row):
    """Runs.one()'s format for the events of one key (`form`, its columns `ccols`) with the
    columns that kept one value so far written into it, as _baked() does for a run: a
    monitor's events of one key most often differ in a few columns (a flood's addresses,
    priorities, reqids), and the others then cost one comparison together, not a
    conversion and a format each.

    `baking` is the key's [row, baked] (the last slot of its Runs._first() tuple): the row
    (None before its first event, False once given up) and what is baked from it, (reader
    of the kept columns, their values, reader of the others, their conversions, the
    format, the kept columns' positions).  The columns kept are those equal in the key's
    first two events, and then those that stay equal: each event that changes a kept
    column bakes the format again without it, so a key is baked at most once per column,
    never back and forth, and is given up once no column is left."""
    before, baked = baking
    keep = [k for k, (_, _, index) in enumerate(ccols)
            if row[index] == before[index] and (baked is None or k in baked[5])]
    baking[0], baking[1] = (row, None) if keep else (False, None)
    if not keep:
        return
    parts = _conversions(form)
    own, changing = [parts[0]], []
    try:
        for k, (_, convs, index) in enumerate(ccols):
            spec = parts[2 * k + 1]
            if k in keep:
                value = row[index]
                for conv in convs:
                    value = conv(value)
                own.append((spec % (value,)).replace("%", "%%"))
            else:
                own.append(spec)
                changing.append(ccols[k])
            own.append(parts[2 * k + 2])
    except Refused:
        baking[0] = False       # (its events are the general printer's)
        return
    at = [ccols[k][2] for k in keep]
    # (an itemgetter of one index gives the value, of two a tuple)
    same = itemgetter(*at) if len(at) > 1 else itemgetter(at[0], at[0])
    own = "".join(own)
    if changing:
        take, conversions = _single(changing)
    else:
        take, conversions, own = None, (), own % ()
    baking[1] = (same, same(row), take, conversions, own, frozenset(keep))


def _single(ccols):
    """How Runs.one() makes one row's values: an itemgetter of the columns (in print order)
    from what the columns-only reader reads, and the conversions, (position, converter)
    in the order they are applied (a column's converters one after the other)."""
    indices = [index for _, _, index in ccols]
    # (an itemgetter of one index gives the value itself, not a tuple)
    take = itemgetter(*indices) if len(indices) > 1 else \
        lambda row: tuple(row[i] for i in indices)
    return take, [(k, conv) for k, (_, convs, _) in enumerate(ccols) for conv in convs]


def _text(cols_of, rows_of, forms_of, order):
    """The text of the rows of runs in groups by the columns they are printed with (group
    g: cols_of[g], rows_of[g] and their formats forms_of[g]), `order` the group of each row
    in turn.  A group's rows are made into text together, as columns, whether its runs are
    next to each other or not; the texts are then taken from each group's in turn, by
    C-level maps."""
    if len(cols_of) == 1:
        return "".join(_texts(cols_of[0], rows_of[0], forms_of[0]))
    texts = [iter(_texts(*group)) for group in zip(cols_of, rows_of, forms_of)]
    return "".join(map(next, map(texts.__getitem__, order)))


def _texts(cols, rows, fl):
    """The texts of rows printed with one variant's columns, formats `fl` (one per row)."""
    if len(rows) >= BAKE:
        if fl.count(fl[0]) == len(fl):
            return _baked(fl[0], rows, cols)
        return _baked_forms(fl, rows, cols)
    if len(rows) == 1:
        row = rows[0]
        values = []
        for get, convs, _ in cols:
            value = get(row)
            for conv in convs:
                value = conv(value)
            values.append(value)
        return (fl[0] % tuple(values),)
    args, done = [], []
    for get, convs, _ in cols:
        args.append(_converted(list(map(get, rows)), convs, done) if convs
                    else map(get, rows))
    return map(str.__mod__, fl, zip(*args))


def _converted(col, convs, done=None):
    """A column's values through its converters, each value that repeats in it converted
    once: a dump's addresses come in runs (a peer's SAs, a subnet's policies) even where its
    shapes change from one object to the next, and a conversion (inet_ntoa()'s sprintf(),
    a slice) costs more than a look-up.  A column of values that mostly differ (SPIs) is
    converted value by value: a look-up would only add to each (whether they do is seen
    from its first values where it is long).  `done`: the columns of these rows converted
    so far, (values, converters, texts): a column equal to one of them, by the same
    converters, takes its texts (a larval SA's selector holds its own addresses, and an
    IPv6 address's inet_ntop() is ~4,000 instructions)."""
    if done is None:
        done = []
    for seen, seen_convs, texts in done:
        if seen_convs is convs and seen == col:
            return texts
    n = len(col)
    if n > 2 * SAMPLE and 2 * len(set(col[:SAMPLE])) > SAMPLE:
        distinct = None
    else:
        distinct = set(col)
        if 2 * len(distinct) > n:
            distinct = None
    if distinct is None:
        texts = col
        for conv in convs:
            texts = map(conv, texts)
        texts = list(texts)
    else:
        distinct = list(distinct)
        texts = distinct
        for conv in convs:
            texts = map(conv, texts)
        texts = list(map(dict(zip(distinct, texts)).__getitem__, col))
    done.append((col, convs, texts))
    return texts


def _baked_forms(fl, rows, cols):
    """The texts of rows printed with one variant's columns in formats that differ (`fl`:
    an interleaved dump's rows of a few kinds, grouped by their columns): where a column
    has one value all along the rows (the SAs' source, a larval SA's zero replay state, a
    selector's prefix lengths...), it is written into each of their formats, once, as
    _baked() does for one format, and the rows format only the columns that change."""
    fields = list(zip(*rows))
    n = len(rows)
    same, changing, done = [], [], []
    for _, convs, index in cols:
        col = fields[index]
        value = col[0]
        if col.count(value) == n:
            for conv in convs:
                value = conv(value)
            same.append((value,))
        else:
            same.append(None)
            changing.append(_converted(col, convs, done) if convs else col)
    if not changing:
        owns = {form: _own(form, same) % () for form in set(fl)}
        return map(owns.__getitem__, fl)
    owns = {form: _own(form, same) for form in set(fl)}
    return map(str.__mod__, map(owns.__getitem__, fl), zip(*changing))


def _own(form, same):
    """`form` with the values of the columns that keep one (`same`: (text,) for such a
    column, None for one that changes) written into it."""
    parts = _conversions(form)
    own = [parts[0]]
    for k, value in enumerate(same):
        spec = parts[2 * k + 1]
        own.append(spec if value is None else (spec % value).replace("%", "%%"))
        own.append(parts[2 * k + 2])
    return "".join(own)


def _baked(form, rows, cols):
    """The texts of rows of one format: where a column has one value all along the run (a
    run's templates, most of its selectors' address bytes and prefix lengths, its flags...),
    that value is converted and written into the run's own format, once, so the rows format
    only the columns that change (per row, the cost of a format goes with its conversions:
    ~1.7 us for a one-template policy's 15, ~0.7 us for its 5 that change).  The rows are
    read as columns by one zip(), not by an itemgetter call per row and column."""
    parts = _conversions(form)
    fields = list(zip(*rows))
    n = len(rows)
    own, changing, done = [parts[0]], [], []
    for k, (_, convs, index) in enumerate(cols):
        col = fields[index]
        spec = parts[2 * k + 1]
        value = col[0]
        if col.count(value) == n:           # the same raw value: the same text
            for conv in convs:
                value = conv(value)
            own.append((spec % (value,)).replace("%", "%%"))
        else:
            own.append(spec)
            changing.append(_converted(col, convs, done) if convs else col)
        own.append(parts[2 * k + 2])
    own = "".join(own)
    if not changing:
        return [own % ()] * n
    return map(own.__mod__, zip(*changing))
