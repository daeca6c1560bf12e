"""pyip: iproute2's `ip` for Linux IPsec (xfrm state/policy/monitor, link xfrm/vti/vti6)."""
__version__ = "0.1.0"
# The oldest iproute2 release whose behaviour, texts and netlink bytes pyip reproduces; which
# one a run follows is pyip.release's choice.
IPROUTE2_VERSION = "6.1.0"


class Lazy:
    """A function imported on its first call: start-up pays only for what a command uses, and
    a -batch does not run an import statement per line."""
    __slots__ = ("module", "name", "fn")

    def __init__(self, module, name):
        self.module, self.name, self.fn = module, name, None

    def __call__(self, *args):
        fn = self.fn
        if fn is None:
            fn = self.fn = getattr(__import__(self.module, fromlist=[self.name]), self.name)
        return fn(*args)


def __getattr__(name):
    """pyip.IP and pyip.IpError (pyip.api), imported when first asked for: the command line
    does not pay for them."""
    if name in ("IP", "IpError"):
        from pyip import api
        return getattr(api, name)
    raise AttributeError("module 'pyip' has no attribute %r" % name)
