"""type macvlan and macvtap (iproute2's ip/iplink_macvlan.c): parse (`type macvlan ARGS`),
print (ip -d link show) and help.  Each attribute's layout is declared once (LAYOUT): the
reader encodes with it, the printer reads with it."""
from pyip import out
from pyip.errors import Failed
from pyip.link.lladdr import ll_addr_a2n
from pyip.link.reader import S32, U16, U32, Bytes, KindReading

# IFLA_MACVLAN_* (linux/if_link.h)
(IFLA_MACVLAN_MODE, IFLA_MACVLAN_FLAGS, IFLA_MACVLAN_MACADDR_MODE, IFLA_MACVLAN_MACADDR,
 IFLA_MACVLAN_MACADDR_DATA, IFLA_MACVLAN_MACADDR_COUNT, IFLA_MACVLAN_BC_QUEUE_LEN,
 IFLA_MACVLAN_BC_QUEUE_LEN_USED, IFLA_MACVLAN_BC_CUTOFF) = range(1, 10)
LAYOUT = {IFLA_MACVLAN_MODE: U32, IFLA_MACVLAN_FLAGS: U16, IFLA_MACVLAN_MACADDR_COUNT: U32,
          IFLA_MACVLAN_BC_QUEUE_LEN: U32, IFLA_MACVLAN_BC_QUEUE_LEN_USED: U32,
          IFLA_MACVLAN_MACADDR_MODE: U32, IFLA_MACVLAN_MACADDR: Bytes,
          IFLA_MACVLAN_MACADDR_DATA: Bytes, IFLA_MACVLAN_BC_CUTOFF: S32}
# bclim (IFLA_MACVLAN_BC_CUTOFF) is parsed and printed from e8a3fb47, first in 6.4 (6.15's
# binary); the word itself is gated in the grammar (//@since 6.4)
BCLIM_SINCE = (6, 4)
# MACVLAN_MODE_* -> the name ip prints ("unknown" for any other)
MODES = {1: "private", 2: "vepa", 4: "bridge", 8: "passthru", 16: "source"}
MACVLAN_MODE_PASSTHRU, MACVLAN_MODE_SOURCE = 8, 16
MACVLAN_FLAG_NOPROMISC, MACVLAN_FLAG_NODST = 1, 2
# MACVLAN_MACADDR_* (the macaddr operations)
MACADDR_OPS = {"add": 0, "del": 1, "flush": 2, "set": 3}
ETH_ALEN = 6


def _sized(tb, attr):
    """The attribute's number if it holds the layout's bytes (ip checks RTA_PAYLOAD), else
    None."""
    raw = tb.get(attr)
    codec = LAYOUT[attr]
    return codec.read(raw) if raw is not None and len(raw) >= codec.size else None


def print_opt(p, tb):
    """macvlan_print_opt()."""
    mode = _sized(tb, IFLA_MACVLAN_MODE)
    if mode is None:
        return
    p.string("mode", "mode %s ", MODES.get(mode, "unknown"))
    flags = _sized(tb, IFLA_MACVLAN_FLAGS) or 0
    if flags & MACVLAN_FLAG_NOPROMISC:
        p.boolean("nopromisc", "nopromisc ")
    if flags & MACVLAN_FLAG_NODST:
        p.boolean("nodst", "nodst ")
    for attr, key, fmt in ((IFLA_MACVLAN_BC_QUEUE_LEN, "bcqueuelen", "bcqueuelen %u "),
                           (IFLA_MACVLAN_BC_QUEUE_LEN_USED, "usedbcqueuelen",
                            "usedbcqueuelen %u ")):
        n = _sized(tb, attr)
        if n is not None:
            p.num(key, fmt, n)
    bclim = _sized(tb, IFLA_MACVLAN_BC_CUTOFF)
    if bclim is not None:
        from pyip.release import since
        if since(BCLIM_SINCE):
            p.num("bclim", "bclim %d ", bclim)
    if mode != MACVLAN_MODE_SOURCE:
        return
    count = _sized(tb, IFLA_MACVLAN_MACADDR_COUNT)
    if count is None:
        return
    p.num("macaddr_count", "remotes (%d) ", count - (1 << 32) if count >= 1 << 31 else count)
    data = tb.get(IFLA_MACVLAN_MACADDR_DATA)
    if data is None:
        return
    if p.jw is not None:
        p.jw.name("macaddr_data")
        p.jw.start_array()
    off, n = 0, len(data)
    while off + 4 <= n:                 # RTA_OK / RTA_NEXT
        alen = int.from_bytes(data[off:off + 2], "little")
        atype = int.from_bytes(data[off + 2:off + 4], "little")
        if alen < 4 or alen > n - off:
            break
        addr = data[off + 4:off + alen]
        if atype == IFLA_MACVLAN_MACADDR and len(addr) >= 6:
            text = ":".join("%.2x" % b for b in addr[:6])
            if p.jw is not None:
                p.string(None, "%s", text)
            else:
                p.fp(text + " ")
        off += (alen + 3) & ~3
    if p.jw is not None:
        p.jw.end_array()


class _Recut(Exception):
    """ip's ll_addr_a2n() (up to 7.2) cut a word after `macaddr set` at its first ":", and
    ip's loop reads it so: the words are read again with that word cut."""

    def __init__(self, index, word):
        Exception.__init__(self)
        self.index, self.word = index, word


class MacvlanLink(KindReading):
    """macvlan_parse_opt(): macaddr, bcqueuelen and bclim as their words are read, mode and
    the flags after the loop.  ip's messages for a bad mode, flag, bcqueuelen or bclim are
    its own fprintf()s and `return -1` (status 1)."""
    STARTS = ("macvlan_link",)
    RULE, LAYOUT = "macvlan_link_word.", LAYOUT
    NUMBERS = {"bcqueuelen": IFLA_MACVLAN_BC_QUEUE_LEN, "bclim": IFLA_MACVLAN_BC_CUTOFF}
    UNKNOWN = '%s: unknown option "%s"?\n'
    VALUES = {"macvlan_mode": {"private": 1, "vepa": 2, "bridge": 4, "passthru": MACVLAN_MODE_PASSTHRU,
                               "source": MACVLAN_MODE_SOURCE},
              "macvlan_flag": {"nopromisc": MACVLAN_FLAG_NOPROMISC,
                               "nodst": MACVLAN_FLAG_NODST, "null": 0}}
    READ_BY_PARENT = ("macaddr_op",)

    def __init__(self, kind):
        KindReading.__init__(self)
        self.KIND = kind
        self.mode = 0
        self.flags = None               # has_flags: IFLA_MACVLAN_FLAGS sent
        self.tried = frozenset()            # words ll_addr_a2n tried (and cut) before

    macvlan_link = KindReading.read_in_order
    macvlan_link_word__help = KindReading.help

    def refuse(self, key, v):
        from pyip._tables import INVALID
        raise Failed(INVALID[self.RULE + key] % v, 1)

    def bad(self, index, rule):
        if rule == "macaddr_op":         # explain() and return -1
            raise Failed(self.usage(), 1)
        self.refuse("mode" if rule == "macvlan_mode" else "flag", self.words[index])

    def stray(self, index):
        raise Failed(self.UNKNOWN % (self.KIND, self.words[index])
                     + self.usage(), 1)

    def macvlan_link_word__mode(self, node):
        self.word(node, 1)
        self.mode = self.value(node.children[1])

    def macvlan_link_word__flag(self, node):
        self.word(node, 1)
        self.flags = (self.flags or 0) | self.value(node.children[1])

    def macvlan_link_word__nopromisc(self, node):
        self.flags = (self.flags or 0) | MACVLAN_FLAG_NOPROMISC

    def macvlan_link_word__nodst(self, node):
        self.flags = (self.flags or 0) | MACVLAN_FLAG_NODST

    def invalid(self, node, v):
        self.refuse(node.alias, v)          # ip's own words and exit 1, not invarg()'s

    macvlan_link_word__bcqueuelen = macvlan_link_word__bclim = KindReading.number

    def macvlan_link_word__macaddr(self, node):
        self.word(node, 1)
        op = node.children[1]
        self.add(IFLA_MACVLAN_MACADDR_MODE, MACADDR_OPS[op.alias])
        if op.alias in ("add", "del"):
            v = self.word(op, 1)
            mac, message, _ = ll_addr_a2n(v, ETH_ALEN)
            if mac is None or len(mac) != ETH_ALEN:
                raise Failed(message, 1)
            self.add(IFLA_MACVLAN_MACADDR, mac)
        elif op.alias == "set":
            self.macaddr_set(op)

    def macaddr_set(self, op):
        """The words that are six-byte addresses, in a nest; ip tries the word after them
        too (its message, if any, is printed and the loop goes on from that word, as ip's
        ll_addr_a2n() has left it)."""
        import pyip.netlink as nl
        nest = []
        index = op.start + 1
        for leaf in op.children[1:]:
            index = leaf.index
            mac, message, cut = ll_addr_a2n(self.words[index], ETH_ALEN)
            if mac is None or len(mac) != ETH_ALEN:
                out.error(message)
                self.recut(index, cut)
                self.stray(index)
            nest.append(nl.attr(IFLA_MACVLAN_MACADDR, mac))
            index += 1
        if index < len(self.words) and index not in self.tried:
            _, message, cut = ll_addr_a2n(self.words[index], ETH_ALEN)
            if message:
                out.error(message)
            self.recut(index, cut)
        self.add(IFLA_MACVLAN_MACADDR_DATA, b"".join(nest))

    def recut(self, index, cut):
        if cut != self.words[index]:
            raise _Recut(index, cut)

    def data(self):
        if self.mode:
            self.add(IFLA_MACVLAN_MODE, self.mode)
        if self.flags is not None:
            if self.flags & MACVLAN_FLAG_NOPROMISC and self.mode != MACVLAN_MODE_PASSTHRU:
                raise Failed("%s: nopromisc flag only valid in passthru mode\n" % self.KIND
                             + self.usage(), 1)
            self.add(IFLA_MACVLAN_FLAGS, self.flags)
        return KindReading.data(self)

    @classmethod
    def parse(cls, kind, argv, flags, ifi, iplink_parse):
        words, tried = list(argv), set()
        while True:
            reading = cls(kind)
            reading.tried = tried
            try:
                reading.run(words, "macvlan_link")
                return reading.data()
            except _Recut as e:             # (each word is cut once: this ends)
                words[e.index] = e.word
                tried.add(e.index)


parse = MacvlanLink.parse
