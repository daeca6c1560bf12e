"""type vti and vti6 (iproute2's ip/link_vti.c, link_vti6.c): parse / print / help."""
from pyip import links, out
from pyip import netlink as nl
from pyip.addr import AF_INET, AF_INET6, get_addr, ntop
from pyip.errors import invalid
from pyip.link.kinds import device_index, help_text
from pyip.link.tunnel import existing_info_data, print_endpoint, tnl_key
from pyip.interpret import Interpreter
from pyip.netlink import NLM_F_CREATE
from pyip.link.objects import IFLA_VTI, VtiInfo
from pyip.words import strtoul

(IFLA_VTI_LINK, IFLA_VTI_IKEY, IFLA_VTI_OKEY, IFLA_VTI_LOCAL, IFLA_VTI_REMOTE,
 IFLA_VTI_FWMARK) = [r.type for r in IFLA_VTI.rows]


class VtiLink(Interpreter):
    """vti_parse_opt() / vti6_parse_opt(): keys, endpoints, lower device, fwmark."""
    STARTS = ("vti_link",)

    def __init__(self, kind, cur):
        self.kind = kind
        self.family = AF_INET6 if kind == "vti6" else AF_INET
        self.size = 16 if self.family == AF_INET6 else 4
        self.saddr, self.daddr, self.ikey, self.okey, self.link, self.fwmark = cur
        self.refused = False

    vti_link = Interpreter.read_in_order

    def vti_link_word__key(self, node):
        self.ikey = self.okey = tnl_key("vti_link_word.key", self.word(node, 1))

    def vti_link_word__ikey(self, node):
        self.ikey = tnl_key("vti_link_word.ikey", self.word(node, 1))

    def vti_link_word__okey(self, node):
        self.okey = tnl_key("vti_link_word.okey", self.word(node, 1))

    def endpoint(self, node):
        p = get_addr(self.word(node, 1), self.family)
        return p.data[:self.size] if p.bitlen != -2 else None

    def vti_link_word__remote(self, node):
        self.daddr = self.endpoint(node)

    def vti_link_word__local(self, node):
        self.saddr = self.endpoint(node)

    def vti_link_word__dev(self, node):
        self.link = device_index(self.word(node, 1))

    def vti_link_word__fwmark(self, node):
        v = self.word(node, 1)
        n = strtoul(v)
        if n is None:
            invalid("vti_link_word.fwmark", v)
        self.fwmark = n

    def stray(self, index):
        out.error(help_text(self.kind))
        self.refused = True

    def request(self):
        """The VtiInfo the request carries (an endpoint not given, or "any": None)."""
        f, size = self.family, self.size

        def text(data):
            return None if data is None or data == bytes(size) else \
                ntop(f, data + bytes(16 - size))
        return VtiInfo(family=f, link=self.link, ikey=int.from_bytes(self.ikey, "big"),
                       okey=int.from_bytes(self.okey, "big"), local=text(self.saddr),
                       remote=text(self.daddr), fwmark=self.fwmark)

    def body(self):
        return self.request().encode()


def parse(kind, argv, flags, ifi, iplink_parse):
    """The IFLA_INFO_DATA of a vti/vti6 add, or (set/change) of the device's current values
    with the words' changes."""
    cur = None, None, bytes(4), bytes(4), 0, 0
    if not flags & NLM_F_CREATE:            # set/change: start from the device's values
        cur = existing(ifi["index"], AF_INET6 if kind == "vti6" else AF_INET)
        if cur is None:
            out.error("Failed to get existing tunnel info.\n")
            return None
    reading = VtiLink(kind, cur)
    reading.run(argv, "vti_link")
    return None if reading.refused else reading.body()


def existing(ifindex, family):
    """The current IFLA_VTI_* values (ip's RTM_GETLINK on its main socket), or None."""
    v = existing_info_data(ifindex)
    if v is None:
        return None
    size = 16 if family == AF_INET6 else 4
    saddr = v.get(IFLA_VTI_LOCAL)
    daddr = v.get(IFLA_VTI_REMOTE)
    for addr in (saddr, daddr):
        if addr is not None and len(addr) != size:
            return None
    ikey = v.get(IFLA_VTI_IKEY, bytes(4))[:4]
    okey = v.get(IFLA_VTI_OKEY, bytes(4))[:4]
    link = v[IFLA_VTI_LINK][0] if IFLA_VTI_LINK in v else 0   # ip reads it as a u8
    fwmark = nl.U32.unpack_from(v[IFLA_VTI_FWMARK])[0] if IFLA_VTI_FWMARK in v else 0
    return saddr, daddr, ikey, okey, link, fwmark


def _print_vti(p, tb, family):
    print_endpoint(p, "remote", tb.get(IFLA_VTI_REMOTE), family)
    print_endpoint(p, "local", tb.get(IFLA_VTI_LOCAL), family)
    link = lower(tb)
    if link:
        p.string("link", "dev %s ", links.index_to_name(link))
    for t, key in ((IFLA_VTI_IKEY, "ikey"), (IFLA_VTI_OKEY, "okey")):
        raw = tb.get(t)
        if raw is not None and nl.u32(raw):
            from pyip.addr import ntop
            p.string(key, key + " %s ", ntop(AF_INET, raw[:4]))
    fwmark = nl.u32(tb.get(IFLA_VTI_FWMARK))
    if fwmark:
        p.hex0x("fwmark", "fwmark %s ", fwmark)


def lower(tb):
    return nl.u32(tb.get(IFLA_VTI_LINK))


def print_vti(p, tb):
    _print_vti(p, tb, AF_INET)


def print_vti6(p, tb):
    _print_vti(p, tb, AF_INET6)
