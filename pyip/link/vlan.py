"""type vlan (iproute2's ip/iplink_vlan.c): parse (`type vlan ARGS`), print (ip -d link
show) and help.  Each attribute's layout is declared once (LAYOUT): the reader encodes with
it, the printer reads with it."""
from _struct import Struct

from pyip import netlink as nl
from pyip.errors import Failed, incomplete_command
from pyip.link.reader import BE16, U16, Bytes, KindReading, ll_proto
from pyip.opts import opts
from pyip.words import strtoul

# IFLA_VLAN_* (linux/if_link.h), as print_opt reads them
IFLA_VLAN_ID, IFLA_VLAN_FLAGS, IFLA_VLAN_EGRESS_QOS = 1, 2, 3
IFLA_VLAN_INGRESS_QOS, IFLA_VLAN_PROTOCOL = 4, 5
IFLA_VLAN_QOS_MAPPING = 1               # struct ifla_vlan_qos_mapping { u32 from, to }
# struct ifla_vlan_flags { u32 flags, mask }: VLAN_FLAG_*, in vlan_print_flags()'s order
FLAGS = (("REORDER_HDR", 0x1), ("GVRP", 0x2), ("MVRP", 0x8), ("LOOSE_BINDING", 0x4),
         ("BRIDGE_BINDING", 0x10))
# ll_proto_n2a() for the protocols a VLAN can have (ETH_P_8021Q, ETH_P_8021AD)
PROTOCOLS = {0x8100: "802.1Q", 0x88a8: "802.1ad"}
_MAPPING = Struct("=II")
LAYOUT = {IFLA_VLAN_ID: U16, IFLA_VLAN_PROTOCOL: BE16, IFLA_VLAN_FLAGS: Bytes,
          IFLA_VLAN_INGRESS_QOS: Bytes, IFLA_VLAN_EGRESS_QOS: Bytes}


def _proto(raw):
    n = LAYOUT[IFLA_VLAN_PROTOCOL].read(raw)    # the attribute holds it in network order
    name = None if opts.numeric else PROTOCOLS.get(n)
    return name if name is not None else "[%d]" % n


def _flags(p, flags):
    p.open_array("flags", "<")
    for name, bit in FLAGS:
        if flags & bit:
            flags &= ~bit
            p.string(None, "%s," if flags else "%s", name)
    if flags:
        p.string(None, "%s", "%x" % flags)
    p.close_array("> ")


def _map(p, key, text, raw):
    p.open_array(key, "")
    p.nl(opts.SL)
    p.fp("      %s { " % text)
    for _, payload in _each(raw):
        frm, to = _MAPPING.unpack_from(payload.ljust(8, b"\0"))   # ip reads 8 bytes
        if p.jw is not None:
            p.open_object()
            p.jnum("from", frm)
            p.jnum("to", to)
            p.close_object()
        else:
            p.fp("%u:%u " % (frm, to))
    p.close_array("")
    p.fp("} ")


def _each(raw):
    """The nested attributes of raw, as RTA_OK/RTA_NEXT walk them: (type, payload)."""
    off, n = 0, len(raw)
    while off + 4 <= n:
        alen, atype = nl.RTA.unpack_from(raw, off)
        if alen < 4 or alen > n - off:
            break
        yield atype, raw[off + 4:off + alen]
        off += (alen + 3) & ~3


def print_opt(p, tb):
    """vlan_print_opt()."""
    proto = tb.get(IFLA_VLAN_PROTOCOL)
    if proto is not None and len(proto) < 2:
        return
    vid = tb.get(IFLA_VLAN_ID)
    if vid is None or len(vid) < 2:
        return
    p.string("protocol", "protocol %s ", _proto(proto) if proto is not None else "802.1q")
    p.num("id", "id %u ", LAYOUT[IFLA_VLAN_ID].read(vid))
    flags = tb.get(IFLA_VLAN_FLAGS)
    if flags is not None:
        if len(flags) < 8:
            return
        _flags(p, nl.U32.unpack_from(flags, 0)[0])
    if IFLA_VLAN_INGRESS_QOS in tb:
        _map(p, "ingress_qos", "ingress-qos-map", tb[IFLA_VLAN_INGRESS_QOS])
    if IFLA_VLAN_EGRESS_QOS in tb:
        _map(p, "egress_qos", "egress-qos-map", tb[IFLA_VLAN_EGRESS_QOS])


class VlanLink(KindReading):
    """vlan_parse_opt(): protocol, id and the QoS maps as their words are read, the flags
    in one IFLA_VLAN_FLAGS at the end."""
    STARTS = ("vlan_link",)
    KIND, RULE, LAYOUT = "vlan", "vlan_link_word.", LAYOUT
    VALUES = {"on_off": {"on": True, "off": False}}
    READ_BY_PARENT = ("qos_map",)
    NUMBERS = {"id": IFLA_VLAN_ID}
    FLAG_BITS = dict((name.lower(), bit) for name, bit in FLAGS)
    QOS = {"ingress_qos_map": IFLA_VLAN_INGRESS_QOS, "egress_qos_map": IFLA_VLAN_EGRESS_QOS}

    def __init__(self):
        KindReading.__init__(self)
        self.flags = self.mask = 0

    vlan_link = KindReading.read_in_order
    vlan_link_word__help = KindReading.help
    vlan_link_word__id = KindReading.number

    def vlan_link_word__protocol(self, node):
        v = self.word(node, 1)
        proto = ll_proto(v)
        if proto is None:
            self.invalid(node, v)
        self.add(IFLA_VLAN_PROTOCOL, proto)

    def flag(self, node):
        self.word(node, 1)
        bit = self.FLAG_BITS[node.alias]
        self.mask |= bit
        self.flags = self.flags | bit if self.value(node.children[1]) else self.flags & ~bit

    vlan_link_word__reorder_hdr = vlan_link_word__gvrp = vlan_link_word__mvrp = flag
    vlan_link_word__loose_binding = vlan_link_word__bridge_binding = flag

    def bad(self, index, rule):
        """on_off(): "on" or "off" in full, else ip's message (return -1: status 1)."""
        from pyip._tables import INVALID
        from pyip.words import lookup
        raise Failed(INVALID["on_off.on_off"] % (lookup(self.RULE[:-1], self.words[index - 1]),
                                                 self.words[index]), 1)

    def qos(self, node):
        """vlan_parse_qos_map(): a nest of FROM:TO mappings, the words that hold a ":"
        (ip needs a word after the option, mapping or not)."""
        if node.start + 1 >= len(self.words):
            incomplete_command()
        nest = []
        for leaf in node.children[1].children:
            word = self.words[leaf.index]
            key, _, to = word.partition(":")
            frm, to = strtoul(key), strtoul(to)
            if frm is None or to is None:
                # ip's argv word was cut at its ":" by parse_mapping_gen()
                self.invalid(node, key)
            nest.append(nl.attr(IFLA_VLAN_QOS_MAPPING, _MAPPING.pack(frm, to)))
        self.add(self.QOS[node.alias], b"".join(nest))

    vlan_link_word__ingress_qos_map = vlan_link_word__egress_qos_map = qos

    def data(self):
        if self.mask:
            # struct ifla_vlan_flags { u32 flags, mask }: two u32s, as a mapping
            self.add(IFLA_VLAN_FLAGS, _MAPPING.pack(self.flags, self.mask))
        return KindReading.data(self)


parse = VlanLink.parse
