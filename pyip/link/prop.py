"""ip link property add|del [dev] DEVICE [altname NAME]...: iplink.c iplink_prop() and
iplink_prop_mod(): a device's alternative names (RTM_NEWLINKPROP / RTM_DELLINKPROP)."""
from pyip import links
from pyip import netlink as nl
from pyip.errors import IpExit, duparg2, invalid, usage
from pyip.ifla import IFINFOMSG, IFLA_ALT_IFNAME, IFLA_PROP_LIST
from pyip.link.modify import nodev
from pyip.opts import opts
from pyip.tree import Leaf
from pyip.interpret import Interpreter

RTM_NEWLINKPROP, RTM_DELLINKPROP = 108, 109
OPERATORS = {"add": (RTM_NEWLINKPROP, nl.NLM_F_EXCL | nl.NLM_F_CREATE | nl.NLM_F_APPEND),
             "del": (RTM_DELLINKPROP, 0)}


class LinkProperty(Interpreter):
    """iplink_prop(): the operator, then iplink_prop_mod()'s words: altnames and the device."""
    STARTS = ("link_property_op",)
    READ_BY_PARENT = ("args",)

    def __init__(self):
        self.op = None
        self.names = []
        self.dev = None

    def words_of(self, node):
        self.op = node.alias
        for child in node.children:
            if not isinstance(child, Leaf):
                self.visit(child)

    link_property_op__add = link_property_op__del = words_of

    def link_property_op__help(self, node):
        usage("link")

    def stray(self, index):
        raise IpExit("Operator required\n", 255)

    def link_property_word__altname(self, node):
        v = self.word(node, 1)
        if not links.check_altifname(v):
            invalid("link_property_word.altname", v)
        # into ip's request buffer (links.LL_REQ), after the header, ifinfomsg and nest
        self.names.append(nl.addattr_l(36 + sum(map(len, self.names)), links.LL_REQ,
                                       IFLA_ALT_IFNAME,
                                       v.encode("utf-8", "surrogateescape") + b"\0"))

    def link_property_word__help(self, node):
        usage("link")

    def link_property_word__dev(self, node):
        w = self.word(node, len(node.children) - 1)     # "dev NAME", or NAME alone
        if self.dev is not None:
            duparg2("dev", w)
        if not links.check_altifname(w):
            invalid("link_property_word.dev", w)
        self.dev = w


def prop(argv):
    """Returns ip's status for the command."""
    if not argv:
        usage("link")
    reading = LinkProperty()
    reading.run(argv, "link_property_op")
    type_, flags = OPERATORS[reading.op]
    names, dev = reading.names, reading.dev
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
