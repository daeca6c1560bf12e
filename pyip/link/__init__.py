"""ip link (iplink.c do_iplink): dispatch; the xfrm, vti and vti6 kinds live beside it."""
from pyip.errors import IpExit, usage
from pyip.words import lookup

RTM_NEWLINK = 16
EOPNOTSUPP, EINVAL = 95, 22


def have_newlink():
    """iplink_have_newlink(): ip asks once per process whether RTM_NEWLINK works, with an
    empty request sent as is (sequence number 0).  The answer is kept on the handle."""
    from pyip import netlink as nl
    h = nl.rtnl()
    if getattr(h, "have_newlink", None) is None:
        h.t.send(nl.HDR.pack(32, RTM_NEWLINK, nl.NLM_F_REQUEST | nl.NLM_F_ACK, 0, 0)
                 + bytes(16))
        h.have_newlink = True
        for mtype, _, msg in h.messages():
            if mtype == nl.NLMSG_ERROR and -nl.I32.unpack_from(msg, 16)[0] in (EOPNOTSUPP,
                                                                             EINVAL):
                h.have_newlink = False
            break
    return h.have_newlink


def do_link(argv):
    if not argv:
        what = "show"
    else:
        have_newlink()
        what = lookup("link", argv[0])
    if what is None:
        raise IpExit('Command "%s" is unknown, try "ip link help".\n' % argv[0], 255)
    if what == "help" and len(argv) == 1:
        usage("link")
    raise IpExit('pyip: "ip link %s" is not implemented yet.\n' % " ".join(argv[:2]), 1)
