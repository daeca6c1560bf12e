"""pyip xfrm check: what will keep an IPsec set-up from passing traffic.

    pyip [-n NS] [-j [-p]] xfrm check            the namespace as it is now
    pyip [-j [-p]] xfrm check -batch FILE        a set-up script, without applying it
    pyip xfrm check help                         usage and the rules

model.py (what is read, and the kernel's matching), reading.py (live / static), rules.py
(one function a rule), findings.py (how objects are named), report.py (text and JSON).
Exit 0 when no finding is an error, 1 when one is."""
from pyip.errors import IpExit
from pyip.words import lookup


def do_check(argv):
    from pyip.opts import opts
    what = lookup("xfrm_check", argv[0]) if argv else "live"
    if what == "help" or (what is None and argv) or (what == "batch" and len(argv) != 2) \
            or (what == "live" and argv):
        from pyip.check.report import help_text
        raise IpExit(help_text(), 255)
    from pyip.check import reading, report, rules
    model = reading.script(argv[1]) if what == "batch" else reading.live()
    found = rules.run(model)
    if model.live:
        report.counters(model, found)
    if opts.json:
        report.json(found, opts.pretty)
    else:
        report.text(found)
    return 1 if any(f.severity == "error" for f in found) else 0
