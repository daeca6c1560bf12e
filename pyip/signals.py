"""ip's signal dispositions, and ending as ip ends when a signal kills it."""


def as_ip_signals():
    """The dispositions ip runs with: SIGPIPE and SIGINT kill it (Python ignores the one and
    turns the other into an exception), unless SIGINT came ignored (a shell's background
    job), where ip leaves it so.  Only for pyip the command: a program using pyip keeps its
    own."""
    import _signal
    _signal.signal(_signal.SIGPIPE, _signal.SIG_DFL)
    if _signal.getsignal(_signal.SIGINT) is not _signal.SIG_IGN:
        _signal.signal(_signal.SIGINT, _signal.SIG_DFL)


def die_by(signum):
    """End as if killed by the signal, as ip is: what it has not written yet is lost, as
    ip's stdio buffer is."""
    import _signal
    import os
    _signal.signal(signum, _signal.SIG_DFL)
    os.kill(os.getpid(), signum)
    raise SystemExit(128 + signum)      # not reached unless the signal is blocked
