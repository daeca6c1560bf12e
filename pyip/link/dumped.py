"""ip link show of a dump, printed as it comes.

ip keeps every answer of the dump, remembers each device's name and flags, then prints:
a device's text names others (its link's name and state, `veth_a@veth_b`; its master;
under -d a tunnel's lower device), which ip knows by then, even where they come later in
the dump.  pyip remembers each answer as it arrives, in the dump's order, and prints a device
once every device it names has arrived; one that names a device not seen yet waits, with
every device after it (ip's order), until that one comes or the dump ends.  At the end what
still waits is printed as ip prints it, asking the kernel, as ip does, about the devices the
dump did not have.  So memory holds the devices waiting (a veth pair's first half, say),
not the dump."""
from _collections import deque

from pyip import links, out
from pyip import netlink as nl
from pyip.link import show as S
from pyip.ifla import IFLA_IFNAME, RTM_NEWLINK

# messages read at a time: the fast path reads a slice's runs of one shape by C-level maps
SLICE = 256


class Dumped:
    """A dump being shown: the indexes it has had, the devices waiting to be printed."""
    __slots__ = ("p", "f", "fast", "seen", "waiting", "print_fast")

    def __init__(self, p, f):
        from pyip.link import listed
        self.p, self.f = p, f
        self.fast = listed if listed.usable(f, p) else None
        self.print_fast = listed.print_device
        self.seen = set()
        self.waiting = deque()      # (msg, plan, values, name, the indexes it names)

    def read(self, msgs):
        """Remember and queue msgs in order, then print what may be printed."""
        fast, seen, waiting = self.fast, self.seen, self.waiting
        i, n = 0, len(msgs)
        while i < n:
            taken = 0 if fast is None else fast.read(msgs, i, waiting, seen)
            if taken:
                i += taken
                continue
            msg = msgs[i]
            tb = nl.link_attrs(msg, 32)
            if msg[4] == RTM_NEWLINK and msg[5] == 0 and len(msg) >= 32:
                index = links.remember(msg, tb)
                if IFLA_IFNAME in tb:       # ll_remember_index() skips a nameless one
                    seen.add(index)
            waiting.append((msg, None, tb, None, S.named(self.p, tb)))
            i += 1
        while waiting:
            needs = waiting[0][4]
            if needs is None or (needs and not seen.issuperset(needs)):
                break
            self.print(waiting.popleft())

    def end(self):
        for item in self.waiting:
            self.print(item)
        self.waiting.clear()

    def print(self, item):
        """One device, read by the fast path (its plan, values, name) or not (plan None, its
        attributes)."""
        msg, plan, x, name, _ = item
        p = self.p
        if plan is None and S.left_out_by_group(self.f, x):
            return
        p.open_object()
        if plan is None:
            S.print_linkinfo(p, msg, x, self.f)
        else:
            self.print_fast(p, msg, plan, x, name)
        p.close_object()
        if len(p.out) > 512:
            out.write(p.take())


def show(p, f, msgs):
    """Print each of the dump's messages `msgs` (an iterable) as soon as ip's text for it is
    known."""
    d = Dumped(p, f)
    part = []
    for msg in msgs:
        part.append(msg)
        if len(part) == SLICE:
            d.read(part)
            part = []
    d.read(part)
    d.end()
