"""ip's global options (ip.c main()'s loop), read by the grammar's `options` rule into the
run's options."""
from pyip import out
from pyip._tables import INVALID
from pyip.errors import IpExit, invalid, missarg, usage
from pyip.tree import MISSING
from pyip.interpret import Interpreter
from pyip.opts import FAMILIES, opts
from pyip.words import atoi, strtoul

_FAMILY_OPTS = {"inet": 2, "inet6": 10, "packet": 17, "mpls": 28, "bridge": 7}
# an option's missing value: ip's usage, until 911c62bf (6.9) names what is missing
MISSING_NAMED_SINCE = (6, 9)
MISSING_NAMES = {"loops": "loop count", "family": "family type", "batch": "batch file",
                 "rcvbuf": "rcvbuf size"}


def _missing(what):
    from pyip.release import since
    if since(MISSING_NAMED_SINCE):
        missarg(MISSING_NAMES[what])
    usage("ip")


_COUNTED = {"human": "human", "iec": "iec", "stats": "show_stats", "details": "show_details",
            "resolve": "resolve", "oneline": "oneline", "timestamp": "timestamp",
            "force": "force", "brief": "brief", "json": "json", "pretty": "pretty",
            "numeric": "numeric", "echo": "echo"}


class OptionsReading(Interpreter):
    """ip.c main()'s loop over the global options, into the run's options: in ip's order,
    "--" ends them, and so does the first word that does not start with "-" (the OBJECT)."""
    STARTS = ("options",)
    VALUES = {"family_name": FAMILIES}

    def __init__(self):
        self.end = None         # where the OBJECT starts

    def options(self, node):
        self.read_in_order(node)
        if node.children and node.children[-1].rule == "end_of_options":
            self.end = node.end

    def end_of_options(self, node):
        pass

    def stray(self, index):
        opt = self.words[index]
        if opt[:1] == "-":
            raise IpExit('Option "%s" is unknown, try "ip -help".\n'
                         % (opt[1:] if opt[1:2] == "-" else opt), 255)
        self.end = index

    def ran_out(self):
        usage("ip")             # an option's value missing: ip's usage, not NEXT_ARG()'s

    def bad(self, index, rule):     # -family: not a family
        value = self.words[index]
        if value == "help":
            usage("ip")
        invalid("option.family", value)

    def option__loops(self, node):
        opts.loops = atoi(self.word(node, 1, lambda: _missing("loops")))

    def option__family(self, node):
        self.word(node, 1, lambda: _missing("family"))
        opts.preferred_family = self.value(node.children[1])

    def option__batch(self, node):
        opts.batch_file = self.word(node, 1, lambda: _missing("batch"))

    def option__rcvbuf(self, node):
        value = self.word(node, 1, lambda: _missing("rcvbuf"))
        size = strtoul(value)
        if size is None:
            raise IpExit(INVALID["option.rcvbuf"] % value, 255)
        opts.rcvbuf = size

    def family(self, node):
        opts.preferred_family = _FAMILY_OPTS[node.alias]

    option__inet = option__inet6 = option__packet = option__mpls = option__bridge = family

    def counted(self, node):
        attr = _COUNTED[node.alias]
        setattr(opts, attr, getattr(opts, attr) + 1)

    option__human = option__iec = option__stats = option__details = counted
    option__resolve = option__oneline = option__timestamp = option__force = counted
    option__brief = option__json = option__pretty = option__numeric = counted
    option__echo = counted

    def option__tshort(self, node):
        opts.timestamp += 1
        opts.tshort += 1

    def option__version(self, node):
        # the release the run follows (pyip.release: --iproute2=, PYIP_IPROUTE2, the system's
        # ip, else the newest verified)
        from pyip import release
        from pyip.version import __version__
        out.write("pyip utility, pyip-%s (iproute2-%s)\n"
                  % (__version__, release.full_name(release.current())))
        raise IpExit("", 0)

    def option__color(self, node):
        # COLOR_OPT_NEVER/AUTO/ALWAYS; "-c" alone means always
        opts.color = {"never": 0, "auto": 1}.get(self.word(node, 0).partition("=")[2], 2)

    def option__help(self, node):
        usage("ip")

    def option__netns(self, node):
        # NEXT_ARG() here counts ip's own argv[0]: a missing NAME is C's "(null)"
        children = node.children
        name = self.words[node.start + 1] if len(children) > 1 and \
            children[1] is not MISSING else "(null)"
        from pyip.netns import switch   # (a module less for every other option's start-up)
        problem = switch(name)
        if problem:
            raise IpExit(problem, 255)

    def option__all(self, node):
        opts.all = True
