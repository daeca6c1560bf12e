"""Which iproute2 release a run follows (pyip.release), and the gates that make one code base
behave as each: //@since alternatives in the walk, KEY@X.Y texts, tables by first release.
What each verified release prints and sends is held by its golden recordings
(golden/rec/releases/, replayed in test_golden.py); here: the choice, and releases between."""
import io
import os

import pytest

from pyip import release
from pyip.context import Context
from pyip.main import main

FAKE_IP = "#!/bin/sh\necho 'ip utility, iproute2-%s, libbpf 1.1.2'\n"


def run(argv):
    """(stdout, stderr, rc) of one in-process run."""
    stdout, stderr = io.BytesIO(), io.BytesIO()
    rc = main(list(argv), Context(stdout=stdout, stderr=stderr))
    return stdout.getvalue().decode(), stderr.getvalue().decode(), rc


@pytest.fixture
def system(monkeypatch, tmp_path):
    """A system ip of a given version first on PATH, and a fresh cache; no PYIP_IPROUTE2."""
    monkeypatch.delenv(release.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    bindir = tmp_path / "bin"
    bindir.mkdir()
    monkeypatch.setenv("PATH", str(bindir))

    def make(version):
        ip = bindir / "ip"
        ip.write_text(FAKE_IP % version)
        os.chmod(ip, 0o755)
        return ip
    return make


def version_line(argv=("-V",)):
    out, err, rc = run(argv)
    assert (err, rc) == ("", 0)
    return out


@pytest.mark.parametrize("text, want", [("6.1", (6, 1)), ("6.15.0", (6, 15)), ("7.3", (7, 3)),
                                        ("iproute2-6.19.0", (6, 19)), ("v7.0.0", (7, 0)),
                                        ("6", None), ("6.x", None), ("", None),
                                        ("6.1.0.1", None)])
def test_a_release_is_read_from_its_name(text, want):
    assert release.parse(text) == want


def test_the_system_ip_is_followed_and_asked_once(system, tmp_path):
    system("6.15.0")
    assert version_line() == "pyip utility, pyip-0.1.0 (iproute2-6.15.0)\n"
    cache = tmp_path / "cache" / "pyip" / "iproute2"
    key, value = cache.read_text().rstrip("\n").rsplit(" ", 1)
    assert value == "6.15"
    # the answer is the cache's while the binary is the same one: no second `ip -V`
    cache.write_text("%s 7.0\n" % key)
    assert version_line() == "pyip utility, pyip-0.1.0 (iproute2-7.0.0)\n"


def test_another_binary_is_asked_again(system, tmp_path):
    system("6.15.0")
    version_line()
    system("7.3.0-extra")          # a new file: another identity (size, mtime, inode)
    assert version_line() == "pyip utility, pyip-0.1.0 (iproute2-7.3.0)\n"


@pytest.mark.parametrize("version, followed", [("5.15.0", "6.1.0"), ("7.9.0", "7.3.0"),
                                               ("6.19.0", "6.19.0")])
def test_a_system_ip_out_of_range_is_followed_as_the_nearest(system, version, followed):
    system(version)
    assert version_line() == "pyip utility, pyip-0.1.0 (iproute2-%s)\n" % followed


def test_without_a_system_ip_the_newest_verified_is_followed(system, monkeypatch):
    from pyip import delegate
    monkeypatch.setattr(delegate, "FALLBACKS", ())
    assert version_line() == "pyip utility, pyip-0.1.0 (iproute2-7.3.0)\n"


def test_the_environment_and_the_option_override_the_system_ip(system, monkeypatch):
    system("6.1.0")
    monkeypatch.setenv(release.ENV, "6.15")
    assert version_line() == "pyip utility, pyip-0.1.0 (iproute2-6.15.0)\n"
    # pyip's own option, first on the line, over the environment
    assert version_line(["--iproute2=7.0", "-V"]) == "pyip utility, pyip-0.1.0 (iproute2-7.0.0)\n"


@pytest.mark.parametrize("argv, env, where", [(["--iproute2=5.4", "-V"], None, "--iproute2"),
                                              (["-V"], "x", "PYIP_IPROUTE2"),
                                              (["xfrm", "state", "count"], "8.0", "PYIP_IPROUTE2")])
def test_a_release_pyip_does_not_follow_is_refused_before_anything_runs(
        monkeypatch, argv, env, where):
    if env is None:
        monkeypatch.delenv(release.ENV, raising=False)
    else:
        monkeypatch.setenv(release.ENV, env)
    out, err, rc = run(argv)
    assert (out, rc) == ("", 255)
    assert err.startswith("pyip: %s " % where) and "6.1 to 7.3" in err


def test_the_option_is_no_prefix_of_an_ip_option():
    """ip matches its options as prefixes of its names (-V, -iec, ...): a word with "=" and
    digits after "--iproute2" is none of them."""
    from pyip._tables import TABLES
    for keyword, _, _, _ in TABLES["option"]:
        assert not keyword.startswith(release.OPTION[1:].rstrip("=")), keyword


def test_the_run_keeps_its_release_and_the_next_run_chooses_again(monkeypatch):
    monkeypatch.setenv(release.ENV, "6.15")
    ctx = Context(stdout=io.BytesIO(), stderr=io.BytesIO())
    main(["-V"], ctx)
    assert ctx.opts.release == (6, 15)
    ctx.new_run()
    assert ctx.opts.release is None
    pinned = Context(stdout=io.BytesIO(), stderr=io.BytesIO(), release=(7, 3))
    pinned.new_run()
    assert pinned.opts.release == (7, 3)


# ---- releases between the verified ones follow from the gates -------------------------------

SA = ["xfrm", "state", "allocspi", "src", "10.0.0.1", "dst", "10.0.0.2", "proto", "esp"]


def refused_word(monkeypatch, rel, words):
    """What pyip says of words when following rel (the kernel is never reached: the words
    end in an error or the transport is refused)."""
    monkeypatch.setenv(release.ENV, rel)
    from tests.replay import run as replay_run
    os.environ[release.ENV] = rel
    out, err, rc, sent = replay_run({"argv": ["ip"] + words, "stdin": None, "received": [],
                                     "ip": "ip utility, iproute2-%s.0" % rel})
    return err, rc


@pytest.mark.parametrize("rel, said", [
    ("6.10", 'Error: argument "dir" is wrong: unknown\n'),
    ("6.11", 'Error: argument "sideways" is wrong: DIR value is not "in" or "out"\n')])
def test_sa_dir_comes_with_6_11(monkeypatch, rel, said):
    assert refused_word(monkeypatch, rel, SA + ["dir", "sideways"]) == (said, 255)


@pytest.mark.parametrize("rel, said", [
    ("6.18", 'Error: argument "pcpu-num" is wrong: unknown\n'),
    ("6.19", 'Error: argument "x" is wrong: value after "pcpu-num" is invalid\n')])
def test_pcpu_num_comes_with_6_19(monkeypatch, rel, said):
    assert refused_word(monkeypatch, rel, SA + ["pcpu-num", "x"]) == (said, 255)


@pytest.mark.parametrize("rel, said", [("6.2", "in policy value is invalid"),
                                       ("6.3", "fwd policy value is invalid")])
def test_setdefault_allow_comes_with_6_3(monkeypatch, rel, said):
    err, rc = refused_word(monkeypatch, rel, ["xfrm", "policy", "setdefault", "in", "allow",
                                              "fwd", "nope"])
    assert err.endswith("%s\n" % said) and rc == 255


@pytest.mark.parametrize("rel, said", [("6.12", "is a garbage"), ("6.13", "is garbage")])
def test_garbage_loses_its_article_in_6_13(monkeypatch, rel, said):
    err, rc = refused_word(monkeypatch, rel, ["xfrm", "policy", "get", "src", "1.1.1.1",
                                              "dir", "in", "index", "3"])
    assert err == 'Error: either "SELECTOR" is duplicate, or "INDEX" %s.\n' % said


@pytest.mark.parametrize("rel, line", [("6.1", "[ offload [dev DEV] dir DIR ]"),
                                       ("6.2", "[ offload [ crypto | packet ] dev DEV dir DIR ]")])
def test_usage_texts_follow_the_release(monkeypatch, rel, line):
    err, rc = refused_word(monkeypatch, rel, ["xfrm", "state", "help"])
    assert line in err and ("[ dir DIR ]" in err) is False and rc == 255


def test_every_gate_names_an_alternative_of_the_grammar():
    from pyip._rules import RULES, SINCE
    for key, first in SINCE.items():
        rule, alias = key.split(".")
        alts = RULES[rule][1:] if RULES[rule][0] == "alt" else (RULES[rule],)
        assert any(a[0] == "as" and a[1] == alias for a in alts), key
        assert release.OLDEST < first <= release.NEWEST, key


@pytest.mark.parametrize("rel, said", [("6.8", "Usage: ip [ OPTIONS ] OBJECT"),
                                       ("6.9", 'Error: argument "loop count" is required')])
def test_a_missing_option_value_is_named_from_6_9(monkeypatch, rel, said):
    err, rc = refused_word(monkeypatch, rel, ["-loops"])
    assert err.startswith(said) and rc == 255


def test_netns_pid_is_opened_by_ip_from_6_12(monkeypatch):
    words = ["link", "set", "dev", "lo", "netns", "999999"]
    # 6.11: the pid is the kernel's to look up: parsed, then the kernel asked (no replies here)
    err, _ = refused_word(monkeypatch, "6.11", words)
    assert "Invalid" not in err and "OutOfReplies" in err
    # 6.12: ip opens /proc/999999/ns/net itself, and says so when it cannot
    assert refused_word(monkeypatch, "6.12", words) == (
        'Error: argument "999999" is wrong: Invalid "netns" value\n\n', 255)


@pytest.mark.parametrize("rel, text", [("6.19", '"a\x01b\x7f\\t"'),
                                       ("7.0", '"a\\u0001b\\u007f\\t"')])
def test_json_escapes_control_characters_from_7_0(monkeypatch, rel, text):
    from pyip import jsonw
    monkeypatch.setattr(release.opts, "release", release.parse(rel))
    assert jsonw.quote("a\x01b\x7f\t") == text


@pytest.mark.parametrize("rel", ["6.7", "6.8"])
def test_on_off_prefixes_end_with_6_8(monkeypatch, rel):
    """parse_on_off(): "o" is "off" up to 6.7 (the kernel is asked: no replies here), a
    refused word from 6.8 (5ba57152)."""
    err, rc = refused_word(monkeypatch, rel, ["link", "set", "lo", "carrier", "o"])
    if rel == "6.7":
        assert "OutOfReplies" in err
    else:
        assert (err, rc) == ('Error: argument of "carrier" must be one of "off", "on", '
                             'not "o"\n', 22)


def test_every_until_gate_names_an_alternative_of_the_grammar():
    from pyip._rules import RULES, UNTIL
    for key, first in UNTIL.items():
        rule, alias = key.split(".")
        assert any(a[0] == "as" and a[1] == alias for a in RULES[rule][1:]), key
        assert release.OLDEST < first <= release.NEWEST, key


@pytest.mark.parametrize("rel, text", [("6.14", "4611686018427387904"),
                                       ("6.15", "invalid-time")])
def test_a_time_localtime_cannot_tell_is_invalid_time_from_6_15(monkeypatch, rel, text):
    """(ip before 6.15 crashes there: pyip prints the seconds.)"""
    from pyip.xfrm.common import strxf_time
    monkeypatch.setattr(release.opts, "release", release.parse(rel))
    assert strxf_time(1 << 62) == text


@pytest.mark.parametrize("rel, env, option", [("6.8", {}, 0), ("6.9", {}, 1),
                                              ("6.14", {"NO_COLOR": "1"}, 1),
                                              ("6.15", {"NO_COLOR": "1"}, 0),
                                              ("6.15", {"NO_COLOR": ""}, 1)])
def test_the_colour_default_follows_the_release(monkeypatch, rel, env, option):
    from pyip.link.show import color_option
    monkeypatch.delenv("NO_COLOR", raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setattr(release.opts, "release", release.parse(rel))
    monkeypatch.setattr(release.opts, "color", None)
    assert color_option() == option


def test_an_api_run_is_no_terminal():
    """Colour "auto" asks whether stdout is a terminal: a run writing into a given stream
    never is, whatever the process's own fd 1 is."""
    from pyip import out
    saved = out.streams()
    out.set_streams(io.BytesIO(), io.BytesIO())
    try:
        assert out.is_terminal() is False
    finally:
        out.set_streams(*saved)
