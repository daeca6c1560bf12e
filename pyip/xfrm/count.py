"""xfrm state count and xfrm policy count (xfrm_sad_getinfo(), xfrm_spd_getinfo()): a module
of their own, as they read no words and print no SA or policy -- their start-up loads no
reader, object or printer."""
from pyip import out
from pyip.errors import IpExit
from pyip.netlink import attrs, xfrm
from pyip.opts import opts
from pyip.xfrm import msgs as m


def state_count(argv):
    """XFRM_MSG_GETSADINFO; words after "count" are ignored, as in ip."""
    msg = xfrm().talk(m.XFRM_MSG_GETSADINFO, 0, m.U32.pack(0xffffffff), answer=True)
    if len(msg) < 20:
        raise IpExit("SADinfo: Wrong len %d\n" % (len(msg) - 20), 0)
    tb = attrs(msg, 20)
    if opts.json:
        from pyip.xfrm import jsonout
        return jsonout.answer(msg)
    if m.XFRMA_SAD_CNT not in tb:
        out.write("BAD SAD info returned\n")
        return 0
    text = "\t SAD count %u" % m.U32.unpack_from(tb[m.XFRMA_SAD_CNT])[0]
    if opts.show_stats and m.XFRMA_SAD_HINFO in tb:
        h = tb[m.XFRMA_SAD_HINFO]
        if len(h) < m.SADHINFO.size:
            out.write(text + "BAD SAD length returned\n")
            return 0
        text += " (buckets count %d Max %d)" % m.SADHINFO.unpack_from(h)
    out.write(text + "\n")
    return 0


def policy_count(argv):
    """XFRM_MSG_GETSPDINFO; words after "count" are ignored, as in ip."""
    msg = xfrm().talk(m.XFRM_MSG_GETSPDINFO, 0, m.U32.pack(0xffffffff), answer=True)
    bad = "SPDinfo: Wrong len %d\n" % (len(msg) - 20)
    if len(msg) < 20:
        raise IpExit(bad, 0)
    tb = attrs(msg, 20)
    if opts.json:
        from pyip.xfrm import jsonout
        return jsonout.answer(msg)
    sl = opts.SL
    text = ["\t SPD"]
    # ip prints as it goes; what it printed before a short attribute stays printed
    try:
        if m.XFRMA_SPD_INFO in tb:
            si = _unpack(m.SPDINFO, tb[m.XFRMA_SPD_INFO], bad)
            text.append(" IN  %d OUT %d FWD %d" % si[:3])
            if opts.show_stats:
                text.append(" (Sock: IN %d OUT %d FWD %d)" % si[3:])
            text.append(sl)
        if opts.show_stats > 1:
            if m.XFRMA_SPD_HINFO in tb:
                h = _unpack(m.SPDHINFO, tb[m.XFRMA_SPD_HINFO], bad)
                text.append("\t SPD buckets: count %d Max %d%s" % (h + (sl,)))
            for key, v in ((m.XFRMA_SPD_IPV4_HTHRESH, 4), (m.XFRMA_SPD_IPV6_HTHRESH, 6)):
                if key in tb:
                    th = _unpack(m.SPDHTHRESH, tb[key], bad)
                    text.append("\t SPD IPv%d thresholds: local %d remote %d%s"
                                % ((v,) + th + (sl,)))
        if opts.oneline:
            text.append("\n")
    finally:
        out.write("".join(text))
    return 0


def _unpack(layout, payload, bad):
    if len(payload) < layout.size:
        raise IpExit(bad, 0)
    return layout.unpack_from(payload)
