"""What one run of pyip owns: ip's global options, the netlink sockets, the interface-name
and nsid caches, where the text goes, how sockets are opened and what `-n NAME` does.

A command line is one run (a -batch shares all of it between its lines, as ip's globals
are shared); pyip.IP.run() is one run each time.  pyip's modules read the options from the
one `pyip.opts.opts` object and their run state from their own module (what keeps a dump's
inner loop to plain lookups); a Context loads its state there for the time of the run and
takes it back afterwards, so nothing of one run is left for the next, and the process's own
state (garbage collector, options, sockets, streams) is as it was.

A module with run state registers it: `take()` returns the state and leaves the module as a
new process has it; `give(state)` installs a state taken before; `kept`: whether a Context
keeps it from one run to its next (sockets) or starts each run afresh (caches)."""
import gc

from pyip import out
from pyip.opts import Options, opts

HOLDERS = []        # of the modules imported so far
HOOKS = {}          # hook name -> the globals() of the module that has it
ACTIVE = []         # the contexts entered, innermost last


def holds_hooks(namespace, *names):
    """Register module globals a Context may replace for its runs (how sockets are opened,
    what -n does); a module imported during a run takes the run's at once."""
    for name in names:
        HOOKS[name] = namespace
    if ACTIVE:
        ACTIVE[-1]._install(names)


def holds_run_state(take, give, kept=False):
    """Register a module's run state (see the module docstring)."""
    HOLDERS.append((take, give, kept))


def holds_globals(namespace, fresh, kept=False):
    """Register module globals as run state: `namespace` is the module's globals(),
    `fresh` maps each name to what makes its value in a new process (dict, or
    type(None)).  Returns the take() it registered."""
    names = tuple(fresh)

    def take():
        held = tuple(namespace[n] for n in names)
        for n in names:
            namespace[n] = fresh[n]()
        return held

    def give(held):
        namespace.update(zip(names, held))

    holds_run_state(take, give, kept)
    return take


def _copy(src, dst):
    for f in Options.__slots__:
        setattr(dst, f, getattr(src, f))


class Context:
    """`stdout`, `stderr`: binary streams for the run's text (None: those in place);
    `open_transport(proto, groups)`: how sockets are opened (None: as in place);
    `switch_netns(name)`: what `-n NAME` does, an error text or None (None: netns.switch(),
    which moves the process into NAME as ip does -- a command line's behaviour);
    `in_netns(fn, *args)`: how to call what asks the kernel outside netlink (if_nametoindex)
    where those sockets are; `note_request(type, obj)`: told each xfrm request object
    before its bytes are sent (explain and check read them); `hand_over()`: the options
    (["-n", NAME] or []) a command pyip does not implement is run by the system's ip with,
    its text captured (None: pyip's "not implemented"; the command line execs ip instead);
    `release`: the iproute2 release its runs follow, (major, minor) (None: chosen as
    pyip.release says)."""

    def __init__(self, stdout=None, stderr=None, open_transport=None, switch_netns=None,
                 in_netns=None, note_request=None, hand_over=None, release=None):
        self.release = release
        self.opts = Options()
        self.opts.release = release
        self.stdout, self.stderr = stdout, stderr
        self.open_transport, self.switch_netns = open_transport, switch_netns
        self.in_netns = in_netns
        self.note_request = note_request
        self.hand_over = hand_over
        self.states = {}        # holder -> the state this context's runs left in it
        self._saved = None
        self._hooks_saved = {}

    def _wanted(self):
        wanted = {}
        if self.open_transport is not None:
            wanted["open_transport"] = self.open_transport
            if self.in_netns is not None:
                wanted["in_run_netns"] = self.in_netns
        if self.open_transport is not None or self.switch_netns is not None:
            wanted["switch_hook"] = self.switch_netns
        if self.note_request is not None:
            wanted["note_request"] = self.note_request
        return wanted

    def _install(self, names):
        wanted = self._wanted()
        for name in names:
            if name in wanted and name in HOOKS:
                namespace = HOOKS[name]
                self._hooks_saved.setdefault(name, namespace[name])
                namespace[name] = wanted[name]

    def __enter__(self):
        saved = Options()
        _copy(opts, saved)
        held = {}
        for h in list(HOLDERS):
            held[h] = h[0]()
            if h in self.states:
                h[1](self.states[h])
        stdout, stderr = out.streams()
        self._saved = (saved, held, stdout, stderr, gc.isenabled())
        _copy(self.opts, opts)
        out.set_streams(stdout if self.stdout is None else self.stdout,
                        stderr if self.stderr is None else self.stderr)
        self._hooks_saved = {}
        self._install(tuple(HOOKS))
        ACTIVE.append(self)
        return self

    def __exit__(self, *exc):
        saved, held, stdout, stderr, gc_on = self._saved
        self._saved = None
        _copy(opts, self.opts)
        _copy(saved, opts)
        ACTIVE.remove(self)
        for name, value in self._hooks_saved.items():
            HOOKS[name][name] = value
        self._hooks_saved = {}
        for h in list(HOLDERS):
            self.states[h] = h[0]()
            if h in held:
                h[1](held[h])
        out.set_streams(stdout, stderr)
        if gc_on:
            gc.enable()
        else:
            gc.disable()
        return False

    def new_run(self):
        """Start the next run from ip's defaults, with the sockets of the last."""
        self.opts = Options()
        self.opts.release = self.release
        self.states = {h: s for h, s in self.states.items() if h[2]}

    def close(self):
        """End what the runs left open (their sockets)."""
        with self:
            for close in CLOSERS:
                close()


CLOSERS = []        # what a context's close() calls, inside it: modules' socket closers
