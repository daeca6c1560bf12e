"""The front end: ip.c's main() -- global options, -batch, object dispatch."""
import sys

from pyip import out
from pyip.command import batch_options, do_cmd, parse_options
from pyip.errors import IpExit, Unimplemented, usage
from pyip.opts import opts
from pyip.signals import as_ip_signals, die_by
from pyip.words import lookup


def _run_release():
    from pyip import release
    return release.current()


out.release = _run_release


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


def do_line(argv):
    """One command: pyip's own explain (never reaching a kernel), else ip's objects."""
    if lookup("object", argv[0]) == "explain":
        from pyip.explain import explain
        return explain(argv[1:])
    return do_cmd(argv)


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
            return _run(argv, command, ctx.hand_over)
    finally:
        # A command's exit closes its sockets.  Closing them here would be work after memory
        # ran out, where CPython 3.11 can crash (a MemoryError it cannot allocate recurses).
        if context is None and not command:
            ctx.close()


def _run(argv, command, hand_over=None):
    """`hand_over`: for a pyip.IP handle, what gives the options (-n NAME, where the run's
    sockets are) the system's ip runs what pyip does not implement with; None: pyip says
    "not implemented" (a command execs ip)."""
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
                given = batch_options(argv[:len(argv) - len(rest)]) \
                    if command or hand_over is not None else None
                if hand_over is not None:
                    given = hand_over() + given
                return run_batch(opts.batch_file, do_line, given)
            if not rest:
                usage("ip")
            return do_line(rest)
        except Unimplemented:
            raise
        except IpExit as e:
            # ip's message and exit(): from 7.1 what it printed before is still in stdout's
            # buffer then (out.flushes_per_object), and comes out after the message
            if e.message and not out.flushes_per_object():
                out.error(e.message)
                e.message = ""
            raise
        finally:
            out.flush()
    except Unimplemented as e:
        if command:
            from pyip import delegate
            ip = delegate.system_ip()
            if ip is not None:
                delegate.exec_ip(ip, argv)
        elif hand_over is not None:
            from pyip import delegate
            ip = delegate.system_ip()
            if ip is not None:
                return delegate.run_ip(ip, hand_over() + argv)
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
        raise       # in-process (pyip.IP.run()): the program's own Ctrl-C, its finally runs
    except MemoryError:
        return _out_of_memory()
    except Exception as e:  # never a traceback: one line, as ip would say it
        if _memory_ran_out(e):
            return _out_of_memory()
        out.error("pyip: internal error: %s: %s\n" % (type(e).__name__, e))
        _debug()
        return 1


# dlopen()'s words when mmap() of a shared object fails under a memory limit (ulimit -v)
_NO_MEMORY_TO_LOAD = "failed to map segment from shared object"
ENOMEM = 12


def _memory_ran_out(e):
    """Whether `e` is memory running out in other words than MemoryError: a C extension the
    address space has no room for, a module file that cannot be read (ENOMEM), or the
    interpreter's own allocation failing inside a C function (SystemError)."""
    return (isinstance(e, ImportError) and _NO_MEMORY_TO_LOAD in str(e)) or \
        (isinstance(e, OSError) and e.errno == ENOMEM) or isinstance(e, SystemError)


def _out_of_memory():
    """ip's malloc() failing ends its command (or batch) with one line and exit(1); what was
    printed before stays printed."""
    out.flush()
    out.error("Cannot allocate memory\n")
    _debug()
    return 1


def _debug():
    """PYIP_DEBUG=1: the traceback of what ended the command, after its message."""
    import os
    if os.environ.get("PYIP_DEBUG") == "1":
        import traceback
        out.error(traceback.format_exc())
