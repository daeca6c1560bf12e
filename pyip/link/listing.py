"""ip link show (ipaddress.c ipaddr_list_flush_or_save() with do_link): its words (the
filter and the device), the get or the dump, and the hand-over of what pyip does not print;
the printing is pyip.link.show's (one device) and pyip.link.dumped's (a dump)."""
from pyip import links, out
from pyip import netlink as nl
from pyip._tables import TABLES
from pyip.addr import get_prefix
from pyip.errors import Failed, IpExit, Unimplemented, duparg2, invalid, usage
from pyip.interpret import Interpreter
from pyip.link import dumped
from pyip.link import show as S
from pyip.link.handover import show_for_ip
from pyip.ifla import (IFINFOMSG, IFLA_ALT_IFNAME, IFLA_EXT_MASK, IFLA_IFNAME,
                       IFLA_INFO_KIND, IFLA_LINKINFO, IFLA_MASTER, RTEXT_FILTER_SKIP_STATS,
                       RTEXT_FILTER_VF, RTM_GETLINK, RTM_NEWLINK)
from pyip.netlink import U32
from pyip.opts import AF_PACKET, opts
from pyip.rtnames import group_a2n
from pyip.words import strtoul

# link show's IFLA_EXT_MASK by release: bbb12381 (6.5) skips the statistics unless -s (the
# dump and the get by name; the get by index always did); 806b751a (6.10) asks for VFs only
# without "novf" (which 6.10 brings)
SKIP_STATS_SINCE = (6, 5)


def ext_mask(f, by_index=False):
    from pyip.release import since
    mask = RTEXT_FILTER_VF if f.vfinfo else 0
    if not opts.show_stats and (by_index or since(SKIP_STATS_SINCE)):
        mask |= RTEXT_FILTER_SKIP_STATS
    return mask


class LinkShow(Interpreter):
    """ipaddr_list_flush_or_save()'s words for ip link show: the filter, and the device."""
    STARTS = ("link_show",)
    READ_BY_PARENT = ("scope",)
    # address flags: accepted, no effect on links
    VALUES = {"addr_flag": {m: None for _, _, m, _ in TABLES["addr_flag"]}}

    def __init__(self):
        self.filter = S.Filter()
        self.dev = None

    link_show = Interpreter.read_in_order

    def link_show_item(self, node):
        child = node.children[0]
        if child.rule not in self.VALUES:
            self.visit(child)

    def link_show_word__up(self, node):
        self.filter.up = 1

    def link_show_word__down(self, node):         # ip >= 6.13
        self.filter.down = 1

    def link_show_word__novf(self, node):         # ip >= 6.10
        self.filter.vfinfo = 0

    def link_show_word__proto(self, node):        # ip >= 6.4: an address filter
        v = self.word(node, 1)
        if strtoul(v, 8) is None:
            invalid("link_show_word.proto", v)

    def link_show_word__nomaster(self, node):
        self.filter.master = -1

    def link_show_item__not_flag(self, node):
        pass

    def link_show_word__to(self, node):
        get_prefix(self.word(node, 1), AF_PACKET)

    def link_show_word__scope(self, node):
        self.word(node, 1)

    def bad(self, index, rule):         # a scope that is neither a name nor a number <= 255
        invalid("link_show_word.scope", self.words[index])

    def link_show_word__label(self, node):
        self.filter.label = self.word(node, 1)

    def link_show_word__group(self, node):
        v = self.word(node, 1)
        self.filter.group = group_a2n(v)
        if self.filter.group is None:
            invalid("link_show_word.group", v)

    def link_show_word__master(self, node):
        v = self.word(node, 1)
        self.filter.master = links.name_to_index(v)
        if not self.filter.master:
            invalid("link_show_word.master", v)

    def link_show_word__vrf(self, node):
        v = self.word(node, 1)
        self.filter.master = idx = links.name_to_index(v)
        if not idx or not S.is_vrf(v):
            invalid("link_show_word.vrf", v)

    def link_show_word__type(self, node):
        v = self.word(node, 1)
        if len(v) >= 6 and v.endswith("_slave"):
            self.filter.slave_kind = v[:-6]
        else:
            self.filter.kind = v

    def device(self, node):
        w = self.word(node, len(node.children) - 1)     # "dev NAME", or NAME alone
        if self.dev is not None:
            duparg2("dev", w)
        self.dev = w

    link_show_word__dev = link_show_item__dev = device

    def link_show_word__help(self, node):
        usage("link")


def parse(argv):
    reading = LinkShow()
    reading.run(argv, "link_show")
    f, dev = reading.filter, reading.dev
    if dev is not None:
        f.ifindex = links.name_to_index(dev)
        if f.ifindex <= 0:
            raise Failed('Device "%s" does not exist.\n' % dev, 1)
    return f, dev


def _get(name, index, mask, family):
    body = IFINFOMSG.pack(family, 0, index, 0, 0)
    if name is None:
        body += nl.attr(IFLA_EXT_MASK, U32.pack(mask))
    else:
        raw = name.encode("utf-8", "surrogateescape") + b"\0"
        body += nl.attr(IFLA_IFNAME if links.check_ifname(name) else IFLA_ALT_IFNAME, raw)
        body += nl.attr(IFLA_EXT_MASK, U32.pack(mask))
    return nl.rtnl().talk(RTM_GETLINK, 0, body)


def show(argv):
    # ipaddr_list_link(): for good -- in a -batch, later lines see it too, as in ip
    opts.preferred_family = AF_PACKET
    f, dev = parse(argv)
    p = S.Printer(opts.json, opts.pretty, S.palette())
    if p.jw is not None:
        p.jw.start_array()
    h = nl.rtnl()
    try:
        if dev is not None and f.group == -1:
            # iplink_get(): by name, with statistics whatever -s says
            try:
                msg = _get(dev, 0, ext_mask(f), opts.preferred_family)
            except nl.KernelError as e:
                out.error(e.message)
                S.end(p)
                raise IpExit("Cannot send link get request: %s\n" % nl.strerror(e.errno), 1)
            msgs = [msg]
        elif f.ifindex:
            try:
                msgs = [_get(None, f.ifindex, ext_mask(f, True), AF_PACKET)]
            except nl.KernelError as e:
                out.error(e.message)
                out.error("Cannot send link request: %s\n" % nl.strerror(e.errno))
                msgs = []
        else:
            answers = _dump(h, f)
            if opts.hand_over and opts.show_details:
                # the whole dump before the first byte: one device whose options pyip does
                # not print hands the command to the system's ip (pyip.link.handover)
                answers = list(answers)
                _hand_over(answers)
            dumped.show(p, f, answers)
            msgs = ()
        if opts.hand_over and opts.show_details:
            _hand_over(msgs)
        for msg in msgs:
            tb = nl.link_attrs(msg, 32)
            if msg[4] == RTM_NEWLINK and msg[5] == 0 and len(msg) >= 32:
                links.remember(msg, tb)
            if S.left_out_by_group(f, tb):
                continue
            p.open_object()
            S.print_linkinfo(p, msg, tb, f)
            p.close_object()
    except Unimplemented:
        raise                   # nothing printed: the system's ip prints it all
    except BaseException:
        out.write(p.take())
        raise
    S.end(p)
    return 0


def _hand_over(msgs):
    text = show_for_ip(msgs)
    if text is not None:
        raise Unimplemented(text)


def _dump(h, f):
    """ip_link_list(iplink_filter_req): every device, filtered by master and kind in the
    kernel, each answer as it comes."""
    body = IFINFOMSG.pack(opts.preferred_family, 0, 0, 0, 0)
    body += nl.attr(IFLA_EXT_MASK, U32.pack(ext_mask(f)))
    if f.master:
        body += nl.attr(IFLA_MASTER, U32.pack(f.master & 0xffffffff))
    if f.kind is not None:
        kind = f.kind.encode("utf-8", "surrogateescape")
        body += nl.attr(IFLA_LINKINFO, nl.attr(IFLA_INFO_KIND, kind))
    try:
        yield from h.dump(RTM_GETLINK, body)
    except nl.KernelError as e:
        out.error(e.message)
        out.error("Dump terminated\n")
        return
    if h.interrupted:
        out.error("Dump was interrupted and may be inconsistent.\n")
