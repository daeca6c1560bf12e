"""One whole netlink message as an object: of NETLINK_XFRM (6) by pyip.xfrm.objects, of
NETLINK_ROUTE (0) by pyip.link.objects."""
from pyip.link.objects import decode_message as decode_link
from pyip.xfrm.messages import decode_message as decode_xfrm


def decode(proto, msg):
    return decode_xfrm(msg) if proto == 6 else decode_link(msg)
