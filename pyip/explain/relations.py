"""How a command's parameters tie it to other objects: xfrm interfaces and VTIs to the
policies and SAs that use them, templates to the SAs they select, marks to packets.

Texts are keyed by the grammar's names ("rule.alias") and filled with the command's own
values; the sentences of pyip/claims.py (each proven by a traffic case of the kernel tier)
are taken from there, so that explain, the overview, the man pages and check say the same.
"""
from pyip.claims import claim


class Context:
    """The values of a command's groups, by key ("vti_link_word.okey" -> "6"), and what the
    command is (its path of command words, the link kind)."""

    def __init__(self, reading):
        self.path = reading.path
        self.kind = reading.kind
        self.values = {}
        for g in reading.groups:
            words = g.text.split()
            value = " ".join(words[1:]) if len(words) > 1 else ""
            if g.key == "link_dev.dev":
                value = words[-1]
            self.values.setdefault(g.key, value)

    def get(self, key, default="?"):
        v = self.values.get(key)
        return default if v in (None, "") else v



def _vti_ends(c):
    return c.get("vti_link_word.local", "LOCAL"), c.get("vti_link_word.remote", "REMOTE")


def _any(c):
    return "::/0" if c.kind == "vti6" else "0.0.0.0/0"


def xfrm_if_id(c):
    v = c.get("xfrm_link_word.if_id")
    return [
        "if_id %s ties this interface to the policies and SAs that carry \"if_id %s\": "
        "a packet routed into the interface is looked up with if_id %s, so only "
        "\"ip xfrm policy ... dir out ... if_id %s\" and an SA \"ip xfrm state ... if_id %s\" "
        "can encrypt it; an arriving packet decrypted by an SA with if_id %s comes out of "
        "this interface (and the in policy must carry if_id %s too)." % ((v,) * 7),
        "Policies and SAs without if_id (0) never match traffic of an xfrm interface, and an "
        "SA with an if_id is never used by a policy without one: put the same if_id on "
        "both, in each direction. Routes decide what enters the interface (route-based "
        "VPN): \"ip route add 10.2.0.0/16 dev IFNAME\".",
        "ip requires an if_id (or external) and refuses if_id 0; any other number "
        "works, and many policies and SAs (even of unrelated peers) may share one "
        "interface."]


def xfrm_external(c):
    return [claim("xfrmi-external")]


def xfrm_dev(c):
    return [claim("xfrmi-dev", dev=c.get("xfrm_link_word.dev"))]


def vti_okey(c):
    v = c.get("vti_link_word.okey", c.get("vti_link_word.key"))
    local, remote = _vti_ends(c)
    return [
        "okey %s is the mark of the outbound lookup: a packet routed into the VTI is "
        "looked up as if it carried mark %s, so the out policy needs \"mark %s\" (with a "
        "mask that keeps it); the out SA may carry it too (an SA without mark matches "
        "any mark, one with another mark does not), e.g.\n"
        "ip xfrm policy add dir out src %s dst %s mark %s "
        "tmpl src %s dst %s proto esp mode tunnel\n"
        "ip xfrm state add src %s dst %s proto esp spi SPI mark %s ...\n"
        "Without a matching policy the VTI drops the packet."
        % (v, v, v, _any(c), _any(c), v, local, remote, local, remote, v)]


def vti_ikey(c):
    v = c.get("vti_link_word.ikey", c.get("vti_link_word.key"))
    return [claim("vti-in-sa", ikey=v)]


def vti_key(c):
    return ["key %s sets both ikey and okey." % c.get("vti_link_word.key")] + vti_ikey(c) + \
        vti_okey(c)


def vti_local(c):
    local, remote = _vti_ends(c)
    anyaddr = _any(c)[:-2]
    return [
        "local %s and remote %s are the outer addresses: the SAs used through this VTI "
        "must have exactly these as src/dst (outbound src %s dst %s, inbound the "
        "reverse); an out SA with other addresses drops the packet (vti_state_check). "
        "Arriving packets find the VTI by their outer addresses; remote %s (or no "
        "remote) accepts any peer." % (local, remote, local, remote, anyaddr)]


def vti_fwmark(c):
    return [
        "fwmark %s (IFLA_VTI_FWMARK) is the mark used for the route lookup of the "
        "encrypted (outer) packet, e.g. to pick a routing table with \"ip rule add fwmark "
        "%s\"; it does not take part in the policy or SA lookup." %
        ((c.get("vti_link_word.fwmark"),) * 2)]


def vti_disable_policy(c):
    family = "ipv6" if c.kind == "vti6" else "ipv4"
    return [claim("vti-disable-policy", sysctl="net.%s.conf.%s.disable_policy" % (
        family, c.get("link_dev.dev", "VTI")))]


def vti_dev(c):
    return [claim("vti-dev", dev=c.get("vti_link_word.dev"))]


def policy_if_id(c):
    v = c.get("policy_add_word.if_id")
    return [
        "if_id %s makes this policy match only traffic of the xfrm interface(s) with "
        "\"if_id %s\" (\"ip link add NAME type xfrm dev PHYS if_id %s\"): outbound, packets "
        "routed into that interface; inbound, packets its SAs decrypted. The SAs its "
        "templates pick must carry \"if_id %s\" as well." % ((v,) * 4)]


def state_if_id(c):
    v = c.get("state_add_word.if_id")
    return [
        "if_id %s ties this SA to the xfrm interface with \"if_id %s\": it is used only for "
        "policies with \"if_id %s\", and packets it decrypts come out of that interface. "
        "A policy without if_id never uses it." % ((v,) * 3)]


def policy_tmpl(c):
    return [
        "Each tmpl names the SA the traffic needs; the kernel looks one up by: dst = the "
        "SA's dst; src = the SA's src unless the template's src is 0.0.0.0/::; proto; "
        "mode; reqid unless the template's reqid is 0; spi unless it is 0; the SA's mark "
        "must match the packet's mark and its if_id must equal the policy's.",
        "No such SA: the kernel sends an ACQUIRE (\"ip xfrm monitor\" shows it) to the IKE "
        "daemon and drops the packet (XfrmOutNoStates), unless the template has \"level "
        "use\" (optional). Inbound, the SAs that were applied must satisfy the in (or fwd) "
        "policy's templates, or the packet is dropped (XfrmInTmplMismatch)."]


def mark(c):
    key = next((k for k in c.values if k.endswith("_word.mark")), None)
    words = (c.get(key) if key else "?").split()
    value = words[0]
    mask = words[2] if len(words) > 2 else "0xffffffff"
    return [
        "mark %s mask %s matches packets whose mark & %s == %s. A policy's and its SA's "
        "marks are checked against the same packet mark (for a VTI: its okey outbound, "
        "its ikey for the inbound policy); an SA or policy without mark matches any "
        "mark. ip sends no XFRMA_MARK when the mask is 0."
        % (value, mask, mask, value)]


def output_mark(c):
    return [
        "output-mark %s sets a mark on the packet after this SA has been applied (e.g. to "
        "route the encrypted packet); it does not take part in the policy or SA lookup. "
        "Using it where \"mark\" is meant is a common mistake: that SA is never matched "
        "by marked traffic's policies." % c.get("state_add_word.output_mark")]


def reqid(c):
    return [
        "reqid ties SAs to policy templates: a template with reqid N uses only SAs with "
        "reqid N (0 in a template: any reqid)."]


def level(c):
    return ["level use makes the template optional: no SA for it is no reason to drop the "
            "packet; level required (the default) drops it and asks for one."]


def priority(c):
    return ["priority: among the policies whose selector, mark and if_id match a packet, "
            "the lowest number wins (0 is the best); a broad policy with a better "
            "priority, or \"action block\", shadows narrower ones."]


def auth(c):
    return [
        "auth NAME KEY leaves the truncation length to the kernel's default for the "
        "algorithm: 96 bits for hmac(sha1), and 96 for hmac(sha256) too (\"ip -s xfrm "
        "state\" then shows \"auth-trunc hmac(sha256) ... 96\"). Peers that follow RFC "
        "4868 use 128 bits for sha256: write \"auth-trunc 'hmac(sha256)' KEY 128\"."]


RELATIONS = {
    "algo.auth": auth,
    "xfrm_link_word.if_id": xfrm_if_id,
    "xfrm_link_word.external": xfrm_external,
    "xfrm_link_word.dev": xfrm_dev,
    "vti_link_word.okey": vti_okey,
    "vti_link_word.ikey": vti_ikey,
    "vti_link_word.key": vti_key,
    "vti_link_word.local": vti_local,
    "vti_link_word.remote": vti_local,
    "vti_link_word.fwmark": vti_fwmark,
    "vti_link_word.dev": vti_dev,
    "policy_add_word.if_id": policy_if_id,
    "policy_get_word.if_id": policy_if_id,
    "state_add_word.if_id": state_if_id,
    "policy_add_word.tmpl": policy_tmpl,
    "policy_add_word.mark": mark,
    "state_add_word.mark": mark,
    "state_add_word.output_mark": output_mark,
    "state_add_word.reqid": reqid,
    "tmpl_word.reqid": reqid,
    "tmpl_word.level": level,
    "policy_add_word.priority": priority,
}


def relations(reading):
    """[(key, [paragraph, ...])] for the command's parameters, each text once."""
    c = Context(reading)
    out = []
    seen = set()
    for g in reading.groups:
        fn = RELATIONS.get(g.key)
        if fn is None or fn in seen or (fn is vti_local and vti_local in seen):
            continue
        seen.add(fn)
        out.append((g.key, fn(c)))
    if c.kind in ("vti", "vti6") and c.path[-1:] in (("add",), ("set",), ("replace",)):
        out.append(("vti.disable_policy", vti_disable_policy(c)))
    return out
