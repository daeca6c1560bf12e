"""pyip's version, and the iproute2 release whose behaviour, texts and netlink bytes pyip
reproduces (a module of their own: what reads them imports nothing else of pyip)."""
__version__ = "0.1.0"
IPROUTE2_VERSION = "6.1.0"
