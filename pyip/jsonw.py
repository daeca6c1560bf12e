"""ip's JSON writer (lib/json_writer.c) and the print_* layer over it (lib/json_print.c).

ip writes JSON with its own writer, not a library: arrays keep their items on one line even
when pretty, and only object members start new lines.  The byte-for-byte result is what
this module reproduces; the text side (PRINT_FP) goes to the same output list so a printer
can be written once for both, the way ip's print_string(PRINT_ANY, key, fmt, value) is.
"""

_ESC = {"\t": "\\t", "\n": "\\n", "\r": "\\r", "\f": "\\f", "\b": "\\b", "\\": "\\\\",
        '"': '\\"'}
# The other control characters (and DEL) as jsonw_puts() writes them from iproute2 9e992607
# (7.0, "support control character escaping") on: \u00XX; before, the byte itself.
CONTROL_ESCAPED_SINCE = (7, 0)
_ESC_CONTROL = dict(_ESC, **{chr(c): "\\u%04x" % c for c in list(range(0x20)) + [0x7f]
                             if chr(c) not in _ESC})


def cx(value):
    """C's "%#x": no 0x for zero."""
    return "%#x" % value if value else "0"


def quote(text):
    if not text.isprintable() or '"' in text or "\\" in text:
        from pyip.release import since
        esc = _ESC_CONTROL if since(CONTROL_ESCAPED_SINCE) else _ESC
        text = "".join(esc.get(c, c) for c in text)
    return '"' + text + '"'


_keys = {}
_pretty_keys = {}


class Writer:
    """json_writer: depth, pretty, and the separator owed before the next value."""
    __slots__ = ("out", "depth", "pretty", "sep")

    def __init__(self, out, pretty=False):
        self.out = out
        self.depth = 0
        self.pretty = pretty
        self.sep = ""

    def _eol(self):
        if self.pretty:
            self.out.append("\n" + "    " * self.depth)

    def _eor(self):
        if self.sep:
            self.out.append(self.sep)
        self.sep = ","

    def name(self, name):
        out = self.out
        if self.sep:
            out.append(self.sep)
        if self.pretty:
            out.append("\n" + "    " * self.depth)
            key = _pretty_keys.get(name)
            if key is None:
                key = _pretty_keys[name] = quote(name) + ": "
        else:
            key = _keys.get(name)
            if key is None:
                key = _keys[name] = quote(name) + ":"
        out.append(key)
        self.sep = ""

    def field(self, name, text):
        """name then a value already in JSON form."""
        self.name(name)
        self.out.append(text)
        self.sep = ","

    def value(self, key, text):
        """A value already in JSON form: an object member under `key`, or (key None) an
        array item."""
        if key is None:
            self.raw(text)
        else:
            self.field(key, text)

    def raw(self, text):
        self._eor()
        self.out.append(text)

    def begin(self, c):
        self._eor()
        self.out.append(c)
        self.depth += 1
        self.sep = ""

    def end(self, c):
        self.depth -= 1
        if self.sep:
            self._eol()
        self.out.append(c)
        self.sep = ","

    def start_array(self):
        self.begin("[")
        if self.pretty:
            self.out.append(" ")

    def end_array(self):
        if self.pretty and self.sep:
            self.out.append(" ")
        self.sep = ""
        self.end("]")


class Printer:
    """print_*(PRINT_ANY | PRINT_FP | PRINT_JSON, key, fmt, value) over one output list.

    `jw` is None in text mode; `color` is None or the (attribute -> escape) palette.
    `pieces` and `forms` are memo() caches (and a fast path's formats) for one command's
    printing: they hold texts of its print options, so they live as long as the Printer."""
    __slots__ = ("out", "jw", "color", "pieces", "forms")

    def __init__(self, json=False, pretty=False, color=None):
        self.out = []
        self.jw = Writer(self.out, pretty) if json else None
        self.color = color
        self.pieces = {}
        self.forms = {}

    # text only (PRINT_FP)
    def fp(self, text):
        if self.jw is None:
            self.out.append(text)

    def nl(self, sl):
        if self.jw is None:
            self.out.append(sl)

    def ctext(self, attr, text):
        """color_fprintf: a coloured span when colours are on."""
        if self.color is not None and attr is not None:
            text = self.color[attr] + text + "\033[0m"
        self.out.append(text)

    # both sides (PRINT_ANY); fmt is applied to the text side only
    def memo(self, cache, key, fn, *args):
        """fn(*args)'s output, kept per key: a dump prints the same figures (flags, the
        mtu/qdisc/state line, -d details, zero counters) for device after device.  The
        key must hold every input fn reads; the JSON writer's state is added to it."""
        jw = self.jw
        if jw is not None:
            key = (key, jw.sep, jw.depth, jw.pretty)
        hit = cache.get(key)
        out = self.out
        if hit is None:
            start = len(out)
            fn(*args)
            hit = ("".join(out[start:]), jw.sep if jw is not None else "")
            del out[start:]
            if len(cache) < 4096:
                cache[key] = hit
        out.append(hit[0])
        if jw is not None:
            jw.sep = hit[1]

    def string(self, key, fmt, value, attr=None):
        jw = self.jw
        if jw is None:
            if attr is None or self.color is None:
                self.out.append(fmt % value)
            else:
                self.ctext(attr, fmt % value)
        else:
            jw.value(key, quote(value))

    def num(self, key, fmt, value):
        jw = self.jw
        if jw is None:
            self.out.append(fmt % value)
        else:
            jw.value(key, str(value))

    def hex0x(self, key, fmt, value):
        """print_0xhex: "%#llx" (fmt holds a %s for it) on both sides, a string in JSON."""
        if self.jw is None:
            self.out.append(fmt % cx(value))
        else:
            self.jstring(key, cx(value))

    def boolean(self, key, text, value=True):
        if self.jw is None:
            self.out.append(text)
        else:
            self.jw.value(key, "true" if value else "false")

    def null(self, key, fmt, value):
        if self.jw is None:
            self.out.append(fmt % value)
        else:
            self.jw.value(key, "null")

    # JSON only (PRINT_JSON)
    def jstring(self, key, value):
        if self.jw is not None:
            self.jw.value(key, quote(value))

    def jnum(self, key, value):
        if self.jw is not None:
            self.jw.value(key, str(value))

    def jbool(self, key, value):
        if self.jw is not None:
            self.jw.value(key, "true" if value else "false")

    def open_object(self, key=None):
        jw = self.jw
        if jw is not None:
            if key is not None:
                jw.name(key)
            jw.begin("{")

    def close_object(self):
        if self.jw is not None:
            self.jw.end("}")

    def open_array(self, key, text):
        """open_json_array(PRINT_ANY, ...): the text side prints `text`."""
        jw = self.jw
        if jw is None:
            self.out.append(text)
        else:
            if key is not None:
                jw.name(key)
            jw.start_array()

    def close_array(self, text):
        if self.jw is None:
            self.out.append(text)
        else:
            self.jw.end_array()

    def take(self):
        text = "".join(self.out)
        self.out.clear()
        return text
