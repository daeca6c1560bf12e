"""The command (bin/pyip, `python -m pyip`): ip's process around pyip.main.main().

Here rather than in bin/pyip because a script is compiled from source on every run (~0.15
ms, and under a tight `ulimit -v` the compile is where memory runs out), where a module's
code comes from its .pyc.
"""
import os
import sys


def command():
    """Run the command line and end the process as ip would."""
    if "_PYIP_COMPLETE" in os.environ:
        # bash's TAB (completion/pyip): print what may come next, run nothing
        from pyip.complete import main
        sys.exit(main(sys.argv[-1] if len(sys.argv) > 1 else ""))
    try:
        from pyip.main import main
    except KeyboardInterrupt:   # a SIGINT before main() gives ip's dispositions: ip's death
        import _signal
        _signal.signal(2, _signal.SIG_DFL)
        os.kill(os.getpid(), 2)
    except (MemoryError, OSError, SystemError):
        no_memory()
    try:
        status = main()
    except (MemoryError, SystemError):
        # main() says ip's words for it; this is for memory running out while it says them
        # (a SystemError: the interpreter's own allocation failing inside a C function)
        no_memory()
    if type(status) is int:
        # ip's exit(): its own output is out (pyip.out wrote it with os.write, main()
        # flushed it), so the interpreter's teardown -- freeing every module and a last
        # collection, ~15% of a reading command -- only costs time.  sys.stdout/stderr hold
        # nothing of pyip's; flush them for what a hook may have left.
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        os._exit(status & 0xff)
    sys.exit(status)


def no_memory():
    """No memory left to load or run pyip (ulimit -v): ip's words for malloc() failing."""
    os.write(2, b"Cannot allocate memory\n")
    os._exit(1)
