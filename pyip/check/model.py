"""What `xfrm check` looks at, as one object: the xfrm interfaces, VTIs, SAs, policies and
default policies of a namespace (read live) or of a set-up script (read without applying it),
as h-data's decoded objects (pyip.xfrm.objects, pyip.link.objects), and the questions the
rules ask of them -- the kernel's own matching, written once here (net/xfrm/xfrm_state.c
xfrm_state_find(), xfrm_policy.c xfrm_policy_match(), ip_vti.c, xfrm_interface_core.c)."""
from _socket import AF_INET, AF_INET6, inet_pton

ESP, AH, COMP = 50, 51, 108
TUNNEL = 1
DIR_IN, DIR_OUT, DIR_FWD = 0, 1, 2
BLOCK = 1
XFRM_STATE_ESN = 128
DECAP_DSCP, NOPMTUDISC, WILDRECV, ICMP = 2, 4, 8, 16     # XFRM_STATE_* flags
DONT_ENCAP_DSCP = 1                                      # XFRM_SA_XFLAG_*
SA_DIR_IN, SA_DIR_OUT = 1, 2            # XFRMA_SA_DIR (ip >= 6.11, Linux >= 6.10)

# What a kernel refuses when an SA with a dir (or a pcpu-num) is added, in the order it asks
# (net/xfrm/xfrm_user.c verify_newsa_info() and verify_replay(), then xfrm_state_construct()
# for the CPU number): (the SA's dir -- ANY_DIR: either --, what is tested, the extack
# message ip prints, the first kernel that refuses it).  The flags are XFRM_STATE_* of the
# SA, the extra flags XFRM_SA_XFLAG_*; the kernel's own words.  Only an SA that carries a dir
# (or a pcpu-num) is judged: only ip >= 6.11 (6.19 for pcpu-num) sends one, and a script that
# names one is meant for a kernel that keeps it (older kernels ignore the attribute).
# Per-CPU SAs (XFRMA_SA_PCPU) came with 6.13 upstream and with the stable update 6.12.13
# (Debian's 6.12 has them: the 6.12.117 of tests/run refuses both pcpu lines below).
ANY_DIR = -1
DIR_SINCE, PCPU_SINCE = "6.10", "6.13 (and 6.12.13)"
SA_DIR_REFUSALS = (
    (SA_DIR_OUT, lambda s: s.anti_replay_esn is not None and s.anti_replay_esn.replay_window,
     "Replay window should be 0 for output SA", DIR_SINCE),
    (SA_DIR_OUT, lambda s: s.flags & DECAP_DSCP,
     "Flag DECAP_DSCP should not be set for output SA", DIR_SINCE),
    (SA_DIR_OUT, lambda s: s.flags & ICMP,
     "Flag ICMP should not be set for output SA", DIR_SINCE),
    (SA_DIR_OUT, lambda s: s.flags & WILDRECV,
     "Flag WILDRECV should not be set for output SA", DIR_SINCE),
    (SA_DIR_OUT, lambda s: s.replay_window, "Replay window should be 0 for output SA",
     DIR_SINCE),
    (SA_DIR_IN, lambda s: s.flags & NOPMTUDISC,
     "Flag NOPMTUDISC should not be set for input SA", DIR_SINCE),
    (SA_DIR_IN, lambda s: (getattr(s, "extra_flags", 0) or 0) & DONT_ENCAP_DSCP,
     "Flag DONT_ENCAP_DSCP should not be set for input SA", DIR_SINCE),
    (0, lambda s: getattr(s, "pcpu_num", None) is not None,
     "SA_PCPU only supported with SA_DIR", PCPU_SINCE),
    # the CPU must be one the kernel could have (num_possible_cpus()): a script is judged
    # against the machine check runs on -- the one meant to run it, as a rule; where that is
    # not known (no /sys), not judged
    (ANY_DIR, lambda s: getattr(s, "pcpu_num", None) is not None and possible_cpus() and
     s.pcpu_num >= possible_cpus(), "pCPU number too big", PCPU_SINCE),
)
SINCE = {message: since for _, _, message, since in SA_DIR_REFUSALS}
POSSIBLE = "/sys/devices/system/cpu/possible"
DEFAULT_BLOCK = 1                       # XFRM_USERPOLICY_BLOCK
ANY = ("0.0.0.0", "::")


class Model:
    """`where` names, for a script, the line that made each object ("FILE:LINE"); `order`
    is the creation order of policies (policy-shadowed breaks priority ties by it only
    where the kernel was seen to: claim policy-tie in pyip/claims.py); `refused`
    lists the script's lines ip or the kernel would refuse, as (where, words, message,
    rule id or None); `counters` are /proc/net/xfrm_stat's."""

    def __init__(self, source):
        self.source = source            # "live" or the script's name
        self.links = []                 # pyip.link.objects.Link
        self.sysctls = {}               # ifname -> {"disable_policy": int, ...}
        self.states = []                # XfrmState
        self.policies = []              # XfrmPolicy
        self.default = None             # DefaultPolicy, if read
        self.addresses = None           # Address list; None: not known (a script adds none)
        self.routed = set()             # names of the devices some route goes into
        self.counters = {}
        self.where = {}                 # id(object) -> "FILE:LINE"
        self.order = {}                 # id(policy) -> creation order
        self.refused = []
        self.devs = {}                  # id(link) -> its dev's name, as a script's words say

    @property
    def live(self):
        return self.source == "live"

    # ---- links ------------------------------------------------------------------------------
    def xfrm_links(self):
        return [l for l in self.links if l.kind == "xfrm" and l.info is not None]

    def dev_name(self, link):
        """The name of a route-based device's dev (IFLA_*_LINK), or None: a script's words
        name it (its index is a placeholder there), a namespace's links hold it."""
        index = getattr(link.info, "link", None)
        if not index:
            return None
        return self.devs.get(id(link)) or next(
            (l.ifname for l in self.links if l.index == index), None)

    def here(self, link):
        """The link's policies and SAs are this namespace's: an xfrm interface (or VTI)
        moved to another namespace keeps looking them up in the one it was made in, and
        then shows a link-netnsid."""
        return getattr(link, "link_netnsid", None) is None

    def vtis(self):
        """VTIs that are up and have an endpoint: the fallback ip_vti0 (no endpoints, down)
        carries no tunnel, and a tunnel that is down takes no packets (ip_tunnel_lookup)."""
        return [l for l in self.links if l.kind in ("vti", "vti6") and l.info is not None
                and is_up(l) and (endpoint(l.info.local) or endpoint(l.info.remote))]

    def if_ids_carried(self):
        """The if_ids some xfrm interface carries; None when an `external` one takes any."""
        ids = set()
        for l in self.xfrm_links():
            if l.info.external:
                return None
            ids.add(l.info.if_id or 0)
        return ids

    # ---- SAs and policies ---------------------------------------------------------------------
    def out_policies(self):
        return [p for p in self.policies if p.dir == DIR_OUT and not p.socket]

    def in_policies(self):
        return [p for p in self.policies if p.dir in (DIR_IN, DIR_FWD) and not p.socket]

    def local_addresses(self):
        """This end's outer addresses, as its policies and VTIs name them."""
        here = set()
        for p in self.out_policies():
            here.update(t.src for t in p.tmpls or () if t.src not in ANY)
        for p in self.in_policies():
            here.update(t.dst for t in p.tmpls or ())
        for l in self.vtis():
            if endpoint(l.info.local):
                here.add(l.info.local)
        return here

    def remote_addresses(self):
        there = set()
        for p in self.out_policies():
            there.update(t.dst for t in p.tmpls or ())
        for p in self.in_policies():
            there.update(t.src for t in p.tmpls or () if t.src not in ANY)
        for l in self.vtis():
            if endpoint(l.info.remote):
                there.add(l.info.remote)
        return there

    def inbound(self, sa):
        """An SA this end receives with: its destination is one of this end's addresses."""
        return sa.dst in self.local_addresses() and sa.dst not in self.remote_addresses()

    def outbound(self, sa):
        return any(tmpl_fields(t, sa, outbound=True) == [] for p in self.out_policies()
                   for t in p.tmpls or ())

    def name(self, obj):
        return self.where.get(id(obj))

    # ---- addresses ----------------------------------------------------------------------------
    def holds_local(self, sel):
        """Some address of this namespace is in the selector's destination: what is
        decrypted for it may be delivered here (dir in); for the others it is forwarded
        (dir fwd).  None when the addresses are not known."""
        if self.addresses is None:
            return None
        return any(holds(sel, a) for a in self.addresses)

    def routes_known(self, link):
        """Whether every route into link is known: live, the dump has them all; a script
        knows those into the devices it makes itself (no other can route into them yet)."""
        return self.live or self.name(link) is not None

    def default_blocks(self, direction):
        """The default policy (ip xfrm policy setdefault) of a dir is block."""
        d = self.default
        if d is None:
            return False
        return {DIR_IN: d.in_, DIR_OUT: d.out, DIR_FWD: d.fwd}[direction] == DEFAULT_BLOCK


def sa_dir(sa):
    return getattr(sa, "sa_dir", None) or 0


def dir_refusal(sa):
    """The message a kernel that keeps dir (and pcpu-num) refuses SA sa's add (or update)
    with, as ip prints it, or None (SA_DIR_REFUSALS)."""
    d = sa_dir(sa)
    if not d and getattr(sa, "pcpu_num", None) is None:
        return None
    for when, test, message, _ in SA_DIR_REFUSALS:
        if when in (d, ANY_DIR) and test(sa):
            return "Error: %s.\n" % message
    return None


def refused_since(message):
    """The first kernel that refuses with `message` (as dir_refusal gives it)."""
    return SINCE.get(message.strip()[len("Error: "):-1], DIR_SINCE)


def possible_cpus():
    """How many CPUs this machine's kernel could have (num_possible_cpus(): how many
    /sys/devices/system/cpu/possible lists, "0-1" or "0,2-3"; the kernel compares the CPU
    number with that count, not with the highest), or None (not readable)."""
    try:
        with open(POSSIBLE) as f:
            text = f.read().strip()
    except OSError:
        return None
    try:
        return sum(int(part.split("-")[-1]) - int(part.split("-")[0]) + 1
                   for part in text.split(","))
    except ValueError:
        return None


class Address:
    """An address of the namespace: `ip addr`'s local, its prefix length and device."""
    __slots__ = ("family", "local", "prefixlen", "dev")

    def __init__(self, family, local, prefixlen, dev):
        self.family, self.local, self.prefixlen, self.dev = family, local, prefixlen, dev


def holds(sel, a):
    """Address a is in the selector's destination."""
    return (not sel.family or sel.family == a.family) and prefix_covers(
        sel.dst, sel.prefixlen_d, a.local, _bits(a.family), a.family)


def _bits(family):
    return 128 if family == AF_INET6 else 32


def is_up(link):
    return "UP" in (link.flags or ())


def endpoint(addr):
    return bool(addr) and addr not in ANY


def if_id(obj):
    return obj.if_id or 0


def mark_fits(mark, flow_mark):
    """(flow_mark & m) == v; no mark (or mask 0) fits every flow."""
    return mark is None or (flow_mark & mark.mask) == mark.value


def mark_covers(q, p):
    """Every flow mark that fits p also fits q."""
    if q is None or q.mask == 0:
        return True
    if p is None:
        return False
    return (q.mask & p.mask) == q.mask and (p.value & q.mask) == q.value


def tmpl_fields(t, sa, outbound=False):
    """The fields of template t that SA sa does not satisfy: daddr, saddr unless the
    template's is any, proto, mode, reqid and spi unless the template's is 0 -- but an out
    policy's template finds its SA with reqid 0 too, as a value, not a wildcard
    (xfrm_state_find; claim reqid); [] when sa can serve it.  Marks and if_id are the
    other rules' business."""
    bad = []
    if t.dst != sa.dst:
        bad.append(("dst", t.dst, sa.dst))
    if t.src not in ANY and t.src != sa.src:
        bad.append(("src", t.src, sa.src))
    if t.proto != sa.proto:
        bad.append(("proto", t.proto, sa.proto))
    if t.mode != sa.mode:
        bad.append(("mode", t.mode, sa.mode))
    if (t.reqid or outbound) and t.reqid != sa.reqid:
        bad.append(("reqid", t.reqid, sa.reqid))
    if t.spi and t.spi != sa.spi:
        bad.append(("spi", t.spi, sa.spi))
    return bad


def prefix_covers(qa, ql, pa, pl, family):
    """Prefix qa/ql contains prefix pa/pl."""
    if ql > pl:
        return False
    if ql == 0:
        return True
    af = AF_INET6 if family == AF_INET6 else AF_INET
    try:
        q = int.from_bytes(inet_pton(af, qa), "big")
        p = int.from_bytes(inet_pton(af, pa), "big")
    except (OSError, ValueError):
        return False
    bits = 128 if af == AF_INET6 else 32
    shift = bits - ql
    return q >> shift == p >> shift


def _port_covers(qv, qm, pv, pm):
    return qm == 0 or (qm & pm) == qm and (qv & qm) == (pv & qm)


def selector_covers(q, p):
    """Every flow selector p matches, selector q matches too (xfrm_selector_match)."""
    if q.family and p.family and q.family != p.family:
        return False
    return (prefix_covers(q.src, q.prefixlen_s, p.src, p.prefixlen_s, q.family)
            and prefix_covers(q.dst, q.prefixlen_d, p.dst, p.prefixlen_d, q.family)
            and (q.proto == 0 or q.proto == p.proto)
            and _port_covers(q.sport, q.sport_mask, p.sport, p.sport_mask)
            and _port_covers(q.dport, q.dport_mask, p.dport, p.dport_mask)
            and (q.ifindex == 0 or q.ifindex == p.ifindex))


def same_selector(q, p):
    return selector_covers(q, p) and selector_covers(p, q)


def policy_identity(p):
    """What makes two policies one for the kernel (xfrm_policy_insert): dir, ptype, if_id,
    selector, mark value and mask (not priority, not templates)."""
    return (p.dir, p.ptype or 0, if_id(p), p.mark.value if p.mark else 0,
            p.mark.mask if p.mark else 0)


def vti_identity(l):
    """What tells VTIs apart for the kernel (ip_tunnel_find): local, remote, dev -- not the
    keys, since a VTI's i_flags never carry TUNNEL_KEY."""
    return (l.kind, l.info.local or "", l.info.remote or "", l.info.link or 0)
