"""ip xfrm state (xfrm_state.c)."""
from pyip import out
from pyip.errors import IpExit
from pyip.netlink import NETLINK_XFRM, Netlink, attrs
from pyip.opts import opts
from pyip.xfrm import dispatch
from pyip.xfrm.msgs import SADHINFO, U32, XFRM_MSG_GETSADINFO, XFRMA_SAD_CNT, XFRMA_SAD_HINFO


def count(argv):
    """XFRM_MSG_GETSADINFO; words after "count" are ignored, as in ip."""
    nl = Netlink(NETLINK_XFRM)
    msg = nl.talk(XFRM_MSG_GETSADINFO, 0, U32.pack(0xffffffff))
    nl.close()
    if len(msg) < 20:
        raise IpExit("SADinfo: Wrong len %d\n" % (len(msg) - 20), 0)
    tb = attrs(msg, 20)
    if XFRMA_SAD_CNT not in tb:
        out.write("BAD SAD info returned\n")
        return 0
    text = "\t SAD count %u" % U32.unpack_from(tb[XFRMA_SAD_CNT])[0]
    if opts.show_stats and XFRMA_SAD_HINFO in tb:
        h = tb[XFRMA_SAD_HINFO]
        if len(h) < SADHINFO.size:
            out.write(text + "BAD SAD length returned\n")
            return 0
        text += " (buckets count %d Max %d)" % SADHINFO.unpack_from(h)
    out.write(text + "\n")
    return 0


HANDLERS = {"count": count}


def do_state(argv):
    return dispatch("xfrm_state", argv, HANDLERS, "list")
