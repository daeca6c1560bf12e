"""pyip explain with no words: how xfrm interfaces, VTIs, policies and SAs relate."""

TEXT = """\
How xfrm interfaces, VTIs, policies and SAs relate

An SA (ip xfrm state) holds keys and algorithms for one direction between two
addresses: found by (dst, spi, proto) inbound, by a policy's template outbound.
A policy (ip xfrm policy) says which traffic (selector; mark; if_id) needs which
SAs (tmpl ...), per direction: out, in, fwd.  Lowest priority number wins.
A template selects an SA by dst, src (unless 0.0.0.0), proto, mode, reqid
(unless 0) and spi (unless 0); the SA's mark and if_id must match as well.

Route-based VPNs put an interface in front of this, so routes decide what is
encrypted:
- an xfrm interface (ip link add NAME type xfrm dev PHYS if_id N) marks what is
  routed into it with if_id N: only policies and SAs with "if_id N" match, and
  SAs with if_id N deliver decrypted packets on it.  "external" instead takes
  the if_id from per-packet metadata (eBPF); one such interface per namespace.
- a VTI (ip link add NAME type vti local A remote B ikey K okey K) makes the
  outbound lookup use mark okey (out policy and SA need "mark okey") and the
  inbound policy check use mark ikey (in policy needs "mark ikey"); the SAs'
  outer addresses must be exactly local/remote.  disable_policy is not needed
  on a 6.1 kernel.

Example: xfrm interface, site A (192.0.2.1, 10.1.0.0/16) to B (198.51.100.2,
10.2.0.0/16).  On A:
  ip link add ipsec0 type xfrm dev eth0 if_id 42
  ip link set ipsec0 up
  ip route add 10.2.0.0/16 dev ipsec0
  ip xfrm state add src 192.0.2.1 dst 198.51.100.2 proto esp spi 0x1001 \\
      reqid 1 mode tunnel if_id 42 aead 'rfc4106(gcm(aes))' 0x$KEY_AB 128
  ip xfrm state add src 198.51.100.2 dst 192.0.2.1 proto esp spi 0x1002 \\
      reqid 1 mode tunnel if_id 42 aead 'rfc4106(gcm(aes))' 0x$KEY_BA 128
  ip xfrm policy add dir out src 0.0.0.0/0 dst 0.0.0.0/0 if_id 42 \\
      tmpl src 192.0.2.1 dst 198.51.100.2 proto esp mode tunnel reqid 1
  ip xfrm policy add dir in src 0.0.0.0/0 dst 0.0.0.0/0 if_id 42 \\
      tmpl src 198.51.100.2 dst 192.0.2.1 proto esp mode tunnel reqid 1
On B: the same with the two addresses swapped in every state and tmpl (the
SPIs and keys stay with their direction: 0x1001/KEY_AB is A->B on both ends),
and "ip route add 10.1.0.0/16 dev ipsec0".

Example: VTI, the same two sites.  On A:
  ip link add vti0 type vti local 192.0.2.1 remote 198.51.100.2 key 7
  ip link set vti0 up
  ip route add 10.2.0.0/16 dev vti0
  ip xfrm state add src 192.0.2.1 dst 198.51.100.2 proto esp spi 0x2001 \\
      reqid 2 mode tunnel mark 7 aead 'rfc4106(gcm(aes))' 0x$KEY_AB 128
  ip xfrm state add src 198.51.100.2 dst 192.0.2.1 proto esp spi 0x2002 \\
      reqid 2 mode tunnel aead 'rfc4106(gcm(aes))' 0x$KEY_BA 128
  ip xfrm policy add dir out src 0.0.0.0/0 dst 0.0.0.0/0 mark 7 \\
      tmpl src 192.0.2.1 dst 198.51.100.2 proto esp mode tunnel reqid 2
  ip xfrm policy add dir in src 0.0.0.0/0 dst 0.0.0.0/0 mark 7 \\
      tmpl src 198.51.100.2 dst 192.0.2.1 proto esp mode tunnel reqid 2
On B: "local 198.51.100.2 remote 192.0.2.1", the addresses swapped as above,
the out SA (now 198.51.100.2 -> 192.0.2.1, spi 0x2002) with mark 7 and the in
SA without, and "ip route add 10.1.0.0/16 dev vti0".

More: pyip explain IP-ARGS... (one command), ip ... | pyip explain - (output),
pyip explain --help.
"""


def overview(as_json=False):
    if as_json:
        return {"overview": TEXT}
    return TEXT
