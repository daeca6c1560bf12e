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
same columns wherever they lie (an interleaved dump's).  A message no run takes goes through
the per-message printer once, as do messages a converter refuses (Refused) and the rest of
their buffer.  A run reads no more rows than about twice what it takes, so a dump of shapes
the runs refuse costs the per-message printer per object, never a re-read of the rest of the
buffer per object.  tests/offline/test_fast_paths.py holds the runs to the general printers'
text."""
from _operator import itemgetter, methodcaller
from _functools import partial
from itertools import islice
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


class Refused(Exception):
    """Raised by a converter for a value only the general printer prints."""


# C's %#x (common.hash_x()) by C functions alone, for a column converter: a dump's marks
# rarely repeat, and a Memo's miss is a Python call.  Python's %#x differs for 0 alone
# ("0x0", which no other value's text holds), where C prints "0".
HASH_X = ("%#x".__mod__, methodcaller("replace", "0x0", "0"))


def address_text(family):
    """A converter of 16-byte xfrm addresses to text, C functions only where it can: a dump's
    selectors rarely repeat an address, and a cache miss costs a Python call."""
    if family == AF_INET:
        return (_FIRST4, inet_ntoa)
    if family == AF_INET6:
        return partial(inet_ntop, AF_INET6)
    texts = TEXTS.get(family)
    return None if texts is None else texts.__getitem__


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


class Batch:
    """A Shape laid out for runs: the rows' Struct, `key` (itemgetter) and its field names,
    where each named field is, `expect` (the Shape's attribute heads, which a row's key
    holds after its header) and the variants (forms and columns) made so far."""
    __slots__ = ("n", "st", "key", "key_names", "seq", "where", "expect", "variants", "known")


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
        self.batches = {}
        self.refused = None         # the buffer a converter refused a value of

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
        heads = ["@%d.%s" % (i, w) for i in range(len(shape.formats)) for w in ("len", "type")]
        b.key_names = ["@len", "@mtype", "@flags"] + heads + [k for k in self.key_names
                                                             if k in where]
        b.key = itemgetter(*[where[k] for k in b.key_names])
        b.seq = itemgetter(where["@seq"])
        b.expect = shape.expect
        return b

    def _first(self, b, mode, key, row):
        """What a run starting with `row` (of key `key`, in print mode `mode`) is printed
        with: its variant, that variant's formats and columns, and its format (False: the
        general printer's), kept for the next run of that key (the variant is a function
        of the key's fields)."""
        first = {k: row[i] for k, i in b.where.items()}
        vkey = (mode, self.variant(first))
        v = b.variants.get(vkey)
        if v is None:
            cols = self.columns(vkey, b)
            v = b.variants[vkey] = ({}, [] if cols is None else [
                (itemgetter(b.where[f]), () if conv is None else
                 conv if type(conv) is tuple else (conv,), b.where[f])
                for f, conv in cols if f in b.where])
        forms, cols = v
        form = self._known(b, vkey, forms, key) if cols else False
        known = (vkey, forms, cols, form)
        if form is not None and len(b.known) < MAX_FORMS:
            b.known[key] = known
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
        batches = self.batches.get(mode)
        if batches is None:
            batches = self.batches[mode] = {}
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
                known = self._first(b, mode, key, row)
            vkey, forms, cols, form = known
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
        if not order:
            return 0
        try:
            o.append(_text(cols_of, rows_of, forms_of, order))
        except Refused:
            self.refused = buf
            return 0
        return off - start

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
    if len(rows) >= BAKE and fl.count(fl[0]) == len(fl):
        return _baked(fl[0], rows, cols)
    if len(rows) == 1:
        row = rows[0]
        values = []
        for get, convs, _ in cols:
            value = get(row)
            for conv in convs:
                value = conv(value)
            values.append(value)
        return (fl[0] % tuple(values),)
    args = []
    for get, convs, _ in cols:
        args.append(_converted(list(map(get, rows)), convs) if convs else map(get, rows))
    return map(str.__mod__, fl, zip(*args))


def _converted(col, convs):
    """A column's values through its converters, each value that repeats in it converted
    once: a dump's addresses come in runs (a peer's SAs, a subnet's policies) even where its
    shapes change from one object to the next, and a conversion (inet_ntoa()'s sprintf(),
    a slice) costs more than a look-up.  A column of values that mostly differ (SPIs) is
    converted value by value: a look-up would only add to each."""
    distinct = set(col)
    if 2 * len(distinct) > len(col):
        for conv in convs:
            col = map(conv, col)
        return col
    distinct = list(distinct)
    texts = distinct
    for conv in convs:
        texts = map(conv, texts)
    return map(dict(zip(distinct, texts)).__getitem__, col)


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
    own, changing = [parts[0]], []
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
            changing.append(_converted(col, convs) if convs else col)
        own.append(parts[2 * k + 2])
    own = "".join(own)
    if not changing:
        return [own % ()] * n
    return map(own.__mod__, zip(*changing))
