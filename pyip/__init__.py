"""pyip: iproute2's `ip` for Linux IPsec (xfrm state/policy/monitor, link xfrm/vti/vti6), as
a command and as a Python library:

    import pyip
    with pyip.IP("lab1") as ip:                 # a handle on the namespace /run/netns/lab1
        ip.run("xfrm policy add src 10.1.0.0/24 dst 10.2.0.0/24 dir out")
        [p.dir for p in ip.xfrm_policies()]     # [Dir('out')]

pyip.IP (the handle) and pyip.IpError are in pyip.api; the object classes it returns are
exported here too (pyip.XfrmState, pyip.XfrmPolicy, pyip.Link, pyip.CheckFinding, ...)."""
from pyip.version import IPROUTE2_VERSION, __version__  # noqa: F401 (pyip's own names)

# The API's names, imported when first asked for: the command line does not pay for them.
_EXPORTS = {
    "pyip.api": ("IP", "IpError"),
    "pyip.xfrm.objects": (
        "XfrmState", "XfrmPolicy", "XfrmTmpl", "XfrmSaId", "XfrmPolicyId", "Selector", "Mark",
        "Lifetime", "LifetimeCur", "Stats", "Algo", "Encap", "Offload", "ReplayState",
        "ReplayEsn", "SecCtx", "DefaultPolicy", "Flush", "AllocSpi", "Proto", "Mode", "Share",
        "Dir", "Action", "PolicyType", "Level", "DefaultAction", "IpProto"),
    "pyip.xfrm.messages": ("SadInfo", "SpdInfo", "Acquire", "Report", "Aevent", "Mapping",
                           "Raw"),
    "pyip.objects": ("Named",),
    "pyip.link.objects": ("Link", "XfrmInfo", "VtiInfo"),
    "pyip.check.findings": ("CheckFinding",),
    "pyip.xfrm.events": ("Monitor",),
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = sorted(_WHERE)

TYPE_CHECKING = False       # (typing itself costs the command line milliseconds)
if TYPE_CHECKING:
    from pyip.api import IP, IpError  # noqa: F401


def __getattr__(name):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError("module 'pyip' has no attribute %r" % name)
    # the API's import documents the object classes' fields (pyip.fielddocs)
    __import__("pyip.api")
    return getattr(__import__(module, fromlist=[name]), name)


def __dir__():
    return sorted(set(globals()) | set(_WHERE))
