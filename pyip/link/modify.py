"""ip link add / set / change / replace / delete (iplink.c iplink_modify, iplink_parse)."""
import os

from pyip import links
from pyip import netlink as nl
from pyip.addr import AF_INET
from pyip.errors import (Failed, IpExit, Unimplemented, duparg, duparg2, incomplete_command,
                         invalid, missarg, usage)
from pyip._tables import INVALID, TABLES
from pyip.opts import opts
from pyip.interpret import Interpreter
from pyip.link.kinds import IP_KINDS, NO_PARSE_OPT
from pyip.link.objects import BOUNDED, IFLA, Link
from pyip.tree import Leaf
from pyip.words import atoi, get_integer, lookup, strtoul

# (a few words' helpers are imported where those words are read: link show's printer, the
# names files and namespaces cost every `link add/set` ~1 ms of start-up otherwise)

from pyip.ifla import (
    IFF_ALLMULTI, IFF_DYNAMIC, IFF_MULTICAST, IFF_NOARP, IFF_NOTRAILERS, IFF_PROMISC, IFF_UP,
    IFINFOMSG, IFLA_ADDRESS, IFLA_INET6_ADDR_GEN_MODE, IFLA_TARGET_NETNSID, OPERSTATES,
    RTM_GETLINK)
from pyip.netlink import NLM_F_CREATE

FLAG_WORDS = {"multicast": (IFF_MULTICAST, False), "allmulticast": (IFF_ALLMULTI, False),
              "promisc": (IFF_PROMISC, False), "trailers": (IFF_NOTRAILERS, True),
              "arp": (IFF_NOARP, True), "dynamic": (IFF_DYNAMIC, False)}
IFALIASZ = 256
# ip link set DEV inet ... (iproute2 fdb064bf, 7.2): the IPV4_DEVCONF_* attribute of each
# word (include/uapi/linux/ip.h), under IFLA_AF_SPEC / AF_INET / IFLA_INET_CONF
IFLA_INET_CONF = 1
INET_DEVCONF = {
    "forwarding": 1, "proxy_arp": 3, "accept_redirects": 4, "secure_redirects": 5,
    "send_redirects": 6, "shared_media": 7, "rp_filter": 8, "accept_source_route": 9,
    "bootp_relay": 10, "log_martians": 11, "tag": 12, "arp_filter": 13, "medium_id": 14,
    "disable_xfrm": 15, "disable_policy": 16, "force_igmp_version": 17, "arp_announce": 18,
    "arp_ignore": 19, "promote_secondaries": 20, "arp_accept": 21, "arp_notify": 22,
    "accept_local": 23, "src_vmark": 24, "proxy_arp_pvlan": 25, "route_localnet": 26,
    "igmpv2_unsolicited_report_interval": 27, "igmpv3_unsolicited_report_interval": 28,
    "ignore_routes_with_linkdown": 29, "drop_unicast_in_l2_multicast": 30,
    "drop_gratuitous_arp": 31, "bc_forwarding": 32, "arp_evict_nocarrier": 33}
# the words that take a number (get_integer()); the others on or off
INET_NUMBERS = frozenset(["rp_filter", "tag", "medium_id", "force_igmp_version", "arp_announce",
                          "arp_ignore", "arp_accept", "igmpv2_unsolicited_report_interval",
                          "igmpv3_unsolicited_report_interval"])
# `netns PID` opened by ip as /proc/PID/ns/net and sent as IFLA_NET_NS_FD (iproute2 57daf8ff)
NETNS_PID_AS_FD_SINCE = (6, 12)
GSO_MAX_SEGS = 65535


def _numbered(rule):
    """A rule's words -> their number: IFLA_LINKMODE, IF_OPER_*, IN6_ADDR_GEN_MODE_* count
    in the grammar's order."""
    return {word: i for i, (word, _, _, _) in enumerate(TABLES[rule])}


LINK_MODES, OPERSTATE_NUMBERS, ADDR_GEN_MODES = (
    _numbered("link_mode"), _numbered("operstate"), _numbered("addrgenmode"))
XDP_MODES = {"xdpgeneric": 2, "xdpdrv": 4, "xdpoffload": 8}     # SKB, DRV, HW mode


def on_off(what, value):
    raise Failed(INVALID["on_off.on_off"] % (what, value), 1)


def parse_one_of_on_off(what, value):
    """parse_on_off()'s refusal of a word the grammar did not take (a prefix of "off" or
    "on" up to 6.7, the whole word from 6.8: the rule as the run's release has it); ip
    returns -EINVAL (status 22)."""
    raise Failed(INVALID["on_off_prefix.on_off_prefix"] % (what, value), 22)


def nodev(name):
    raise Failed('Cannot find device "%s"\n' % name, 1)


def ll_addr(text):
    """ll_addr_a2n() into ip's 32-byte buffer, or its message and `return -1` (status 1)."""
    from pyip.link.lladdr import ll_addr_a2n
    raw, message, _ = ll_addr_a2n(text, 32)
    if raw is None:
        raise Failed(message, 1)
    return raw


def _ll_addr_len(dev):
    """nl_get_ll_addr_len(): the length of the device's address, by RTM_GETLINK on its
    index; -1 if it has none, or the kernel says no (its answer printed, as rtnl_talk's)."""
    index = links.name_to_index(dev)
    if not index:
        return -1
    try:
        body = IFINFOMSG.pack(opts.preferred_family, 0, index, 0, 0)
        msg = nl.rtnl().talk(RTM_GETLINK, 0, body)
    except nl.KernelError as e:
        from pyip import out
        out.error(e.message)
        return -1
    if msg is None or len(msg) < 32:
        return -1
    addr = nl.link_attrs(msg, 32).get(IFLA_ADDRESS)
    return -1 if addr is None else len(addr)


XDP_FLAGS_UPDATE_IF_NOEXIST = 1


# the Link field each number word sets
_NUMBERED = {"txqueuelen": "txqlen", "mtu": "mtu", "numtxqueues": "num_tx_queues",
             "numrxqueues": "num_rx_queues"}



def index_in_netns(h, nsid, name):
    """get_ifindex_in_netns() (iproute2 a597ab15, 6.12): the index of device NAME in the
    namespace this one (or socket h's) knows as nsid, asked on h itself (the main socket, or
    one in the namespace `netns` names): no IFLA_EXT_MASK, no cache, nothing remembered; 0
    when the kernel says no (its answer printed, as rtnl_talk() prints it)."""
    body = IFINFOMSG.pack(0, 0, 0, 0, 0) + nl.attr(IFLA_TARGET_NETNSID,
                                                   nl.U32.pack(nsid & 0xffffffff))
    body += links.name_attr(16 + len(body), name)
    try:
        msg = h.talk(RTM_GETLINK, 0, body)
    except nl.KernelError as e:
        from pyip import out
        out.error(e.message)
        return 0
    if msg is None or len(msg) < 32:
        return 0
    return IFINFOMSG.unpack_from(msg, 16)[2]

class LinkModify(Interpreter):
    """iplink_parse(): the device options of add/set/change/replace/delete, read into the
    ifinfomsg fields and the attributes in ip's order; "type" ends them: the kind and its
    words (its own parser's, pyip.link.kinds)."""
    STARTS = ("link_options",)
    VALUES = {"on_off": {"on": True, "off": False}, "inet_on_off": {"on": 1, "off": 0},
              "on_off_prefix": {"off": 0, "on": 1, "off_prefix": 0, "on_prefix": 1},
              "on_or_off": {"on": 1, "off": 0},
              "link_mode": LINK_MODES, "operstate": OPERSTATE_NUMBERS,
              "addrgenmode": ADDR_GEN_MODES}
    READ_BY_PARENT = ("xdp", "vf_word", "args", "inet_word")
    ELSEWHERE = ("link_type",)

    def __init__(self):
        self.ifi = {"flags": 0, "change": 0, "index": 0}
        self.device = Link()    # the request's fields: what the words give, ip's way
        self.order = []         # (field, value) in the words' order: one attribute each
        self.length = 32        # the request's length so far (ip's bounds count it)
        self.name = self.dev = self.link = None
        self.name_at = self.dev_at = None   # where in the words: ip's name and dev are pointers
        self.numbers = {}                   # mtu, txqueuelen, num[tr]xqueues, netns so far
        self.index = 0
        self.move_netns = False
        self.addr_len = 0
        self.link_netnsid = -1
        self.link_netns = None  # its name, from 6.12 until the loop's end
        self.group = None
        self.kind = None
        self.rest = []

    link_options = Interpreter.read_in_order

    # what runs past "type" is the kind's to read (after the checks below, as in ip)
    def ran_out(self):
        if self.kind is None:
            incomplete_command()

    def stray(self, index):
        if self.kind is None:
            raise NotImplementedError("link options have no stray word")

    def bad(self, index, rule):
        if self.kind is not None:
            return
        v = self.words[index]
        what = lookup("link_word", self.words[index - 1])
        if rule == "on_off":
            on_off(what, v)
        if rule == "inet_word" or (rule == "link_word" and self.words[index - 1] == "inet"):
            incomplete_command()    # `inet` and none of its words after it (ip >= 7.2)
        if rule == "inet_on_off":   # parse_on_off()'s message; ip's command fails (1)
            raise Failed(INVALID["inet_on_off.inet_on_off"] % (self.words[index - 1], v), 1)
        if rule == "on_or_off":     # protodown_reason NAME on|off
            on_off("protodown_reason", v)
        if rule == "on_off_prefix":
            parse_one_of_on_off(what, v)
        if rule == "xdp":
            raise IpExit(INVALID["xdp.xdp"] % v, 255)
        if rule == "vf_word":
            incomplete_command()
        invalid("link_word." + {"link_mode": "mode", "operstate": "state"}.get(rule, rule), v)

    def flag(self, node, bit, inverted):
        self.ifi["change"] |= bit
        self.word(node, 1)
        if self.value(node.children[1]) != inverted:
            self.ifi["flags"] |= bit
        else:
            self.ifi["flags"] &= ~bit

    def link_word__up(self, node):
        self.ifi["change"] |= IFF_UP
        self.ifi["flags"] |= IFF_UP

    def link_word__down(self, node):
        self.ifi["change"] |= IFF_UP
        self.ifi["flags"] &= ~IFF_UP

    def link_word__name(self, node):
        v = self.word(node, 1)
        if self.name is not None:
            duparg("name", v)
        if not links.check_ifname(v):
            invalid("link_word.name", v)
        self.name, self.name_at = v, node.start + 1
        if self.dev is None:
            self.dev, self.dev_at = self.name, self.name_at

    def link_word__index(self, node):
        v = self.word(node, 1)
        if self.index:
            duparg("index", v)
        self.index = atoi(v)
        if self.index <= 0:
            invalid("link_word.index", v)

    def link_word__link(self, node):
        self.link = self.word(node, 1)

    def link_word__address(self, node):
        raw = ll_addr(self.word(node, 1))
        self.put("address", raw.hex(":"))
        self.addr_len = len(raw)

    def link_word__broadcast(self, node):
        self.put("broadcast", ll_addr(self.word(node, 1)).hex(":"))

    def number(self, node):
        what = node.alias
        v = self.word(node, 1)
        if self.numbers.get(what, -1) != -1:    # ip's "unset" is -1: a second after -1 passes
            duparg(what, v)
        n = get_integer(v)
        if n is None:
            invalid("link_word." + what, v)
        self.numbers[what] = n
        self.put(_NUMBERED[what], n & 0xffffffff)

    link_word__txqueuelen = link_word__mtu = number
    link_word__numtxqueues = link_word__numrxqueues = number

    def link_word__netns(self, node):
        v = self.word(node, 1)
        if self.numbers.get("netns", -1) != -1:     # the fd, or the pid (which may be -1)
            duparg("netns", v)
        path = v if "/" in v else "/var/run/netns/" + v
        # ip's main() opened its socket before any command: the namespace's fd, which the
        # request carries, comes after it (ip 6.1's probe opened it here all the same)
        nl.rtnl()
        try:
            self.numbers["netns"] = fd = os.open(path, os.O_RDONLY)
            self.put("netns_fd", fd)
        except OSError:
            pid = get_integer(v)
            if pid is None:
                invalid("link_word.netns", v)
            from pyip.release import since
            if since(NETNS_PID_AS_FD_SINCE):
                # ip >= 6.12 (iproute2 57daf8ff) opens the process's namespace itself and
                # sends its fd: a pid it cannot open is ip's own error, not the kernel's
                try:
                    self.numbers["netns"] = fd = os.open("/proc/%d/ns/net" % pid, os.O_RDONLY)
                except OSError:
                    invalid("link_word.netns", v)
                self.put("netns_fd", fd)
            else:
                self.numbers["netns"] = pid
                self.put("netns_pid", pid & 0xffffffff)
        self.move_netns = True

    def flag_word(self, node):
        self.flag(node, *FLAG_WORDS[node.alias])

    link_word__multicast = link_word__allmulticast = link_word__promisc = flag_word
    link_word__trailers = link_word__arp = link_word__dynamic = flag_word

    def on_off_attr(self, node):
        self.word(node, 1)
        v = self.value(node.children[1])
        self.put("carrier" if node.alias == "carrier" else "proto_down", int(v))

    link_word__carrier = link_word__protodown = on_off_attr

    def link_word__master(self, node):
        v = self.word(node, 1)
        ifindex = links.name_to_index(v)
        if not ifindex:
            invalid("link_word.master", v)
        self.put("master", ifindex)

    def link_word__nomaster(self, node):
        self.put("master", 0)

    def link_word__type(self, node):
        self.kind = self.word(node, 1)
        self.rest = self.words[node.start + 2:]

    def link_word__alias(self, node):
        v = self.word(node, 1)
        raw = v.encode("utf-8", "surrogateescape")
        if len(raw) >= IFALIASZ:
            invalid("link_word.alias", v)
        self.put("alias", v)

    def link_word__group(self, node):
        v = self.word(node, 1)
        if self.group is not None:
            duparg("group", v)
        from pyip.rtnames import group_a2n
        self.group = group_a2n(v)
        if self.group is None:
            invalid("link_word.group", v)
        self.put("group", self.group & 0xffffffff)

    def link_word__mode(self, node):
        self.word(node, 1)
        self.put("linkmode", self.value(node.children[1]))

    def link_word__state(self, node):
        self.word(node, 1)
        n = self.value(node.children[1])
        self.put("operstate", OPERSTATES[n] if n < len(OPERSTATES) else n)

    def link_word__inet(self, node):
        """iplink_parse_inet(): the values in order, each a u32 under IFLA_INET_CONF of an
        AF_INET nest of an IFLA_AF_SPEC nest of its own (one per `inet`)."""
        conf = []
        for k, child in enumerate(node.children[1:], 1):
            if type(child) is Leaf:         # no inet word there: ran out, or bad() says so
                self.word(node, k)
                return
            what = child.alias
            v = self.word(child, 1)
            if what in INET_NUMBERS:
                n = get_integer(v)
                if n is None:
                    invalid("inet_word." + what, v)
            else:
                n = self.value(child.children[1])
            conf.append(nl.attr(INET_DEVCONF[what], nl.U32.pack(n & 0xffffffff)))
        self.put("af_spec", nl.attr(AF_INET, nl.attr(IFLA_INET_CONF | nl.NLA_F_NESTED,
                                                     b"".join(conf))))

    def link_word__addrgenmode(self, node):
        self.word(node, 1)
        self.put("af_spec", nl.attr(10, nl.attr(IFLA_INET6_ADDR_GEN_MODE,
                                                bytes([self.value(node.children[1])]))))

    def gso(self, node):
        what = node.alias
        v = self.word(node, 1)
        n = strtoul(v)
        if n is None or (what == "gso_max_segs" and n > GSO_MAX_SEGS):
            invalid("link_word." + what, v)
        self.put(what, n)

    link_word__gso_max_size = link_word__gso_max_segs = link_word__gro_max_size = gso

    def link_word__vrf(self, node):
        v = self.word(node, 1)
        ifindex = links.name_to_index(v)
        from pyip.link.show import is_vrf
        if not ifindex or not is_vrf(v):
            invalid("link_word.vrf", v)
        self.put("master", ifindex)

    def link_word__parentdev(self, node):
        v = self.word(node, 1)
        self.put("parent_dev", v)

    def link_word__protodown_reason(self, node):
        v = self.word(node, 1)
        from pyip.rtnames import protodown_reason_a2n
        reason = protodown_reason_a2n(v)
        if reason is None:
            invalid("link_word.protodown_reason", v)
        self.word(node, 2)
        mask = 1 << reason
        value = mask if self.value(node.children[2]) else 0
        self.put("proto_down_reason", (mask, value))

    def link_word__vf(self, node):
        v = self.word(node, 1)
        if get_integer(v) is None:
            invalid("link_word.vf", v)
        if self.dev is None:
            missarg("dev")
        self.word(node, 2)      # iplink_parse_vf(): no VF word after the number: incomplete
        raise Unimplemented('pyip: "ip link set ... vf" is not implemented yet.\n')

    def xdp_word(self, node):
        what = node.alias
        v = self.word(node, 1)
        dev = self.dev
        if what == "xdpoffload" and not (dev is not None and links.name_to_index(dev)):
            incomplete_command()
        program = node.children[1].alias
        if program == "off" and self.last(node):
            # xdp_delete(): fd -1, the mode's flags (and "only if none" unless -force)
            mode = (0 if opts.force else XDP_FLAGS_UPDATE_IF_NOEXIST) | XDP_MODES.get(what, 0)
            self.put("xdp", (-1, mode or None))
        elif program != "off":
            raise Unimplemented('pyip: "ip link ... %s %s" (loading BPF) is not '
                                'implemented yet.\n' % (self.word(node, 0), v))
        else:
            raise IpExit(INVALID["xdp.xdp"] % v, 255)
        if what == "xdpoffload" and self.name_at == self.dev_at:
            self.dev = self.dev_at = None

    link_word__xdp = link_word__xdpgeneric = link_word__xdpdrv = link_word__xdpoffload = xdp_word

    def link_word__link_netns(self, node):
        v = self.word(node, 1)
        if self.link_netnsid != -1 or self.link_netns is not None:
            duparg("link-netns/link-netnsid", v)
        from pyip.release import since
        if since(LINK_NETNS_AFTER_LOOP_SINCE):
            self.link_netns = v             # looked up after the loop (resolve_link_netns)
            return
        self.resolve_link_netns(v, v, False)

    def resolve_link_netns(self, name, shown, after_loop, h=None):
        """The namespace's nsid, one asked of the kernel if it has none; ip's message names
        `shown` (the word ip's argv points at then).  h: the socket to ask on (from 6.12,
        one in the namespace `netns` names: the nsid as that namespace knows it)."""
        from pyip import netns
        self.link_netnsid = netns.nsid_from_name(name, h)
        if self.link_netnsid < 0:           # none yet: ask the kernel for one
            netns.set_nsid_from_name(name, -1, h)
            self.link_netnsid = netns.nsid_from_name(name, h)
        elif not after_loop:                # up to 6.11 ip asks a second time all the same
            self.link_netnsid = netns.nsid_from_name(name, h)
        if self.link_netnsid < 0:
            invalid("link_word.link_netns", shown)
        self.put("link_netnsid", self.link_netnsid & 0xffffffff)

    def link_word__link_netnsid(self, node):
        v = self.word(node, 1)
        if self.link_netnsid != -1 or self.link_netns is not None:
            duparg("link-netns/link-netnsid", v)
        self.link_netnsid = get_integer(v)
        if self.link_netnsid is None:
            invalid("link_word.link_netnsid", v)
        self.put("link_netnsid", self.link_netnsid & 0xffffffff)

    def link_dev__help(self, node):
        usage("link")

    def link_dev__dev(self, node):
        k = len(node.children) - 1      # "dev NAME", or NAME alone
        w = self.word(node, k)
        if self.dev_at != self.name_at:     # ip compares the pointers, not the names
            duparg2("dev", w)
        if not links.check_altifname(w):
            invalid("link_dev.dev", w)
        self.dev, self.dev_at = w, node.start + k

    def put(self, field, value):
        """One attribute, as ip adds it when its word is read: the Link's field, and its
        place in the request.  The name and the parent device are bounded by ip's request
        buffer: past it ip says so now (addattr_l) and sends its request without them."""
        r = IFLA.by_word[field]
        payload = r.encoder(value)
        if field in BOUNDED:
            if not nl.addattr_l(self.length, links.LL_REQ, r.type, payload):
                return
        setattr(self.device, field, value)
        self.order.append((field, value))
        self.length += nl.align(4 + len(payload))

    def body(self, kind_nul=False):
        """The request's attributes (after the ifinfomsg): the Link's encoding, in order."""
        return self.device.encode(self.order, kind_nul=kind_nul)

    def result(self, flags):
        """ip's checks after its loop, in its order: the ifinfomsg fields, then the
        attributes only ip adds after it (the new index, the lower device, the name); the
        reading itself is the result (ifi, device, order, kind, rest)."""
        ifi, rest = self.ifi, self.rest
        name, dev, link, index = self.name, self.dev, self.link, self.index
        if name is None:
            name = dev
        elif dev is None:
            dev = name
        elif name == dev:
            name = dev
        if dev is not None and self.addr_len and not flags & NLM_F_CREATE:
            halen = _ll_addr_len(dev)
            if halen >= 0 and halen != self.addr_len:
                raise Failed("Invalid address length %d - must be %d bytes\n"
                             % (self.addr_len, halen), 1)
        if index and not flags & NLM_F_CREATE and not self.move_netns:
            raise IpExit("index can be used only when creating devices or when moving device to "
                         "another netns.\n", 255)
        if self.group is not None and dev is None:
            if rest:
                raise IpExit('Garbage instead of arguments "%s ...". Try "ip link help".\n'
                             % rest[0], 255)
            if flags & NLM_F_CREATE:
                raise IpExit("group cannot be used when creating devices.\n", 255)
            self.kind, self.rest = None, []     # every device of the group (ifi_index 0)
            return self
        h = None
        if self.move_netns and (self.link_netnsid != -1 or self.link_netns is not None):
            from pyip.release import since
            if since(LINK_IN_LINK_NETNS_SINCE):
                # both: the nsid and the device as the target namespace sees them, on a
                # socket of its own there (closed when ip's iplink_parse() returns)
                from pyip import netns
                h = netns.rtnl_in(self.numbers["netns"])
        try:
            return self._after_loop(flags, h, ifi, rest, name, dev, link, index)
        finally:
            if h is not None:
                h.close()

    def _after_loop(self, flags, h, ifi, rest, name, dev, link, index):
        if self.link_netns is not None:
            # ip's invarg() names *argv, where its loop stopped: the word after the kind, or
            # none (glibc prints "(null)")
            self.resolve_link_netns(self.link_netns, rest[0] if rest else "(null)", True, h)
        if not flags & NLM_F_CREATE:
            if dev is None:
                raise IpExit('Not enough information: "dev" argument is required.\n', 255)
            ifi["index"] = links.name_to_index(dev)
            if not ifi["index"]:
                nodev(dev)
            if name is dev:
                name = None
            if index:
                self.put("new_index", index & 0xffffffff)
        else:
            if name is not dev:
                raise IpExit('both "name" and "dev" cannot be used when creating devices.\n',
                             255)
            if link is not None:
                from pyip.release import since
                if self.link_netnsid != -1 and since(LINK_IN_LINK_NETNS_SINCE):
                    # the lower device lives in the link-netns: asked there by its nsid
                    ifindex = index_in_netns(h or nl.rtnl(), self.link_netnsid, link)
                else:
                    ifindex = links.name_to_index(link)
                if not ifindex:
                    nodev(link)
                self.put("link", ifindex)
            ifi["index"] = index
        if name is not None:
            self.put("ifname", name)
        return self


def parse(argv, flags):
    """iplink_parse(): the LinkModify reading of the words (ifi: the ifinfomsg fields;
    device, order: the Link and its attributes in ip's order; kind and the kind's words)."""
    reading = LinkModify()
    reading.run(argv, "link_options")
    return reading.result(flags)


# link-netns NAME is looked up after iplink_parse()'s loop from a597ab15 (6.12; 6.15's binary
# names the word its argv points at there, "(null)" at the end: an ip bug, kept)
LINK_NETNS_AFTER_LOOP_SINCE = (6, 12)
# ... and, with link-netns or link-netnsid, `link DEV` is DEV of that namespace (an
# RTM_GETLINK naming its nsid, IFLA_TARGET_NETNSID), the nsid and DEV asked from inside the
# namespace `netns` names when both are given (the same commit; 6.15's and 7.3's binaries)
LINK_IN_LINK_NETNS_SINCE = (6, 12)
# IFLA_INFO_KIND carries its NUL from 683815ed (6.19) on
KIND_NUL_SINCE = (6, 19)
# A kind without a parse_opt (dummy, ...) ignores the words after it before 84ffffeb (6.5;
# 6.1 sends an empty IFLA_INFO_DATA), which makes them garbage from then on (6.15's binary)
NO_PARSE_OPT_GARBAGE_SINCE = (6, 5)


def modify(type_, flags, argv):
    """iplink_modify(): returns ip's status for the command."""
    reading = parse(argv, flags)
    ifi, kind, rest = reading.ifi, reading.kind, reading.rest
    kind_nul = False
    if kind is not None:
        from pyip.release import since
        kind_nul = since(KIND_NUL_SINCE)
        info = None                 # no options: IFLA_LINKINFO holds the kind alone
        if kind in NO_PARSE_OPT and rest and not since(NO_PARSE_OPT_GARBAGE_SINCE):
            info = b""
        elif kind in IP_KINDS and kind not in NO_PARSE_OPT and rest:
            from pyip.link import kinds
            parse_kind = kinds.PARSERS.get(kind)
            if parse_kind is None:
                raise Unimplemented('pyip: "ip link ... type %s ARGS" is not implemented '
                                    'yet.\n' % kind)
            ifi["type"] = type_     # (vxlan's parse_opt asks the message's: set or not)
            info = parse_kind(kind, rest, flags, ifi, parse)
            if info is None:
                return 1
        elif rest:
            if lookup("link_dev", rest[0]) == "help":
                usage("link")
            from pyip import out
            out.error('Garbage instead of arguments "%s ...". Try "ip link help".\n' % rest[0])
            return 1
        reading.device.kind, reading.device.info = kind, info
        reading.order.append(("linkinfo", info))
    elif flags & NLM_F_CREATE:
        from pyip import out
        out.error('Not enough information: "type" argument is required\n')
        return 1
    head = IFINFOMSG.pack(opts.preferred_family, 0, ifi["index"], ifi["flags"], ifi["change"])
    body = [reading.body(kind_nul)]
    try:
        if opts.echo:
            from pyip.link.show import print_echo
            print_echo(nl.rtnl().talk(type_, flags | nl.NLM_F_ECHO | nl.NLM_F_ACK,
                                      head + b"".join(body)))
        else:
            nl.rtnl().talk(type_, flags, head + b"".join(body), answer=False)
    except nl.KernelError as e:
        from pyip import out
        out.error(e.message)
        return 2
    links.drop_by_index(ifi["index"])
    return 0
