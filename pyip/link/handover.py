"""Which `ip link` commands go to the system's ip (pyip/delegate.py), decided from the words
alone, before pyip sends or prints anything: a hand-over must reach the kernel as ip's own
command does, so pyip may not first send ip's RTM_NEWLINK probe, look a device up, or print
part of an answer.

The words are read by the grammar's walk, as LinkModify reads them.
"""
from pyip.grammar import MISSING, walk
from pyip.words import lookup

XDP = ("xdp", "xdpgeneric", "xdpdrv", "xdpoffload")


def _kind_has_parser(kind):
    from pyip.link import kinds
    return kinds.PARSERS.get(kind) is not None


def options(words):
    """The text pyip would say for the first part of link OPTIONS [type KIND ARGS] it does
    not implement (Unimplemented's message), or None.  The words are read by the grammar's
    walk (as LinkModify reads them), nothing checked: where ip would stop at a bad value
    before that part, pyip says ip's message itself."""
    from pyip.link.kinds import IP_KINDS, NO_PARSE_OPT
    tree, _ = walk(words, "link_options")
    for node in tree.children:
        if node.rule == "link_dev":
            if node.alias == "help":
                return None             # ip's usage: pyip prints it
            continue
        what = node.alias
        if what == "vf":
            return 'pyip: "ip link set ... vf" is not implemented yet.\n'
        program = node.children[1] if len(node.children) > 1 else MISSING
        if what in XDP and program is not MISSING and program.alias != "off":
            return ('pyip: "ip link ... %s %s" (loading BPF) is not implemented yet.\n'
                    % (words[node.start], words[node.start + 1]))
        if what == "type":
            if node.start + 1 >= len(words):
                return None
            kind, rest = words[node.start + 1], words[node.start + 2:]
            if not rest or kind in NO_PARSE_OPT or kind not in IP_KINDS:
                return None
            if kind == "veth":
                # veth_parse_opt(): "peer" and the peer's own link OPTIONS
                return options(rest[1:]) if lookup("veth_peer", rest[0]) else None
            if not _kind_has_parser(kind):
                return 'pyip: "ip link ... type %s ARGS" is not implemented yet.\n' % kind
            return None
    return None


def unprinted_kind(tb):
    """For `ip -d link show`: the kind (or "KIND_slave") of a device's options ip prints
    (iproute2 has a link_util with a printer for it, and the kernel sent the kind's data)
    and pyip does not, or None.  (One such device in a dump hands the whole command over.)"""
    from pyip import netlink as nl
    from pyip.ifla import (IFLA_INFO_DATA, IFLA_INFO_KIND, IFLA_INFO_SLAVE_DATA,
                           IFLA_INFO_SLAVE_KIND, IFLA_LINKINFO)
    from pyip.link.kinds import PRINTERS, SLAVE_PRINTERS
    from pyip.link.kinds import IP_KINDS, NO_PARSE_OPT
    raw = tb.get(IFLA_LINKINFO)
    if raw is None:
        return None
    info = nl.link_attrs(raw)
    for kind_attr, data_attr, suffix, printers in (
            (IFLA_INFO_KIND, IFLA_INFO_DATA, "", PRINTERS),
            (IFLA_INFO_SLAVE_KIND, IFLA_INFO_SLAVE_DATA, "_slave", SLAVE_PRINTERS)):
        kind = info.get(kind_attr)
        if kind is None or data_attr not in info:
            continue
        kind = nl.cstr(kind)
        util = kind + suffix
        if util in IP_KINDS and util not in NO_PARSE_OPT and printers.get(kind) is None:
            return util
    return None


def show_for_ip(msgs):
    """Unimplemented's text if `ip -d link show` of these answers is the system's ip's to
    print (pyip the command, details, not -br), else None."""
    from pyip.opts import opts
    if not (opts.hand_over and opts.show_details) or opts.brief:
        return None
    from pyip import netlink as nl
    for msg in msgs:
        if len(msg) < 32:
            continue
        kind = unprinted_kind(nl.link_attrs(msg, 32))
        if kind is not None:
            from pyip.delegate import system_ip
            if system_ip() is None:
                return None
            return 'pyip: "ip -d link show" of a %s device is not implemented yet.\n' % kind
    return None
