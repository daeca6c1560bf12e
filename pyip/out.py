"""stdout/stderr as bytes, the way ip's stdio writes them (argv and kernel bytes that are not
UTF-8 come back out unchanged).

ip's stdout is a stdio stream: buffered, line-buffered on a terminal, and deaf to write
errors (a full disk, a closed descriptor: same output elsewhere, same exit status).  Its
stderr is unbuffered and just as deaf.  pyip writes its own bytes to fd 1 and 2 the same
way rather than through sys.stdout.buffer, which would report every failure (and once more
at interpreter exit), and which need not exist: a closed fd 1 makes sys.stdout None, and a
program using pyip may have put a StringIO there.

`_out` / `_err` may be set to any binary stream (tests, the Python API); while they are
None, the target is found from sys.stdout / sys.stderr at the first write after they
change, never at import.
"""
import os
import sys

_out = None
_err = None

# glibc's stdio block for a pipe or a file: what it writes out at a time, and so how much
# of its output a reader that leaves early (`| head`) or a signal lets out before ip ends.
_BLOCK = 4096


class FdWriter:
    """A descriptor written the way stdio writes it: errors are forgotten, as ip's are."""
    __slots__ = ("fd", "parts", "size", "line", "limit")

    def __init__(self, fd, buffered):
        self.fd = fd
        self.parts = []
        self.size = 0
        try:
            self.line = buffered and os.isatty(fd)
        except OSError:
            self.line = False
        self.limit = _BLOCK if buffered else 0

    def write(self, data):
        self.parts.append(data)
        self.size += len(data)
        if self.line and b"\n" in data:
            self.flush()
        elif self.size >= self.limit:
            if not self.limit:
                self.flush()
                return
            # whole blocks go, the rest waits, as stdio's buffer does.  Views, not copies:
            # where memory runs out (MemoryError) nothing written is lost or written twice
            data = memoryview(b"".join(self.parts))
            keep = len(data) % self.limit
            self.parts = [data[len(data) - keep:]] if keep else []
            self.size = keep
            self._write(data[:len(data) - keep])

    def flush(self):
        if self.parts:
            data = memoryview(b"".join(self.parts))
            self.parts = []
            self.size = 0
            self._write(data)

    def _write(self, data):
        done = 0
        while done < len(data):
            try:
                done += os.write(self.fd, data[done:])
            except OSError:
                return      # EPIPE with SIGPIPE ignored, ENOSPC, EBADF: ip carries on


class _Null:
    """A stream that was closed when pyip started: what ip writes there is lost."""

    def write(self, data):
        pass

    def flush(self):
        pass


class _Text:
    """A text stream put in sys.stdout's place (a StringIO): it gets the text."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, data):
        self.stream.write(data.decode("utf-8", "surrogateescape"))

    def flush(self):
        flush = getattr(self.stream, "flush", None)
        if flush is not None:
            flush()


_UNSEEN = object()
_found = {1: (_UNSEEN, None), 2: (_UNSEEN, None)}     # fd -> (sys stream, its writer)


def _target(fd):
    stream = sys.stdout if fd == 1 else sys.stderr
    seen, writer = _found[fd]
    if seen is stream:
        return writer
    if writer is not None:
        writer.flush()      # what went to the stream sys.stdout was before
    if stream is None:
        writer = _Null()
    elif stream is (sys.__stdout__ if fd == 1 else sys.__stderr__):
        writer = FdWriter(fd, fd == 1)
    else:
        buf = getattr(stream, "buffer", None)
        writer = buf if buf is not None else _Text(stream)
    _found[fd] = (stream, writer)
    return writer


def streams():
    """The binary streams stdout and stderr go to (None: the process's own)."""
    return _out, _err


def set_streams(stdout, stderr):
    """Send stdout and stderr to these binary streams (None: the process's own); a run of
    the API or a test does, and gives them back after."""
    global _out, _err
    _out, _err = stdout, stderr


def is_terminal():
    """isatty(fileno(stdout)) as ip asks it for colour: only the process's own stdout can be
    a terminal (a stream an API run or a test gives is not)."""
    if _out is not None:
        return False
    writer = _target(1)
    try:
        return isinstance(writer, FdWriter) and os.isatty(writer.fd)
    except OSError:
        return False


def write(text):
    (_out if _out is not None else _target(1)).write(
        text.encode("utf-8", "surrogateescape"))


# Whether what ip printed is out before an error: up to 7.0 ip fflush()es stdout after each
# object it prints (link, address, SA, policy ...), so on a shared pipe its output comes
# before a later error; from 7.1 (iproute2 b468824a) only monitors flush, and stdout goes
# out when its block fills or at exit.  `release` is the run's (major, minor), asked only
# here: pyip.main sets it to pyip.release.current (this module imports nothing of pyip).
FLUSHES_UNTIL = (7, 1)
release = None


def flushes_per_object():
    if release is None:
        return True
    try:
        return release() < FLUSHES_UNTIL
    except MemoryError:
        # (choosing the release may load a module: where memory has run out, the error
        # pyip is saying is that, and every release flushes what it printed first)
        return True


def error(text):
    if flushes_per_object():
        flush()
    e = _err if _err is not None else _target(2)
    e.write(text.encode("utf-8", "surrogateescape"))
    e.flush()


def write_flush(text):
    """write(text), then flush(): a monitor's events, which ip fflush()es, in one call; where
    nothing waits in pyip's own buffer, the text goes straight to the descriptor."""
    w = _out if _out is not None else _target(1)
    data = text.encode("utf-8", "surrogateescape")
    if type(w) is FdWriter and not w.parts:
        try:
            done = os.write(w.fd, data)
        except OSError:
            return          # as _write(): ip carries on
        if done < len(data):
            w._write(memoryview(data)[done:])
        return
    w.write(data)
    flush()


def flush():
    try:
        (_out if _out is not None else _target(1)).flush()
    except OSError:
        pass        # a stream given in sys.stdout's place that fails: as ip's stdio, quiet
