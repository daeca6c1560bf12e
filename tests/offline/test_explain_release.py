"""explain follows the run's iproute2 release: a word only some releases read says what it
needs ("needs ip 6.11 or later and kernel 6.10 or later", from the grammar's gates), and
where the run's release refuses it, the hint says why.  The verdict itself is the command
run as that release (capture), so a hint is only ever given where that ip refuses."""
import pytest

from pyip import release
from pyip.explain.report import Explanation

SA = ("xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x100 enc cbc(aes) "
      "0x00112233445566778899aabbccddeeff").split()
POLICY = "xfrm policy add src 10.0.0.0/24 dst 10.0.1.0/24 dir out".split()


def explain(monkeypatch, rel, words):
    monkeypatch.setenv(release.ENV, rel)
    monkeypatch.setattr(release.opts, "release", None)
    e = Explanation(words)
    return e, e.text()


def group(e, key):
    found = [g for g in e.reading.groups if g.key == key]
    assert found, [g.key for g in e.reading.groups]
    return found[0]


# (words, gate key, the release the run follows, what it needs, words the alternative took)
REFUSED = [
    (SA + ["dir", "out"], "state_add_word.dir", "6.1",
     "needs ip 6.11 or later and kernel 6.10 or later", "dir out"),
    (SA + ["dir", "out", "pcpu-num", "1"], "state_add_word.pcpu_num", "6.15",
     "needs ip 6.19 or later and kernel 6.13 or later", "pcpu-num 1"),
    (SA + ["offload", "packet", "dev", "lo", "dir", "out"], "state_add_word.offload_mode",
     "6.1", "needs ip 6.2 or later", "offload packet dev lo dir out"),
    (POLICY + ["offload", "packet", "dev", "lo"], "policy_add_word.offload", "6.1",
     "needs ip 6.2 or later and kernel 6.2 or later", "offload packet dev lo"),
    ("xfrm policy setdefault in allow".split(), "policy_default_action.allow", "6.1",
     "needs ip 6.3 or later", "allow"),
]


@pytest.mark.parametrize("words, key, rel, needs, took", REFUSED)
def test_an_older_release_refuses_a_newer_word_and_the_hint_says_why(
        monkeypatch, words, key, rel, needs, took):
    e, text = explain(monkeypatch, rel, words)
    assert not e.run.accepted and e.run.rc == 255
    hint = [h for h in e.hints if "the release this run follows" in h]
    assert len(hint) == 1, e.hints
    assert hint[0].startswith('ip %s (the release this run follows) refuses "%s"' % (rel, took))
    assert needs in hint[0]
    assert " ".join(("Hint: " + hint[0]).split()) in " ".join(text.split())
    assert release.opts.release == release.parse(rel)      # restored after the hint's reading


@pytest.mark.parametrize("words, key, rel, needs, took", REFUSED)
def test_the_newest_release_takes_it_and_says_what_it_needs(
        monkeypatch, words, key, rel, needs, took):
    e, text = explain(monkeypatch, "7.3", words)
    assert e.run.accepted, e.run.stderr
    assert not any("the release this run follows" in h for h in e.hints)
    g = group(e, key)
    assert g.meaning.endswith("; " + needs) and g.text == took
    assert "Verdict\n  ip accepts this command" in text


def test_a_kernel_only_gate_is_said_without_an_ip_release(monkeypatch):
    e, _ = explain(monkeypatch, "7.3", SA + ["offload", "packet", "dev", "lo", "dir", "out"])
    assert group(e, "offload_mode.packet").meaning.endswith("; needs kernel 6.2 or later")


def test_a_word_a_release_no_longer_reads_is_explained_both_ways(monkeypatch):
    """parse_on_off()'s prefixes, //@until 6.8: 6.1 reads "o" as "off", 7.3 refuses it."""
    words = "link set lo carrier o".split()
    e, _ = explain(monkeypatch, "6.1", words)
    assert group(e, "on_off_prefix.off_prefix").meaning == \
        'clear it (a prefix of "off"); read by ip up to 6.7 only'
    e, _ = explain(monkeypatch, "7.3", words)
    assert not e.run.accepted and e.run.rc == 22
    assert 'ip 7.3 (the release this run follows) refuses "o" (clear it (a prefix of ' \
        '"off")): it is read by ip up to 6.7 only.' in e.hints


@pytest.mark.parametrize("rel", ["6.1", "7.3"])
def test_what_no_release_reads_says_so(monkeypatch, rel):
    e, _ = explain(monkeypatch, rel, SA + ["mode", "iptfs"])
    assert not e.run.accepted
    assert any("no ip release up to 7.3 reads it" in h for h in e.hints), e.hints
    assert not any("the release this run follows" in h for h in e.hints)


def test_words_every_release_reads_say_nothing_of_releases(monkeypatch):
    e, _ = explain(monkeypatch, "6.1", SA)
    assert e.run.accepted
    assert not any("needs ip" in g.meaning or "read by ip" in g.meaning
                   for g in e.reading.groups)
