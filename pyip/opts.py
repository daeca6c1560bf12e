"""ip's global options (ip.c's globals), set once by the front end and read by printers."""
AF_UNSPEC, AF_INET, AF_INET6, AF_PACKET, AF_MPLS, AF_BRIDGE = 0, 2, 10, 17, 28, 7

FAMILIES = {"inet": AF_INET, "inet6": AF_INET6, "link": AF_PACKET, "mpls": AF_MPLS,
            "bridge": AF_BRIDGE}


class Options:
    __slots__ = ("preferred_family", "human", "iec", "show_stats", "show_details",
                 "resolve", "oneline", "timestamp", "tshort", "force", "batch_file",
                 "brief", "json", "pretty", "rcvbuf", "color", "numeric", "all", "echo",
                 "loops", "batch_mode", "SL", "hand_over", "release")

    def __init__(self):
        self.preferred_family = AF_UNSPEC
        self.human = self.iec = self.show_stats = self.show_details = self.resolve = 0
        self.oneline = self.timestamp = self.tshort = self.force = 0
        self.brief = self.json = self.pretty = self.numeric = self.echo = 0
        self.all = False
        self.batch_file = None
        self.rcvbuf = 1024 * 1024
        self.color = None       # no -c: the release's default (pyip.link.show.color_option)
        self.loops = 10
        self.batch_mode = False
        self.SL = "\n"
        # pyip the command (not a call in-process): what it does not implement goes to the
        # system's ip (pyip.delegate), so it decides that before sending anything
        self.hand_over = False
        # the iproute2 release the run follows, (major, minor); None: not chosen yet
        # (pyip.release.current() chooses it when first asked)
        self.release = None


opts = Options()
