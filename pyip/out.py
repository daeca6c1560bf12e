"""stdout/stderr as bytes, the way ip's stdio writes them (argv and kernel bytes that are not
UTF-8 come back out unchanged)."""
import sys

_out = sys.stdout.buffer
_err = sys.stderr.buffer


def write(text):
    _out.write(text.encode("utf-8", "surrogateescape"))


def error(text):
    _out.flush()
    _err.write(text.encode("utf-8", "surrogateescape"))
    _err.flush()


def flush():
    _out.flush()
