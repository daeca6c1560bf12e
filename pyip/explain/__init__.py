"""pyip explain: what each word of an ip command means, the netlink messages it becomes, how
it ties to other objects, and why ip would refuse it; with no words, an overview; with "-",
annotations of ip xfrm / ip -d link show output read from standard input.  Nothing is sent
to a kernel (see capture.py), no root is needed, and Lark is not imported."""

HELP = """\
Usage: pyip [-j] explain IP-ARGS...  explain one ip command (its words)
       pyip [-j] explain -           annotate ip xfrm state/policy output
                                     (plain, -s, -s -s, -o) or ip -d link
                                     show of xfrm and vti devices, read from
                                     standard input
       pyip explain                  how xfrm interfaces, VTIs, policies and
                                     SAs relate, with a route-based VPN for
                                     each interface type
       pyip explain --help           this text

For a command, explain shows each word or group (the grammar rule it
matched, its value as ip reads it, its meaning), the defaults that apply,
the netlink messages it becomes (decoded field by field from the very bytes
pyip and ip would send), how its parameters tie it to other objects, and
ip's verdict. Nothing is sent to the kernel and no root is needed; where ip
would first ask the kernel something (a device's index), a placeholder
answers and explain says so. Exit status: 0 when ip would accept the
command, 1 when ip would refuse it (ip's message and status are shown) or
explain itself declines it (-batch); for "-", 1 when no line of the input
was one explain can read (each such line gets a "not read" note).

Examples:
  pyip explain link add ipsec1 type xfrm dev eth0 if_id 0x10
  pyip explain link add vti1 type vti local 192.0.2.1 \\
      remote 198.51.100.2 ikey 5 okey 5
  pyip explain xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir out \\
      tmpl src 192.0.2.1 dst 198.51.100.2 proto esp mode tunnel \\
      reqid 1 if_id 0x10
  pyip explain xfrm state add src 192.0.2.1 dst 198.51.100.2 \\
      proto esp spi 0x100 mode tunnel reqid 1 if_id 0x10 \\
      aead 'rfc4106(gcm(aes))' 0x0102030405060708090a0b0c0d0e0f1011121314 128
  pyip explain xfrm policy add dir out action accept    # why refused?
  ip -s xfrm state | pyip explain -
  pyip -j explain xfrm state flush                        # as JSON
"""


def explain(argv):
    """The `explain` command; returns the exit status."""
    from pyip import out
    from pyip.opts import opts
    as_json = bool(opts.json)
    if argv[:1] in (["--help"], ["-h"], ["help"]):
        out.write(HELP)
        return 0
    if not argv:
        from pyip.explain.overview import overview
        return _emit(overview(as_json), as_json)
    if argv == ["-"]:
        import sys
        from pyip.explain.output import annotate, annotate_lines, understood
        text = sys.stdin.buffer.read().decode("utf-8", "surrogateescape")
        rows = annotate_lines(text)
        _emit(annotate(text, as_json, rows), as_json)
        return 0 if understood(rows) else 1
    from pyip.explain.report import Explanation
    e = Explanation(argv)
    _emit(e.as_dict() if as_json else e.text(), as_json)
    return 0 if e.run.accepted else 1


def _emit(what, as_json):
    from pyip import out
    if as_json:
        import json
        out.write(json.dumps(what, indent=2, ensure_ascii=False) + "\n")
    else:
        out.write(what)
    return 0
