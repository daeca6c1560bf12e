"""ip xfrm policy (xfrm_policy.c)."""
from pyip import out
from pyip.errors import IpExit
from pyip.netlink import NETLINK_XFRM, Netlink, attrs
from pyip.opts import opts
from pyip.xfrm import dispatch
from pyip.xfrm.msgs import (SPDHINFO, SPDHTHRESH, SPDINFO, U32, XFRM_MSG_GETSPDINFO,
                            XFRMA_SPD_HINFO, XFRMA_SPD_INFO, XFRMA_SPD_IPV4_HTHRESH,
                            XFRMA_SPD_IPV6_HTHRESH)


def count(argv):
    """XFRM_MSG_GETSPDINFO; words after "count" are ignored, as in ip."""
    nl = Netlink(NETLINK_XFRM)
    msg = nl.talk(XFRM_MSG_GETSPDINFO, 0, U32.pack(0xffffffff))
    nl.close()
    bad = "SPDinfo: Wrong len %d\n" % (len(msg) - 20)
    if len(msg) < 20:
        raise IpExit(bad, 0)
    tb = attrs(msg, 20)
    sl = opts.SL
    text = ["\t SPD"]
    # ip prints as it goes; what it printed before a short attribute stays printed
    try:
        if XFRMA_SPD_INFO in tb:
            si = _unpack(SPDINFO, tb[XFRMA_SPD_INFO], bad, text)
            text.append(" IN  %d OUT %d FWD %d" % si[:3])
            if opts.show_stats:
                text.append(" (Sock: IN %d OUT %d FWD %d)" % si[3:])
            text.append(sl)
        if opts.show_stats > 1:
            if XFRMA_SPD_HINFO in tb:
                h = _unpack(SPDHINFO, tb[XFRMA_SPD_HINFO], bad, text)
                text.append("\t SPD buckets: count %d Max %d%s" % (h + (sl,)))
            for key, v in ((XFRMA_SPD_IPV4_HTHRESH, 4), (XFRMA_SPD_IPV6_HTHRESH, 6)):
                if key in tb:
                    th = _unpack(SPDHTHRESH, tb[key], bad, text)
                    text.append("\t SPD IPv%d thresholds: local %d remote %d%s" % ((v,) + th + (sl,)))
        if opts.oneline:
            text.append("\n")
    finally:
        out.write("".join(text))
    return 0


def _unpack(layout, payload, bad, text):
    if len(payload) < layout.size:
        raise IpExit(bad, 0)
    return layout.unpack_from(payload)


HANDLERS = {"count": count}


def do_policy(argv):
    return dispatch("xfrm_policy", argv, HANDLERS, "list")
