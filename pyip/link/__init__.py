"""ip link (iplink.c do_iplink): dispatch; the xfrm, vti and vti6 kinds live beside it."""
from pyip.errors import IpExit, Unimplemented, usage
from pyip.ifla import RTM_DELLINK, RTM_NEWLINK
from pyip.netlink import NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE
from pyip.opts import opts
from pyip.words import lookup

EOPNOTSUPP, EINVAL = 95, 22
# ip < 6.7 probes RTM_NEWLINK before every subcommand (4913a5c2 removed it in 6.7)
PROBE_UNTIL = (6, 7)


def have_newlink():
    """iplink_have_newlink(): ip asks once per process whether RTM_NEWLINK works, with an
    empty request sent as is (sequence number 0).  The answer is kept on the handle."""
    from pyip import netlink as nl
    h = nl.rtnl()
    if getattr(h, "have_newlink", None) is None:
        h.t.send(nl.HDR.pack(32, RTM_NEWLINK, nl.NLM_F_REQUEST | nl.NLM_F_ACK, 0, 0)
                 + bytes(16))
        h.have_newlink = True
        for mtype, _, _, msg in h.messages():
            if mtype == nl.NLMSG_ERROR and -nl.I32.unpack_from(msg, 16)[0] in (EOPNOTSUPP,
                                                                             EINVAL):
                h.have_newlink = False
            break
    return h.have_newlink


def do_link(argv):
    if not argv:
        what = "show"
    else:
        what = lookup("link", argv[0])
        if opts.hand_over:
            # decided before the probe: the system's ip sends its own (pyip.link.handover);
            # in-process, pyip goes as far as ip would (ip's errors for what comes first)
            handed = _for_ip(what, argv)
            if handed is not None:
                from pyip.delegate import system_ip
                if system_ip() is not None:
                    raise Unimplemented(handed)
        from pyip.release import since
        if not since(PROBE_UNTIL):
            have_newlink()
    if what is None:
        raise IpExit('Command "%s" is unknown, try "ip link help".\n' % argv[0], 255)
    if what == "help":
        return help_(argv[1:])
    if what == "show":
        from pyip.link.listing import show
        return show(argv[1:])
    if what == "property":
        from pyip.link.prop import prop
        return prop(argv[1:])
    if what in MODIFY:
        from pyip.link.modify import modify
        type_, flags = MODIFY[what]
        return modify(type_, flags, argv[1:])
    raise Unimplemented('pyip: "ip link %s" is not implemented yet.\n' % " ".join(argv[:2]))


def _for_ip(what, argv):
    """Unimplemented's text for `ip link ARGV` if the system's ip is to run it, or None."""
    if what in MODIFY:
        from pyip.link import handover
        return handover.options(argv[1:])
    if what == "help":
        return _help_for_ip(argv[1:])
    if what is not None and what not in ("show", "property"):       # xstats, afstats
        return 'pyip: "ip link %s" is not implemented yet.\n' % " ".join(argv[:2])
    return None


def _help_for_ip(argv):
    if not argv or argv[0] in ("xfrm", "vti", "vti6"):
        return None
    from pyip._tables import USAGE
    if "link_" + argv[0] in USAGE:
        return None
    from pyip.link.kinds import IP_KINDS
    if argv[0] in IP_KINDS:
        return 'pyip: "ip link help %s" is not implemented yet.\n' % argv[0]
    return None


# command -> (message type, flags): iplink.c do_iplink()
MODIFY = {"add": (RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL), "set": (RTM_NEWLINK, 0),
          "replace": (RTM_NEWLINK, NLM_F_CREATE | NLM_F_REPLACE), "delete": (RTM_DELLINK, 0)}


def help_(argv):
    """ip link help [TYPE]: a kind's help goes to stdout (exit 0), else ip's usage."""
    if not argv:
        usage("link")
    from pyip._tables import USAGE
    text = USAGE.get("link_" + argv[0])
    if text is not None:
        from pyip.release import pick
        text = pick(USAGE, "link_" + argv[0])
    else:
        if argv[0] in ("xfrm", "vti", "vti6"):
            usage("link")
        from pyip.link.kinds import IP_KINDS
        if argv[0] in IP_KINDS:
            raise Unimplemented('pyip: "ip link help %s" is not implemented yet.\n'
                                % argv[0])
        usage("link")
    from pyip import out
    out.write(text)
    return 0
