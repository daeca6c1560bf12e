"""ip xfrm monitor (xfrm_monitor.c)."""
from pyip.errors import IpExit, usage


def do_monitor(argv):
    if argv and argv[0] != "" and "help".startswith(argv[0]):
        usage("xfrm_monitor")
    raise IpExit('pyip: "ip xfrm monitor" is not implemented yet.\n', 1)
