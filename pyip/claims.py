"""The relations pyip teaches, one sentence (or a few) each, with an id and the traffic
cases that prove it (tests/kernel/test_claims_traffic.py and, for the cases marked
`check`, tests/kernel/test_check_traffic.py; set-ups in tests/kernel/setups/, measured on
Debian's 6.1 kernel).  explain, the overview, the man pages and check's texts take their
sentences from here, so that they cannot disagree; tests/offline/test_claims.py fails when
a claim has no case or a case no claim, and when a text teaches a sentence no claim holds."""


class Case:
    """A set-up (tests/kernel/setups/SETUP/NAME.batch for end a, NAME "a" or "VARIANT.a",
    SETUP/b.batch for b), and whether a ping from a to b's inner address passes.
    `sysctl`: a file the claim names, which must exist on end a; `then`: ip commands run
    after both ends' batches, in namespace a, b or c (the third namespace of
    test_check_traffic.py); `ping_from`: the namespace the ping starts in; `check`: the
    same set-up and verdict are a case of tests/check_cases.py, whose traffic test runs it
    (it is not run twice); `refused`: ip -batch fails on end a's script (ip or the kernel
    refuses a line: the claim says so); `kernel`: the (major, minor) the case needs, with
    `why` -- an older kernel skips it with that reason; `until`: the case holds on kernels
    older than that (a newer one skips it)."""

    def __init__(self, claim, setup, passes, sysctl=None, then=(), ping_from="a",
                 check=False, refused=False, kernel=None, until=None, why=None):
        self.claim, self.setup, self.passes, self.sysctl = claim, setup, passes, sysctl
        self.then = then            # (namespace "a"/"b"/"c", ip words) run after the batches
        self.ping_from = ping_from
        self.check, self.refused, self.kernel, self.why = check, refused, kernel, why
        self.until = until          # run only on kernels older than this (major, minor)

    @property
    def id(self):
        return "%s:%s%s" % (self.claim, self.setup, "<%d.%d" % self.until if self.until else "")


CLAIMS = {
    # ---- xfrm interfaces --------------------------------------------------------------------
    "xfrmi-if-id":
        "if_id {if_id} ties the xfrm interface with \"if_id {if_id}\" to the policies and "
        "SAs that carry it: a packet routed into the interface is looked up with that "
        "if_id, so only an out "
        "policy and an SA with \"if_id {if_id}\" encrypt it, and what an SA with \"if_id "
        "{if_id}\" decrypts arrives on the interface and is checked against the in policies "
        "with \"if_id {if_id}\". An SA with an if_id is never used by a policy without one, "
        "and one differing if_id drops the traffic: put the same if_id on the interface, "
        "the policies and the SAs of both directions.",
    "xfrmi-if-id-zero":
        "ip requires an if_id for an xfrm interface (or external) and refuses if_id 0 "
        "(\"if_id value is invalid\"). On policies and SAs, if_id 0 is no if_id.",
    "route-lookup-ifid0":
        "What the namespace itself sends is also looked up when its route is chosen, with "
        "if_id 0, before it enters an xfrm interface: an out policy without if_id whose "
        "selector matches it (0.0.0.0/0, say) takes it there, and with no SA of its own "
        "the packet is dropped. A policy meant for the interface needs its if_id; and as "
        "the if_id (like the mark) is part of a policy's identity, \"ip xfrm policy update "
        "... if_id N\" adds a second policy beside the one without: delete that one, then "
        "add.",
    "xfrmi-change":
        "\"ip link set NAME type xfrm ...\" sends the dev its words name, none if they name "
        "none, and the kernel refuses a dev other than the one the interface has (Invalid "
        "argument): to change the if_id of an interface made with dev {dev}, say "
        "\"ip link set NAME type xfrm dev {dev} if_id N\".",
    "xfrmi-dev":
        "dev {dev} (IFLA_XFRM_LINK) is the flow's output interface when a packet routed "
        "into the interface is looked up (xfrmi_xmit sets it before the policy lookup): a "
        "policy's selector \"dev\" is compared with it, not with the xfrm interface. It "
        "does not pick the outer route by itself: the SA's outer packet is routed by the "
        "routing table (a dev that is down, or has no route to the peer, does not stop "
        "traffic on 6.1), except that a dev enslaved to a VRF makes that route lookup use "
        "the VRF's table. At creation the interface also takes the dev's headroom "
        "and tailroom. dev is optional.",
    "xfrmi-netns":
        "The interface need not be in the namespace of its policies and SAs: one made "
        "in a namespace and moved to another (ip link set NAME netns NS) still looks up "
        "the policies and SAs of the namespace it was made in, and what their SAs "
        "decrypt arrives on it in its new namespace.",
    "xfrmi-external":
        "external (IFLA_XFRM_COLLECT_METADATA) makes this the namespace's one catch-all "
        "xfrm interface (the kernel refuses a second; ip refuses external together with "
        "if_id or dev): it has no if_id of its own. What it sends takes its if_id from metadata "
        "attached to the packet, by a route's \"encap xfrm if_id N\" (ip 6.1 sends it; the "
        "kernel takes it from Linux 6.2 on) or by a BPF program (bpf_skb_set_xfrm_info, Linux 6.0 on); a "
        "packet routed into it without such metadata is dropped. What an SA decrypts whose "
        "if_id no other interface carries arrives on it, and is checked against the in "
        "policies with the SA's if_id.",
    "link-route":
        "Only what is routed into an xfrm interface or VTI is encrypted through it (its "
        "xmit looks the policy up with its if_id or okey): with no route into the device "
        "no packet goes there, and traffic for the far end is unreachable or leaves "
        "unencrypted (\"ip route add PREFIX dev NAME\", or an address with a prefix on it: "
        "\"ip addr add A/LEN dev NAME\").",
    "link-down":
        "An xfrm interface or VTI that is down takes no routes and no packets: what is "
        "routed to it is unreachable, and nothing its SAs decrypt arrives on it.",
    # ---- VTIs -------------------------------------------------------------------------------
    "vti-okey":
        "okey {okey} is the mark of the outbound lookup: a packet routed into the VTI is "
        "looked up as if it carried mark {okey}, so the out policy needs \"mark {okey}\" "
        "(with a mask that keeps it), and the out SA that mark or none (an SA with another "
        "mark is never found); without both the VTI drops the packet.",
    "vti-in-sa":
        "What arrives through a VTI carries its ikey as mark: the inbound SA is found "
        "with it (an SA without mark, or with mark {ikey}, works; one with another mark drops "
        "the packet, XfrmInNoStates), and the in policy is checked with it, so it needs "
        "\"mark {ikey}\" (without it, what arrives is dropped).",
    "vti-key":
        "key {key} sets both ikey and okey to {key}.",
    "vti-endpoints":
        "local {local} and remote {remote} are the outer addresses: the SAs used through "
        "the VTI must have exactly these as source and destination (outbound src {local} "
        "dst {remote}, inbound the reverse); an out SA with other addresses drops the "
        "packet (vti_state_check). Arriving packets find the VTI by their outer "
        "addresses; no remote (or remote {any}) takes any peer.",
    "vti-fwmark":
        "fwmark {fwmark} (IFLA_VTI_FWMARK) marks only the route lookup of the VTI's "
        "encrypted (outer) packets, e.g. to pick a routing table with \"ip rule add fwmark "
        "{fwmark}\"; it takes no part in the policy or SA lookup: a VTI with fwmark and no "
        "okey finds no policy marked with the fwmark.",
    "vti-dev":
        "dev {dev} (IFLA_VTI_LINK) ties the VTI to the device its outer packets arrive "
        "on: of VTIs with the same local and remote, the one whose dev a packet arrived "
        "on takes it (ip_tunnel_lookup), with its own ikey. ip asks the kernel for the "
        "device's index.",
    "vti-duplicate":
        "The kernel tells VTIs apart by local, remote and dev only, not by their keys: it "
        "refuses a second one on the same dev (File exists, and ip -batch stops there), "
        "and with another dev everything from the peer arrives on one of them, with its "
        "ikey.",
    "vti-disable-policy":
        "Many how-tos also set {sysctl}=1 (net.ipv4.conf.NAME.disable_policy for a vti, "
        "net.ipv6.conf.NAME.disable_policy for a vti6, which IPv6 has since Linux 4.12). "
        "On a 6.1 kernel traffic passes through a VTI or vti6 without it (the inbound "
        "policy check runs with the ikey as mark, then the packet's security path is "
        "reset): it is not needed.",
    # ---- SAs, templates, marks --------------------------------------------------------------
    "in-sa-lookup":
        "An arriving ESP or AH packet finds its SA by destination, SPI, protocol and the "
        "packet's mark (through a VTI, the VTI's ikey: xfrm_input replaces the mark with "
        "it); the SA's if_id takes no part in that lookup: it picks the xfrm interface "
        "the decrypted packet arrives on.",
    "tmpl-sa":
        "Each template of the chosen policy needs an SA, found by: the template's dst (the "
        "SA's destination), its src unless it is 0.0.0.0 or ::, proto, mode, reqid, and "
        "its spi unless it is 0; the SA's mark must fit the flow's mark, and its if_id equal the policy's.",
    "tmpl-acquire":
        "With no such SA the kernel asks the IKE daemon for one (an ACQUIRE: ip xfrm "
        "monitor shows it) and drops the packet (XfrmOutNoStates), unless the template says "
        "\"level use\" (optional): then it is skipped. An out policy takes \"level use\" "
        "only on a transport-mode template (on a tunnel-mode one the kernel answers \"Mode "
        "in optional template not allowed in outbound policy\"); \"level required\" is the "
        "default.",
    "reqid":
        "reqid ties SAs to templates: on the way out a template with reqid N uses only SAs "
        "with reqid N, and reqid 0 only SAs with reqid 0 (xfrm_state_find compares it); "
        "inbound, a template with reqid 0 accepts an SA of any reqid (xfrm_state_ok). With "
        "several SAs between the same addresses, it says which one a policy uses.",
    "tmpl-in":
        "Inbound, what tunnel-mode SAs decrypted must meet a policy (in, or fwd for what "
        "is forwarded) whose templates those SAs satisfy, or it is dropped "
        "(XfrmInTmplMismatch; XfrmInNoPols when no policy matches).",
    "fwd-in":
        "What a tunnel-mode SA decrypts for an address of this namespace is checked "
        "against the in policies; what it decrypts for another address is forwarded, and "
        "a forwarded packet is checked against the fwd policies, never the in ones: with "
        "no fwd policy whose template the SA fits it is dropped (XfrmInNoPols), and a fwd "
        "policy does not serve what is delivered here.",
    "policy-default":
        "When no policy of a direction matches a packet, that direction's default decides "
        "(ip xfrm policy setdefault in|fwd|out accept|block; accept unless set): with block, "
        "a forwarded flow needs a fwd policy that lets it through, and what a "
        "transport-mode SA decrypts needs an in policy (with accept, 6.1 passes it with "
        "none). The ESP packets themselves are not checked: a set-up with a policy for "
        "every flow it means passes with in and out block.",
    "mark-match":
        "mark {value} mask {mask} matches packets whose mark & {mask} == {value}. A policy "
        "and the SA it uses are matched against the same flow mark (a VTI's okey "
        "outbound, its ikey inbound), and a policy or SA without mark matches any mark.",
    "output-mark":
        "output-mark {om} sets the mark of the packet after this SA has been applied (e.g. "
        "to route the encrypted packet); it takes no part in the policy or SA lookup: an "
        "SA with output-mark and no mark is found for any flow's mark (where \"mark\" was "
        "meant, traffic still passes).",
    "sa-esn-replay":
        "Extended sequence numbers need the replay window's state: ip 6.1 refuses an SA "
        "with flag esn and no replay-window (\"esn flag set without replay-window\"), so "
        "it does not exist. The two ends' SAs of a direction must agree on esn: where "
        "one has it and the other not, that direction's packets are dropped.",
    "sa-replay-out":
        "The replay window protects the receiving end; on an SA used only to send it does "
        "nothing (traffic passes; kernels from 6.10 refuse it on a \"dir out\" SA).",
    "sa-dir":
        "An SA's dir (ip >= 6.11 sends it, Linux >= 6.10 keeps it) says which way the kernel "
        "may use it: an arriving packet whose SA has \"dir out\" is dropped "
        "(XfrmInStateDirError), and an out policy whose template finds an SA with \"dir "
        "in\" drops what it should encrypt (XfrmOutStateDirError); an SA without dir "
        "serves both ways. Linux >= 6.10 refuses a replay window on a \"dir out\" SA when "
        "it is added (\"Replay window should be 0 for output SA\").",
    "sa-pcpu":
        "A per-CPU SA (pcpu-num N: ip >= 6.19 sends it, Linux >= 6.13 and Debian's 6.12 from "
        "6.12.13 keep it) carries what is sent on CPU N: an out policy's template takes it "
        "there and, on the other CPUs, an SA without pcpu-num (with none, they find no SA: "
        "XfrmOutNoStates). The kernel refuses, when the SA is added, a pcpu-num without dir "
        "(\"SA_PCPU only supported with SA_DIR\") or of a CPU it cannot have (\"pCPU number "
        "too big\": N from the number of possible CPUs on).",
    "auth-trunc":
        "auth NAME KEY leaves the truncation length to the kernel's default for the "
        "algorithm, which for hmac(sha256) is 96 bits, not RFC 4868's 128 (\"ip xfrm "
        "state\" shows \"auth-trunc hmac(sha256) ... 96\"): peers that follow RFC 4868 "
        "need \"auth-trunc 'hmac(sha256)' KEY 128\".",
    "larval-ifid":
        "ip 6.1's allocspi takes no if_id: a larval SA gets its if_id from the update "
        "that completes it with its keys (ip xfrm state update ... if_id N ...), as the "
        "IKE daemon sends it; the kernel finds the larval SA by dst, spi, proto and mark "
        "and replaces it.",
    # ---- policies ---------------------------------------------------------------------------
    "policy-priority":
        "Of the policies of a direction whose selector, mark and if_id match a packet, the "
        "one with the lowest priority number wins (0 is the best): a broader policy with a "
        "better priority, or an \"action block\" one, shadows a narrower one.",
    "policy-tie":
        "Between policies of equal priority the kernel's choice depends on how it files "
        "them, not simply on their age: of two policies in its inexact bins (a prefix "
        "shorter than /32, or /128 for IPv6) the older wins; a policy with full-length "
        "prefixes (the exact hash) lost to an inexact one made before or after it.",
    "policy-unique":
        "The kernel keeps one policy per dir, selector, mark, if_id and ptype: \"policy "
        "add\" of a second is refused (File exists, and ip -batch stops there); \"update\" "
        "replaces the first.",
    "batch-stops":
        "ip -batch stops at the first line ip or the kernel refuses: nothing after it is "
        "applied.",
}

# The values a claim's {fields} take where no command gives them (the man pages, check).
DEFAULTS = {"dev": "PHYS", "ikey": "IKEY", "okey": "OKEY", "key": "KEY", "if_id": "N",
            "local": "LOCAL", "remote": "REMOTE", "any": "0.0.0.0", "fwmark": "FWMARK",
            "value": "V", "mask": "M", "om": "V", "sysctl": "disable_policy"}


def claim(cid, **values):
    """The sentence of claim `cid`, its {fields} filled with `values` (else DEFAULTS)."""
    return CLAIMS[cid].format(**dict(DEFAULTS, **values))


def which(text):
    """The id of the claim `text` is (its fields filled with any values), or None."""
    import re
    flat = " ".join(text.split())
    for cid, sentence in CLAIMS.items():
        parts = re.split(r"\{\w+\}", sentence)
        if re.fullmatch(".+?".join(re.escape(p) for p in parts), flat):
            return cid
    return None


# auth/auth-default-peer96.a: end b's SAs remade truncating to 96 bits, as "auth" leaves a's
_ALGS = ("enc cbc(aes) 0x0102030405060708090a0b0c0d0e0f10 auth-trunc hmac(sha256) "
         "0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff 96")
PEER96 = (("b", "xfrm state flush"),
          ("b", "xfrm state add src 10.0.0.2 dst 10.0.0.1 proto esp spi 0x7002 reqid 14 mode "
                "transport " + _ALGS),
          ("b", "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x7001 reqid 13 mode "
                "transport replay-window 32 " + _ALGS))

# xfrmi/sa-esn-both.a: end b's SA to a remade with flag esn, as a's
_ESN = ("xfrm state add src 10.0.0.2 dst 10.0.0.1 proto esp spi 0x1002 reqid 2 mode tunnel "
        "if_id 42 replay-window 32 flag esn aead rfc4106(gcm(aes)) "
        "0x0102030405060708090a0b0c0d0e0f1011121314 128")
ESN_BOTH = (("b", "xfrm state delete src 10.0.0.2 dst 10.0.0.1 proto esp spi 0x1002"),
            ("b", _ESN))

# The 6.2 route that gives an external interface's packets their if_id.
ROUTE_ENCAP = (6, 2), "the kernel takes a route's encap xfrm (LWTUNNEL_ENCAP_XFRM) from Linux 6.2 on"

CASES = [
    Case("xfrmi-if-id", "xfrmi/a", True, check=True),
    Case("xfrmi-if-id", "xfrmi/ifid-mismatch.a", False, check=True),
    Case("xfrmi-if-id", "xfrmi/ifid-orphan.a", False, check=True),
    Case("xfrmi-if-id", "xfrmi/ifid-unused.a", False, check=True),
    Case("xfrmi-if-id", "xfrmi/ifid-in-missing.a", False),
    Case("xfrmi-if-id-zero", "xfrmi/ifid-zero.a", False, refused=True),
    Case("route-lookup-ifid0", "xfrmi/ifid-missing.a", False, check=True),
    Case("route-lookup-ifid0", "xfrmi6/ifid-missing.a", False, check=True),
    Case("route-lookup-ifid0", "xfrmi/ifid-missing-both.a", False),
    Case("xfrmi-change", "xfrmi/ifid-set-nodev.a", False, refused=True),
    Case("xfrmi-change", "xfrmi/ifid-set-dev.a", True),
    Case("xfrmi-dev", "xfrmi/a", True, check=True),
    Case("xfrmi-dev", "xfrmi/dev-none.a", True),
    Case("xfrmi-dev", "xfrmi/dev-elsewhere.a", True),
    Case("xfrmi-dev", "xfrmi/dev-down.a", True),
    Case("xfrmi-dev", "xfrmi/dev-vrf.a", False),
    Case("xfrmi-dev", "xfrmi/dev-vrf-route.a", True),
    Case("xfrmi-dev", "xfrmi6/dev-elsewhere.a", True),
    Case("xfrmi-dev", "xfrmi6/dev-down.a", True),
    Case("xfrmi-dev", "xfrmi/sel-dev-link.a", True),
    Case("xfrmi-dev", "xfrmi/sel-dev-ifname.a", False),
    Case("xfrmi-netns", "xfrmi/netns-moved.a", True,
         then=(("c", "link set ipsec0 up"), ("c", "addr add 172.16.0.1/30 dev ipsec0")),
         ping_from="c"),
    Case("xfrmi-external", "xfrmi/external-nometa.a", False),
    Case("xfrmi-external", "xfrmi/external-in.a", True),
    Case("xfrmi-external", "xfrmi/external-in-none.a", False),
    Case("xfrmi-external", "xfrmi/external-ifid.a", False, refused=True),
    Case("xfrmi-external", "xfrmi/external-two.a", False, refused=True),
    Case("xfrmi-external", "xfrmi/external-route.a", True, kernel=ROUTE_ENCAP[0],
         why=ROUTE_ENCAP[1]),
    Case("xfrmi-external", "xfrmi/external-route.a", False, refused=True,
         until=ROUTE_ENCAP[0], why=ROUTE_ENCAP[1]),
    Case("link-route", "xfrmi/link-noroute.a", False, check=True),
    Case("link-down", "xfrmi/link-down.a", False, check=True),
    Case("vti-okey", "vti/a", True, check=True),
    Case("vti-okey", "vti/vti-okey.a", False, check=True),
    Case("vti-okey", "vti/vti-okey-set.a", False, check=True),
    Case("vti-okey", "vti6/vti-okey.a", False, check=True),
    Case("vti-okey", "vti/mark-output.a", True, check=True),     # the out SA has no mark
    Case("vti-okey", "vti/out-sa-othermark.a", False),
    Case("vti-in-sa", "vti/a", True, check=True),
    Case("vti-in-sa", "vti/in-sa-nomark.a", True, check=True),
    Case("vti-in-sa", "vti/vti-ikey.a", False, check=True),
    Case("vti-in-sa", "vti/vti-ikey-sa.a", False, check=True),
    Case("vti-in-sa", "vti6/in-sa-nomark.a", True),
    Case("vti-in-sa", "vti6/vti-ikey-sa.a", False, check=True),
    Case("vti-key", "vti/key.a", True),
    Case("vti-endpoints", "vti/a", True, check=True),
    Case("vti-endpoints", "vti/vti-endpoints.a", False, check=True),
    Case("vti-endpoints", "vti6/vti-endpoints.a", False, check=True),
    Case("vti-endpoints", "vti/remote-any.a", True),
    Case("vti-fwmark", "vti/vti-fwmark.a", False, check=True),
    Case("vti-fwmark", "vti/fwmark-okey.a", True),
    Case("vti-dev", "vti/vti-duplicate.a", False, check=True),
    Case("vti-duplicate", "vti/vti-duplicate.a", False, check=True),
    Case("vti-disable-policy", "vti/a", True, "/proc/sys/net/ipv4/conf/vti0/disable_policy"),
    Case("vti-disable-policy", "vti6/a", True, "/proc/sys/net/ipv6/conf/vti60/disable_policy"),
    Case("in-sa-lookup", "xfrmi/a", True, check=True),
    Case("in-sa-lookup", "vti/in-sa-nomark.a", True, check=True),
    Case("in-sa-lookup", "vti/vti-ikey-sa.a", False, check=True),
    Case("tmpl-sa", "policy/a", True, check=True),
    Case("tmpl-sa", "policy/tmpl-nosa.a", False, check=True),
    Case("tmpl-sa", "xfrmi6/tmpl-nosa.a", False, check=True),
    Case("tmpl-sa", "policy/tmpl-srcany.a", True),
    Case("tmpl-sa", "policy/tmpl-mode.a", False),
    Case("tmpl-sa", "policy/tmpl-spi.a", True),
    Case("tmpl-sa", "policy/tmpl-spi-other.a", False, check=True),
    Case("tmpl-sa", "xfrmi6/sa-missing.a", False, check=True),
    Case("tmpl-acquire", "policy/tmpl-nosa.a", False, check=True),
    Case("tmpl-acquire", "policy/tmpl-level-use.a", True),
    Case("tmpl-acquire", "policy/tmpl-level-use-tunnel.a", False, refused=True),
    Case("reqid", "policy/tmpl-nosa.a", False, check=True),
    Case("reqid", "policy/tmpl-reqid0.a", False, check=True),
    Case("reqid", "policy/tmpl-in-reqid0.a", True),
    Case("tmpl-in", "policy/tmpl-in-nopolicy.a", False, check=True),
    Case("tmpl-in", "policy/tmpl-in-mismatch.a", False),
    Case("tmpl-in", "policy/tmpl-in-spi-other.a", False, check=True),
    Case("fwd-in", "fwd/a", True, check=True),
    Case("fwd-in", "fwd/tmpl-fwd-nopolicy.a", False, check=True),
    Case("fwd-in", "policy/fwd-not-in.a", False, check=True),
    Case("fwd-in", "policy6/fwd-not-in.a", False, check=True),
    Case("policy-default", "fwd/default-block.a", False, check=True),
    Case("policy-default", "transport/default-block.a", False, check=True),
    Case("policy-default", "transport/no-in-policy.a", True, check=True),
    Case("policy-default", "policy/default-inout-block.a", True, check=True),
    Case("mark-match", "policy/mark-mismatch.a", False, check=True),
    Case("mark-match", "vti/in-sa-nomark.a", True, check=True),
    Case("output-mark", "vti/mark-output.a", True, check=True),
    Case("sa-esn-replay", "xfrmi/sa-esn-noreplay.a", False, check=True),
    Case("sa-esn-replay", "xfrmi/sa-esn-oneside.a", False),
    Case("sa-esn-replay", "xfrmi/sa-esn-both.a", True, then=ESN_BOTH),
    Case("sa-replay-out", "xfrmi/sa-replay-out.a", True, check=True),
    Case("batch-stops", "xfrmi/sa-esn-noreplay.a", False, check=True),
    Case("sa-dir", "sadir/a", True, check=True),
    Case("sa-dir", "sadir/sa-dir-in.a", False, check=True),
    Case("sa-dir", "sadir/sa-dir-out.a", False, check=True),
    Case("sa-dir", "sadir/sa-dir-replay.a", False, check=True),
    Case("sa-pcpu", "pcpu/a", True, check=True),
    Case("sa-pcpu", "pcpu/pcpu-nodir.a", False, check=True),
    Case("sa-pcpu", "pcpu/pcpu-big.a", False, check=True),
    Case("auth-trunc", "auth/a", True),
    Case("auth-trunc", "auth/auth-default.a", False),
    Case("auth-trunc", "auth/auth-trunc96.a", False),
    Case("auth-trunc", "auth/auth-default-peer96.a", True, then=PEER96),
    Case("larval-ifid", "xfrmi/larval-update.a", True),
    Case("policy-priority", "policy/a", True, check=True),
    Case("policy-priority", "policy/policy-shadowed.a", False, check=True),
    Case("policy-tie", "policy/tie-block-newer.a", True, check=True),
    Case("policy-tie", "policy/tie-block-older.a", False, check=True),
    Case("policy-tie", "policy/tie-srcblock-newer.a", True),
    Case("policy-tie", "policy/tie-srcblock-older.a", False),
    Case("policy-tie", "policy/tie-anyblock-newer.a", True),
    Case("policy-tie", "policy/tie-anyblock-older.a", False),
    Case("policy-tie", "policy/tie-exact-newer.a", False),
    Case("policy-tie", "policy/tie-exact-older.a", False),
    Case("policy-unique", "policy/policy-duplicate.a", False, check=True),
]
