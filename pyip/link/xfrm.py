"""type xfrm (iproute2's ip/link_xfrm.c): an xfrm interface, parse / print / help."""
from pyip import out
from pyip import netlink as nl
from pyip.errors import invalid, missarg
from pyip.link.kinds import device_index, help_text
from pyip.link.objects import IFLA_XFRM, XfrmInfo
from pyip.interpret import Interpreter
from pyip.words import strtoul

IFLA_XFRM_IF_ID = IFLA_XFRM["IFLA_XFRM_IF_ID"].type
IFLA_XFRM_COLLECT_METADATA = IFLA_XFRM["IFLA_XFRM_COLLECT_METADATA"].type


class XfrmLink(Interpreter):
    """xfrm_parse_opt(): dev, if_id, external, into an XfrmInfo."""
    STARTS = ("xfrm_link",)

    def __init__(self):
        self.info = XfrmInfo(link=0, external=False)
        self.if_ids = []        # ip adds an IFLA_XFRM_IF_ID for each if_id it reads
        self.refused = False

    xfrm_link = Interpreter.read_in_order

    def xfrm_link_word__dev(self, node):
        self.info.link = device_index(self.word(node, 1))

    def xfrm_link_word__if_id(self, node):
        v = self.word(node, 1)
        n = strtoul(v)
        if n is None or not n:
            invalid("xfrm_link_word.if_id", v)
        self.info.if_id = n
        self.if_ids.append(n)

    def xfrm_link_word__external(self, node):
        self.info.external = True

    def stray(self, index):
        out.error(help_text("xfrm"))
        self.refused = True


def parse(kind, argv, flags, ifi, iplink_parse):
    reading = XfrmLink()
    reading.run(argv, "xfrm_link")
    if reading.refused:
        return None
    info = reading.info
    if info.external:
        if info.if_id or info.link:
            out.error("xfrmi: both 'external' and if_id/link cannot be specified\n")
            return None
    elif not info.if_id:
        missarg("IF_ID")
    return info.encode(reading.if_ids)


def print_opt(p, tb):
    if IFLA_XFRM_COLLECT_METADATA in tb:
        p.boolean("external", "external ")
        return
    if IFLA_XFRM_IF_ID in tb:
        p.hex0x("if_id", "if_id %s ", nl.u32(tb.get(IFLA_XFRM_IF_ID)))
