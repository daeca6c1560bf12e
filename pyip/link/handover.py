"""Which `ip link` commands go to the system's ip (pyip/delegate.py), decided from the words
alone, before pyip sends or prints anything: a hand-over must reach the kernel as ip's own
command does, so pyip may not first send ip's RTM_NEWLINK probe, look a device up, or print
part of an answer.

The words are walked as iplink_parse() walks them, with each option's values counted from
the grammar (TABLES["link_word"]: the value nonterminals of each keyword), and nothing is
checked: where ip would stop at a bad value before the part pyip does not implement, the
system's ip says so itself.
"""
from pyip._tables import TABLES
from pyip.words import lookup

# meaning -> how many words follow it (iplink_parse's NEXT_ARG()s)
_VALUES = {}
for _word, _prefix, _meaning, _values in TABLES["link_word"]:
    _VALUES.setdefault(_meaning, len(_values))
XDP = ("xdp", "xdpgeneric", "xdpdrv", "xdpoffload")


def _kind_has_parser(kind):
    from pyip.link import kinds
    return kinds.PARSERS.get(kind) is not None


def options(words):
    """The text pyip would say for the first part of link OPTIONS [type KIND ARGS] it does
    not implement (Unimplemented's message), or None."""
    from pyip.link.modify import IP_KINDS, NO_PARSE_OPT, XDP_PROGRAMS
    i, n = 0, len(words)
    while i < n:
        w = words[i]
        what = lookup("link_word", w)
        if what is None:
            alone = lookup("link_dev", w)
            if alone == "help":
                return None             # ip's usage: pyip prints it
            i += 2 if alone == "dev" else 1
            continue
        if what == "vf":
            return 'pyip: "ip link set ... vf" is not implemented yet.\n'
        if what in XDP:
            if i + 1 < n and lookup("xdp", words[i + 1]) in XDP_PROGRAMS:
                return ('pyip: "ip link ... %s %s" (loading BPF) is not implemented yet.\n'
                        % (w, words[i + 1]))
        if what == "type":
            if i + 1 >= n:
                return None
            kind, rest = words[i + 1], words[i + 2:]
            if not rest or kind in NO_PARSE_OPT or kind not in IP_KINDS:
                return None
            if kind == "veth":
                # veth_parse_opt(): "peer" and the peer's own link OPTIONS
                return options(rest[1:]) if lookup("veth_peer", rest[0]) else None
            if not _kind_has_parser(kind):
                return 'pyip: "ip link ... type %s ARGS" is not implemented yet.\n' % kind
            return None
        if what not in _VALUES:
            return 'pyip: "ip link %s" is not implemented yet.\n' % w
        i += 1 + _VALUES[what]
    return None

