"""Differential fuzzing from the grammar: random command lines built from grammar/'s keyword
tables (and some words that are not in them), run by the real ip and by pyip in fresh
namespaces of this host's kernel, both under strace; every stdout, stderr, exit code and
netlink request (seq/pid aside) must be the same.
Fixed seeds, so a failure names a reproducible command."""
import os
import random

import pytest

from golden.record import record_case
from tests.replay import masked
from pyip._tables import TABLES

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


def words_for(rule, rng, depth=0):
    """One random expansion of a keyword rule: keyword, then its value words."""
    entries = TABLES[rule]
    keyword, _, _, rest = rng.choice(entries)
    out = [keyword]
    for item in rest:
        if item in TABLES and depth < 3:
            out += words_for(item, rng, depth + 1)
        elif item.startswith("__") and depth < 3:        # a "+" run: one or two of them
            base = {"__policy_add_word_plus_2": "policy_flag",
                    "__policy_add_word_plus_3": "tmpl_word"}.get(item)
            if base:
                for _ in range(rng.randint(1, 2)):
                    out += words_for(base, rng, depth + 1)
        else:
            out.append(value(item, rng))
        if rng.random() < 0.03:
            out.pop()                                   # a value missing
    return out


def command(rng, obj, cmd, word_rules):
    words = ["ip"]
    if rng.random() < 0.2:
        words.append(rng.choice(["-s", "-4", "-6", "-o", "-s -s"]))
    words += ["xfrm", obj, cmd]
    for _ in range(rng.randint(0, 6)):
        r = rng.random()
        if r < 0.08:
            words.append(rng.choice(EXTRA))
        else:
            words += words_for(rng.choice(word_rules), rng)
    return " ".join("'%s'" % w if (" " in w or "(" in w or not w) and not w.startswith("-")
                    else w for w in words)


SHAPES = [
    ("policy", "add", ["selector_word", "upspec_word", "policy_add_word"]),
    ("policy", "update", ["selector_word", "policy_add_word"]),
    ("policy", "get", ["selector_word", "policy_get_word"]),
    ("policy", "delete", ["selector_word", "policy_get_word"]),
    ("policy", "list", ["selector_word", "upspec_word", "policy_list_word"]),
    ("policy", "deleteall", ["selector_word", "policy_list_word"]),
    ("policy", "flush", ["policy_flush_word"]),
    ("policy", "set", ["policy_set_word"]),
    ("state", "add", ["id_word", "state_add_word", "algo"]),
    ("state", "allocspi", ["id_word", "state_allocspi_word"]),
    ("state", "get", ["id_word", "state_get_word"]),
    ("state", "list", ["id_word", "state_list_word"]),
    ("state", "deleteall", ["id_word", "state_list_word"]),
    ("state", "flush", ["state_flush_word"]),
]


@pytest.mark.parametrize("seed", range(int(os.environ.get("PYIP_FUZZ_SEEDS", "12"))))
def test_random_commands_match_ip(netns, pyip, seed):
    rng = random.Random(seed)
    commands = []
    for _ in range(40):
        obj, cmd, rules = rng.choice(SHAPES)
        line = command(rng, obj, cmd, rules)
        if cmd == "allocspi":
            line += " min 0x4000 max 0x4000"       # else the kernel picks a random SPI
        commands.append(line)
    ip = record_case(commands)
    py = record_case(commands, traced=pyip)         # both under strace: the requests too
    for a, b in zip(ip, py):
        assert (b["stdout"], b["stderr"], b["rc"]) == (a["stdout"], a["stderr"], a["rc"]), \
            a["cmd"]
        assert requests(b) == requests(a), a["cmd"]


def requests(rec):
    """The netlink requests of one recorded command, seq/pid (and ip's stray bytes) aside."""
    return [(proto, masked(bytes.fromhex(h), proto)) for proto, h in rec["sent"]]


LINK_VALUES = {"NUMBER": ["0", "1", "1400", "65536", "-1", "x", "0x10", "010", "2147483648"],
               "NAME": ["va", "vb", "vz", "lo", "bad/name", "x" * 16, "none", "default", "5"],
               "ON_OFF": ["on", "off", "maybe"], "LLADDR": ["02:00:00:00:00:07", "zz",
                                                          "02:00:00:00:00", "10.0.0.1"]}
KIND_VALUES = {"NUMBER": ["0", "5", "0x2a", "-1", "x", "4294967296"],
               "NAME": ["va", "lo", "nosuch"], "KEY": ["5", "1.2.3.4", "x", "4294967296"],
               "ADDR": ["10.0.0.1", "2001:db8::1", "any", "x"]}
# "netns" would move a device out of the test's namespace (netns 1 is the host's)
LINK_WORDS = [e for e in TABLES["link_word"] if e[0] != "netns"]
LINK_SETUP = "link add va address 02:00:00:00:00:01 type veth peer name vb address 02:00:00:00:00:02"


def link_words(rng):
    """One random keyword of iplink_parse() with its value (or a value missing, or a word
    that is no keyword)."""
    keyword, _, _, rest = rng.choice(LINK_WORDS)
    out = [keyword]
    for item in rest:
        out.append(rng.choice(LINK_VALUES.get(item, ["x", "off", "1"])))
    if rng.random() < 0.05:
        out.pop()
    return out


@pytest.mark.parametrize("seed", range(int(os.environ.get("PYIP_FUZZ_SEEDS", "12")) // 2))
def test_random_link_commands_match_ip(netns, pyip, seed):
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
                keyword, _, _, rest = rng.choice(TABLES["link_show_word"])
                words += [keyword] + [rng.choice(LINK_VALUES.get(i, ["x", "5", "veth"]))
                                      for i in rest]
            else:
                words += link_words(rng) if rng.random() < 0.9 else [rng.choice(["bogus", "help"])]
        opts = rng.choice(["", "", "-d ", "-s ", "-o ", "-br ", "-j ", "-d -j -p "])
        line = "ip %slink %s %s" % (opts, cmd, " ".join(words))
        if cmd.startswith("add") or (cmd != "show" and rng.random() < 0.2):
            kind = rng.choice(["veth", "xfrm", "vti", "vti6", "dummy"])
            line += " type " + kind
            if kind == "veth":
                line += " peer name vy address 02:00:00:00:00:0a"
            rule = {"xfrm": "xfrm_link_word", "vti": "vti_link_word",
                    "vti6": "vti_link_word"}.get(kind)
            for _ in range(rng.randint(0, 3) if rule else 0):
                keyword, _, _, rest = rng.choice(TABLES[rule])
                line += " " + " ".join([keyword] + [rng.choice(KIND_VALUES.get(i, ["x"]))
                                                    for i in rest])
        commands.append(line.rstrip())
    commands.append("ip -d link show")
    ip = record_case(commands)
    py = record_case(commands, traced=pyip)         # both under strace: the requests too
    for a, b in zip(ip, py):
        assert (b["stdout"], b["stderr"], b["rc"]) == (a["stdout"], a["stderr"], a["rc"]), \
            a["cmd"]
        assert requests(b) == requests(a), a["cmd"]
