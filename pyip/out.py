"""stdout/stderr as bytes, the way ip's stdio writes them (argv and kernel bytes that are not
UTF-8 come back out unchanged).  A run (pyip.context) may point them elsewhere."""
import sys


class _Text:
    """Bytes onto a text stream that has no buffer under it (a StringIO put in sys.stdout
    by a caller, or none at all): decoded as they were encoded."""
    __slots__ = ("stream",)

    def __init__(self, stream):
        self.stream = stream

    def write(self, data):
        if self.stream is not None:
            self.stream.write(data.decode("utf-8", "surrogateescape"))

    def flush(self):
        if self.stream is not None and hasattr(self.stream, "flush"):
            self.stream.flush()


def binary(stream):
    buf = getattr(stream, "buffer", None)
    return buf if buf is not None else _Text(stream)


_out = binary(sys.stdout)
_err = binary(sys.stderr)


def write(text):
    _out.write(text.encode("utf-8", "surrogateescape"))


def error(text):
    _out.flush()
    _err.write(text.encode("utf-8", "surrogateescape"))
    _err.flush()


def flush():
    _out.flush()
