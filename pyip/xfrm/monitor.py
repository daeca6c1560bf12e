"""ip xfrm monitor (xfrm_monitor.c): its words, then listen on the XFRM multicast groups
(pyip.xfrm.listen prints each event: imported only once the words are read, so `help` and a
bad word cost no printer's import)."""
from pyip.errors import IpExit, usage
from pyip.interpret import Interpreter
from pyip.opts import opts
from pyip.xfrm import msgs as m

GROUPS = {"acquire": m.XFRMNLGRP_ACQUIRE, "expire": m.XFRMNLGRP_EXPIRE,
          "sa_events": m.XFRMNLGRP_SA,
          "aevent": m.XFRMNLGRP_AEVENTS, "policy": m.XFRMNLGRP_POLICY,
          "report": m.XFRMNLGRP_REPORT}


class MonitorReading(Interpreter):
    """do_xfrm_monitor()'s words: the groups to join, a file to read instead, nokeys,
    all-nsid."""
    STARTS = ("xfrm_monitor",)

    def __init__(self):
        self.objects = set()
        self.file = None
        self.nokeys = self.all_nsid = False

    xfrm_monitor = Interpreter.read_in_order

    def monitor_word__file(self, node):
        self.file = self.word(node, 1)

    def monitor_word__nokeys(self, node):
        self.nokeys = True

    def monitor_word__all(self, node):
        pass

    def monitor_word__all_nsid(self, node):
        self.all_nsid = True

    def group(self, node):
        self.objects.add(node.alias)

    monitor_word__acquire = monitor_word__expire = monitor_word__sa_events = group
    monitor_word__aevent = monitor_word__policy = monitor_word__report = group

    def monitor_word__help(self, node):
        usage("xfrm_monitor")

    def stray(self, index):
        raise IpExit('Argument "%s" is unknown, try "ip xfrm monitor help".\n'
                     % self.words[index], 255)


def parse(argv):
    """Returns (groups, file, nokeys, all_nsid) as do_xfrm_monitor() reads its words."""
    reading = MonitorReading()
    reading.run(argv, "xfrm_monitor")
    groups = 0 if reading.objects else 0xffffffff
    for name in reading.objects:
        groups |= 1 << (GROUPS[name] - 1)
    return groups, reading.file, reading.nokeys, reading.all_nsid


def do_monitor(argv):
    groups, file, nokeys, all_nsid = parse(argv)
    from pyip.xfrm.listen import from_file, listen
    if file is not None:
        return from_file(file, nokeys, all_nsid)
    import gc
    if opts.hand_over:
        # a long life: the collector back on, but what is here already (modules, tables)
        # frozen out of its passes, which a flood's allocations would otherwise make walk it
        # all again (the command line only: a program's own objects are its business)
        gc.freeze()
    gc.enable()
    if opts.hand_over:
        # pyip the command: ip's dispositions.  Called in-process (pyip.IP.run(), maybe on a
        # thread, where signal() cannot be called) the program's own stay: Ctrl-C raises
        # KeyboardInterrupt there, and the caller's finally runs.
        import signal
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)     # `| head -1` ends it quietly, as ip
        # ip leaves SIGINT as it found it: default, or ignored (a background job of a shell)
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
    return listen(groups, nokeys, all_nsid)
