"""ip link property add|del [dev] DEVICE [altname NAME]...: iplink.c iplink_prop() and
iplink_prop_mod(): a device's alternative names (RTM_NEWLINKPROP / RTM_DELLINKPROP)."""
from pyip import links
from pyip import netlink as nl
from pyip.errors import IpExit, duparg2, invalid, usage
from pyip.link.ifla import IFINFOMSG, IFLA_ALT_IFNAME, IFLA_PROP_LIST
from pyip.link.modify import nodev
from pyip.opts import opts
from pyip.words import Args, lookup

RTM_NEWLINKPROP, RTM_DELLINKPROP = 108, 109
NLM_F_EXCL, NLM_F_CREATE, NLM_F_APPEND = 0x200, 0x400, 0x800
OPERATORS = {"add": (RTM_NEWLINKPROP, NLM_F_EXCL | NLM_F_CREATE | NLM_F_APPEND),
             "del": (RTM_DELLINKPROP, 0)}


def prop(argv):
    """Returns ip's status for the command."""
    if not argv:
        usage("link")
    what = lookup("link_property_op", argv[0])
    if what == "help":
        usage("link")
    if what is None:
        raise IpExit("Operator required\n", 255)
    type_, flags = OPERATORS[what]
    a = Args(argv[1:])
    names = []
    dev = None
    while a.argc > 0:
        w = a.word
        what = lookup("link_property_word", w)
        if what == "altname":
            v = a.next()
            if not links.check_altifname(v):
                invalid("link_property_word.altname", v)
            # into ip's request buffer (links.LL_REQ), after the header, ifinfomsg and nest
            names.append(nl.addattr_l(36 + sum(map(len, names)), links.LL_REQ, IFLA_ALT_IFNAME,
                                      v.encode("utf-8", "surrogateescape") + b"\0"))
        elif what == "help":
            usage("link")
        else:
            if what == "dev":
                w = a.next()
            if dev is not None:
                duparg2("dev", w)
            if not links.check_altifname(w):
                invalid("link_property_word.dev", w)
            dev = w
        a.i += 1
    if dev is None:
        raise IpExit('Not enough of information: "dev" argument is required.\n', 255)
    index = links.name_to_index(dev)
    if not index:
        nodev(dev)
    body = IFINFOMSG.pack(opts.preferred_family, 0, index, 0, 0) + \
        nl.attr(IFLA_PROP_LIST | nl.NLA_F_NESTED, b"".join(names))
    try:
        nl.rtnl().talk(type_, flags, body, answer=False)
    except nl.KernelError as e:
        from pyip import out
        out.error(e.message)
        return 2
    return 0
