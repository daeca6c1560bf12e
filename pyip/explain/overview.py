"""pyip explain with no words: how xfrm interfaces, VTIs, policies and SAs relate, and a
worked route-based VPN for each interface type, with the commands of both ends.  (The
kernel tier runs these very commands in two namespaces and pings through them.)"""
from pyip.explain import text

PROSE = """\
How xfrm interfaces, VTIs, policies and SAs relate

An SA (ip xfrm state) holds the keys and algorithms of one direction between
two addresses; arriving packets find it by (dst, spi, proto) and their mark. A
policy (ip xfrm policy) says which traffic (selector, mark, if_id) needs which
SAs (tmpl ...), per direction: out, in, fwd; the lowest priority number wins. A
template selects an SA by dst, src (unless 0.0.0.0), proto, mode, reqid (unless
0) and spi (unless 0); the SA's mark and if_id must match too.

Route-based VPNs put an interface in front of this, so that routes decide what
is encrypted:
- an xfrm interface (ip link add NAME type xfrm dev PHYS if_id N) gives what is
  routed into it if_id N: only policies and SAs with "if_id N" match, and SAs
  with if_id N deliver decrypted packets on it. dev PHYS (optional) is the
  output interface the policy lookup sees (a selector's "dev" matches PHYS, not
  NAME); the outer packets follow the routing table (a VRF's, if PHYS is in
  one). "external" instead takes each packet's if_id from metadata (a route's
  "encap xfrm if_id N" from Linux 6.2, or BPF); one such interface a namespace.
- a VTI (ip link add NAME type vti local A remote B ikey K okey K) looks up the
  outbound policy (and SA) with mark okey; what arrives through it carries mark
  ikey, for the inbound SA (one without mark, or with mark ikey, fits) and the
  in policy (it needs mark ikey). The SAs' outer addresses must be
  local/remote. fwmark marks only the route of the outer packets; of VTIs with
  the same ends, the one whose dev a packet arrives on takes it. (An SA without
  mark matches any mark.) disable_policy (net.ipv4.conf.NAME,
  net.ipv6.conf.NAME for vti6) is not needed on 6.1.
"""

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
    lines += text.wrap("The in SA and in policy carry if_id 42 too: decrypted packets come "
                       "out of ipsec0 and are checked with its if_id.", "", "")
    lines += _example("vti", "Example: the same over a VTI (key 7 = ikey and okey).")
    lines += text.wrap("The out SA and both policies carry mark 7; the in SA carries none: "
                       "what arrives through vti0 carries mark 7 (the ikey), which an SA "
                       "without mark fits (mark 7 would too). $KEY_AB / $KEY_BA: 20 bytes "
                       "each in hex, the same on both ends.", "", "")
    lines += ["", "More: pyip explain IP-ARGS... (one command), ip ... | pyip explain - "
                  "(output),", "pyip explain --help."]
    return "\n".join(lines) + "\n"


TEXT = render()


def overview(as_json=False):
    if as_json:
        return {"overview": PROSE, "examples": {
            kind: {end: vpn(kind, end) for end in ("A", "B")} for kind in ("xfrm", "vti")}}
    return TEXT
