"""The grammar's verdict on a command line against ip's, for tests/offline/test_grammar.py
(golden recordings) and tests/live/test_fuzz.py (random commands run by ip).

ip's verdict: it rejected the command if it exited non-zero before sending a request that
acts (looking a device up by name, RTM_GETLINK, and ip link's RTM_NEWLINK probe do not
count).  The grammar's: it rejects the words, or takes a `help` alternative (ip prints a
usage and exits 255; a kind's own usage, `kind_usage`, exits 0).

Where the two differ, ip made a check that no context-free grammar of words states: each
such check is one entry of IP_CHECKS, named, with the messages ip gives for it.  A
disagreement whose message is in none of them is a mistake of the grammar."""
import re

from pyip.grammar import GrammarError, Node, parse

IP_CHECKS = {
    "once each (a second dir, ctx, coa, index, name, dev, ID or SELECTOR...)": [
        r'^Error: duplicate "', r'^Error: either "(dev|SELECTOR)" is duplicate',
        r'^Error: either "[^"]+" is duplicate'],
    "required somewhere among options in any order (dir, XFRM-PROTO, IF_ID, dev, type...)": [
        r"^Not enough (of )?information", r'^Error: argument "(XFRM-PROTO|IF_ID)" is required',
        r'^"(max|min)" is missing', r'^"(mode|coa)" is required with XFRM-PROTO'],
    "one value decides what another may be (proto and ALGOs, MODE, spi, ports, families)": [
        r"is (invalid|required) with XFRM-PROTO", r"are invalid with XFRM-PROTO",
        r"(is|are) invalid with PROTO value", r'^"spi" is invalid', r"^SPI value is too large",
        r"^Error: esn flag set without replay-window", r"^xfrmi: both 'external'",
        r'^both "name" and "dev"', r"^index can be used only", r'value after "min" is larger',
        r"the same address family is required", r"^Too many tmpls",
        r"^vxlan: (both group and remote|vnifilter is valid only|both 'external' and vni|"
        r"missing virtual network identifier|'group' requires 'dev')",
        r'is wrong: invalid (group|remote|local) address$',
        r"^A broadcast tunnel requires a source address",
        r"^Error: (inet|inet6) (prefix|address) is expected"],
    "the value's own syntax or range beyond a number's (addresses, keys, names, limits)": [
        r"^Error: any valid (prefix|address) is expected", r"has an unrecognized address family",
        r"ALGO-KEYMAT value", r'^Error: argument "[^"]*" is wrong: (PROTO|hthresh[46] [LR]BITS|'
        r'if_id|FLAG) value is invalid', r'^value after "key" is invalid',
        r'invalid "scope"', r'Invalid "group" value', r'^invalid value for "key"',
        r"may be inet prefix, but it is not allowed", r"XFRMA_REPLAY_ESN_MAX",
        r"is invalid lladdr", r"^Invalid address length \d+ - must be \d+ bytes",
        r'Invalid "gso_max_segs" value', r'"name" not a valid ifname',
        r"invalid protodown reason", r"is wrong: invalid table ID",
        r'"dev" not a valid ifname', r"not a valid altname", r"alias too long",
        r'Invalid "index" value', r'^invalid value for "(ikey|okey)"',
        # the kinds' options: a name of a list, a number wider than the terminal's check
        r'^Error: argument "[^"]*" is wrong: (invalid (mode|ad_select|arp_all_targets|'
        r'arp_validate|fail_over_mac|lacp_active|lacp_rate|primary_reselect|xmit_hash_policy|'
        r'vlan_protocol|ingress-qos-map|egress-qos-map|priority|group_fwd_mask|'
        r'vlan_default_pvid|ad_actor_sys_prio|ad_user_port_key|id|TTL|flowlabel)|'
        r'(queue_id|priority|id|protocol) is invalid|TTL must be <= 255|bad TOS value|'
        r'ageing timer|max addresses|Invalid (source|destination) port\.|invalid fwmark|'
        r'invalid erspan (index|version|hwid)|erspan index must be .*|'
        r'erspan version must be .*)$',
        r"^Error: an IP address is expected rather than"],
    "what exists on the system (devices, VRFs, namespaces, files)": [
        r"^Cannot find device", r"does not exist", r"DEV value is invalid",
        r'is wrong: Invalid device name$',              # offload dev (6.2: ll_name_to_index())
        r'value after "offload dev" is invalid', r"Not a valid VRF name", r"^Cannot open",
        r"^Cannot fopen", r'Invalid "link-netns" value', r'Invalid "netns" value',
        r"^Failed to get existing tunnel info",
        # xdpoffload asks for the device's index before its mode: none named yet (or none
        # such) is ip's incomplete command
        r"^Command line is not complete(.*\n)*WORDS .*\bxdpoffload\b"],
    "NEXT_ARG() before a run that may be empty (flag, sel, a QoS map at the end)": [
        r'^Command line is not complete.*\n(.*\n)*LAST (flag|extra-flag|sel|%s)$' % "|".join(
            map(re.escape, {w[:i] for w in ("ingress-qos-map", "egress-qos-map")
                            for i in range(1, len(w) + 1)}))],
    "no OBJECT: the usage (unless -V or -batch)": [r"^Usage: ip \[ OPTIONS \]"],
    "a word's meaning depends on where it is (xdp off|none only as the last word)": [
        r'^What mode is "(off|none)"\?'],
}
# checks that only the live fuzz's random commands make (no golden case has them)
LIVE_ONLY = {"a word's meaning depends on where it is (xdp off|none only as the last word)"}


def _aliases(tree):
    if isinstance(tree, Node):
        yield tree.alias
        for c in tree.children:
            yield from _aliases(c)


def stops(tree):
    """The grammar took a help alternative: ip prints a usage and exits 255."""
    aliases = set(_aliases(tree))
    return "help" in aliases and "kind_usage" not in aliases


def grammar_rejects(words):
    try:
        tree = parse(words)
    except GrammarError:
        return True
    return stops(tree)


def _acts(proto, hexed):
    msg = bytes.fromhex(hexed)
    mtype = int.from_bytes(msg[4:6], "little")
    return not (proto == 0 and (mtype == 18 or (mtype == 16 and len(msg) == 32)))


def ip_rejects(rec):
    if not isinstance(rec["rc"], int):          # a monitor ended by a signal: it ran
        return False
    return rec["rc"] != 0 and not any(_acts(p, h) for p, h in rec["sent"])


def ip_check(stderr, words):
    """The IP_CHECKS entry ip's message (for these words) belongs to, or None."""
    text = "%sLAST %s\nWORDS %s" % (stderr, words[-1] if words else "", " ".join(words))
    for name, patterns in IP_CHECKS.items():
        if any(re.search(p, text, re.M) for p in patterns):
            return name
    return None


def disagreements(records):
    """[(cmd, who rejects, the IP_CHECKS entry or None)] of recorded commands."""
    out = []
    for rec in records:
        if "argv" not in rec or rec.get("stdin"):
            continue            # setup lines; -batch lines are checked one by one elsewhere
        g, i = grammar_rejects(rec["argv"][1:]), ip_rejects(rec)
        if g != i:
            out.append((rec["cmd"], "grammar" if g else "ip",
                        None if g else ip_check(rec["stderr"], rec["argv"])))
    return out
