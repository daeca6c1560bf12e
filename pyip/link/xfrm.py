"""type xfrm (iproute2's ip/link_xfrm.c): an xfrm interface, parse / print / help."""
from pyip import out
from pyip import netlink as nl
from pyip.errors import invalid, missarg
from pyip.link.kinds import device_index, help_text
from pyip.interpret import Interpreter
from pyip.words import strtoul

IFLA_XFRM_LINK, IFLA_XFRM_IF_ID, IFLA_XFRM_COLLECT_METADATA = 1, 2, 3


class XfrmLink(Interpreter):
    """xfrm_parse_opt(): dev, if_id, external."""
    STARTS = ("xfrm_link",)

    def __init__(self):
        self.link = 0
        self.if_id = None
        self.metadata = False
        self.body = []
        self.refused = False

    xfrm_link = Interpreter.read_in_order

    def xfrm_link_word__dev(self, node):
        self.link = device_index(self.word(node, 1))

    def xfrm_link_word__if_id(self, node):
        v = self.word(node, 1)
        n = strtoul(v)
        if n is None or not n:
            invalid("xfrm_link_word.if_id", v)
        self.if_id = n
        self.body.append(nl.attr(IFLA_XFRM_IF_ID, nl.U32.pack(n)))

    def xfrm_link_word__external(self, node):
        self.metadata = True

    def stray(self, index):
        out.error(help_text("xfrm"))
        self.refused = True


def parse(kind, argv, flags, ifi, iplink_parse):
    reading = XfrmLink()
    reading.run(argv, "xfrm_link")
    if reading.refused:
        return None
    body = reading.body
    if reading.metadata:
        if reading.if_id or reading.link:
            out.error("xfrmi: both 'external' and if_id/link cannot be specified\n")
            return None
        return b"".join(body) + nl.attr(IFLA_XFRM_COLLECT_METADATA, b"")
    if not reading.if_id:
        missarg("IF_ID")
    if reading.link:
        body.append(nl.attr(IFLA_XFRM_LINK, nl.U32.pack(reading.link)))
    return b"".join(body)


def print_opt(p, tb):
    if IFLA_XFRM_COLLECT_METADATA in tb:
        p.boolean("external", "external ")
        return
    if IFLA_XFRM_IF_ID in tb:
        p.hex0x("if_id", "if_id %s ", nl.u32(tb.get(IFLA_XFRM_IF_ID)))
