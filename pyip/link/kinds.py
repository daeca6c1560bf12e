"""The link kinds pyip knows, one module each (as iproute2's ip/link_*.c): xfrm, vti (and
vti6), veth, vrf, bond (and its ports), bridge (and its ports), vlan, vxlan, gre (gretap,
erspan), macvlan (macvtap), geneve, and printed only: ip6tnl, ip6gre (ip6gretap,
ip6erspan).  A kind's parse(kind, argv, flags, ifi, iplink_parse) returns
IFLA_INFO_DATA's payload, or None after printing ip's error (status 1); its print_opt(p, tb)
prints ip -d link's options.  This module is the registry and what the kinds share."""
from pyip._tables import TABLES
from pyip.errors import IpExit

# kinds whose link_util has no parse_opt: ip ignores their arguments (an empty INFO_DATA)
NO_PARSE_OPT = frozenset(word for word, _, _, _ in TABLES["no_option_kind"])
# kinds iproute2 6.1 has a link_util for (their arguments are theirs to parse)
IP_KINDS = frozenset(word for rule in ("link_type", "no_option_kind", "ip_kind")
                     for word, _, _, _ in TABLES[rule])


def help_text(kind):
    from pyip._tables import USAGE
    from pyip.release import pick
    return pick(USAGE, "link_" + kind)


def device_index(name):
    """The lower device's ifindex (ll_name_to_index()), or ip's exit(nodev(name))."""
    from pyip import links
    index = links.name_to_index(name)
    if not index:
        nodev_exit(name)
    return index


def nodev_exit(name):
    """exit(nodev(name)): exit(-1), status 255."""
    raise IpExit('Cannot find device "%s"\n' % name, 255)


class _Kinds(dict):
    """kind -> (module, function): the function, imported when first asked for."""

    def __init__(self, where):
        dict.__init__(self)
        self.where = where

    def get(self, kind, default=None):
        if kind not in self and kind in self.where:
            # __import__, not importlib: importlib and the warnings it loads cost a link
            # command ~0.4 ms
            module, name = self.where[kind]
            self[kind] = getattr(__import__("pyip.link." + module, fromlist=[name]), name)
        return dict.get(self, kind, default)


PARSERS = _Kinds({"xfrm": ("xfrm", "parse"), "vti": ("vti", "parse"), "vti6": ("vti", "parse"),
                  "veth": ("veth", "parse"), "vrf": ("vrf", "parse"), "bond": ("bond", "parse"),
                  "bond_slave": ("bond", "parse_slave"), "bridge": ("bridge", "parse"),
                  "bridge_slave": ("bridge", "parse_slave"), "vlan": ("vlan", "parse"),
                  "vxlan": ("vxlan", "parse"), "gre": ("gre", "parse"),
                  "gretap": ("gre", "parse"), "erspan": ("gre", "parse"),
                  "macvlan": ("macvlan", "parse"), "macvtap": ("macvlan", "parse"),
                  "geneve": ("geneve", "parse")})
# kind -> print_opt, for the kinds pyip prints (ip has more: their options are not shown)
PRINTERS = _Kinds({"xfrm": ("xfrm", "print_opt"), "vti": ("vti", "print_vti"),
                   "vti6": ("vti", "print_vti6"), "ip6tnl": ("ip6tnl", "print_opt"),
                   "vrf": ("vrf", "print_opt"), "vlan": ("vlan", "print_opt"),
                   "vxlan": ("vxlan", "print_opt"), "bridge": ("bridge", "print_opt"),
                   "bond": ("bond", "print_opt"), "gre": ("gre", "print_opt"),
                   "gretap": ("gre", "print_opt"), "erspan": ("gre", "print_opt"),
                   "ip6gre": ("gre", "print_opt6"), "ip6gretap": ("gre", "print_opt6"),
                   "ip6erspan": ("gre", "print_opt6"), "macvlan": ("macvlan", "print_opt"),
                   "macvtap": ("macvlan", "print_opt"), "geneve": ("geneve", "print_opt")})
# kind -> lower(tb): the device (index) its print_opt names ("dev NAME"), 0 for none; what
# a dump's device waits for before it is printed (pyip/link/dumped.py)
LOWER_DEVICES = _Kinds({"vti": ("vti", "lower"), "vti6": ("vti", "lower"),
                        "ip6tnl": ("ip6tnl", "lower"), "vxlan": ("vxlan", "lower"),
                        "bond": ("bond", "lower"), "gre": ("gre", "lower"),
                        "gretap": ("gre", "lower"), "erspan": ("gre", "lower"),
                        "ip6gre": ("gre", "lower"), "ip6gretap": ("gre", "lower"),
                        "ip6erspan": ("gre", "lower")})
# master kind -> print_opt of its ports' IFLA_INFO_SLAVE_DATA (ip's "KIND_slave" link_utils)
SLAVE_PRINTERS = _Kinds({"vrf": ("vrf", "print_slave_opt"),
                        "bond": ("bond", "print_slave_opt"),
                        "bridge": ("bridge", "print_slave_opt")})
