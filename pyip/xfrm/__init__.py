"""ip xfrm: ipxfrm.c do_xfrm() -- dispatch to state, policy and monitor."""

from pyip.context import holds_hooks
from pyip.errors import IpExit, Unimplemented, usage
from pyip.lazy import Lazy
from pyip.netlink import xfrm
from pyip.words import lookup


_state = Lazy("pyip.xfrm.state", "do_state")
_policy = Lazy("pyip.xfrm.policy", "do_policy")
_monitor = Lazy("pyip.xfrm.monitor", "do_monitor")
_state_count = Lazy("pyip.xfrm.count", "state_count")
_policy_count = Lazy("pyip.xfrm.count", "policy_count")
_check = Lazy("pyip.check", "do_check")


def do_xfrm(argv):
    from pyip.xfrm import common
    common.filter = common.Filter()     # ip clears its global filter for every xfrm command
    what = lookup("xfrm", argv[0]) if argv else None
    if what in ("state", "policy"):
        # count reads no words and prints no object: its own small module, not the object's
        if len(argv) > 1 and argv[1][:1] == "c" and lookup("xfrm_" + what, argv[1]) == "count":
            return (_state_count if what == "state" else _policy_count)(argv[2:])
        return (_state if what == "state" else _policy)(argv[1:])
    if what == "monitor":
        return _monitor(argv[1:])
    if what == "check":
        return _check(argv[1:])
    usage("xfrm")


def send(type_, obj, order=None, answer=False):
    """Send a request object (XfrmState, XfrmPolicy, XfrmSaId, ...): its encoding, on the
    run's xfrm socket.  A run that wants the objects (explain, check) is told first."""
    note_request(type_, obj)
    return xfrm().talk(type_, 0, obj.encode(order), answer=answer)


def note_request(type_, obj):
    """What the run asks the kernel, as objects: nothing to do unless a Context's hook
    (explain's capture) replaces this."""


holds_hooks(globals(), "note_request")


def dispatch(rule, argv, handlers, default):
    """Run the command `argv[0]` of an xfrm object, as ip's do_xfrm_state/policy do."""
    if not argv:
        return handlers[default](argv)
    what = lookup(rule, argv[0])
    if what == "help":
        usage(rule)
    if what is None:
        raise IpExit('Command "%s" is unknown, try "ip %s help".\n'
                     % (argv[0], rule.replace("_", " ")), 255)
    handler = handlers.get(what)
    if handler is None:
        raise Unimplemented('pyip: "ip %s %s" is not implemented yet.\n'
                            % (rule.replace("_", " "), what))
    return handler(argv[1:])
