"""type vrf (iproute2's ip/iplink_vrf.c): a VRF device and its ports, parse / print / help."""
from pyip import netlink as nl
from pyip import out
from pyip.errors import invalid
from pyip.link.kinds import help_text
from pyip.rtnames import rttable_a2n
from pyip.interpret import Interpreter

IFLA_VRF_TABLE = 1
IFLA_VRF_PORT_TABLE = 1


class VrfLink(Interpreter):
    """vrf_parse_opt(): table (and help)."""
    STARTS = ("vrf_link",)

    def __init__(self):
        self.body = []
        self.refused = False

    def vrf_link(self, node):
        for child in node.children:
            if not self.refused:
                self.visit(child)

    def vrf_link_word__table(self, node):
        v = self.word(node, 1)
        table = rttable_a2n(v)
        if table is None:
            invalid("vrf_link_word.table", v)
        self.body.append(nl.attr(IFLA_VRF_TABLE, nl.U32.pack(table)))

    def vrf_link_word__help(self, node):
        out.error(help_text("vrf"))
        self.refused = True

    def stray(self, index):
        if not self.refused:
            out.error('vrf: unknown option "%s"?\n' % self.words[index])
            self.vrf_link_word__help(None)


def parse(kind, argv, flags, ifi, iplink_parse):
    reading = VrfLink()
    reading.run(argv, "vrf_link")
    return None if reading.refused else b"".join(reading.body)


def print_opt(p, tb):
    if IFLA_VRF_TABLE in tb:
        p.num("table", "table %u ", nl.u32(tb.get(IFLA_VRF_TABLE)))


def print_slave_opt(p, tb):
    """vrf_slave: the table of the port's VRF."""
    if IFLA_VRF_PORT_TABLE in tb:
        p.num("table", "table %u ", nl.u32(tb.get(IFLA_VRF_PORT_TABLE)))
