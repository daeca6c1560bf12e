"""The Python API's surface (issue 23), without a kernel: what `import pyip` offers, the
object classes' field docs derived from the grammar's //@doc lines, the type hints, and the
monitor's iterator stopping every way it should (on a socket pair carrying recorded
events)."""
import inspect
import os
import socket
import threading
import time

import pytest

import pyip
from pyip import fielddocs
from pyip._tables import DOCS
from pyip.xfrm import msgs as m
from pyip.xfrm.events import Monitor
from tests.replay import recordings


def test_dir_pyip_has_the_handle_and_every_object_class():
    names = dir(pyip)
    assert {"IP", "IpError", "XfrmState", "XfrmPolicy", "XfrmTmpl", "Link", "CheckFinding",
            "Monitor", "Proto", "Named"} <= set(names)
    for name in pyip.__all__:
        assert inspect.isclass(getattr(pyip, name)), name
    with pytest.raises(AttributeError):
        pyip.NoSuchThing


def test_field_docs_are_the_grammars_meanings():
    for cls_name, fields in fielddocs.FIELDS.items():
        cls = getattr(pyip, cls_name)
        doc = cls.__doc__
        for field, ref in fields.items():
            assert field in cls.__slots__, (cls_name, field)
            assert ref.startswith("'") or ref in DOCS, (cls_name, field, ref)
            assert " ".join(fielddocs.meaning(ref).split()) in " ".join(doc.split())
    doc = " ".join(pyip.XfrmState.__doc__.split())
    assert "mode " + DOCS["state_add_word.mode"] in doc
    assert "tmpls " + DOCS["policy_add_word.tmpl"] in " ".join(pyip.XfrmPolicy.__doc__.split())


def test_the_public_api_is_typed_and_ships_py_typed():
    assert os.path.isfile(os.path.join(os.path.dirname(pyip.__file__), "py.typed"))
    for name, fn in inspect.getmembers(pyip.IP, inspect.isfunction):
        if not name.startswith("_") or name in ("__init__", "__enter__"):
            assert "return" in fn.__annotations__, name


def test_ip_error_text_falls_back_to_the_output():
    e = pyip.IpError("", 1, "error vti-okey: ...\ncheck: 1 error, 0 warnings, 0 notes\n")
    assert str(e) == "error vti-okey: ...\ncheck: 1 error, 0 warnings, 0 notes"
    assert (e.message, e.code) == ("", 1)
    assert str(pyip.IpError("RTNETLINK answers: File exists\n", 2, "x")) == \
        "RTNETLINK answers: File exists"


# ---- the monitor's iterator ------------------------------------------------------------------

class PairTransport:
    """One end of a datagram socket pair, as a netlink Transport is used by the monitor."""

    def __init__(self):
        self.sock, self.peer = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.closed = False

    def close(self):
        self.closed = True
        self.sock.close()


def _events():
    """Recorded XFRM event datagrams (what `ip xfrm monitor` received), and their count."""
    for _, rec in recordings():
        if "monitor" in rec["argv"]:
            for proto, h in rec["received"]:
                if proto == 6:
                    data = bytes.fromhex(h)
                    if len(data) >= 16 and data[4] in (m.XFRM_MSG_NEWPOLICY, m.XFRM_MSG_NEWSA):
                        yield data


def test_monitor_yields_decoded_objects_and_ends_on_its_timeout():
    t = PairTransport()
    sent = list(_events())[:5]
    assert sent
    for d in sent:
        t.peer.send(d)
    t0 = time.monotonic()
    with Monitor(t, timeout=0.2) as events:
        got = list(events)
    assert [type(e).__name__ for e in got] == [
        "XfrmPolicy" if d[4] == m.XFRM_MSG_NEWPOLICY else "XfrmState" for d in sent]
    assert time.monotonic() - t0 >= 0.2 and t.closed


def test_monitor_stop_from_another_thread_ends_a_blocked_iteration():
    t = PairTransport()
    mon = Monitor(t)
    got = []
    th = threading.Thread(target=lambda: got.extend(mon))
    th.start()
    time.sleep(0.1)
    t.peer.send(next(_events()))
    time.sleep(0.1)
    mon.stop()
    th.join(5)
    assert not th.is_alive() and len(got) == 1 and t.closed
    assert list(mon) == []
    mon.close()                     # closing twice does nothing


def test_monitor_closed_by_leaving_its_with_block():
    t = PairTransport()
    with Monitor(t, timeout=5) as mon:
        pass
    assert t.closed and list(mon) == []


def test_monitor_raises_out_of_the_loop_and_closes_with_its_with_block():
    t = PairTransport()
    ran = []
    threading.Timer(0.2, lambda: os.kill(os.getpid(), 2)).start()    # Ctrl-C
    with pytest.raises(KeyboardInterrupt):
        try:
            with Monitor(t) as mon:
                for _ in mon:
                    pass
        finally:
            ran.append(True)
    assert ran == [True] and t.closed
