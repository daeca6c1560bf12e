"""Completion follows the run's iproute2 release: a word an alternative gated //@since a
later release (or //@until this one) is not offered, because ip of that release refuses it.
The judge is the walk that runs commands (pyip.grammar.walk, the reading of ip's loops),
not the completion's own reading: for every gated alternative of the grammar and releases
on each side of its gate, completion offers the word exactly where the walk takes it, and
goes on after it exactly where the walk took it."""
import pytest

from pyip import complete, release
from pyip._rules import SINCE, UNTIL
from pyip.grammar import walk

SA = "src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x100".split()
POLICY = "src 10.0.0.0/24 dst 10.0.1.0/24 dir out".split()

# gate key -> (command words, the walk's start rule (it reads the words after them), words
# before the gated one, the gated word, the words after it that complete it)
CASES = {
    "state_add_word.dir": ("xfrm state add", "state_add", SA, "dir", "out"),
    "state_add_word.pcpu_num": ("xfrm state update", "state_add", SA, "pcpu-num", "1"),
    "state_add_word.offload_mode": ("xfrm state add", "state_add", SA + ["offload"],
                                    "packet", "dev eth0 dir out"),
    "state_allocspi_word.dir": ("xfrm state allocspi", "state_allocspi", SA[:6], "dir", "in"),
    "state_allocspi_word.pcpu_num": ("xfrm state allocspi", "state_allocspi", SA[:6],
                                     "pcpu-num", "2"),
    "policy_add_word.offload": ("xfrm policy add", "policy_add", POLICY, "offload", "packet"),
    "policy_default_action.allow": ("xfrm policy setdefault", "policy_setdefault", ["in"],
                                    "allow", "out block"),
    "link_show_word.down": ("link show", "link_show", [], "down", "up"),
    "link_show_word.proto": ("link show", "link_show", ["up"], "proto", "3"),
    "link_show_word.novf": ("link show", "link_show", ["dev", "lo"], "novf", "up"),
    "link_word.inet": ("link set", "link_options", ["dev", "lo"], "inet", "forwarding"),
    "bridge_link_word.stp_mode": ("link add br0 type bridge", "bridge_link", [], "stp_mode",
                                  "user"),
    "bridge_link_word.mst_enabled": ("link add br0 type bridge", "bridge_link", [],
                                     "mst_enabled", "1"),
    "bridge_link_word.fdb_max_learned": ("link add br0 type bridge", "bridge_link",
                                         ["stp_state", "1"], "fdb_max_learned", "5"),
    "bridge_link_word.mdb_offload_fail_notification": (
        "link add br0 type bridge", "bridge_link", [], "mdb_offload_fail_notification", "1"),
    "bridge_link_word.fdb_local_vlan_0": ("link add br0 type bridge", "bridge_link", [],
                                          "fdb_local_vlan_0", "0"),
    "bond_link_word.coupled_control": ("link add b0 type bond", "bond_link", [],
                                       "coupled_control", "off"),
    "bond_link_word.broadcast_neighbor": ("link add b0 type bond", "bond_link",
                                          ["mode", "802.3ad"], "broadcast_neighbor", "on"),
    "bond_link_word.lacp_strict": ("link add b0 type bond", "bond_link", [], "lacp_strict",
                                   "on"),
    "vxlan_link_word.localbypass": ("link add vx0 type vxlan", "vxlan_link", ["id", "5"], "localbypass", "dstport 4789"),
    "vxlan_link_word.nolocalbypass": ("link add vx0 type vxlan", "vxlan_link", ["id", "5"], "nolocalbypass", "dstport 4789"),
    "vxlan_link_word.reserved_bits": ("link add vx0 type vxlan", "vxlan_link", ["id", "5"], "reserved_bits", "0xff"),
    "vxlan_link_word.mcroute": ("link add vx0 type vxlan", "vxlan_link", ["id", "5"], "mcroute", "dstport 4789"),
    "vxlan_link_word.nomcroute": ("link add vx0 type vxlan", "vxlan_link", ["id", "5"], "nomcroute", "dstport 4789"),
    "macvlan_link_word.bclim": ("link add mv0 link d0 type macvlan", "macvlan_link",
                                ["mode", "bridge"], "bclim", "5"),
    "geneve_link_word.local": ("link add gn0 type geneve", "geneve_link",
                               ["id", "5", "remote", "192.0.2.1"], "local", "192.0.2.2"),
    "bond_slave_link_word.actor_port_prio": ("link set d0 type bond_slave", "bond_slave_link",
                                             [], "actor_port_prio", "3"),
    "bridge_slave_link_word.mab": ("link set d0 type bridge_slave", "bridge_slave_link", [],
                                   "mab", "on"),
    "bridge_slave_link_word.neigh_vlan_suppress": (
        "link set d0 type bridge_slave", "bridge_slave_link", [], "neigh_vlan_suppress", "on"),
    "bridge_slave_link_word.neigh_forward_grat": (
        "link set d0 type bridge_slave", "bridge_slave_link", [], "neigh_forward_grat", "off"),
    "bridge_slave_link_word.backup_nhid": ("link set d0 type bridge_slave",
                                           "bridge_slave_link", [], "backup_nhid", "7"),
    # a prefix of "off": a value, never offered; what follows it is, where ip took it
    "on_off_prefix.off_prefix": ("link set", "link_options", ["dev", "lo", "carrier"], "of",
                                 "up"),
    # ("o" is read as "off": ip's parse_on_off() tries "off" first; both gates are one)
    "on_off_prefix.on_prefix": ("link set", "link_options", ["dev", "lo", "protodown"], "o",
                                "up"),
}
READ_AS = {"on_off_prefix.on_prefix": "on_off_prefix.off_prefix"}
KEYWORD = {"on_off_prefix.off_prefix": False, "on_off_prefix.on_prefix": False}


def releases(key):
    """The releases just before, at and after the gate, and the verified ones."""
    first = SINCE.get(key) or UNTIL[key]
    near = {(first[0], first[1] - 1), first, (first[0], first[1] + 1)}
    return sorted(r for r in near | set(release.VERIFIED)
                  if release.OLDEST <= r <= release.NEWEST)


def nodes(tree):
    yield tree
    for child in getattr(tree, "children", ()):
        yield from nodes(child)


def walk_reads(key, start, before, word, rest, monkeypatch, rel):
    """How the walk of ip `rel` reads word (and the words after it) where it stands: (as
    the gated alternative, at all: it fails neither at the word nor at those after it).  ip
    6.1 reads `link show down` too, but "down" as the device's name."""
    monkeypatch.setattr(release.opts, "release", rel)
    tree, failure = walk(before + [word] + rest, start)
    rule, alias = READ_AS.get(key, key).split(".")
    i = len(before)
    gated = any(getattr(n, "rule", None) == rule and n.alias == alias and
                n.start <= i < n.end for n in nodes(tree))
    return gated, (failure is None or failure[0] in ("short", "end") or
                   failure[1] > i + len(rest))


def offered(line, cur, monkeypatch, rel):
    monkeypatch.setattr(release.opts, "release", rel)
    return complete.candidates(line, cur) or []


def test_every_gate_has_a_case():
    assert set(CASES) == set(SINCE) | set(UNTIL)


@pytest.mark.parametrize("key", sorted(CASES))
def test_completion_offers_a_gated_word_where_the_walk_takes_it(key, monkeypatch):
    command, start, before, word, rest = CASES[key]
    line, rest = command.split() + before, rest.split()
    seen = set()
    for rel in releases(key):
        gated, takes = walk_reads(key, start, before, word, rest, monkeypatch, rel)
        seen.add(gated)
        if KEYWORD.get(key, True):
            assert (word in offered(line, "", monkeypatch, rel)) == gated, (rel, gated)
            assert (word in offered(line, word[:2], monkeypatch, rel)) == gated, rel
        # completion goes on after the words only where the walk took them
        after = offered(line + [word] + rest, "", monkeypatch, rel)
        assert bool(after) == takes, (rel, after)
        assert gated == (rel >= SINCE[key] if key in SINCE else rel < UNTIL[key]), rel
    assert seen == {True, False}, "the walk reads the gate's releases alike"


def complete_line(line, monkeypatch, capfd, env=None, cur_word=None):
    """What pyip's completion (complete.main, as bin/pyip runs it for bash) prints."""
    monkeypatch.setattr(release.opts, "release", None)
    monkeypatch.setenv("COMP_LINE", line)
    monkeypatch.setenv("COMP_POINT", str(len(line)))
    monkeypatch.setenv("_PYIP_COMMAND", "pyip")
    if env:
        monkeypatch.setenv(release.ENV, env)
    else:
        monkeypatch.delenv(release.ENV, raising=False)
    capfd.readouterr()
    rc = complete.main(cur_word if cur_word is not None else line.split(" ")[-1])
    return capfd.readouterr().out.split(), rc


SA_LINE = "pyip xfrm state add " + " ".join(SA) + " "


@pytest.mark.parametrize("env, option, has", [
    ("6.1", "", False), ("7.3", "", True), ("7.3", "--iproute2=6.1 ", False),
    ("6.1", "--iproute2=7.3 ", True), ("6.1", "--iproute2=6.10 ", False),
    ("6.1", "--iproute2=6.11 ", True)])
def test_the_line_environment_or_system_chooses_the_release(env, option, has, monkeypatch,
                                                             capfd):
    """--iproute2=R first on the line wins over PYIP_IPROUTE2, as in a command."""
    line = SA_LINE.replace("pyip ", "pyip " + option)
    words, rc = complete_line(line, monkeypatch, capfd, env)
    assert rc == 0 and "spi" in words
    assert ("dir" in words) == has


def test_a_release_pyip_does_not_follow_offers_nothing(monkeypatch, capfd):
    assert complete_line(SA_LINE.replace("pyip ", "pyip --iproute2=5.10 "), monkeypatch,
                         capfd, "7.3") == ([], 0)


@pytest.mark.parametrize("line, bash_word, want", [
    ("pyip --ip", "--ip", ["--iproute2=6.1", "--iproute2=6.15", "--iproute2=7.3"]),
    # bash splits the word at "=": it completes what comes after
    ("pyip --iproute2=6", "6", ["6.1", "6.15"]),
    ("pyip --iproute2=6.1 --iproute2=7", "7", ["7.3"])])
def test_the_option_offers_the_verified_releases(line, bash_word, want, monkeypatch, capfd):
    words, rc = complete_line(line, monkeypatch, capfd, "7.3", bash_word)
    assert (words, rc) == (want, 0)


def test_the_option_is_offered_first_on_the_line_only(monkeypatch, capfd):
    words, _ = complete_line("pyip xfrm --i", monkeypatch, capfd, "7.3")
    assert not any(w.startswith("--iproute2") for w in words)
