"""Names of the netlink requests pyip sends: message types, C structs with their field names,
and attribute families (include/uapi/linux/xfrm.h, if_link.h, rtnetlink.h of 6.1).

Explain's decoder reads these tables.  The structs are the ones pyip encodes with (the xfrm
structs of pyip/xfrm/msgs.py, ifinfomsg of pyip/ifla.py), each field's codec by its format
(msgs.CODECS): built from them here, a struct cannot be laid out differently in explain than
it is sent; the flags' and message types' numbers are pyip.netlink's and pyip.ifla's.
"""
from _struct import Struct

from pyip import ifla
from pyip import netlink as nl
from pyip.netlink import NETLINK_ROUTE, NETLINK_XFRM
from pyip.xfrm import msgs as m

_NLM_FLAGS = ((nl.NLM_F_REQUEST, "REQUEST"), (nl.NLM_F_MULTI, "MULTI"), (nl.NLM_F_ACK, "ACK"),
              (nl.NLM_F_ECHO, "ECHO"))
NLM_FLAGS_NEW = _NLM_FLAGS + ((nl.NLM_F_REPLACE, "REPLACE"), (nl.NLM_F_EXCL, "EXCL"),
                              (nl.NLM_F_CREATE, "CREATE"), (nl.NLM_F_APPEND, "APPEND"))
NLM_FLAGS_GET = _NLM_FLAGS + ((nl.NLM_F_DUMP, "DUMP"), (nl.NLM_F_ROOT, "ROOT"),
                              (nl.NLM_F_MATCH, "MATCH"), (nl.NLM_F_ATOMIC, "ATOMIC"))
AF_NAMES = {0: "AF_UNSPEC", 2: "AF_INET", 10: "AF_INET6", 7: "AF_BRIDGE", 17: "AF_PACKET",
            28: "AF_MPLS"}


class StructLayout:
    """A C struct: (field, struct format, codec) rows; codec None is padding, a StructLayout
    is a struct inside (its fields named "outer.inner").  `tail`: the codec of a variable
    part after the struct (an algorithm's key, a context string)."""

    def __init__(self, name, fields, tail=None, tail_name=None):
        self.name, self.fields = name, fields
        self.tail, self.tail_name = tail, tail_name
        self.size = sum(Struct("=" + f[1]).size if not isinstance(f[2], StructLayout)
                        else f[2].size for f in fields)

    def prefixed(self, prefix):
        return StructLayout(self.name, [(f if c is None else "%s.%s" % (prefix, f), fmt, c)
                                        for f, fmt, c in self.fields], self.tail,
                            self.tail_name)


def from_msgs(struct):
    """explain's StructLayout of one of pyip/xfrm/msgs.py's structs: each field's codec by its
    format (msgs.CODECS), a part a struct inside, a tail's fields the struct's own."""
    rows = []
    if isinstance(struct, m.Composite):
        for f, part in struct.parts:
            if isinstance(part, str):
                rows.append((f, part, m.CODECS[part]))
            elif f is None:
                rows += from_msgs(part).fields
            else:
                rows.append((f, "0s", from_msgs(part)))
    else:
        rows = _rows(struct.rows)
    return StructLayout(struct.name, rows)


def _rows(rows):
    return [(f, fmt, m.CODECS[fmt]) if f else ("pad", fmt, None) for f, fmt in rows]


USERSA_INFO, USERSA_ID = from_msgs(m.USERSA_INFO), from_msgs(m.USERSA_ID)
USERPOLICY_INFO, USERPOLICY_ID = from_msgs(m.USERPOLICY_INFO), from_msgs(m.USERPOLICY_ID)
USERSPI_INFO, USERSA_FLUSH = from_msgs(m.USERSPI_INFO), from_msgs(m.USERSA_FLUSH)
U32_FLAGS, POLICY_DEFAULT = from_msgs(m.INFO_FLAGS), from_msgs(m.POLICY_DEFAULT)
ADDRESS_FILTER, HTHRESH = from_msgs(m.ADDRESS_FILTER), from_msgs(m.HTHRESH)
IFINFOMSG = StructLayout("ifinfomsg", _rows(ifla.IFINFOMSG_ROWS))

# The attribute families are pyip's own tables (pyip/xfrm/objects.py, pyip/link/objects.py):
# here only which attribute holds which nested family, and the C struct of the attributes
# those tables keep as raw bytes.
NESTED = {"IFLA_LINKINFO": "IFLA_INFO", "IFLA_INFO_DATA": "kind",
          "IFLA_INFO_SLAVE_DATA": "kind"}
KIND_DATA = {"xfrm": "IFLA_XFRM", "vti": "IFLA_VTI", "vti6": "IFLA_VTI"}
# the kinds whose layout is their module's (pyip/link/KIND.py: LAYOUT over IFLA_<KIND>_*)
KIND_DATA.update({"bond": "bond:IFLA_BOND_", "bond_slave": "bond:IFLA_BOND_SLAVE_",
                  "bridge": "bridge:IFLA_BR_", "bridge_slave": "bridge:IFLA_BRPORT_",
                  "vlan": "vlan:IFLA_VLAN_", "vxlan": "vxlan:IFLA_VXLAN_",
                  "gre": "gre:IFLA_GRE_", "gretap": "gre:IFLA_GRE_", "erspan": "gre:IFLA_GRE_",
                  "macvlan": "macvlan:IFLA_MACVLAN_", "macvtap": "macvlan:IFLA_MACVLAN_",
                  "geneve": "geneve:IFLA_GENEVE_"})

STRUCT_OF = {"XFRMA_ADDRESS_FILTER": ADDRESS_FILTER, "XFRMA_SPD_IPV4_HTHRESH": HTHRESH,
             "XFRMA_SPD_IPV6_HTHRESH": HTHRESH}


def family(name):
    """An attribute family (pyip.objects.Family) by its table's name."""
    if name in ("XFRMA", "SPDA"):
        from pyip.xfrm import objects
    elif ":" in name:
        import importlib
        from pyip.link.reader import family_of
        module, prefix = name.split(":")
        layout = {"IFLA_BOND_SLAVE_": "SLAVE_LAYOUT", "IFLA_BRPORT_": "PORT_LAYOUT"}.get(
            prefix, "LAYOUT")
        return family_of(importlib.import_module("pyip.link." + module), prefix, layout)
    else:
        from pyip.link import objects
    return getattr(objects, name)


# ip's xfrm dump requests (state list, policy list, deleteall) carry no struct: the filter
# attributes (XFRMA_PROTO, XFRMA_ADDRESS_FILTER) follow the header at once.
DUMPS_WITHOUT_BODY = {(NETLINK_XFRM, 0x12), (NETLINK_XFRM, 0x15)}
RTM_NAMES = {ifla.RTM_NEWLINK: "RTM_NEWLINK", ifla.RTM_DELLINK: "RTM_DELLINK",
             ifla.RTM_GETLINK: "RTM_GETLINK", ifla.RTM_SETLINK: "RTM_SETLINK"}
X, R = NETLINK_XFRM, NETLINK_ROUTE
MESSAGES = {
    (X, 0x10): (USERSA_INFO, "XFRMA"),
    (X, 0x11): (USERSA_ID, "XFRMA"),
    (X, 0x12): (USERSA_ID, "XFRMA"),
    (X, 0x13): (USERPOLICY_INFO, "XFRMA"),
    (X, 0x14): (USERPOLICY_ID, "XFRMA"),
    (X, 0x15): (USERPOLICY_ID, "XFRMA"),
    (X, 0x16): (USERSPI_INFO, "XFRMA"),
    (X, 0x19): (USERPOLICY_INFO, "XFRMA"),
    (X, 0x1a): (USERSA_INFO, "XFRMA"),
    (X, 0x1c): (USERSA_FLUSH, None),
    (X, 0x1d): (None, "XFRMA"),
    (X, 0x23): (U32_FLAGS, None),
    (X, 0x24): (U32_FLAGS, "SPDA"),
    (X, 0x25): (U32_FLAGS, None),
    (X, 0x27): (POLICY_DEFAULT, None),
    (X, 0x28): (POLICY_DEFAULT, None),
    (R, 16): (IFINFOMSG, "IFLA"),
    (R, 17): (IFINFOMSG, "IFLA"),
    (R, 18): (IFINFOMSG, "IFLA"),
}



def value_names(field):
    """Names of a struct field's values (the last parts of its C name), where a number
    stands for a word; pyip's own tables where it has them."""
    from pyip.xfrm import objects as o
    return {"family": AF_NAMES, "mode": o.MODE_NAMES, "id.proto": o.PROTO_NAMES,
            "dir": o.DIR_NAMES, "action": o.ACTION_NAMES, "share": o.SHARE_NAMES,
            "encap_type": o.ENCAP_NAMES, "in": o.DEFAULT_NAMES, "out": o.DEFAULT_NAMES,
            "fwd": o.DEFAULT_NAMES, "usersa_flush.proto": o.PROTO_NAMES,
            "level": o.LEVEL_NAMES, "XFRMA_PROTO": o.PROTO_NAMES,
            "XFRMA_POLICY_TYPE": o.PTYPE_NAMES}.get(field)
