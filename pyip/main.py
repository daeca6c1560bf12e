"""The front end: ip.c's main() -- global options, -batch, object dispatch."""
import sys

from pyip import Lazy, out
from pyip._tables import TABLES
from pyip.errors import IpExit, Unimplemented, usage
from pyip.opts import opts
from pyip.words import lookup

_COLORS = ("", "always", "auto", "never")


def _option(opt):
    """What a global option word means (ip.c's if/else chain, from the grammar)."""
    for keyword, by_prefix, meaning, _ in TABLES["option"]:
        if meaning == "color":
            # matches_color(): "-c[olor][=always|auto|never]"
            name, _, value = opt.partition("=")
            if name and keyword.startswith(name) and value in _COLORS:
                return meaning
            continue
        if (by_prefix and keyword.startswith(opt)) or keyword == opt:
            return meaning
    return None


def parse_options(argv):
    """Consume the global options (OptionsReading); return the remaining words."""
    if argv and argv[0][:1] == "-":     # else there are none (ip's loop stops there)
        from pyip.options import OptionsReading     # the grammar's walk, only when needed
        reading = OptionsReading()
        reading.run(argv, "options")
        argv = argv[len(argv) if reading.end is None else reading.end:]
    opts.SL = "\\" if opts.oneline else "\n"
    return argv


do_xfrm = Lazy("pyip.xfrm", "do_xfrm")
do_link = Lazy("pyip.link", "do_link")


def _release_words(argv):
    """pyip's own `--iproute2=R` first words, and a PYIP_IPROUTE2 to check (pyip.release)."""
    import os
    if (argv and argv[0][:11] == "--iproute2=") or "PYIP_IPROUTE2" in os.environ:
        from pyip import release
        try:
            release.check_environment()
            return release.take_option(argv)
        except release.BadRelease as e:
            raise IpExit(e.message, 255)
    return argv


def do_cmd(argv):
    """ip.c do_cmd(): dispatch on the object word; returns the exit status."""
    what = lookup("object", argv[0])
    if what == "explain":               # pyip's own object: never reaches a kernel
        from pyip.explain import explain
        return explain(argv[1:])
    if what is None:
        out.error('Object "%s" is unknown, try "ip help".\n' % argv[0])
        return 1
    if what == "xfrm":
        return do_xfrm(argv[1:])
    if what == "link":
        return do_link(argv[1:])
    if what == "help":
        usage("ip")
    raise Unimplemented('Object "%s" is not implemented by pyip (it covers xfrm and link); '
                        'use "ip %s".\n' % (argv[0], argv[0]))


def _batch_options(words):
    """The global options a delegated -batch line is run with: all but -batch FILE (the line
    comes on ip's stdin) and -n NAME (pyip is in that namespace already)."""
    kept = []
    i = 0
    while i < len(words):
        w = words[i]
        what = _option(w[1:] if w[1:2] == "-" else w) if w != "--" else None
        if what in ("batch", "netns"):
            i += 2
            continue
        kept.append(w)
        if what in ("loops", "family", "rcvbuf"):
            kept.append(words[i + 1])
            i += 1
        i += 1
    return [w for w in kept if w != "--"]


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


def main(argv=None, context=None):
    """pyip's main(): the exit status.  Without argv it is the command (sys.argv, ip's
    signal dispositions, death by SIGINT/SIGPIPE as ip's); with argv, a call in-process.
    `context` is the run's (pyip.context.Context): by default a new one, its sockets closed
    at the end."""
    command = argv is None
    if command:
        argv = sys.argv[1:]
        as_ip_signals()
    from pyip.context import Context
    ctx = Context() if context is None else context
    try:
        with ctx:
            return _run(argv, command)
    finally:
        if context is None:
            ctx.close()


def _run(argv, command):
    # A command lives for milliseconds and makes no garbage cycles worth collecting; the
    # collector's passes over big dumps cost a third of their time.  (The monitor, which
    # lives long, turns it back on.)
    import gc
    gc.disable()
    try:
        try:
            argv = _release_words(argv)
            rest = parse_options(argv)
            opts.hand_over = command
            if opts.batch_file is not None:
                from pyip.batch import run_batch
                # a line pyip does not implement goes to the system's ip with these options
                given = _batch_options(argv[:len(argv) - len(rest)]) if command else None
                return run_batch(opts.batch_file, do_cmd, given)
            if not rest:
                usage("ip")
            return do_cmd(rest)
        finally:
            out.flush()
    except Unimplemented as e:
        if command:
            from pyip import delegate
            ip = delegate.system_ip()
            if ip is not None:
                delegate.exec_ip(ip, argv)
        out.error(e.message)
        return e.code
    except IpExit as e:
        if e.message:
            out.error(e.message)
        return e.code
    except BrokenPipeError:
        # a stream given in stdout's place whose reader went: ip would have died by SIGPIPE
        if command:
            die_by(13)
        return 141
    except KeyboardInterrupt:
        if command:
            die_by(2)
        return 130
    except MemoryError:
        # ip's malloc() failing ends its command (or batch) with one line and exit(1); what
        # was printed before stays printed
        out.flush()
        out.error("Cannot allocate memory\n")
        _debug()
        return 1
    except Exception as e:  # never a traceback: one line, as ip would say it
        out.error("pyip: internal error: %s: %s\n" % (type(e).__name__, e))
        _debug()
        return 1


def _debug():
    """PYIP_DEBUG=1: the traceback of what ended the command, after its message."""
    import os
    if os.environ.get("PYIP_DEBUG") == "1":
        import traceback
        out.error(traceback.format_exc())
