"""ip.c's core: the global options and the dispatch on the object word (what explain's and
check's capture run too; the process around it -- signals, -batch, hand-over, pyip's own
objects -- is pyip.main's)."""
from pyip import out
from pyip._tables import TABLES
from pyip.errors import Unimplemented, usage
from pyip.lazy import Lazy
from pyip.opts import opts
from pyip.words import lookup

_COLORS = ("", "always", "auto", "never")


def option(opt):
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


def do_cmd(argv):
    """ip.c do_cmd(): dispatch on the object word; returns the exit status."""
    what = lookup("object", argv[0])
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


def batch_options(words):
    """The global options a delegated -batch line is run with: all but -batch FILE (the line
    comes on ip's stdin) and -n NAME (pyip is in that namespace already)."""
    kept = []
    i = 0
    while i < len(words):
        w = words[i]
        what = option(w[1:] if w[1:2] == "-" else w) if w != "--" else None
        if what in ("batch", "netns"):
            i += 2
            continue
        kept.append(w)
        if what in ("loops", "family", "rcvbuf"):
            kept.append(words[i + 1])
            i += 1
        i += 1
    return [w for w in kept if w != "--"]
