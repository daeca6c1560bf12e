"""Which ip pyip hands what it does not implement to (pyip.delegate), and what it says where
there is none."""
import os

from pyip import delegate


def test_no_other_ip_on_path_or_in_sbin_is_none(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(delegate, "FALLBACKS", ())
    assert delegate.system_ip() is None


def test_a_script_naming_pyip_is_not_taken_for_ip(monkeypatch, tmp_path):
    wrapper = tmp_path / "ip"
    wrapper.write_text('#!/bin/sh\nexec pyip "$@"\n')
    os.chmod(wrapper, 0o755)
    other = tmp_path / "sbin"
    other.mkdir()
    real = other / "ip"
    real.write_bytes(b"\x7fELF" + bytes(60))
    os.chmod(real, 0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(delegate, "FALLBACKS", (str(other),))
    assert delegate.system_ip() == str(real)


def test_in_process_an_object_pyip_does_not_cover_is_todays_message(capsys):
    from tests.replay import run
    rec = {"received": [], "stdin": None, "argv": ["ip", "route", "show"]}
    stdout, stderr, rc, sent = run(rec)
    assert (stdout, rc, sent) == ("", 1, [])
    assert stderr == ('Object "route" is not implemented by pyip (it covers xfrm and link); '
                      'use "ip route".\n')
