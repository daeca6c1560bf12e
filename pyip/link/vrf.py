"""type vrf (iproute2's ip/iplink_vrf.c): a VRF device and its ports, parse / print / help."""
from pyip import netlink as nl
from pyip import out
from pyip.errors import invalid
from pyip.link.kinds import help_text
from pyip.rtnames import rttable_a2n
from pyip.words import Args, lookup

IFLA_VRF_TABLE = 1
IFLA_VRF_PORT_TABLE = 1


def parse(kind, argv, flags, ifi, iplink_parse):
    a = Args(argv)
    body = []
    while a.argc > 0:
        what = lookup("vrf_link_word", a.word)
        if what == "table":
            v = a.next()
            table = rttable_a2n(v)
            if table is None:
                invalid("vrf_link_word.table", v)
            body.append(nl.attr(IFLA_VRF_TABLE, nl.U32.pack(table)))
        else:
            if what != "help":
                out.error('vrf: unknown option "%s"?\n' % a.word)
            out.error(help_text("vrf"))
            return None
        a.i += 1
    return b"".join(body)


def print_opt(p, tb):
    if IFLA_VRF_TABLE in tb:
        p.num("table", "table %u ", nl.u32(tb.get(IFLA_VRF_TABLE)))


def print_slave_opt(p, tb):
    """vrf_slave: the table of the port's VRF."""
    if IFLA_VRF_PORT_TABLE in tb:
        p.num("table", "table %u ", nl.u32(tb.get(IFLA_VRF_PORT_TABLE)))
