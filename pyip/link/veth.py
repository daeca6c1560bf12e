"""type veth (iproute2's ip/link_veth.c): a pair, the peer's options parsed as the device's."""
from pyip import netlink as nl
from pyip import out
from pyip.link.kinds import help_text
from pyip.words import lookup

VETH_INFO_PEER = 1


def parse(kind, argv, flags, ifi, iplink_parse):
    """veth_parse_opt(): "peer" then the peer's own device options, parsed by iplink_parse
    into a nest that starts with the peer's ifinfomsg (veth pairs join test namespaces)."""
    if lookup("veth_peer", argv[0]) is None:
        out.write(help_text("veth"))        # ip's print_usage() ignores its FILE: stdout
        return None
    from pyip.ifla import IFINFOMSG
    peer = iplink_parse(argv[1:], flags)
    if peer.kind is not None:
        from pyip.errors import duparg
        duparg("type", argv[len(argv) - len(peer.rest) - 1])
    ifi = peer.ifi
    head = IFINFOMSG.pack(0, 0, ifi["index"], ifi["flags"], ifi["change"])
    return nl.attr(VETH_INFO_PEER, head + peer.body())
