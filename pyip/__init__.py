"""pyip: iproute2's `ip` for Linux IPsec (xfrm state/policy/monitor, link xfrm/vti/vti6)."""
__version__ = "0.1.0"
# The iproute2 release whose behaviour, texts and netlink bytes pyip reproduces.
IPROUTE2_VERSION = "6.1.0"
