"""pyip: iproute2's `ip` for Linux IPsec (xfrm state/policy/monitor, link xfrm/vti/vti6)."""
from pyip.version import IPROUTE2_VERSION, __version__

__all__ = ["IP", "IpError", "IPROUTE2_VERSION", "__version__"]


def __getattr__(name):
    """pyip.IP and pyip.IpError (pyip.api), imported when first asked for: the command line
    does not pay for them."""
    if name in ("IP", "IpError"):
        from pyip import api
        return getattr(api, name)
    raise AttributeError("module 'pyip' has no attribute %r" % name)
