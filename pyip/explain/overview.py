"""pyip explain with no words: how xfrm interfaces, VTIs, policies and SAs relate, and a
worked route-based VPN for each interface type, with the commands of both ends.  (The
kernel tier runs these very commands in two namespaces and pings through them.)"""
from pyip.claims import claim
from pyip.explain import text

TITLE = "How xfrm interfaces, VTIs, policies and SAs relate"

# What the objects are (definitions, not relations: nothing here needs traffic to prove).
DEFINITIONS = (
    "An SA (ip xfrm state) holds the keys and algorithms of one direction between two "
    "addresses. A policy (ip xfrm policy) says which traffic (its selector, mark and "
    "if_id) needs which SAs (its templates, tmpl ...), per direction: out, in, fwd. "
    "Route-based VPNs put a device in front of them, an xfrm interface or a VTI, so "
    "that routes decide what is encrypted.",
)

# The relations, each a claim of pyip/claims.py (proven by traffic there), under the
# parameter it is about: (heading, [(parameters, claim id, {field: value}), ...]).  The
# parameters of the seed question -- an xfrm interface's if_id, dev, external; a VTI's
# local, remote, ikey, okey, key, fwmark, dev -- each have theirs (tests/offline/
# test_claims.py holds them to it).
SECTIONS = [
    ("Policies and SAs:", [
        (("priority",), "policy-priority", {}),
        (("priority",), "policy-tie", {}),
        (("tmpl",), "tmpl-sa", {}),
        (("level",), "tmpl-acquire", {}),
        (("reqid",), "reqid", {}),
        (("inbound",), "in-sa-lookup", {}),
        (("inbound",), "tmpl-in", {}),
        (("dir in", "dir fwd"), "fwd-in", {}),
        (("setdefault",), "policy-default", {}),
        (("mark",), "mark-match", {}),
        (("output-mark",), "output-mark", {}),
    ]),
    ("An xfrm interface (ip link add NAME type xfrm dev PHYS if_id N):", [
        (("if_id",), "xfrmi-if-id", {}),
        (("if_id",), "xfrmi-if-id-zero", {}),
        (("if_id",), "route-lookup-ifid0", {}),
        (("dev",), "xfrmi-dev", {}),
        (("external",), "xfrmi-external", {}),
        (("routes",), "link-route", {}),
        (("netns",), "xfrmi-netns", {}),
    ]),
    ("A VTI (ip link add NAME type vti local LOCAL remote REMOTE ikey IKEY okey OKEY):", [
        (("local", "remote"), "vti-endpoints", {}),
        (("ikey",), "vti-in-sa", {}),
        (("okey",), "vti-okey", {}),
        (("key",), "vti-key", {}),
        (("fwmark",), "vti-fwmark", {}),
        (("dev",), "vti-dev", {}),
        (("dev",), "vti-duplicate", {}),
        (("disable_policy",), "vti-disable-policy", {}),
    ]),
]

SEED = {"An xfrm interface": ("if_id", "dev", "external"),
        "A VTI": ("local", "remote", "ikey", "okey", "key", "fwmark", "dev")}


def _bullet(params, cid, values):
    """"- PARAMS: SENTENCE", the label left out where the sentence starts with it."""
    sentence = claim(cid, **values)
    label = ", ".join(params)
    if sentence.split()[0] in params:
        return "- " + sentence
    return "- %s: %s" % (label, sentence)


def prose():
    lines = [TITLE, ""]
    for d in DEFINITIONS:
        lines += text.wrap(d, "", "")
    for heading, items in SECTIONS:
        lines += ["", heading]
        for params, cid, values in items:
            lines += text.wrap(_bullet(params, cid, values), "", "  ")
    return "\n".join(lines) + "\n"


PROSE = prose()


SITES = {"A": ("192.0.2.1", "10.1.0.0/16"), "B": ("192.0.2.2", "10.2.0.0/16")}
AEAD = "aead 'rfc4106(gcm(aes))' 0x%s 128"
KEYS = {"AB": "$KEY_AB", "BA": "$KEY_BA"}       # 20 bytes each: 16 of key, 4 of salt


def vpn(kind, end):
    """The commands of one end (`end` "A" or "B") of the example VPN over `kind` ("xfrm"
    or "vti"): the interface, its route, the SAs of both directions, out and in policy."""
    other = "B" if end == "A" else "A"
    me, peer = SITES[end][0], SITES[other][0]
    net = SITES[other][1]
    out_spi, in_spi = ("0x1001", "0x1002") if end == "A" else ("0x1002", "0x1001")
    if kind == "vti":
        out_spi, in_spi = out_spi.replace("0x1", "0x2"), in_spi.replace("0x1", "0x2")
    key_out, key_in = KEYS[end + other], KEYS[other + end]
    if kind == "xfrm":
        dev, tie_out, tie_in, reqid = "ipsec0", "if_id 42", "if_id 42", "1"
        link = "ip link add ipsec0 type xfrm dev eth0 if_id 42"
    else:
        dev, tie_out, tie_in, reqid = "vti0", "mark 7", "", "2"
        link = "ip link add vti0 type vti local %s remote %s key 7" % (me, peer)
    sa = "ip xfrm state add src %s dst %s proto esp spi %s reqid %s mode tunnel %s" \
        + " " + AEAD
    pol = "ip xfrm policy add dir %s src 0.0.0.0/0 dst 0.0.0.0/0 %s tmpl src %s dst %s " \
        "proto esp mode tunnel reqid %s"
    cmds = [link, "ip link set %s up" % dev, "ip route add %s dev %s" % (net, dev),
            (sa % (me, peer, out_spi, reqid, tie_out, key_out)).replace("  ", " "),
            (sa % (peer, me, in_spi, reqid, tie_in, key_in)).replace("  ", " "),
            pol % ("out", tie_out, me, peer, reqid),
            pol % ("in", tie_out, peer, me, reqid)]
    return cmds


def _example(kind, title):
    out = ["", title]
    for end in ("A", "B"):
        addr, net = SITES[end]
        out.append("On %s (%s, network %s):" % (end, addr, net))
        for c in vpn(kind, end):
            out += text.command(c, "  ", "      ")
    return out


def render():
    lines = PROSE.rstrip("\n").split("\n")
    lines += _example("xfrm", "Example: a route-based VPN over an xfrm interface, A <-> B "
                              "(eth0 joins them).")
    # the examples' ties, in the claims' words with the examples' values
    lines += text.wrap(claim("xfrmi-if-id", if_id="42"), "", "")
    lines += _example("vti", "Example: the same over a VTI (key 7 = ikey and okey).")
    for cid in ("vti-key", "vti-okey", "vti-in-sa"):
        lines += text.wrap(claim(cid, key="7", okey="7", ikey="7"), "", "")
    lines += text.wrap("$KEY_AB / $KEY_BA: 20 bytes each in hex, the same on both ends.",
                       "", "")
    lines += ["", "More: pyip explain IP-ARGS... (one command), ip ... | pyip explain - "
                  "(output),", "pyip explain --help."]
    return "\n".join(lines) + "\n"


TEXT = render()


def overview(as_json=False):
    if as_json:
        return {"overview": PROSE, "examples": {
            kind: {end: vpn(kind, end) for end in ("A", "B")} for kind in ("xfrm", "vti")}}
    return TEXT
