"""The object classes' docstrings: each field with the man page's meaning of its word, taken
from the grammar's `//@doc` lines (pyip._tables.DOCS) when the API is imported, so help()
and IDEs show them.  A field that is no command word (what the kernel reports, not what a
command sets) says what it is here.

The table names each field's DOCS key ("rule.word"); a text in quotes is the field's own."""
from pyip._tables import DOCS

_SA_ID = {"src": "id_word.src", "dst": "id_word.dst", "proto": "id_word.proto",
          "spi": "id_word.spi", "family": "'the address family (2 inet, 10 inet6)'",
          "mark": "state_add_word.mark", "if_id": "state_add_word.if_id"}
_EVENT = "'None for a listing or a new object, or the monitor's event: \"deleted\", " \
    "\"updated\", \"expired\"'"
_HARD = "'(expire events) 1 for a hard expire, 0 for a soft one'"
_ATTRS = "'the netlink attributes as decoded, by XFRMA_ name'"

FIELDS = {
    "XfrmState": dict(
        _SA_ID, event=_EVENT, reqid="state_add_word.reqid", mode="state_add_word.mode",
        replay_window="state_add_word.replay_window", flags="state_add_word.flag",
        extra_flags="state_add_word.extra_flag", seq="state_add_word.seq",
        sel="state_add_word.sel", lifetime="state_add_word.limit",
        lifetime_cur="'current use: bytes, packets, add_time, use_time'",
        stats="'replay_window, replay and integrity failures the kernel counted'",
        output_mark="state_add_word.output_mark",
        output_mark_mask="'the mask of output_mark'", auth="algo.auth",
        auth_trunc="algo.auth_trunc", aead="algo.aead", enc="algo.enc", comp="algo.comp",
        encap="state_add_word.encap", coa="state_add_word.coa",
        lastused="'when the SA was last used (seconds since the epoch)'",
        anti_replay="'the replay state: seq, oseq, bitmap'",
        anti_replay_esn="'the ESN replay state'", offload="state_add_word.offload",
        tfcpad="state_add_word.tfcpad", ctx="state_add_word.ctx", hard=_HARD, attrs=_ATTRS),
    "XfrmPolicy": dict(
        event=_EVENT, sel="'the selector: the traffic the policy applies to'",
        dir="policy_add_word.dir", socket="'True for a socket policy (not in the SPD)'",
        action="policy_add_word.action", priority="policy_add_word.priority",
        index="policy_add_word.index", flags="policy_add_word.flag",
        share="'the share of its SAs: any, session, user, unique'",
        lifetime="policy_add_word.limit", lifetime_cur="'current use: bytes, packets, "
        "add_time, use_time'", ptype="policy_add_word.ptype", tmpls="policy_add_word.tmpl",
        mark="policy_add_word.mark", if_id="policy_add_word.if_id", ctx="policy_add_word.ctx",
        hard=_HARD, attrs=_ATTRS),
    "XfrmTmpl": dict(
        {f: _SA_ID[f] for f in ("src", "dst", "proto", "spi", "family")},
        reqid="tmpl_word.reqid", mode="tmpl_word.mode", level="tmpl_word.level",
        share="'the share of the SA: any, session, user, unique'",
        aalgos="'the authentication algorithms allowed (a bit mask)'",
        ealgos="'the encryption algorithms allowed (a bit mask)'",
        calgos="'the compression algorithms allowed (a bit mask)'"),
    "XfrmSaId": dict(_SA_ID, attrs=_ATTRS),
    "Selector": dict(
        src="selector_word.src", dst="selector_word.dst",
        prefixlen_s="'the length of the src prefix'",
        prefixlen_d="'the length of the dst prefix'",
        family="'the address family (2 inet, 10 inet6, 0 any)'", proto="upspec_word.proto",
        sport="upspec_word.sport", dport="upspec_word.dport",
        sport_mask="'which bits of sport count (also ICMP type / GRE key)'",
        dport_mask="'which bits of dport count (also ICMP code / GRE key)'",
        ifindex="selector_word.dev", user="'the uid of a socket policy'"),
    "Mark": dict(value="mark.mark", mask="'the bits of value that count'"),
    "Lifetime": {f: "limit." + f for f in (
        "byte_soft", "byte_hard", "packet_soft", "packet_hard", "time_soft", "time_hard",
        "time_use_soft", "time_use_hard")},
    "Encap": dict(type="encap.encap", sport="'the UDP/TCP source port'",
                  dport="'the UDP/TCP destination port'",
                  addr="'the original address (OADDR)'"),
    "Offload": dict(ifindex="state_add_word.offload", dir="offload_dir_word.dir"),
    "XfrmInfo": dict(link="xfrm_link_word.dev", if_id="xfrm_link_word.if_id",
                     external="xfrm_link_word.external"),
    "VtiInfo": dict(family="'the address family of the ends'", link="vti_link_word.dev",
                    ikey="vti_link_word.ikey", okey="vti_link_word.okey",
                    local="vti_link_word.local", remote="vti_link_word.remote",
                    fwmark="vti_link_word.fwmark"),
    "Link": dict(index="link_word.index", ifname="link_word.name",
                 flags="'the interface flags (UP, LOOPBACK, ...)'", mtu="link_word.mtu",
                 link="link_word.link", master="link_word.master",
                 txqlen="link_word.txqueuelen", operstate="link_word.state",
                 group="link_word.group", address="link_word.address",
                 broadcast="link_word.broadcast", alias="link_word.alias",
                 altnames="'the alternative names'", kind="link_word.type",
                 info="'the kind's options: XfrmInfo (xfrm), VtiInfo (vti, vti6)'",
                 link_netnsid="link_word.link_netnsid",
                 type="'the link-layer type (ARPHRD_*)'",
                 change="'(events) the flags that changed'", attrs=_ATTRS),
}


def meaning(ref):
    return ref[1:-1] if ref.startswith("'") else DOCS[ref]


def docstring(cls, fields):
    head = (cls.__doc__ or cls.__name__).rstrip()
    width = max(len(f) for f in fields)
    lines = ["%-*s  %s" % (width, f, meaning(fields[f])) for f in cls.__slots__
             if f in fields]
    return "%s\n\nFields (keyword arguments; None where not set):\n\n    %s\n" % (
        head, "\n    ".join(lines))


def annotate(classes):
    """Give each class of FIELDS (by name, from `classes`) its fields' docstring, once."""
    for cls in classes:
        fields = FIELDS.get(getattr(cls, "__name__", None)) if isinstance(cls, type) else None
        if fields is not None and "\n\nFields (" not in (cls.__doc__ or ""):
            cls.__doc__ = docstring(cls, fields)
