"""type xfrm (iproute2's ip/link_xfrm.c): an xfrm interface, parse / print / help."""
from pyip import out
from pyip import netlink as nl
from pyip.errors import invalid, missarg
from pyip.link.kinds import device_index, help_text
from pyip.words import Args, lookup, strtoul

IFLA_XFRM_LINK, IFLA_XFRM_IF_ID, IFLA_XFRM_COLLECT_METADATA = 1, 2, 3


def parse(kind, argv, flags, ifi, iplink_parse):
    a = Args(argv)
    link = 0
    if_id = None
    metadata = False
    body = []
    while a.argc > 0:
        what = lookup("xfrm_link_word", a.word)
        if what == "dev":
            link = device_index(a.next())
        elif what == "if_id":
            v = a.next()
            n = strtoul(v)
            if n is None or not n:
                invalid("xfrm_link_word.if_id", v)
            if_id = n
            body.append(nl.attr(IFLA_XFRM_IF_ID, nl.U32.pack(n)))
        elif what == "external":
            metadata = True
        else:
            out.error(help_text("xfrm"))
            return None
        a.i += 1
    if metadata:
        if if_id or link:
            out.error("xfrmi: both 'external' and if_id/link cannot be specified\n")
            return None
        return b"".join(body) + nl.attr(IFLA_XFRM_COLLECT_METADATA, b"")
    if not if_id:
        missarg("IF_ID")
    if link:
        body.append(nl.attr(IFLA_XFRM_LINK, nl.U32.pack(link)))
    return b"".join(body)


def print_opt(p, tb):
    if IFLA_XFRM_COLLECT_METADATA in tb:
        p.boolean("external", "external ")
        return
    if IFLA_XFRM_IF_ID in tb:
        p.hex0x("if_id", "if_id %s ", nl.u32(tb.get(IFLA_XFRM_IF_ID)))
