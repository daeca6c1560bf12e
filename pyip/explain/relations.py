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
    return [claim("xfrmi-if-id", if_id=v), claim("route-lookup-ifid0"),
            claim("link-route"), claim("xfrmi-if-id-zero")]


def xfrm_external(c):
    return [claim("xfrmi-external")]


def xfrm_dev(c):
    dev = c.get("xfrm_link_word.dev")
    out = [claim("xfrmi-dev", dev=dev)]
    if c.path[-1:] == ("set",):
        out.append(claim("xfrmi-change", dev=dev))
    return out


def vti_okey(c):
    v = c.get("vti_link_word.okey", c.get("vti_link_word.key"))
    local, remote = _vti_ends(c)
    return [claim("vti-okey", okey=v),
            # the commands the sentence asks for, with this command's values
            "ip xfrm policy add dir out src %s dst %s mark %s tmpl src %s dst %s proto esp "
            "mode tunnel\nip xfrm state add src %s dst %s proto esp spi SPI mark %s ..."
            % (_any(c), _any(c), v, local, remote, local, remote, v),
            claim("link-route")]


def vti_ikey(c):
    v = c.get("vti_link_word.ikey", c.get("vti_link_word.key"))
    return [claim("vti-in-sa", ikey=v)]


def vti_key(c):
    return [claim("vti-key", key=c.get("vti_link_word.key"))] + vti_ikey(c) + vti_okey(c)


def vti_local(c):
    local, remote = _vti_ends(c)
    return [claim("vti-endpoints", local=local, remote=remote, any=_any(c)[:-2])]


def vti_fwmark(c):
    return [claim("vti-fwmark", fwmark=c.get("vti_link_word.fwmark"))]


def vti_disable_policy(c):
    family = "ipv6" if c.kind == "vti6" else "ipv4"
    return [claim("vti-disable-policy", sysctl="net.%s.conf.%s.disable_policy" % (
        family, c.get("link_dev.dev", "VTI")))]


def vti_dev(c):
    return [claim("vti-dev", dev=c.get("vti_link_word.dev"))]


def policy_if_id(c):
    return [claim("xfrmi-if-id", if_id=c.get("policy_add_word.if_id",
                                             c.get("policy_get_word.if_id"))),
            claim("route-lookup-ifid0")]


def state_if_id(c):
    return [claim("xfrmi-if-id", if_id=c.get("state_add_word.if_id")),
            claim("in-sa-lookup")]


def policy_tmpl(c):
    return [claim("tmpl-sa"), claim("tmpl-acquire"), claim("tmpl-in")]


def mark(c):
    key = next((k for k in c.values if k.endswith("_word.mark")), None)
    words = (c.get(key) if key else "?").split()
    return [claim("mark-match", value=words[0],
                  mask=words[2] if len(words) > 2 else "0xffffffff")]


def output_mark(c):
    return [claim("output-mark", om=c.get("state_add_word.output_mark"))]


def reqid(c):
    return [claim("reqid")]


def level(c):
    return [claim("tmpl-acquire")]


def priority(c):
    return [claim("policy-priority"), claim("policy-tie")]


def auth(c):
    return [claim("auth-trunc")]


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
        said = {p for _, ps in out for p in ps}
        paragraphs = [p for p in fn(c) if p not in said]     # each sentence once
        if paragraphs:
            out.append((g.key, paragraphs))
    if c.kind in ("vti", "vti6") and c.path[-1:] in (("add",), ("set",), ("replace",)):
        out.append(("vti.disable_policy", vti_disable_policy(c)))
    return out
