"""type vlan (iproute2's ip/iplink_vlan.c): print (ip -d link show).  pyip does not parse
vlan's options yet: `ip link add|set ... type vlan ARGS` goes to the system's ip."""
from _struct import Struct

from pyip import netlink as nl
from pyip.opts import opts

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


def _proto(raw):
    n = int.from_bytes(raw[:2], "big")      # the attribute holds it in network order
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
    p.num("id", "id %u ", int.from_bytes(vid[:2], "little"))
    flags = tb.get(IFLA_VLAN_FLAGS)
    if flags is not None:
        if len(flags) < 8:
            return
        _flags(p, nl.U32.unpack_from(flags, 0)[0])
    if IFLA_VLAN_INGRESS_QOS in tb:
        _map(p, "ingress_qos", "ingress-qos-map", tb[IFLA_VLAN_INGRESS_QOS])
    if IFLA_VLAN_EGRESS_QOS in tb:
        _map(p, "egress_qos", "egress-qos-map", tb[IFLA_VLAN_EGRESS_QOS])
