"""What pyip does not implement goes to the system's ip, so that a lab script can call pyip
for everything: the whole command is exec()ed as the first `ip` on PATH (else /usr/sbin/ip,
/sbin/ip) that is not pyip itself; a -batch line is run by that ip as a one-line batch, so
that ip's own accounting (a failed line, or an exit() that ends the batch) is kept.

pyip the command exec()s ip; a pyip.IP handle runs it as a child (`ip -n NAME ...` for a
handle on NAME) and returns its text (run_ip); called in-process otherwise (tests) pyip
answers with its "not implemented" message, as it does where there is no other ip.
"""
import os
import sys

FALLBACKS = ("/usr/sbin", "/sbin")


def _is_pyip(path):
    """A file that would run pyip again: pyip's own script (or a link to it), or a script
    that names pyip (a wrapper); an ELF file, or a script that does not, is another ip."""
    real = os.path.realpath(path)
    if sys.argv and sys.argv[0] and real == os.path.realpath(sys.argv[0]):
        return True
    try:
        with open(real, "rb") as f:
            head = f.read(4096)
    except OSError:
        return True
    return head[:2] == b"#!" and b"pyip" in head


def system_ip():
    """The ip to hand a command to, or None."""
    dirs = os.environ.get("PATH", "").split(":") + list(FALLBACKS)
    for d in dirs:
        path = os.path.join(d or ".", "ip")
        if os.path.isfile(path) and os.access(path, os.X_OK) and not _is_pyip(path):
            return path
    return None


def exec_ip(ip, argv):
    """Become the system's ip with pyip's own arguments."""
    from pyip import out
    out.flush()
    try:
        os.execv(ip, [ip] + list(argv))
    except OSError:
        return      # not runnable after all: the caller says "not implemented"


FAILED = "Command failed -:1\n"


def run_ip(ip, argv):
    """Run the system's ip as a child, its stdout and stderr written to the run's streams:
    its exit status (128 + the signal that killed it)."""
    import subprocess
    from pyip import out
    out.flush()
    try:
        p = subprocess.run([ip] + list(argv), stdin=subprocess.DEVNULL, capture_output=True)
    except OSError:
        return None
    out.write(p.stdout.decode("utf-8", "surrogateescape"))
    if p.stderr:
        out.error(p.stderr.decode("utf-8", "surrogateescape"))
    return 128 - p.returncode if p.returncode < 0 else p.returncode


def batch_line(ip, options, line):
    """Run one -batch line with ip (as `ip OPTIONS -batch -`, the line on its stdin);
    returns (failed, exit code): failed when ip's do_batch reported the line as failed (its
    "Command failed" is left out: pyip's batch prints its own, with its FILE:LINE), else
    the exit code of an exit() that ends the batch (0: the line succeeded)."""
    import subprocess
    from pyip import out
    from pyip.opts import opts
    out.flush()
    # a command's ip writes onto its stdout; a pyip.IP handle's run() collects the text
    capture = None if opts.hand_over else subprocess.PIPE
    try:
        p = subprocess.run([ip] + list(options) + ["-batch", "-"],
                           input=line.encode("utf-8", "surrogateescape"),
                           stdout=capture, stderr=subprocess.PIPE)
    except OSError:
        return None
    if capture:
        out.write(p.stdout.decode("utf-8", "surrogateescape"))
    err = p.stderr
    failed = p.returncode == 1 and err.endswith(FAILED.encode())
    if failed:
        err = err[:-len(FAILED)]
    if err:
        out.error(err.decode("utf-8", "surrogateescape"))
    if p.returncode < 0 and opts.hand_over:     # ip was killed: so is the batch, as ip's
        from pyip.signals import die_by
        die_by(-p.returncode)
    return failed, 0 if failed else p.returncode
