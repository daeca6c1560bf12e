"""The relations pyip teaches, one sentence each, with an id and the traffic cases that
prove it (tests/kernel/test_claims_traffic.py, set-ups in tests/kernel/setups/, measured on
Debian's 6.1 kernel).  explain, the overview, the man pages and check's texts take their
sentence from here, so that they cannot disagree; tests/offline/test_claims.py fails when
a claim has no case or a case no claim."""


class Case:
    """A set-up (tests/kernel/setups/SETUP/NAME.batch for end a, NAME "a" or "VARIANT.a", SETUP/b.batch for b), and
    whether a ping from a to b's inner address passes; `sysctl`: a file the claim names,
    which must exist on end a; `then`: ip commands run after both ends' batches, in
    namespace a, b or c (the third namespace of test_check_traffic.py); `ping_from`: the
    namespace the ping starts in."""

    def __init__(self, claim, setup, passes, sysctl=None, then=(), ping_from="a"):
        self.claim, self.setup, self.passes, self.sysctl = claim, setup, passes, sysctl
        self.then = then            # (namespace "a"/"b"/"c", ip words) run after the batches
        self.ping_from = ping_from

    @property
    def id(self):
        return "%s:%s" % (self.claim, self.setup)


CLAIMS = {
    "xfrmi-dev":
        "dev {dev} (IFLA_XFRM_LINK) is the flow's output interface when a packet routed "
        "into the interface is looked up (xfrmi_xmit sets it before the policy lookup): a "
        "policy's selector \"dev\" is compared with it, not with the xfrm interface. It "
        "does not pick the outer route by itself: the SA's outer packet is routed by the "
        "routing table (a dev that is down, or has no route to the peer, does not stop "
        "traffic on 6.1), except that a dev enslaved to a VRF makes that route lookup use "
        "the VRF's table. At creation the interface also takes the dev's headroom "
        "and tailroom. dev is optional.",
    "in-sa-lookup":
        "An arriving ESP or AH packet finds its SA by destination, SPI, protocol and the "
        "packet's mark (through a VTI, the VTI's ikey: xfrm_input replaces the mark with "
        "it); the SA's if_id takes no part in that lookup: it picks the xfrm interface "
        "the decrypted packet arrives on.",
    "vti-in-sa":
        "What arrives through a VTI carries its ikey as mark: the inbound SA is found "
        "with it (an SA without mark, or with mark {ikey}, works; one with another mark drops "
        "the packet, XfrmInNoStates), and the in policy is checked with it, so it needs "
        "\"mark {ikey}\" (without it, what arrives is dropped).",
    "vti-disable-policy":
        "Many how-tos also set {sysctl}=1 (net.ipv4.conf.NAME.disable_policy for a vti, "
        "net.ipv6.conf.NAME.disable_policy for a vti6, which IPv6 has since Linux 4.12). "
        "On a 6.1 kernel traffic passes through a VTI or vti6 without it (the inbound "
        "policy check runs with the ikey as mark, then the packet's security path is "
        "reset): it is not needed.",
    "larval-ifid":
        "ip 6.1's allocspi takes no if_id: a larval SA gets its if_id from the update "
        "that completes it with its keys (ip xfrm state update ... if_id N ...), as the "
        "IKE daemon sends it; the kernel finds the larval SA by dst, spi, proto and mark "
        "and replaces it.",
    "policy-tie":
        "Between policies of equal priority the kernel's choice depends on how it files "
        "them, not simply on their age: of two policies in its inexact bins (a prefix "
        "shorter than /32, or /128 for IPv6) the older wins; a policy with full-length "
        "prefixes (the exact hash) lost to an inexact one made before or after it.",
    "vti-dev":
        "dev {dev} (IFLA_VTI_LINK) ties the VTI to the device its outer packets arrive "
        "on: of VTIs with the same local and remote, the one whose dev a packet arrived "
        "on takes it (ip_tunnel_lookup), with its own ikey. ip asks the kernel for the "
        "device's index.",
    "xfrmi-netns":
        "The interface need not be in the namespace of its policies and SAs: one made "
        "in a namespace and moved to another (ip link set NAME netns NS) still looks up "
        "the policies and SAs of the namespace it was made in, and what their SAs "
        "decrypt arrives on it in its new namespace.",
    "xfrmi-external":
        "external (IFLA_XFRM_COLLECT_METADATA) makes this the namespace's one catch-all "
        "xfrm interface: it has no if_id of its own; each packet's if_id comes from "
        "metadata attached to it, by a route's \"encap xfrm if_id N\" (Linux and "
        "iproute2 6.2 on, not 6.1) or by a BPF program (bpf_skb_set_xfrm_info, Linux 6.0 "
        "on), and policies and SAs are matched with that. ip refuses external together "
        "with if_id or dev.",
}

# The values a claim's {fields} take where no command gives them (the man pages, check).
DEFAULTS = {"dev": "PHYS", "ikey": "IKEY",
            "sysctl": "disable_policy"}

# Claims no traffic case proves yet, and why (tests/offline/test_claims.py lets no other
# claim go without a case).
UNPROVEN = {
    "xfrmi-external": "the test VM runs 6.1: no route encap xfrm (6.2), and no BPF "
                      "program is loaded by the tests",
}


def claim(cid, **values):
    """The sentence of claim `cid`, its {fields} filled with `values` (else DEFAULTS)."""
    return CLAIMS[cid].format(**dict(DEFAULTS, **values))



CASES = [
    Case("xfrmi-dev", "xfrmi/a", True),
    Case("xfrmi-dev", "xfrmi/dev-none.a", True),
    Case("xfrmi-dev", "xfrmi/dev-elsewhere.a", True),
    Case("xfrmi-dev", "xfrmi/dev-down.a", True),
    Case("xfrmi-dev", "xfrmi/dev-vrf.a", False),
    Case("xfrmi-dev", "xfrmi/dev-vrf-route.a", True),
    Case("xfrmi-dev", "xfrmi6/dev-elsewhere.a", True),
    Case("xfrmi-dev", "xfrmi6/dev-down.a", True),
    Case("xfrmi-dev", "xfrmi/sel-dev-link.a", True),
    Case("xfrmi-dev", "xfrmi/sel-dev-ifname.a", False),
    Case("in-sa-lookup", "xfrmi/a", True),
    Case("in-sa-lookup", "vti/in-sa-nomark.a", True),
    Case("in-sa-lookup", "vti/vti-ikey-sa.a", False),
    Case("vti-in-sa", "vti/a", True),
    Case("vti-in-sa", "vti/in-sa-nomark.a", True),
    Case("vti-in-sa", "vti/vti-ikey-sa.a", False),
    Case("vti-in-sa", "vti6/in-sa-nomark.a", True),
    Case("vti-in-sa", "vti6/vti-ikey-sa.a", False),
    Case("vti-dev", "vti/vti-duplicate.a", False),
    Case("xfrmi-netns", "xfrmi/netns-moved.a", True,
         then=(("c", "link set ipsec0 up"), ("c", "addr add 172.16.0.1/30 dev ipsec0")),
         ping_from="c"),
    Case("larval-ifid", "xfrmi/larval-update.a", True),
    Case("vti-disable-policy", "vti/a", True, "/proc/sys/net/ipv4/conf/vti0/disable_policy"),
    Case("vti-disable-policy", "vti6/a", True, "/proc/sys/net/ipv6/conf/vti60/disable_policy"),
    Case("policy-tie", "policy/tie-block-newer.a", True),
    Case("policy-tie", "policy/tie-block-older.a", False),
    Case("policy-tie", "policy/tie-srcblock-newer.a", True),
    Case("policy-tie", "policy/tie-srcblock-older.a", False),
    Case("policy-tie", "policy/tie-anyblock-newer.a", True),
    Case("policy-tie", "policy/tie-anyblock-older.a", False),
    Case("policy-tie", "policy/tie-exact-newer.a", False),
    Case("policy-tie", "policy/tie-exact-older.a", False),
]
