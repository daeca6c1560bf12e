"""ip link add / set / change / replace / delete (iplink.c iplink_modify, iplink_parse)."""
from pyip import links
from pyip import netlink as nl
from pyip.addr import AF_INET, get_addr_1
from pyip.errors import (Failed, IpExit, Unimplemented, duparg, duparg2, incomplete_command,
                         invalid, missarg, usage)
from pyip._tables import INVALID, TABLES
from pyip.opts import opts
from pyip.words import Args, atoi, get_integer, lookup, strtoul

from pyip.link.ifla import (
    IFF_ALLMULTI, IFF_DYNAMIC, IFF_MULTICAST, IFF_NOARP, IFF_NOTRAILERS, IFF_PROMISC, IFF_UP,
    IFINFOMSG, IFLA_ADDRESS, IFLA_AF_SPEC, IFLA_BROADCAST, IFLA_CARRIER, IFLA_GRO_MAX_SIZE,
    IFLA_GROUP, IFLA_GSO_MAX_SEGS, IFLA_GSO_MAX_SIZE, IFLA_IFALIAS, IFLA_IFNAME,
    IFLA_INET6_ADDR_GEN_MODE, IFLA_INFO_DATA, IFLA_INFO_KIND, IFLA_INFO_SLAVE_DATA, IFLA_LINK,
    IFLA_LINK_NETNSID, IFLA_LINKINFO, IFLA_LINKMODE, IFLA_MASTER, IFLA_MTU, IFLA_NET_NS_FD,
    IFLA_NET_NS_PID,
    IFLA_NEW_IFINDEX, IFLA_NUM_RX_QUEUES, IFLA_NUM_TX_QUEUES, IFLA_OPERSTATE, IFLA_PROTO_DOWN,
    IFLA_TXQLEN, NLM_F_CREATE, RTM_GETLINK)

I32 = nl.I32
FLAG_WORDS = {"multicast": (IFF_MULTICAST, False), "allmulticast": (IFF_ALLMULTI, False),
              "promisc": (IFF_PROMISC, False), "trailers": (IFF_NOTRAILERS, True),
              "arp": (IFF_NOARP, True), "dynamic": (IFF_DYNAMIC, False)}
IFALIASZ = 256
GSO_MAX_SEGS = 65535


def _numbered(rule):
    """A rule's words -> their number: IFLA_LINKMODE, IF_OPER_*, IN6_ADDR_GEN_MODE_* count
    in the grammar's order."""
    return {word: i for i, (word, _, _, _) in enumerate(TABLES[rule])}


LINK_MODES, OPERSTATE_NUMBERS, ADDR_GEN_MODES = (
    _numbered("link_mode"), _numbered("operstate"), _numbered("addrgenmode"))
# kinds whose link_util has no parse_opt: ip ignores their arguments (an empty INFO_DATA)
NO_PARSE_OPT = frozenset(word for word, _, _, _ in TABLES["no_option_kind"])
# kinds iproute2 6.1 has a link_util for (their arguments are theirs to parse)
IP_KINDS = frozenset(word for rule in ("link_type", "no_option_kind", "ip_kind")
                     for word, _, _, _ in TABLES[rule])
XDP_MODES = {"xdpgeneric": 2, "xdpdrv": 4, "xdpoffload": 8}     # SKB, DRV, HW mode
XDP_PROGRAMS = ("object", "pinned", "fd")


def on_off(what, value):
    raise Failed(INVALID["on_off.on_off"] % (what, value), 1)


def parse_one_of_on_off(what, value):
    """parse_on_off(): matches() against "off", "on"; ip returns -EINVAL (status 22)."""
    for i, word in enumerate(("off", "on")):
        if value and word.startswith(value):
            return i
    raise Failed(INVALID["on_off_prefix.on_off_prefix"] % (what, value), 22)


def nodev(name):
    raise Failed('Cannot find device "%s"\n' % name, 1)


def ll_addr(text):
    """ll_addr_a2n(): a dotted quad, or hex bytes separated by ':'."""
    if "." in text:
        p = get_addr_1(text, AF_INET)
        if p is None:
            raise Failed(INVALID["LLADDR.LLADDR"] % text, 1)
        return p.data[:4]
    out = bytearray()
    for part in text.split(":")[:32]:
        digits = part.strip()
        j = 0
        if digits[:2] in ("0x", "0X"):
            j = 2
        k = j
        while k < len(digits) and digits[k] in "0123456789abcdefABCDEF":
            k += 1
        if k == j:
            raise Failed(INVALID["LLADDR.LLADDR"] % part, 1)
        v = int(digits[j:k], 16)
        if v > 255:
            raise Failed(INVALID["LLADDR.LLADDR"] % part, 1)
        out.append(v)
    return bytes(out)


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


IFLA_XDP, IFLA_XDP_FD, IFLA_XDP_FLAGS = 43, 1, 3
IFLA_PROTO_DOWN_REASON, IFLA_PROTO_DOWN_REASON_MASK, IFLA_PROTO_DOWN_REASON_VALUE = 55, 1, 2
IFLA_PARENT_DEV_NAME = 56
XDP_FLAGS_UPDATE_IF_NOEXIST = 1


def parse(argv, flags):
    """iplink_parse(): the ifinfomsg fields, the attributes, and (type, kind words)."""
    a = Args(argv)
    ifi = {"flags": 0, "change": 0, "index": 0}
    body = []
    name = dev = link = None
    name_at = dev_at = None     # where in argv: ip's name and dev are pointers into it
    numbers = {}                # mtu, txqueuelen, num[tr]xqueues, netns given so far
    index = 0
    move_netns = False
    addr_len = 0
    link_netnsid = -1
    group = None
    kind = None
    while a.argc > 0:
        w = a.word
        what = lookup("link_word", w)
        if what == "up":
            ifi["change"] |= IFF_UP
            ifi["flags"] |= IFF_UP
        elif what == "down":
            ifi["change"] |= IFF_UP
            ifi["flags"] &= ~IFF_UP
        elif what == "name":
            v = a.next()
            if name is not None:
                duparg("name", v)
            if not links.check_ifname(v):
                invalid("link_word.name", v)
            name, name_at = v, a.i
            if dev is None:
                dev, dev_at = name, name_at
        elif what == "index":
            v = a.next()
            if index:
                duparg("index", v)
            index = atoi(v)
            if index <= 0:
                invalid("link_word.index", v)
        elif what == "link":
            link = a.next()
        elif what in ("address", "broadcast"):
            raw = ll_addr(a.next())
            body.append(nl.attr(IFLA_ADDRESS if what == "address" else IFLA_BROADCAST, raw))
            if what == "address":
                addr_len = len(raw)
        elif what in ("txqueuelen", "mtu", "numtxqueues", "numrxqueues"):
            key = {"txqueuelen": IFLA_TXQLEN, "mtu": IFLA_MTU,
                   "numtxqueues": IFLA_NUM_TX_QUEUES, "numrxqueues": IFLA_NUM_RX_QUEUES}[what]
            v = a.next()
            if numbers.get(what, -1) != -1:     # ip's "unset" is -1: a second after -1 passes
                duparg(what, v)
            n = get_integer(v)
            if n is None:
                invalid("link_word." + what, v)
            numbers[what] = n
            body.append(nl.attr(key, I32.pack(n)))
        elif what == "netns":
            v = a.next()
            if numbers.get(what, -1) != -1:     # the fd, or the pid (which may be -1)
                duparg("netns", v)
            import os
            path = v if "/" in v else "/var/run/netns/" + v
            try:
                numbers[what] = fd = os.open(path, os.O_RDONLY)
                body.append(nl.attr(IFLA_NET_NS_FD, I32.pack(fd)))
            except OSError:
                pid = numbers[what] = get_integer(v)
                if pid is None:
                    invalid("link_word.netns", v)
                body.append(nl.attr(IFLA_NET_NS_PID, I32.pack(pid)))
            move_netns = True
        elif what in FLAG_WORDS:
            bit, inverted = FLAG_WORDS[what]
            v = a.next()
            ifi["change"] |= bit
            if v not in ("on", "off"):
                on_off(what, v)
            if (v == "on") != inverted:
                ifi["flags"] |= bit
            else:
                ifi["flags"] &= ~bit
        elif what in ("carrier", "protodown"):
            v = parse_one_of_on_off(what, a.next())
            body.append(nl.attr(IFLA_CARRIER if what == "carrier" else IFLA_PROTO_DOWN,
                                bytes([v])))
        elif what == "master":
            v = a.next()
            ifindex = links.name_to_index(v)
            if not ifindex:
                invalid("link_word.master", v)
            body.append(nl.attr(IFLA_MASTER, I32.pack(ifindex)))
        elif what == "nomaster":
            body.append(nl.attr(IFLA_MASTER, I32.pack(0)))
        elif what == "type":
            kind = a.next()
            a.i += 1
            break
        elif what == "alias":
            v = a.next()
            raw = v.encode("utf-8", "surrogateescape")
            if len(raw) >= IFALIASZ:
                invalid("link_word.alias", v)
            body.append(nl.attr(IFLA_IFALIAS, raw))
        elif what == "group":
            v = a.next()
            if group is not None:
                duparg("group", v)
            from pyip.rtnames import group_a2n
            group = group_a2n(v)
            if group is None:
                invalid("link_word.group", v)
            body.append(nl.attr(IFLA_GROUP, nl.U32.pack(group & 0xffffffff)))
        elif what == "mode":
            v = a.next()
            mode = LINK_MODES.get(v.lower())
            if mode is None:
                invalid("link_word.mode", v)
            body.append(nl.attr(IFLA_LINKMODE, bytes([mode])))
        elif what == "state":
            v = a.next()
            state = OPERSTATE_NUMBERS.get(v.lower())
            if state is None:
                invalid("link_word.state", v)
            body.append(nl.attr(IFLA_OPERSTATE, bytes([state])))
        elif what == "addrgenmode":
            v = a.next()
            mode = ADDR_GEN_MODES.get(v.lower())
            if mode is None:
                invalid("link_word.addrgenmode", v)
            inner = nl.attr(10, nl.attr(IFLA_INET6_ADDR_GEN_MODE, bytes([mode])))
            body.append(nl.attr(IFLA_AF_SPEC, inner))
        elif what in ("gso_max_size", "gso_max_segs", "gro_max_size"):
            v = a.next()
            n = strtoul(v)
            if n is None or (what == "gso_max_segs" and n > GSO_MAX_SEGS):
                invalid("link_word." + what, v)
            key = {"gso_max_size": IFLA_GSO_MAX_SIZE, "gso_max_segs": IFLA_GSO_MAX_SEGS,
                   "gro_max_size": IFLA_GRO_MAX_SIZE}[what]
            body.append(nl.attr(key, nl.U32.pack(n)))
        elif what == "vrf":
            v = a.next()
            ifindex = links.name_to_index(v)
            from pyip.link.show import is_vrf
            if not ifindex or not is_vrf(v):
                invalid("link_word.vrf", v)
            body.append(nl.attr(IFLA_MASTER, I32.pack(ifindex)))
        elif what == "parentdev":
            v = a.next()
            body.append(nl.addattr_l(32 + sum(map(len, body)), links.LL_REQ, IFLA_PARENT_DEV_NAME,
                                     v.encode("utf-8", "surrogateescape") + b"\0"))
        elif what == "protodown_reason":
            v = a.next()
            from pyip.rtnames import protodown_reason_a2n
            reason = protodown_reason_a2n(v)
            if reason is None:
                invalid("link_word.protodown_reason", v)
            v = a.next()
            mask = 1 << reason
            if v and "on".startswith(v):
                value = mask
            elif v and "off".startswith(v):
                value = 0
            else:
                on_off("protodown_reason", v)
            body.append(nl.attr(IFLA_PROTO_DOWN_REASON | nl.NLA_F_NESTED,
                                nl.attr(IFLA_PROTO_DOWN_REASON_MASK, nl.U32.pack(mask)) +
                                nl.attr(IFLA_PROTO_DOWN_REASON_VALUE, nl.U32.pack(value))))
        elif what == "vf":
            v = a.next()
            if get_integer(v) is None:
                invalid("link_word.vf", v)
            if dev is None:
                missarg("dev")
            # iplink_parse_vf(): no VF word after the number is an incomplete command
            if not a.next_ok() or lookup("vf_word", a.v[a.i + 1]) is None:
                incomplete_command()
            raise Unimplemented('pyip: "ip link set ... vf" is not implemented yet.\n')
        elif what == "xdp" or what in XDP_MODES:
            v = a.next()
            if what == "xdpoffload" and not (dev is not None and links.name_to_index(dev)):
                incomplete_command()
            program = lookup("xdp", v)
            if a.argc == 1 and program == "off":
                # xdp_delete(): fd -1, the mode's flags (and "only if none" unless -force)
                mode = (0 if opts.force else XDP_FLAGS_UPDATE_IF_NOEXIST) | XDP_MODES.get(what, 0)
                nest = nl.attr(IFLA_XDP_FD, I32.pack(-1))
                if mode:
                    nest += nl.attr(IFLA_XDP_FLAGS, nl.U32.pack(mode))
                body.append(nl.attr(IFLA_XDP, nest))
            elif program in XDP_PROGRAMS:
                raise Unimplemented('pyip: "ip link ... %s %s" (loading BPF) is not '
                                    'implemented yet.\n' % (w, v))
            else:
                raise IpExit(INVALID["xdp.xdp"] % v, 255)
            if what == "xdpoffload" and name_at == dev_at:
                dev = dev_at = None
        elif what in ("link_netns", "link_netnsid"):
            v = a.next()
            if link_netnsid != -1:
                duparg("link-netns/link-netnsid", v)
            if what == "link_netns":
                from pyip import netns
                link_netnsid = netns.nsid_from_name(v)
                if link_netnsid < 0:            # none yet: ask the kernel for one
                    netns.set_nsid_from_name(v, -1)
                link_netnsid = netns.nsid_from_name(v)
                if link_netnsid < 0:
                    invalid("link_word.link_netns", v)
            else:
                link_netnsid = get_integer(v)
                if link_netnsid is None:
                    invalid("link_word.link_netnsid", v)
            body.append(nl.attr(IFLA_LINK_NETNSID, I32.pack(link_netnsid)))
        elif what is not None:
            raise Unimplemented('pyip: "ip link %s" is not implemented yet.\n' % w)
        else:
            alone = lookup("link_dev", w)
            if alone == "help":
                usage("link")
            if alone == "dev":
                w = a.next()
            if dev_at != name_at:       # ip compares the pointers, not the names
                duparg2("dev", w)
            if not links.check_altifname(w):
                invalid("link_dev.dev", w)
            dev, dev_at = w, a.i
        a.i += 1
    rest = a.v[a.i:]
    if name is None:
        name = dev
    elif dev is None:
        dev = name
    elif name == dev:
        name = dev
    if dev is not None and addr_len and not flags & NLM_F_CREATE:
        halen = _ll_addr_len(dev)
        if halen >= 0 and halen != addr_len:
            raise Failed("Invalid address length %d - must be %d bytes\n" % (addr_len, halen), 1)
    if index and not flags & NLM_F_CREATE and not move_netns:
        raise IpExit("index can be used only when creating devices or when moving device to "
                     "another netns.\n", 255)
    if group is not None and dev is None:
        if rest:
            raise IpExit('Garbage instead of arguments "%s ...". Try "ip link help".\n'
                         % rest[0], 255)
        if flags & NLM_F_CREATE:
            raise IpExit("group cannot be used when creating devices.\n", 255)
        return ifi, body, None, []      # every device of the group (ifi_index 0), no type
    if not flags & NLM_F_CREATE:
        if dev is None:
            raise IpExit('Not enough information: "dev" argument is required.\n', 255)
        ifi["index"] = links.name_to_index(dev)
        if not ifi["index"]:
            nodev(dev)
        if name is dev:
            name = None
        if index:
            body.append(nl.attr(IFLA_NEW_IFINDEX, I32.pack(index)))
    else:
        if name is not dev:
            raise IpExit('both "name" and "dev" cannot be used when creating devices.\n', 255)
        if link is not None:
            ifindex = links.name_to_index(link)
            if not ifindex:
                nodev(link)
            body.append(nl.attr(IFLA_LINK, I32.pack(ifindex)))
        ifi["index"] = index
    if name is not None:
        body.append(nl.addattr_l(32 + sum(map(len, body)), links.LL_REQ, IFLA_IFNAME,
                                 name.encode("utf-8", "surrogateescape") + b"\0"))
    return ifi, body, kind, rest


NLM_F_ECHO = 0x8      # -echo: rtnl_echo_talk() asks the kernel to echo what it made
# a kind's options go into IFLA_INFO_DATA with ip's bound of 1024 (link_vti.c, ...)
KIND_DATA_BOUND = {IFLA_INFO_DATA: 1024, IFLA_INFO_SLAVE_DATA: 1024}


def modify(type_, flags, argv):
    """iplink_modify(): returns ip's status for the command."""
    ifi, body, kind, rest = parse(argv, flags)
    if kind is not None:
        info = nl.attr(IFLA_INFO_KIND, kind.encode("utf-8", "surrogateescape"))
        if kind in NO_PARSE_OPT and rest:
            slave = kind.endswith("_slave")
            info += nl.attr(IFLA_INFO_SLAVE_DATA if slave else IFLA_INFO_DATA, b"")
        elif kind in IP_KINDS and rest:
            from pyip.link import kinds
            parse_kind = kinds.PARSERS.get(kind)
            if parse_kind is None:
                raise Unimplemented('pyip: "ip link ... type %s ARGS" is not implemented '
                                    'yet.\n' % kind)
            data = parse_kind(kind, rest, flags, ifi, parse)
            if data is None:
                return 1
            slave = kind.endswith("_slave")
            info += nl.attr(IFLA_INFO_SLAVE_DATA if slave else IFLA_INFO_DATA, data)
        elif rest:
            if lookup("link_dev", rest[0]) == "help":
                usage("link")
            from pyip import out
            out.error('Garbage instead of arguments "%s ...". Try "ip link help".\n' % rest[0])
            return 1
        body.append(nl.nest_l(32 + sum(map(len, body)), links.LL_REQ, IFLA_LINKINFO, info,
                              KIND_DATA_BOUND))
    elif flags & NLM_F_CREATE:
        from pyip import out
        out.error('Not enough information: "type" argument is required\n')
        return 1
    head = IFINFOMSG.pack(opts.preferred_family, 0, ifi["index"], ifi["flags"], ifi["change"])
    try:
        if opts.echo:
            from pyip.link.show import print_echo
            print_echo(nl.rtnl().talk(type_, flags | NLM_F_ECHO | nl.NLM_F_ACK,
                                      head + b"".join(body)))
        else:
            nl.rtnl().talk(type_, flags, head + b"".join(body), answer=False)
    except nl.KernelError as e:
        from pyip import out
        out.error(e.message)
        return 2
    links.drop_by_index(ifi["index"])
    return 0
