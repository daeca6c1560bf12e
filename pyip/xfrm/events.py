"""pyip.IP.monitor(): the XFRM events of one namespace as decoded objects, what `ip xfrm
monitor` prints as text.

    with ip.monitor("policy", timeout=2) as events:
        for e in events:            # XfrmPolicy (e.event: None new, "deleted", "updated",
            ...                     # "expired"), XfrmState, Flush, Acquire, Aevent, ...

The socket joins its groups when monitor() returns, so every change made after that is seen.
Iteration ends (StopIteration) after `timeout` seconds without an event (None: never), after
stop() (from any thread, a signal handler included), or once the monitor is closed; leaving
the `with` block closes it.  Nothing is done to the process's signals: Ctrl-C in the main
thread raises KeyboardInterrupt out of the loop, so `finally` and `with` run.  A monitor
may be iterated on any thread (one at a time)."""
from __future__ import annotations

import errno
import os
import select
import threading

from pyip.netlink import HDR, NLMSG_DONE, NLMSG_ERROR, NLMSG_NOOP
from pyip.xfrm.messages import decode_message

# ip's rtnl_listen() reads datagrams of up to this many bytes
RECV_SIZE = 16384
_CONTROL = (NLMSG_ERROR, NLMSG_NOOP, NLMSG_DONE)


class Monitor:
    """An iterator of XFRM events (see the module's text).  `lost`: how often the kernel
    dropped events because they came faster than they were read (ENOBUFS; ip prints
    "netlink receive error" then and goes on, as this does)."""

    def __init__(self, transport, timeout: float | None = None) -> None:
        self._transport = transport
        self.timeout = timeout
        self.lost = 0
        self._queue = []
        # stop() writes a byte here: select() wakes, whichever thread iterates
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_w, False)
        self._lock = threading.Lock()
        self._busy = False          # a thread is in __next__
        self._stopped = self._closed = False

    def __iter__(self) -> Monitor:
        return self

    def __enter__(self) -> Monitor:
        return self

    def __exit__(self, *exc: object) -> bool:
        self.close()
        return False

    def stop(self) -> None:
        """End the iteration (a thread waiting for an event returns at once)."""
        self._stopped = True
        try:
            os.write(self._wake_w, b"x")
        except OSError:             # closed already, or the pipe is full: it wakes anyway
            pass

    def close(self) -> None:
        """Stop and give the socket back (a thread iterating closes it when it wakes)."""
        self.stop()
        with self._lock:
            if self._busy or self._closed:
                return
            self._release()

    def _release(self):
        self._closed = True
        self._transport.close()
        os.close(self._wake_r)
        os.close(self._wake_w)

    def __next__(self) -> object:
        with self._lock:
            if self._closed or self._busy:
                if self._busy:
                    raise RuntimeError("pyip monitor: already iterated by another thread")
                raise StopIteration
            self._busy = True
        try:
            return self._next()
        finally:
            with self._lock:
                self._busy = False
                if self._stopped and not self._closed and not self._queue:
                    self._release()

    def _next(self):
        if self._stopped:           # what was read but not yet taken is dropped
            self._queue.clear()
            raise StopIteration
        sock = self._transport.sock
        while not self._queue:
            ready, _, _ = select.select([sock, self._wake_r], [], [], self.timeout)
            if not ready:
                self._stopped = True        # the timeout: nothing came
                raise StopIteration
            if self._wake_r in ready:
                raise StopIteration
            try:
                data = sock.recv(RECV_SIZE)
            except OSError as e:
                if e.errno == errno.ENOBUFS:
                    self.lost += 1
                    continue
                raise
            self._queue.extend(_messages(data))
        return self._queue.pop(0)


def _messages(data):
    """The decoded objects of one datagram (a malformed length ends it, as ip's does)."""
    out = []
    off = 0
    while len(data) - off >= 16:
        n = HDR.unpack_from(data, off)[0]
        if n < 16 or off + n > len(data):
            break
        msg = data[off:off + n]
        if msg[4] | msg[5] << 8 not in _CONTROL:
            out.append(decode_message(msg))
        off += (n + 3) & ~3
    return out
