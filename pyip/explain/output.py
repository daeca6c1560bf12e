"""`pyip explain -`: annotate what ip printed -- ip xfrm state / policy (plain, -s, -s -s,
-o) and ip -d link show of xfrm and vti devices -- field by field, the way the hand-written
references do (the index's direction bits, priority order, level use, share any, the
anti-replay context, lifetime config vs current, the flag bits behind 0x ...)."""
import re

from pyip.explain import text
from pyip.xfrm.msgs import DIR_NAMES as DIRS
from pyip.xfrm.msgs import POLICY_FLAGS
from pyip.xfrm.msgs import XFRM_STATE_FLAGS as STATE_FLAGS


class Note:
    __slots__ = ("field", "meaning", "facts")

    def __init__(self, field, meaning, facts=None):
        self.field, self.meaning, self.facts = field, meaning, facts or {}

    def as_dict(self):
        d = {"field": self.field, "meaning": self.meaning}
        d.update(self.facts)
        return d


def _binary_flags(digits, names):
    """ip -s prints flag bits as binary digits behind 0x (strxf_mask8, a quirk)."""
    digits = digits[2:] if digits.startswith("0x") else digits
    value = int(digits, 2) if digits and set(digits) <= {"0", "1"} else 0
    return value, [name for bit, name in names if value & bit]


def _index(m, ctx):
    n = int(m.group(1))
    d = n & 7
    where = DIRS.get(d % 3 if d < 6 else d, "?")
    sock = " (a socket policy: +3)" if 3 <= d < 6 else ""
    return Note(m.group(0), "index %d: the kernel's id of the policy; its low 3 bits (%d) "
                "give the direction: %s%s" % (n, d, where, sock),
                {"direction": where, "socket": bool(sock)})


def _spi(m, ctx):
    v = int(m.group(2), 16)
    return Note(m.group(0), "proto %s spi %s: the protocol and Security Parameter Index "
                "(%d) the sender puts in each packet; with dst, how arriving packets find "
                "this SA" % (m.group(1), m.group(2), v), {"spi": v})


def _flag(m, ctx):
    words, digits = m.group(1).split(), m.group(2)
    names = POLICY_FLAGS if ctx.kind == "policy" else STATE_FLAGS
    value, decoded = _binary_flags(digits, names)
    return Note(m.group(0), "flag: %s; the digits behind 0x are the bits in binary (an "
                "iproute2 quirk): %s = %#x" % (" ".join(words) or "none", digits, value),
                {"flags": decoded, "value": value})


def _extra_flag(m, ctx):
    return Note(m.group(0), "extra_flag %s: the SA's extra flags (XFRMA_SA_EXTRA_FLAGS); "
                "ip 6.1 prints them wrongly in the parentheses (%s), trust the words"
                % (m.group(1), m.group(2)))


def _algo(m, ctx):
    kind, name, key, bits, extra = m.groups()
    n = bits or (str((len(key) - 2) * 4) if key and key.startswith("0x") else None)
    what = {"enc": "encryption", "auth": "authentication", "auth-trunc":
            "authentication, truncated", "aead": "combined encryption and integrity",
            "comp": "compression"}[kind]
    s = "%s %s: %s algorithm" % (kind, name, what)
    if n:
        s += ", key of %s bits" % n
    if extra:
        s += ", %s %s bits" % ("ICV" if kind == "aead" else "truncated to", extra)
    return Note(m.group(0), s, {"key_bits": int(n) if n else None})


def _if_id(m, ctx):
    v = m.group(1)
    n = int(v, 0)
    own = "policy" if ctx.kind == "policy" else "SA"
    return Note(m.group(0), "if_id %s (%d): this %s belongs to the xfrm interface with "
                "if_id %s (ip link add NAME type xfrm ... if_id %s); policies and SAs "
                "must carry the same if_id" % (v, n, own, v, v), {"if_id": n})


def _mark(m, ctx):
    v, mask = m.group(1), m.group(2)
    return Note(m.group(0), "mark %s/%s: matches packets whose mark & %s == %s (a VTI's "
                "okey/ikey is such a mark)" % (v, mask, mask, v))


def _fixed(meaning):
    def note(m, ctx):
        return Note(m.group(0), meaning.format(*m.groups()))
    return note


STATE = [
    (r"^src (\S+) dst (\S+)$", _fixed("the SA's outer addresses: src {0}, dst {1} (its ID "
                                      "with proto and spi)")),
    (r"proto (\S+) spi (0x[0-9a-f]+)", _spi),
    (r"reqid (\d+)", _fixed("reqid {0}: policy templates with reqid {0} use this SA (a "
                            "template's reqid 0 takes any)")),
    (r"mode (\S+)", _fixed("mode {0}: transport protects the payload; tunnel adds an "
                           "outer IP header (beet: tunnel-like, on transport's header)")),
    (r"^replay-window (\d+)(?: |$)", _fixed(
        "replay-window {0}: the inbound anti-replay window in packets (0 = no check)")),
    # the replay-window line's seq (-s), not the anti-replay context's "context: seq" nor
    # the ESN counters' ", seq"
    (r"(?<![:,]) seq (0x\d+)", _fixed(
        "seq {0}: the sequence number of the ACQUIRE the SA answers (ip prints it in "
        "decimal digits behind 0x, a quirk)")),
    (r"(?<![a-z_])flag ([a-z0-9 -]*?) ?\((0x[01]*)\)", _flag),
    (r"(?<![a-z_])flag ([a-z0-9 -]+)$", _fixed("flag {0}: the SA's flags")),
    (r"^extra_flag ([a-z0-9 -]*?) ?\((0x[0-9a-f]*)\)", _extra_flag),
    (r"^extra_flag ([a-z0-9 -]+)$", _fixed("extra_flag {0}: the SA's extra flags")),
    (r"^seq-hi (0x[0-9a-f]+), seq (0x[0-9a-f]+), oseq-hi (0x[0-9a-f]+), oseq (0x[0-9a-f]+)",
     _fixed("ESN counters: highest inbound sequence number seen {0}:{1} (high:low), last "
            "outbound one sent {2}:{3}")),
    (r"^replay_window (\d+), bitmap-length (\d+)", _fixed(
        "replay window of {0} packets, kept as {1} 32-bit words (printed next)")),
    (r"^([0-9a-f]{8} ?)+$", _fixed("the replay bitmap: which recent inbound packets "
                                   "arrived")),
    (r"^coa (\S+)", _fixed("coa {0}: care-of address (Mobile IPv6: route2 / hao)")),
    (r"^(?:Deleted|Updated) src (\S+) dst (\S+)$", _fixed(
        "the SA's outer addresses: src {0}, dst {1} (a monitor event)")),
    (r"^(enc|auth|auth-trunc|aead|comp) (\S+)(?: (0x[0-9a-f]*|<<Keys hidden>>))?"
     r"(?: \((\d+) bits\))?(?: (\d+))?", _algo),
    (r"anti-replay context: seq (0x[0-9a-f]+), oseq (0x[0-9a-f]+), bitmap (0x[0-9a-f]+)",
     _fixed("anti-replay context: seq {0} is the highest inbound sequence number seen, "
            "oseq {1} the last outbound one sent, bitmap {2} which of the last 32 "
            "inbound packets arrived")),
    (r"anti-replay esn context:", _fixed("anti-replay context of an ESN SA (64-bit "
                                         "sequence numbers: seq_hi/oseq_hi are the high "
                                         "halves)")),
    (r"if_id (0x[0-9a-f]+|\d+)", _if_id),
    (r"^mark (0x[0-9a-f]+)/(0x[0-9a-f]+)", _mark),
    (r"output-mark (0x[0-9a-f]+)(?:/(0x[0-9a-f]+))?", _fixed(
        "output-mark {0}: set on the packet after this SA is applied (routing of the "
        "encrypted packet); not part of the lookup")),
    (r"encap type (\S+) sport (\d+) dport (\d+) addr (\S+)", _fixed(
        "encap {0}: ESP in UDP (NAT traversal), ports {1} -> {2}; addr {3}: the "
        "original address (for checksum fixes)")),
    (r"^sel src (\S+) dst (\S+)", _fixed("sel: the traffic this SA may carry: src {0}, "
                                         "dst {1} (0.0.0.0/0: any)")),
    (r"tfcpad (\d+)", _fixed("tfcpad {0}: traffic flow confidentiality padding")),
    (r"crypto offload parameters: dev (\S+) dir (\S+) mode (crypto|packet)", _fixed(
        "offloaded to device {0}, direction {1}, mode {2} (packet: the device does the "
        "whole IPsec packet; ip >= 6.2)")),
    (r"crypto offload parameters: dev (\S+) dir (\S+)", _fixed(
        "offloaded to device {0}, direction {1}")),
    (r"^dir (in|out)$", _fixed("dir {0}: the SA's direction (XFRMA_SA_DIR: ip >= 6.11, "
                               "kernel >= 6.10); the kernel then refuses what does not fit "
                               "it, such as a replay window on an output SA")),
    (r"^pcpu-num (\d+)", _fixed("pcpu-num {0}: a per-CPU SA: what CPU {0} sends goes out "
                                 "with it, the other CPUs take an SA without pcpu-num "
                                 "(XFRMA_SA_PCPU: ip >= 6.19, kernel >= 6.13 and Debian's "
                                 "6.12 from 6.12.13)")),
]
POLICY = [
    (r"^src (\S+) dst (\S+)", _fixed("the selector: traffic from {0} to {1} (with the "
                                     "protocol and ports that follow, if any)")),
    (r"^dir (in|out|fwd)", _fixed("dir {0}: out = sent by this host, in = delivered to "
                                  "it, fwd = forwarded through it")),
    (r"action (allow|block)", lambda m, ctx: Note(m.group(0), {
        "allow": "action allow: matching packets pass (through the templates' SAs, if "
                 "any)",
        "block": "action block: matching packets are dropped (XfrmOutPolBlock)"}[
            m.group(1)])),
    (r"index (\d+)", _index),
    (r"priority (\d+)", _fixed("priority {0}: among matching policies the lowest number "
                               "wins (0 is the best)")),
    (r"ptype (main|sub)", _fixed("ptype {0}: the policy database it is in (sub policies "
                                 "are checked before main ones)")),
    (r"share (\S+)", _fixed("share {0}: unused by the kernel")),
    (r"(?<![a-z_])flag ([a-z0-9 -]*?) ?\((0x[01]*)\)", _flag),
    (r"(?<![a-z_])flag ([a-z0-9 -]+)$", _fixed("flag {0}: the policy's flags")),
    (r"^tmpl src (\S+) dst (\S+)", _fixed(
        "tmpl: an SA is needed with src {0} (0.0.0.0: any) and dst {1}, and the proto, "
        "spi (0: any), reqid (0: any) and mode below")),
    (r"^proto (\S+)(?: spi (0x[0-9a-f]+)(?:\(\d+\))?)? reqid (\d+)(?:\(0x[0-9a-f]+\))? "
     r"mode (\S+)", _fixed(
        "the template's proto {0}, reqid {2}, mode {3}")),
    (r"^enc-mask (\S+) auth-mask (\S+) comp-mask (\S+)", _fixed(
        "the algorithms the template allows, as bit masks (ffffffff: any)")),
    (r"^level (use|required)", _fixed("level {0}: use = optional (no SA is no reason "
                                      "to drop); required is the default")),
    (r"if_id (0x[0-9a-f]+|\d+)", _if_id),
    (r"^mark (0x[0-9a-f]+)/(0x[0-9a-f]+)", _mark),
]
DEFAULT = [
    (r"^Default policies:", _fixed("what happens to packets no policy matches, per "
                                   "direction (ip xfrm policy setdefault)")),
    (r"^(in|fwd|out): +(accept|block)", _fixed(
        "{0}: {1} -- with block, traffic without a matching policy is dropped, IKE's "
        "own packets too unless a policy allows them")),
]
LIFETIME = [
    (r"^lifetime config:", _fixed("lifetime config: the limits; soft = an expire event "
                                  "(IKE rekeys), hard = the end (deleted)")),
    (r"limit: soft (\S+)\(bytes\), hard (\S+)\(bytes\)", _fixed(
        "byte limits: soft {0}, hard {1} ((INF) = none)")),
    (r"limit: soft (\S+)\(packets\), hard (\S+)\(packets\)", _fixed(
        "packet limits: soft {0}, hard {1} ((INF) = none)")),
    (r"expire add: soft (\d+)\(sec\), hard (\d+)\(sec\)", _fixed(
        "seconds after it was added: soft {0}, hard {1} (0 = none)")),
    (r"expire use: soft (\d+)\(sec\), hard (\d+)\(sec\)", _fixed(
        "seconds after its first use: soft {0}, hard {1} (0 = none)")),
    (r"^lifetime current:", _fixed("lifetime current: what it has used so far")),
    (r"^(\d+)\(bytes\), (\d+)\(packets\)", _fixed("{0} bytes and {1} packets so far")),
    (r"^add (.+) use (\S+(?: \S+)?)", _fixed("added at {0}; first used: {1}")),
    (r"^stats:", _fixed("stats: error counters of this SA")),
    (r"^replay-window (\d+) replay (\d+) failed (\d+)", _fixed(
        "{1} packets dropped as replays, {2} failed the integrity check ({0}: packets "
        "outside the window)")),
    (r" uid (\d+)", _fixed("uid {0}: the selector's user (always 0 from ip)")),
]
LINK = [
    (r"^(\d+): ([^:@ ]+)(?:@(\S+))?: <([^>]*)>", _fixed(
        "device {1}, index {0}; @{2}: the device it is bound to (NONE: none); flags "
        "<{3}>")),
    (r"mtu (\d+)", _fixed("mtu {0}")),
    (r" state (\S+)", _fixed("operational state {0}")),
    (r"^link/(ipip|tunnel6) (\S+) peer (\S+)", _fixed(
        "outer addresses of the tunnel: local {1}, remote {2}")),
    (r"^link/none", _fixed("link/none: an xfrm interface has no link-layer address")),
    (r"^xfrm if_id (0x[0-9a-f]+|\d+)", _fixed(
        "xfrm if_id {0}: policies and SAs with \"if_id {0}\" serve this interface: "
        "traffic routed into it is looked up with that if_id")),
    (r"^xfrm external", _fixed("xfrm external: the catch-all interface whose if_id comes "
                               "with each packet as metadata (a route's encap xfrm if_id "
                               "from Linux 6.2, or BPF)")),
    (r"^(vti6?) remote (\S+) local (\S+)", _fixed(
        "{0}: outer addresses remote {1}, local {2} (any = wildcard); the SAs used "
        "through it must have exactly these")),
    (r" ikey (\S+)", _fixed("ikey {0}: the mark of what arrives through the VTI: the "
                            "inbound SA is found with it (one without mark, or with this "
                            "one, fits) and the in policy needs \"mark {0}\" (as a "
                            "number)")),
    (r" okey (\S+)", _fixed("okey {0}: the mark of the outbound lookup: the out policy "
                            "and SA need \"mark {0}\" (as a number)")),
    (r" fwmark (\S+)", _fixed("fwmark {0}: mark for the route lookup of the outer "
                              "packet")),
    (r"promiscuity (\d+)", _fixed("details (-d): promiscuity, allmulti, mtu range, "
                                  "queues, offload sizes")),
]
_COMPILED = {k: [(re.compile(p), fn) for p, fn in rules] for k, rules in
             (("state", STATE + LIFETIME), ("policy", POLICY + LIFETIME), ("link", LINK),
              ("default", DEFAULT))}


class _Ctx:
    kind = None


def _unoneline(output):
    """-o output back to lines: ip put a backslash where each newline of an object was."""
    lines = []
    for line in output.split("\n"):
        if "\\\t" in line or "\\    " in line or line.endswith("\\"):
            lines += [p for p in re.split(r"\\(?=\t|    )|\\$", line) if p.strip()]
        else:
            lines.append(line)
    return lines


def _kind(line, ctx):
    if re.match(r"^\d+: \S+: <", line):
        return "link"
    if line.startswith("Default policies:"):
        return "default"
    if line.startswith(("src ", "Deleted src ", "Updated src ")):
        words = line.split()
        first = words[words.index("src") + 1] if len(words) > words.index("src") + 1 else ""
        return "policy" if "/" in first else "state"
    return ctx.kind


def annotate_lines(output):
    """[(line, [Note])] for each line of ip's output."""
    ctx = _Ctx()
    out = []
    for line in _unoneline(output):
        if not line.strip():
            continue
        ctx.kind = _kind(line, ctx)
        body = line.strip()
        notes = []
        for rx, fn in _COMPILED.get(ctx.kind, ()):
            m = rx.search(body)
            if m:
                notes.append(fn(m, ctx))
        out.append((line, notes))
    return out


UNREAD = ("not read: explain knows the lines of ip xfrm state / policy (plain, -s, -s -s, "
          "-o), ip xfrm policy getdefault and ip -d link show of xfrm and vti devices; "
          "this line is none it can read")


def annotate(output, as_json=False, rows=None):
    """The annotated text (or, as_json, a list); a line explain cannot read gets the note
    UNREAD (in JSON: "unread": true)."""
    rows = annotate_lines(output) if rows is None else rows
    if as_json:
        return [dict({"line": line, "notes": [n.as_dict() for n in notes]},
                     **({} if notes else {"unread": True})) for line, notes in rows]
    lines = []
    for line, notes in rows:
        lines.append(line.expandtabs(8))
        for n in notes or [Note(line, UNREAD)]:
            lines += text.wrap(n.meaning, "    = ", "      ")
    return "\n".join(lines) + "\n"


def understood(rows):
    """Whether explain read any line of the input (its exit status is 1 when not)."""
    return any(notes for _, notes in rows)
