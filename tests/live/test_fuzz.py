"""Differential fuzzing from the grammar: random command lines generated from the compiled
rules (pyip/_tables.py's RULES: every alternative, option and repetition of the man page's
nonterminals, with values for each terminal), and some words that are not in them, run by
the real ip and by pyip in fresh namespaces of this host's kernel, both under strace; every
stdout, stderr, exit code and netlink request (seq/pid aside) must be the same, and the
grammar's verdict on each line must be ip's (tests/verdicts.py).
Fixed seeds, so a failure names a reproducible command.

Each fuzz runs against ip 6.1 (the system's) and against Debian's 6.15 and 7.3 binaries
(golden/releases.py) with pyip following that release (PYIP_IPROUTE2): the same random lines,
drawn from every alternative of the rules (a word a release does not have yet is that
release's own error), fewer seeds for the newer releases.  A release whose binary is not in
the cache is said and skipped."""
import os
import random

import pytest

from golden.record import IP, record_case
from tests.release_ip import release_ip
from tests.replay import masked
from tests.verdicts import disagreements
from pyip._tables import RULES
from pyip.opts import opts
from pyip.release import ENV, parse

VALUES = {
    "NUMBER": ["0", "1", "7", "010", "0x1f", "255", "256", "65536", "-1", "x", "4294967295",
               "4294967296", "08", " 5", "0x"],
    "PREFIX": ["10.0.0.0/24", "10.1.2.3", "::/0", "2001:db8::/64", "10.8/16", "any",
               "default", "10.0.0.1/33", "1.2.3.4/255.255.0.0", "bogus"],
    "ADDR": ["10.0.0.1", "10.0.0.2", "2001:db8::1", "0x0a.0.0.3", "1.2.3", "bogus"],
    "DEV": ["lo", "none", "nosuchdev"],
    "PROTO": ["tcp", "udp", "icmp", "ipv6-icmp", "gre", "mobility-header", "any", "6", "300",
              "sctp", "bogus"],
    "GRE_KEY": ["1.2.3.4", "12345", "x"],
    "CTX": ["foo", "system_u:object_r:t:s0"],
    "FILE": ["/nonexistent"],
    "ALGO_NAME": ["cbc(aes)", "hmac(sha1)", "rfc4106(gcm(aes))", "deflate", "bogus"],
    "KEYMAT": ["0x0011223344556677", "0x123", "abc", "0xzz", ""],
    "PORT": ["0", "80", "65535", "65536", "x", "-1"],
    "U8": ["0", "8", "255", "256", "x"],
    "U64": ["0", "60", "18446744073709551615", "18446744073709551616", "x"],
    "HEX_FLAGS": ["0x1", "0xff", "0x100", "0xzz"],
    "HEX_XFLAGS": ["0x1", "0x3", "0xzz"],
}
EXTRA = ["bogus", "dir", "src", "dst", "proto", "mark", "tmpl", "flag", "mode", "in", "out"]
# numbers put together from parts C's strtoul has corner cases for: signs, white space,
# prefixes (Python's int() would take "0x" twice and "0o"), octal, overflow of 32 and 64 bits
SIGNS = ["", "", "-", "+", " ", " -"]
PREFIXES = ["", "", "0x", "0X", "0", "0o", "0x0x"]
DIGITS = ["1", "7", "8", "ff", "g", "_1", "65535", "65536", "4294967295", "4294967296",
          "18446744073709551615", "18446744073709551616", ""]
TAILS = ["", "", "", " ", "x"]


def value(item, rng):
    if item == "NUMBER" and rng.random() < 0.5:
        return "".join(rng.choice(part) for part in (SIGNS, PREFIXES, DIGITS, TAILS))
    return rng.choice(VALUES.get(item, ["x"]))


def alternatives(e):
    return e[1:] if e[0] == "alt" else (e,)


def expand(e, rng, values=value, depth=0, skip=()):
    """One random sentence of grammar expression e (RULES' tuples): every alternative,
    optional part and repetition can come out; a prefix keyword sometimes as a prefix.
    `skip`: keywords whose alternatives are left out (they would leave the namespace)."""
    op = e[0]
    if op == "kw":
        word = e[1]
        if e[2] and rng.random() < 0.15:
            word = word[:rng.randint(1, len(word))]
        return [word]
    if op == "val":
        return [values(e[1], rng)]
    if op == "seq":
        out = []
        for x in e[1:]:
            out += expand(x, rng, values, depth, skip)
            if out and rng.random() < 0.01:
                out.pop()                               # a word missing
        return out
    if op == "alt":
        return expand(rng.choice([a for a in e[1:] if not skipped(a, skip)]), rng, values,
                      depth, skip)
    if op == "opt":
        return expand(e[1], rng, values, depth, skip) if rng.random() < 0.5 else []
    if op in ("star", "plus"):
        n = rng.randint(1 if op == "plus" else 0, 3 if depth < 2 else 1)
        out = []
        for _ in range(n):
            out += expand(e[1], rng, values, depth + 1, skip)
        return out
    if op == "rule":
        if e[1] == "end":
            return []
        return expand(RULES[e[1]], rng, values, depth + 1, skip)
    if op == "as":
        return expand(e[2], rng, values, depth, skip)
    raise ValueError(e)


def skipped(alt, skip):
    """Whether an alternative starts with one of the keywords in skip."""
    while alt[0] in ("as", "seq"):
        alt = alt[2] if alt[0] == "as" else alt[1]
    return alt[0] == "kw" and alt[1] in skip


def quoted(words):
    return " ".join("'%s'" % w if (" " in w or "(" in w or not w) and not w.startswith("-")
                    else w for w in words)


def command(rng, obj, cmd, rule):
    words = ["ip"]
    if rng.random() < 0.2:
        words.append(rng.choice(["-s", "-4", "-6", "-o", "-s -s"]))
    words += ["xfrm", obj, cmd]
    body = expand(("rule", rule), rng)
    if rng.random() < 0.15:                             # a word ip does not expect here
        body.insert(rng.randint(0, len(body)), rng.choice(EXTRA))
    return quoted(words + body)


# each command with its rule (the words after the command word)
SHAPES = [
    ("policy", "add", "policy_add"), ("policy", "update", "policy_add"),
    ("policy", "get", "policy_get"), ("policy", "delete", "policy_get"),
    ("policy", "list", "policy_list"), ("policy", "deleteall", "policy_list"),
    ("policy", "flush", "_policy_flush"), ("policy", "set", "_policy_set"),
    ("policy", "setdefault", "_policy_setdefault"),
    ("state", "add", "state_add"), ("state", "allocspi", "state_allocspi"),
    ("state", "get", "state_get"), ("state", "delete", "state_get"),
    ("state", "list", "state_list"), ("state", "deleteall", "state_list"),
    ("state", "flush", "_state_flush"),
]
# the commands whose words are a repetition in their command's alternative
RULES = dict(RULES, _policy_flush=("star", ("rule", "policy_flush_word")),
             _policy_set=("star", ("rule", "policy_set_word")),
             _policy_setdefault=("star", ("rule", "policy_default")),
             _state_flush=("star", ("rule", "state_flush_word")))


SEEDS = int(os.environ.get("PYIP_FUZZ_SEEDS", "12"))
# (release, seed): every seed for 6.1, a third of them for each newer release
RELEASE_SEEDS = [("6.1", n) for n in range(SEEDS)] + [
    (r, n) for r in ("6.15", "7.3") for n in range(max(1, SEEDS // 3))]


@pytest.fixture
def side(request, monkeypatch):
    """The ip to compare with for the test's release, pyip following that release (its
    runs through PYIP_IPROUTE2, the grammar's verdicts in this process through opts)."""
    release = request.node.callspec.params["release"]
    if release == "6.1":
        return IP
    ip = release_ip(release)
    monkeypatch.setenv(ENV, release)
    monkeypatch.setattr(opts, "release", parse(release))
    return ip


def same_as_ip(commands, ip, pyip):
    """Both under strace, one fresh namespace each: texts, exit codes, requests, and the
    grammar's verdicts."""
    want = record_case(commands, traced=ip)
    got = record_case(commands, traced=pyip)
    for a, b in zip(want, got):
        assert (b["stdout"], b["stderr"], b["rc"]) == (a["stdout"], a["stderr"], a["rc"]), \
            a["cmd"]
        assert requests(b) == requests(a), a["cmd"]
    assert_grammar_verdicts(want)


@pytest.mark.parametrize("release,seed", RELEASE_SEEDS)
def test_random_commands_match_ip(netns, pyip, side, release, seed):
    rng = random.Random(seed)
    commands = []
    for _ in range(40):
        obj, cmd, rule = rng.choice(SHAPES)
        line = command(rng, obj, cmd, rule)
        if cmd == "allocspi":
            line += " min 0x4000 max 0x4000"       # else the kernel picks a random SPI
        commands.append(line)
    same_as_ip(commands, side, pyip)


def assert_grammar_verdicts(records):
    """The grammar rejects what ip rejects before a request, but for IP_CHECKS."""
    wrong = [d for d in disagreements(records) if d[2] is None]
    assert wrong == []


def requests(rec):
    """The netlink requests of one recorded command, seq/pid (and ip's stray bytes) aside."""
    return [(proto, masked(bytes.fromhex(h), proto)) for proto, h in rec["sent"]]


LINK_VALUES = {"NUMBER": ["0", "1", "1400", "65536", "-1", "x", "0x10", "010", "2147483648"],
               "NAME": ["va", "vb", "vz", "lo", "bad/name", "x" * 16, "none", "default", "5"],
               "ON_OFF": ["on", "off", "maybe"], "LLADDR": ["02:00:00:00:00:07", "zz",
                                                          "02:00:00:00:00", "10.0.0.1"]}
LINK_VALUES["INT"] = LINK_VALUES["ATOI"] = LINK_VALUES["NUMBER"]
KIND_VALUES = {"NUMBER": ["0", "5", "0x2a", "-1", "x", "4294967296"],
               "NAME": ["va", "lo", "nosuch"], "KEY": ["5", "1.2.3.4", "x", "4294967296"],
               "ADDR": ["10.0.0.1", "2001:db8::1", "any", "x"]}
# "netns" would move a device out of the test's namespace (netns 1 is the host's); "type"
# is added below, with a kind of the test's choosing; pyip loads no BPF programs and sets
# no VFs (it says so where ip tries)
LINK_SKIP = ("netns", "type", "vf", "obj", "object-file", "object-pinned", "pinned", "fd")
LINK_SETUP = "link add va address 02:00:00:00:00:01 type veth peer name vb address 02:00:00:00:00:02"


def link_value(terminal, rng):
    return rng.choice(LINK_VALUES.get(terminal, ["x", "off", "1"]))


def kind_value(terminal, rng):
    return rng.choice(KIND_VALUES.get(terminal, ["x"]))


def link_words(rng):
    """One random device option of iplink_parse() from the grammar's link_word, with its
    values (or a value missing)."""
    return expand(("rule", "link_word"), rng, link_value, skip=LINK_SKIP)


LINK_SEEDS = [("6.1", n) for n in range(SEEDS // 2)] + [
    (r, n) for r in ("6.15", "7.3") for n in range(max(1, SEEDS // 6))]


@pytest.mark.parametrize("release,seed", LINK_SEEDS)
def test_random_link_commands_match_ip(netns, pyip, side, release, seed):
    """link add/set/del with random device options on a veth pair: same exit codes, requests and
    texts (no command here prints a random MAC: every device's address is given)."""
    rng = random.Random(1000 + seed)
    commands = ["ip " + LINK_SETUP]
    for _ in range(30):
        cmd = rng.choice(["set va", "set dev vb", "add vz address 02:00:00:00:00:09",
                          "change va", "del vz", "set", "show", "show"])
        words = []
        for _ in range(rng.randint(0, 4)):
            if cmd == "show":
                words += expand(("rule", "link_show_word"), rng, lambda t, r: r.choice(
                    LINK_VALUES.get(t, ["x", "5", "veth"])))
            else:
                words += link_words(rng) if rng.random() < 0.9 else [rng.choice(["bogus", "help"])]
        opts = rng.choice(["", "", "-d ", "-s ", "-o ", "-br ", "-j ", "-d -j -p "])
        line = "ip %slink %s %s" % (opts, cmd, quoted(words))
        if cmd.startswith("add") or (cmd != "show" and rng.random() < 0.2):
            kind = rng.choice(["veth", "xfrm", "vti", "vti6", "dummy"])
            line += " type " + kind
            if kind == "veth":
                line += " peer name vy address 02:00:00:00:00:0a"
            rule = {"xfrm": "xfrm_link_word", "vti": "vti_link_word",
                    "vti6": "vti_link_word"}.get(kind)
            for _ in range(rng.randint(0, 3) if rule else 0):
                line += " " + quoted(expand(("rule", rule), rng, kind_value))
        commands.append(line.rstrip())
    commands.append("ip -d link show")
    same_as_ip(commands, side, pyip)


# the kinds pyip reads with a rule of their own, with values for their terminals
KIND_RULES = {"bond": "bond_link_word", "bond_slave": "bond_slave_link_word",
              "bridge": "bridge_link_word", "bridge_slave": "bridge_slave_link_word",
              "vlan": "vlan_link_word", "vxlan": "vxlan_link_word", "gre": "gre_link_word",
              "gretap": "gre_link_word", "erspan": "erspan_link"}
KIND_RULE_VALUES = dict(
    KIND_VALUES, U8=["0", "1", "255", "256", "x"], U16=["0", "7", "65535", "65536", "-1"],
    U64=["0", "100", "18446744073709551616", "x"], INT=["0", "-5", "2147483648", "x"],
    BOND_VALUE=["0", "1", "6", "7", "active-backup", "802.3ad", "layer3+4", "fast", "all",
                "on", "bogus", "010", "-0"],
    TARGETS=["10.0.0.1", "10.0.0.1,10.0.0.2", ",", "2001:db8::1,2001:db8::2", "x"],
    LL_PROTO=["802.1Q", "802.1ad", "0x88a8", "ip", "IPV6", "bogus", "65536"],
    QOS_MAPPING=["1:2", "0:7", "1:x", "x:1", ":"], TOS=["0x10", "CS1", "inherit", "0x100", "x"],
    TTL_NUMBER=["0", "64", "255", "256", "x"], SECONDS=["0", "300", "x"],
    ENTRIES=["0", "10", "x"], SPORT=["0", "4789", "65536", "x"],
    PORT=["0", "1000", "2000", "65536", "x"], NAME=["va", "vb", "lo", "nosuch"],
    LLADDR=["02:00:00:00:00:07", "zz", "01:80:c2:00:00:00"],
    ADDR=["10.0.0.1", "239.1.1.1", "2001:db8::1", "ff05::1", "any", "0.0.0.0", "x"])


def kind_rule_value(terminal, rng):
    return rng.choice(KIND_RULE_VALUES.get(terminal, ["x"]))


@pytest.mark.parametrize("release,seed", LINK_SEEDS)
def test_random_kind_options_match_ip(netns, pyip, side, release, seed):
    """add/set/del of the kinds pyip reads (bond, bridge and their ports, vlan, vxlan, gre,
    gretap, erspan) with random options from their rules: the same texts, exit codes and
    requests as ip (on this host's kernel some kinds do not exist: the requests still go,
    and are compared)."""
    rng = random.Random(2000 + seed)
    commands = ["ip " + LINK_SETUP]
    for i in range(30):
        kind = rng.choice(sorted(KIND_RULES))
        cmd = rng.choice(["add vz%d address 02:00:00:00:01:%02x" % (i, i), "set va",
                          "change vb", "add link va name vz%d address 02:00:00:00:02:%02x"
                          % (i, i)])
        words = []
        for _ in range(rng.randint(0, 4)):
            words += expand(("rule", KIND_RULES[kind]), rng, kind_rule_value)
        if rng.random() < 0.1:
            words.insert(rng.randint(0, len(words)), rng.choice(["bogus", "help", "no"]))
        commands.append(("ip link %s type %s %s" % (cmd, kind, quoted(words))).rstrip())
    commands.append("ip -d link show")
    same_as_ip(commands, side, pyip)
