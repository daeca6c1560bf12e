"""ip link (iplink.c do_iplink): dispatch; the xfrm, vti and vti6 kinds live beside it."""
from pyip.errors import IpExit, usage
from pyip.words import lookup


def do_link(argv):
    if not argv:
        what = "show"
    else:
        what = lookup("link", argv[0])
    if what is None:
        raise IpExit('Command "%s" is unknown, try "ip link help".\n' % argv[0], 255)
    if what == "help" and len(argv) == 1:
        usage("link")
    raise IpExit('pyip: "ip link %s" is not implemented yet.\n' % " ".join(argv[:2]), 1)
