"""The defaults that apply to a command where its words leave something out: what ip (or
the kernel) then puts in the request.  Rows: (the keys whose absence makes the default
apply, the text); a key is a grammar name "rule.alias" (any rule, when written ".alias")."""

_SA_ADD = [
    ((".mode",), "mode transport (0): the SA protects the packet's own payload; tunnel "
                 "mode adds an outer IP header"),
    ((".reqid",), "reqid 0: a template with a non-zero reqid will not pick this SA"),
    ((".replay_window",), "replay-window 0: no anti-replay check on inbound packets"),
    ((".flag",), "flag: none (no noecn, esn, ...)"),
    ((".mark",), "no mark: the SA matches packets whatever their mark (no "
                             "XFRMA_MARK is sent)"),
    ((".if_id",), "no if_id (0): the SA serves policies without if_id, not an xfrm "
                  "interface"),
    ((".sel",), "sel: empty (family 0, any address, any protocol): the kernel does not "
                "restrict the traffic this SA carries by selector"),
    ((".limit",), "lifetimes infinite: byte and packet limits 2^64-1, time limits 0 (none)"),
    ((".encap",), "no encap: plain ESP/AH, no UDP (NAT traversal) encapsulation"),
]
_POLICY_ADD = [
    ((".priority",), "priority 0: the best there is (lower numbers win)"),
    ((".action",), "action allow"),
    ((".ptype",), "ptype main"),
    ((".index",), "index 0: the kernel picks one (its low 3 bits give the direction)"),
    ((".mark",), "no mark: the policy matches packets whatever their mark"),
    ((".if_id",), "no if_id (0): the policy matches only traffic that is not routed "
                  "through an xfrm interface"),
    ((".limit",), "lifetimes infinite"),
    ((".flag",), "flag: none"),
    (("selector_word.src", "selector_word.dst"), "selector: any source and destination "
                                                 "address (prefix length 0)"),
    ((".tmpl",), "no tmpl: an allow policy without templates lets the traffic pass "
                 "unencrypted"),
]
_TMPL = [
    (("tmpl_word.mode",), "tmpl mode transport"),
    (("tmpl_word.level",), "tmpl level required: no SA means the packet is dropped and "
                           "an SA is asked for (ACQUIRE)"),
    (("tmpl_word.reqid",), "tmpl reqid 0: any SA's reqid will do"),
    (("id_word.spi",), "tmpl spi 0: any SPI will do"),
    ((), "tmpl share any; all algorithms allowed (aalgos/ealgos/calgos 0xffffffff)"),
]
_VTI_LINK = [
    (("vti_link_word.local",), "no local: any (0.0.0.0 / ::)"),
    (("vti_link_word.remote",), "no remote: any peer"),
    (("vti_link_word.ikey", "vti_link_word.key"),
     "ikey 0: the inbound policy check uses mark 0 (policies without mark match)"),
    (("vti_link_word.okey", "vti_link_word.key"),
     "okey 0: the outbound lookup uses mark 0 (policies and SAs without mark match)"),
    (("vti_link_word.fwmark",), "fwmark 0"),
]

DEFAULTS = {
    ("xfrm", "state", "add"): _SA_ADD, ("xfrm", "state", "update"): _SA_ADD,
    ("xfrm", "policy", "add"): _POLICY_ADD, ("xfrm", "policy", "update"): _POLICY_ADD,
}


def _present(keys, key):
    if key.startswith("."):
        return any(k.endswith(key) for k in keys)
    return key in keys


def defaults(reading):
    """The texts of the defaults that apply to the command."""
    keys = {g.key for g in reading.groups}
    rows = list(DEFAULTS.get(reading.path, ()))
    if reading.path[:2] == ("xfrm", "policy") and _present(keys, ".tmpl"):
        rows += _TMPL
    if reading.path[:1] == ("link",) and reading.path[1:2] in (("add",), ("replace",)):
        rows += {"vti": _VTI_LINK, "vti6": _VTI_LINK}.get(
            reading.kind, [])
    out = []
    if any(k.endswith("_word.mark") for k in keys) and "mask.mask" not in keys:
        out.append("mark mask 0xffffffff: every bit of the mark counts")
    for absent, text in rows:
        if not any(_present(keys, k) for k in absent):
            out.append(text)
    if reading.path[:2] in (("xfrm", "state"), ("xfrm", "policy")):
        fam = [g for g in reading.groups if g.value in ("IPv4", "IPv6")]
        if fam and not any(g.key.startswith("option.inet") for g in reading.groups):
            out.insert(0, "family %s: from the addresses (no -4/-6 given)" % fam[0].value)
    return out
