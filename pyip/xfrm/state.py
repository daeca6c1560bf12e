"""ip xfrm state (xfrm_state.c): parse -> request -> kernel -> print, one function each."""
from pyip import out
from pyip.lazy import Lazy
from pyip.addr import AF_UNSPEC, AF_INET, get_addr, get_prefix, ntop, pton
from pyip.errors import IpExit, duparg, invalid, missarg
from pyip.netlink import attr, fresh_xfrm, xfrm
from pyip.opts import opts
from pyip.words import strtoul
from pyip.xfrm import common as c
from pyip.xfrm import dispatch, send
from pyip.xfrm import msgs as m
from pyip.tree import MISSING
from pyip.interpret import Interpreter
from pyip.xfrm.reading import XfrmInterpreter, new_selector, no_address
from pyip.xfrm.objects import (Algo, AllocSpi, Encap, Flush, Lifetime, Mark, Mode, Offload,
                               Proto, ReplayEsn, ReplayState, SecCtx, XfrmSaId, XfrmState)
from pyip.xfrm.sa import decode_sa, filter_match, print_listed, print_sa_msg

KEY_BUF_SIZE = 512
DELETEALL_BUF_SIZE = 8192


# ---- parsing -------------------------------------------------------------------------------

def parse_seq(text, key):
    """xfrm_seq_parse(): get_be32(), so the u32 field holds the number in network order."""
    v = strtoul(text)
    if v is None:
        invalid(key, text)
    return int.from_bytes(v.to_bytes(4, "big"), "little")


def keymat(key):
    """xfrm_algo_parse(): '0x..' hex (odd length: a leading 0), else the string's bytes."""
    if len(key) > 2 and key.startswith("0x"):
        # ip pairs bytes, not characters
        digits = key[2:] if key.isascii() else \
            key.encode("utf-8", "surrogateescape")[2:].decode("latin-1")
        n = (len(digits) + 1) // 2
        if n > KEY_BUF_SIZE:
            invalid("KEYMAT.overflow", key)
        if len(digits) % 2:
            digits = "0" + digits
        if digits.isalnum() and digits.isascii():
            try:                # plain hex digits: what get_u8(.., 16) of each pair gives
                return bytes.fromhex(digits)
            except ValueError:
                pass            # a non-hex letter: the loop finds which pair ip refuses
        out_ = bytearray()
        for i in range(0, len(digits), 2):
            v = strtoul(digits[i:i + 2], 8, 16)
            if v is None:
                invalid("KEYMAT.KEYMAT", key)
            out_.append(v)
        return bytes(out_)
    raw = key.encode("utf-8", "surrogateescape")
    if len(raw) > KEY_BUF_SIZE:
        invalid("KEYMAT.overflow", key)
    return raw


# the third word of the ALGO kinds that have one (aead's ICV length, auth-trunc's length):
# the name ip says when it is missing (a bad one: the grammar's //@invalid algo.KIND)
_ALGO_LENGTHS = {"aead": "ALGO-ICV-LEN", "auth_trunc": "ALGO-TRUNC-LEN"}
_ALGO_LENGTH_FIELDS = {"aead": "icv_len", "auth_trunc": "trunc_len"}
_ALGO_KINDS = {"enc": "enc", "auth": "auth", "comp": "comp", "aead": "aead",
               "auth_trunc": "auth-trunc"}


def new_sa(family):
    """The SA before its words fill it (ip's zeroed struct xfrm_usersa_info)."""
    return XfrmState(src=None, dst=None, family=family, proto=_NO_PROTO, spi=0, mode=_TRANSPORT,
                     reqid=0, seq=0, flags=0, replay_window=0)


_NO_PROTO, _TRANSPORT = Proto(0), Mode.of(0)      # (one object each: values are ints)


# which algorithms exclude which (enc and auth each once; aead with neither; comp once)
_ALGO_GROUPS = {"enc": "e", "auth": "a", "auth_trunc": "a", "aead": "aead", "comp": "c"}
_ALGO_CLASHES = {"aead": ("e", "a", "aead"), "e": ("e", "aead"), "a": ("a", "aead"),
                 "c": ("c",)}
_REPLAY_FIELDS = {"replay_window": "replay_window", "replay_seq": "seq",
                  "replay_seq_hi": "seq_hi", "replay_oseq": "oseq", "replay_oseq_hi": "oseq_hi"}


class StateAdd(XfrmInterpreter):
    """add/update (xfrm_state_modify()): the grammar's state_add, read into the SA's request.
    The ALGO, encap, coa and ctx attributes go into the request as ip adds them, in word
    order (`inline`); the rest at the end, in ip's order (body())."""
    STARTS = ("state_add",)
    READ_BY_PARENT = XfrmInterpreter.READ_BY_PARENT + ("offload_dev", "offload_dir_word",
                                                      "offload_mode")

    def __init__(self, family):
        XfrmInterpreter.__init__(self, family)
        self.sa = new_sa(family)
        self.sel = self.lft = None  # made by the first "sel" / "limit": most SAs have neither
        self.inline = []
        self.replay = {"replay_window": 0, "seq": 0, "oseq": 0, "seq_hi": 0, "oseq_hi": 0}
        self.sa_offload = None
        self.idp = self.coap = self.ctxp = False
        self.algos = set()
        self.extra_flags = 0
        self.output_mark = [0, 0]
        self.if_id = None
        self.tfcpad = 0
        self.sa_dir = 0             # XFRMA_SA_DIR (ip >= 6.11): dir, or offload's dir
        self.pcpu_num = None        # XFRMA_SA_PCPU (ip >= 6.19)

    state_add = Interpreter.read_in_order

    def stray(self, index):
        """A word no option takes: ip reads it as the ID (a second one: unknown)."""
        if self.idp:
            self.unknown(index)
        self.check_id(self.sa, False)

    def id(self, node):
        self.idp = True
        self.read_id(node, self.sa)
        if self.family == AF_UNSPEC:
            self.family = self.sa.family

    # ---- ALGO-LIST ------------------------------------------------------------------------

    algo_list = Interpreter.read_in_order

    def read_algo(self, node):
        """The ALGO's attribute (xfrm_algo_parse()), in word order."""
        kind = node.alias
        group = _ALGO_GROUPS[kind]
        if self.algos.intersection(_ALGO_CLASHES[group]):
            duparg("ALGO-TYPE", self.word(node, 0))
        self.algos.add(group)
        name = self.word(node, 1, lambda: missarg("ALGO-NAME"))
        key = "" if kind == "comp" else self.word(node, 2, lambda: missarg("ALGO-KEYMAT"))
        extra = None
        length = _ALGO_LENGTHS.get(kind)
        if length is not None:
            extra = self.u32(node, 3, "algo." + kind, length)
        keybytes = keymat(key)
        a = Algo(kind=_ALGO_KINDS[kind], name=name, key=keybytes, key_bits=len(keybytes) * 8)
        if extra is not None:
            setattr(a, _ALGO_LENGTH_FIELDS[kind], extra)
        self.inline.append((kind, a))

    algo__enc = algo__auth = algo__comp = algo__aead = algo__auth_trunc = read_algo

    # ---- the options ----------------------------------------------------------------------

    def state_add_word__mode(self, node):
        self.word(node, 1)
        self.sa.mode = self.value(node.children[1])

    state_add_word__mark = XfrmInterpreter.mark_option

    def state_add_word__reqid(self, node):
        self.sa.reqid = self.u32(node, 1, "state_add_word.reqid")

    def state_add_word__seq(self, node):
        self.sa.seq = parse_seq(self.word(node, 1), "state_add_word.seq")

    def replay_word(self, node):
        self.replay[_REPLAY_FIELDS[node.alias]] = self.u32(node, 1, "state_add_word." + node.alias)

    state_add_word__replay_window = state_add_word__replay_seq = replay_word
    state_add_word__replay_seq_hi = state_add_word__replay_oseq = replay_word
    state_add_word__replay_oseq_hi = replay_word

    def state_add_word__flag(self, node):
        self.sa.flags = self.flags(node, self.sa.flags)

    def state_add_word__extra_flag(self, node):
        self.extra_flags = self.flags(node, self.extra_flags)

    def state_add_word__sel(self, node):
        if len(node.children) == 1 and self.last(node):
            self.word(node, 1)
        self.family = AF_UNSPEC
        if self.sel is None:
            self.sel = new_selector()
        if len(node.children) > 1:
            self.visit(node.children[1])
        self.family = self.sel.family

    def state_add_word__limit(self, node):
        self.word(node, 1)
        if self.lft is None:
            self.lft = Lifetime.unlimited()
        self.visit(node.children[1])

    def state_add_word__encap(self, node):
        self.word(node, 1)
        self.visit(node.children[1])

    def encap(self, node):
        self.word(node, 0)
        etype = self.value(node.children[0])
        sport = strtoul(self.word(node, 1))
        if sport is None or sport > 0xffff:
            invalid("encap.sport", self.word(node, 1))
        dport = strtoul(self.word(node, 2))
        if dport is None or dport > 0xffff:
            invalid("encap.dport", self.word(node, 2))
        oa = get_addr(self.word(node, 3), AF_UNSPEC)
        self.inline.append(("encap", Encap(type=m.ENCAP_NAMES[etype], sport=sport, dport=dport,
                                           addr=ntop(oa.family, oa.data))))

    def state_add_word__coa(self, node):
        if self.coap:
            duparg("coa", self.word(node, 0))
        self.coap = True
        text = self.word(node, 1)
        coa = get_prefix(text, self.family)
        if coa.family == AF_UNSPEC:
            invalid("state_add_word.coa", text)
        self.inline.append(("coa", ntop(coa.family, coa.data)))

    def state_add_word__ctx(self, node):
        if self.ctxp:
            duparg("ctx", self.word(node, 0))
        self.ctxp = True
        self.inline.append(("ctx", SecCtx(alg=1, doi=1, ctx=c.ctx_word(self.word(node, 1)))))

    def state_add_word__offload(self, node):
        self.word(node, 1)
        self.sa_offload = self.visit(node.children[1])

    def offload(self, node):
        """offload [ dev DEV ] dir DIR: (ifindex, the XFRM_OFFLOAD_* flags)."""
        ifindex = 0
        k = 0
        dev = node.children[0]
        if dev is not MISSING and dev.rule == "offload_dev":
            name = self.word(dev, 1)
            from pyip import links
            ifindex = links.name_to_index(name)
            if not ifindex:
                invalid("offload.dev", name)
            k = 1
        self.word(node, k)
        direction = node.children[k]
        self.word(direction, 1)
        from pyip import release
        if release.since(SA_DIR_SINCE):      # xfrm_dir_parse(): the SA's dir, last one wins
            self.sa_dir = SA_DIRS_OF_OFFLOAD[direction.children[1].alias]
        return ifindex, self.value(direction.children[1])

    state_add_word__offload_mode = state_add_word__offload     # ip >= 6.2

    def offload_mode_dev(self, node):
        """offload [ crypto | packet ] dev DEV dir DIR (ip >= 6.2): (ifindex, flags)."""
        children = node.children
        k, flags = 0, 0
        if children and children[0] is not MISSING and children[0].rule == "offload_mode":
            flags = m.XFRM_OFFLOAD_PACKET if children[0].alias == "packet" else 0
            k = 1
        self.word(node, k)
        name = self.word(children[k], 1)
        from pyip import links
        ifindex = links.name_to_index(name)
        if not ifindex:
            invalid("offload_mode_dev.dev", name)
        self.word(node, k + 1)
        direction = children[k + 1]
        self.word(direction, 1)
        from pyip import release
        if release.since(SA_DIR_SINCE):
            self.sa_dir = SA_DIRS_OF_OFFLOAD[direction.children[1].alias]
        return ifindex, self.value(direction.children[1]) | flags

    def state_add_word__dir(self, node):
        self.word(node, 1)
        self.sa_dir = self.value(node.children[1])

    def state_add_word__pcpu_num(self, node):
        self.pcpu_num = self.u32(node, 1, "state_add_word.pcpu_num")

    def state_add_word__output_mark(self, node):
        self.output_mark[0] = self.u32(node, 1, "state_add_word.output_mark")
        if len(node.children) > 2:
            mask = node.children[2]
            self.output_mark[1] = self.u32(mask, 1, "state_add_word.output_mark.mask")

    def state_add_word__if_id(self, node):
        self.if_id = self.u32(node, 1, "state_add_word.if_id")

    def state_add_word__tfcpad(self, node):
        self.tfcpad = self.u32(node, 1, "state_add_word.tfcpad")

    def bad(self, index, rule):
        from pyip import release
        if rule == "offload" or (rule == "offload_dir_word" and not release.since(
                OFFLOAD_MODE_SINCE)):       # 6.1's reading of offload
            invalid("offload.dir", self.words[index])
        XfrmInterpreter.bad(self, index, rule)

    # ---- the request ----------------------------------------------------------------------

    def request(self):
        """ip's checks after the loop, in its order, and the SA they leave: an XfrmState
        holding what the request carries, and the attributes ip added as it read their words
        (ALGO, encap, coa, ctx: (field, value) in word order; encap may come twice)."""
        s, replay = self.sa, self.replay
        window = replay["replay_window"]
        if s.flags & m.XFRM_STATE_ESN and window == 0 and self.sa_dir != m.XFRM_SA_DIR_OUT:
            raise IpExit("Error: esn flag set without replay-window.\n", 255)
        if window > m.XFRMA_REPLAY_ESN_MAX:
            raise IpExit("Error: replay-window (%u) > XFRMA_REPLAY_ESN_MAX (%u).\n"
                         % (window, m.XFRMA_REPLAY_ESN_MAX), 255)
        for field, value in self.inline:
            setattr(s, field, value)
        if self.sa_offload is not None:
            ifindex, flags = self.sa_offload
            from pyip import release
            if release.since(SA_DIR_SINCE):      # the SA's dir decides (ip >= 6.11)
                flags = (flags & m.XFRM_OFFLOAD_PACKET) | (
                    m.XFRM_OFFLOAD_INBOUND if self.sa_dir == m.XFRM_SA_DIR_IN else 0)
            s.offload = Offload(ifindex=ifindex,
                                dir="in" if flags & m.XFRM_OFFLOAD_INBOUND else "out",
                                mode="packet" if flags & m.XFRM_OFFLOAD_PACKET else "crypto")
        if s.flags & m.XFRM_STATE_ESN or window > 32:
            s.anti_replay_esn = ReplayEsn(
                bmp_len=(window + 31) // 32, oseq=replay["oseq"], seq=replay["seq"],
                oseq_hi=replay["oseq_hi"], seq_hi=replay["seq_hi"], replay_window=window)
        else:
            if replay["seq"] or replay["oseq"]:
                s.anti_replay = ReplayState(seq=replay["seq"], oseq=replay["oseq"], bitmap=0)
            s.replay_window = window & 0xff
        if self.extra_flags:
            s.extra_flags = self.extra_flags
        if not self.idp:
            raise IpExit("Not enough information: ID is required\n", 1)
        mark = self.given_mark
        if mark[1]:
            s.mark = Mark(value=mark[0], mask=mark[1])
        s.if_id = self.if_id
        if self.tfcpad:
            s.tfcpad = self.tfcpad
        check(s, self.algos, self.coap)
        if self.output_mark[0]:
            s.output_mark = self.output_mark[0]
        if self.output_mark[1]:
            s.output_mark_mask = self.output_mark[1]
        dir_pcpu(s, self.sa_dir, self.pcpu_num)
        s.family = f = s.family or AF_INET
        no_address(s, f)
        if self.sel is not None:
            s.sel = self.sel
            no_address(self.sel, self.sel.family or f)
        s.lifetime = Lifetime.unlimited() if self.lft is None else self.lft
        return s, self.inline

    def body(self):
        s, inline = self.request()
        return s.encode(inline)


# SA direction, per-CPU SAs, offload modes: the first ip releases that read and send them
SA_DIR_SINCE, PCPU_SINCE, OFFLOAD_MODE_SINCE = (6, 11), (6, 19), (6, 2)
SA_DIRS_OF_OFFLOAD = XfrmInterpreter.VALUES["sa_dir"]    # offload's dir word is the SA's


def dir_pcpu(s, sa_dir, pcpu_num):
    """XFRMA_SA_DIR (u8) and XFRMA_SA_PCPU (u32) of an SA the words gave them (ip's "unset"
    pcpu-num is (u32)-1)."""
    if sa_dir:
        s.sa_dir = sa_dir
    if pcpu_num is not None and pcpu_num != 0xffffffff:
        s.pcpu_num = pcpu_num


def parse_state(argv):
    """add/update's request: the grammar's reading of the words (StateAdd), as the
    XfrmState and the attributes in the order ip adds them."""
    reading = StateAdd(opts.preferred_family)
    reading.run(argv, "state_add")
    return reading.request()


def check(sa, algos, coap):
    """The protocol/mode/algorithm/coa consistency checks of xfrm_state_modify()."""
    proto = sa.proto
    name = c.xfrm_proto_name(proto)
    if proto in (c.IPPROTO_ESP, c.IPPROTO_AH, c.IPPROTO_COMP):
        mode = sa.mode
        if not (mode in (0, 1) or (mode == 4 and proto == c.IPPROTO_ESP)):
            raise IpExit('MODE value is invalid with XFRM-PROTO value "%s"\n' % name, 1)
        if proto == c.IPPROTO_ESP:
            if "c" in algos:
                raise IpExit('ALGO-TYPE value "comp" is invalid with XFRM-PROTO value "%s"\n'
                             % name, 1)
            if "e" not in algos and "aead" not in algos:
                raise IpExit('ALGO-TYPE value "enc" or "aead" is required with XFRM-PROTO '
                             'value "%s"\n' % name, 1)
        elif proto == c.IPPROTO_AH:
            if algos & {"e", "aead", "c"}:
                raise IpExit('ALGO-TYPE values "enc", "aead", and "comp" are invalid with '
                             'XFRM-PROTO value "%s"\n' % name, 1)
            if "a" not in algos:
                raise IpExit('ALGO-TYPE value "auth" or "auth-trunc" is required with '
                             'XFRM-PROTO value "%s"\n' % name, 1)
        else:
            if algos & {"e", "a", "aead"}:
                raise IpExit('ALGO-TYPE values "enc", "auth", "auth-trunc", and "aead" are '
                             'invalid with XFRM-PROTO value "%s"\n' % name, 1)
            if "c" not in algos:
                raise IpExit('ALGO-TYPE value "comp" is required with XFRM-PROTO value "%s"\n'
                             % name, 1)
    elif algos:
        raise IpExit('ALGO is invalid with XFRM-PROTO value "%s"\n' % name, 1)
    if proto in (c.IPPROTO_ROUTING, c.IPPROTO_DSTOPTS):
        if sa.mode == 0:
            raise IpExit('"mode" is required with XFRM-PROTO value "%s"\n' % name, 1)
        if sa.mode not in (2, 3):
            raise IpExit('MODE value is invalid with XFRM-PROTO value "%s"\n' % name, 1)
        if not coap:
            raise IpExit('"coa" is required with XFRM-PROTO value "%s"\n' % name, 1)
    elif coap:
        raise IpExit('"coa" is invalid with XFRM-PROTO value "%s"\n' % name, 1)


class StateAllocspi(XfrmInterpreter):
    """allocspi (xfrm_state_allocspi()): an ID without spi, and the SPI range."""
    STARTS = ("state_allocspi",)

    def __init__(self, family):
        XfrmInterpreter.__init__(self, family)
        self.sa = new_sa(family)
        self.idp = False
        self.range = {}         # "min"/"max" -> the SPI given
        self.sa_dir = 0
        self.pcpu_num = None

    state_allocspi = Interpreter.read_in_order

    def id(self, node):
        self.idp = True
        self.read_id(node, self.sa)
        if self.sa.spi:
            raise IpExit('"spi" is invalid\n', 1)
        if self.family == AF_UNSPEC:
            self.family = self.sa.family

    def stray(self, index):
        if self.idp:
            self.unknown(index)
        self.check_id(self.sa, False)

    def state_allocspi_word__mode(self, node):
        self.word(node, 1)
        self.sa.mode = self.value(node.children[1])

    state_allocspi_word__mark = XfrmInterpreter.mark_option

    def state_allocspi_word__reqid(self, node):
        self.sa.reqid = self.u32(node, 1, "state_allocspi_word.reqid")

    def state_allocspi_word__seq(self, node):
        self.sa.seq = parse_seq(self.word(node, 1), "state_allocspi_word.seq")

    def spi_bound(self, node):
        what = node.alias
        if what in self.range:
            duparg(what, self.word(node, 0))
        self.range[what] = self.u32(node, 1, "state_allocspi_word." + what)

    state_allocspi_word__min = state_allocspi_word__max = spi_bound

    def state_allocspi_word__dir(self, node):
        self.word(node, 1)
        self.sa_dir = self.value(node.children[1])

    def state_allocspi_word__pcpu_num(self, node):
        self.pcpu_num = self.u32(node, 1, "state_allocspi_word.pcpu_num")

    def request(self):
        """ip's checks after the loop, and the AllocSpi request they leave."""
        sa = self.sa
        if not self.idp:
            raise IpExit("Not enough information: ID is required\n", 1)
        lo, hi = self.range.get("min"), self.range.get("max")
        if lo is not None:
            if hi is None:
                raise IpExit('"max" is missing\n', 1)
            if lo > hi:
                raise IpExit('value after "min" is larger than value after "max"\n', 1)
        else:
            if hi is not None:
                raise IpExit('"min" is missing\n', 1)
            lo, hi = 0x100, 0x0fffffff
            if sa.proto == c.IPPROTO_COMP:
                hi = 0xffff
        mark = self.given_mark
        if mark[0] & mark[1]:
            sa.mark = Mark(value=mark[0], mask=mark[1])
        dir_pcpu(sa, self.sa_dir, self.pcpu_num)
        sa.family = f = sa.family or AF_INET
        no_address(sa, f)
        sa.lifetime = Lifetime(**dict.fromkeys(Lifetime.__slots__, 0))  # ip's: all zero
        return AllocSpi(state=sa, min=lo, max=hi)

    def body(self):
        return self.request().encode()


def parse_allocspi(argv):
    reading = StateAllocspi(opts.preferred_family)
    reading.run(argv, "state_allocspi")
    return reading.request()


class StateGet(XfrmInterpreter):
    """get/delete (xfrm_state_get_or_delete()): usersa_id + XFRMA_SRCADDR (+ XFRMA_MARK)."""
    STARTS = ("state_get",)

    def __init__(self, family):
        XfrmInterpreter.__init__(self, family)
        self.idp = False
        self.said = XfrmSaId(src=None, dst=None, family=family, proto=_NO_PROTO, spi=0)

    state_get = Interpreter.read_in_order

    def id(self, node):
        self.idp = True
        self.read_id(node, self.said)

    def stray(self, index):
        if self.idp:
            self.unknown(index)
        self.check_id(new_sa(AF_UNSPEC), False)

    state_get_word__mark = XfrmInterpreter.mark_option

    def request(self):
        o = self.said
        mark = self.given_mark
        if mark[0] & mark[1]:
            o.mark = Mark(value=mark[0], mask=mark[1])
        o.family = f = o.family or AF_INET
        if self.idp:                # ip adds XFRMA_SRCADDR as it reads an ID
            no_address(o, f)
        return o

    def body(self):
        return self.request().encode()


def parse_sa_id(argv):
    reading = StateGet(opts.preferred_family)
    reading.run(argv, "state_get")
    return reading.request()


class StateList(XfrmInterpreter):
    """list/deleteall (xfrm_state_list_or_deleteall()): the filter of the SAs to show or
    delete, and nokeys."""
    STARTS = ("state_list",)

    def __init__(self, family, words):
        XfrmInterpreter.__init__(self, family)
        f = self.filter = c.Filter()
        f.sa = c.new_sa_filter()
        f.use = bool(words) or family != AF_UNSPEC
        self.said = new_sa(family)        # the ID's words, into f.sa by result()
        self.idp = self.nokeys = False

    state_list = Interpreter.read_in_order

    def id(self, node):
        self.idp = True
        self.read_id(node, self.said, loose=True)
        if self.family == AF_UNSPEC:
            self.family = self.said.family

    def stray(self, index):
        self.unknown(index)     # a second ID, or an empty one read again as one

    def state_list_word__nokeys(self, node):
        self.nokeys = True

    def state_list_word__mode(self, node):
        self.word(node, 1)
        self.filter.sa["mode"] = self.value(node.children[1])
        self.filter.mode_mask = 0xff

    def state_list_word__reqid(self, node):
        self.filter.sa["reqid"] = self.u32(node, 1, "state_list_word.reqid")
        self.filter.reqid_mask = c.FULL

    def state_list_word__flag(self, node):
        f = self.filter
        f.sa["flags"] = self.flags(node, f.sa["flags"])
        f.state_flags_mask = 0xff

    def result(self):
        """The filter, its masks from the words read."""
        f = self.filter
        o = self.said
        f.sa.update(family=o.family, saddr=pton(o.family, o.src), daddr=pton(o.family, o.dst),
                    proto=o.proto, spi=o.spi.to_bytes(4, "big"))
        for name, mask in self.masks.items():
            setattr(f, name, mask)
        return f


def read_filter(argv):
    """list/deleteall's words: the SA Filter, the family they leave and nokeys (the reading
    sets nothing)."""
    reading = StateList(opts.preferred_family, argv)
    reading.run(argv, "state_list")
    return reading.result(), reading.family, reading.nokeys


def use_filter(argv):
    """The run takes list's words: their filter (xfrm's global `filter` in ip) and family,
    which the printers read as ip's globals; nokeys."""
    f, family, nokeys = read_filter(argv)
    c.filter, opts.preferred_family = f, family
    return nokeys


# ---- commands ------------------------------------------------------------------------------

def _talk(type_, body, answer=False):
    nl = xfrm()
    return nl.talk(type_, 0, body, answer=answer)


def modify(type_, argv):
    s, inline = parse_state(argv)
    send(type_, s, inline)
    return 0


def _print_answer(msg):
    if opts.json:
        from pyip.xfrm import jsonout
        return jsonout.answer(msg)
    o = []
    status = print_sa_msg(msg, o, False)
    out.write("".join(o))
    if status < 0:
        raise IpExit("An error :-)\n", 1)
    return 0


def add(argv):
    return modify(m.XFRM_MSG_NEWSA, argv)


def update(argv):
    return modify(m.XFRM_MSG_UPDSA, argv)


def allocspi(argv):
    return _print_answer(send(m.XFRM_MSG_ALLOCSPI, parse_allocspi(argv), answer=True))


def delete(argv):
    send(m.XFRM_MSG_DELSA, parse_sa_id(argv))
    return 0


def get(argv):
    return _print_answer(send(m.XFRM_MSG_GETSA, parse_sa_id(argv), answer=True))


def _list_request():
    """The dump request of list: the filter's proto and addresses, for the kernel to use."""
    f = c.filter
    req = b""
    if f.sa["proto"]:
        req += attr(m.XFRMA_PROTO, bytes([f.sa["proto"]]))
    return req + attr(m.XFRMA_ADDRESS_FILTER, m.ADDRESS_FILTER.pack({
        "saddr": f.sa["saddr"], "daddr": f.sa["daddr"], "family": f.sa["family"],
        "splen": f.id_src_mask, "dplen": f.id_dst_mask}))


def list_(argv):
    nokeys = use_filter(argv)
    f = c.filter
    req = _list_request()
    if opts.json:
        from pyip.xfrm import jsonout
        jsonout.dump(xfrm(), m.XFRM_MSG_GETSA, req, _listed_object, nokeys)
    runs = None
    if not opts.show_stats and not f.use:
        from pyip.xfrm.sa_runs import list_runs as runs
    c.print_dump(xfrm(), m.XFRM_MSG_GETSA, req, print_listed, nokeys, runs=runs,
                 mode=(opts.SL, opts.oneline, nokeys))


def listed(argv):
    """The SAs `list` with these words would show, as XfrmState objects (the Python API's
    xfrm_states())."""
    use_filter(argv)
    from pyip.xfrm import jsonout
    return jsonout.collect(xfrm(), m.XFRM_MSG_GETSA, _list_request(), _listed_object)


def fetch(argv):
    """`get` with these words: the kernel's SA, as an XfrmState (IpExit as get's)."""
    from pyip.xfrm.messages import decode_message
    return decode_message(send(m.XFRM_MSG_GETSA, parse_sa_id(argv), answer=True))


def save(argv):
    """pyip's own: the SAs list would show (its filter, nokeys), as -batch lines that add
    them; oldest first, so that a replay lists them in the same order."""
    nokeys = use_filter(argv)
    from pyip.xfrm import jsonout
    lines = []
    for sa in jsonout.collect(xfrm(), m.XFRM_MSG_GETSA, _list_request(), _listed_object):
        line = sa.command(nokeys)
        if line is not None:
            lines.append(line + "\n")
    out.write("".join(reversed(lines)))
    return 0


def _listed_object(msg):
    """The XfrmState of a dumped SA the filter keeps (for -j)."""
    from pyip.xfrm.messages import decode_message
    if int.from_bytes(msg[4:6], "little") != m.XFRM_MSG_NEWSA or \
            len(msg) < 16 + m.USERSA_INFO_SIZE or not filter_match(decode_sa(msg, 16)):
        return None
    return decode_message(msg)


def _keep(msg, offset, past):
    """xfrm_state_keep(): the XFRM_MSG_DELSA for one dumped SA, if it matches."""
    mtype = int.from_bytes(msg[4:6], "little")
    if mtype != m.XFRM_MSG_NEWSA:
        out.error("Not a state: %08x %08x %08x\n" % (len(msg), mtype,
                                                    int.from_bytes(msg[6:8], "little")))
        return None
    if len(msg) - 16 - m.USERSA_INFO_SIZE < 0:
        raise IpExit("BUG: wrong nlmsg len %d\nDelete-all terminated\n"
                     % (len(msg) - 16 - m.USERSA_INFO_SIZE), 1)
    sa = decode_sa(msg, 16)
    if not filter_match(sa) or sa["proto"] in (m.IPPROTO_IPIP, m.IPPROTO_IPV6):
        return None
    if offset > DELETEALL_BUF_SIZE:
        raise IpExit("State buffer overflow\nDelete-all terminated\n", 1)
    body = m.USERSA_ID.pack(sa) + attr(m.XFRMA_SRCADDR, sa["saddr"]) + \
        c.copied_mark(msg, 16 + m.USERSA_INFO_SIZE, past)
    return m.XFRM_MSG_DELSA, body


def deleteall(argv):
    use_filter(argv)
    # ip's perror() text has a newline inside it
    c.delete_all(fresh_xfrm(), m.XFRM_MSG_GETSA, _keep, "Failed to send delete-all request\n")


class StateFlush(XfrmInterpreter):
    """flush [ proto XFRM-PROTO ] (once)."""
    STARTS = ("state_flush",)

    def __init__(self):
        XfrmInterpreter.__init__(self, AF_UNSPEC)
        self.proto = None

    state_flush = Interpreter.read_in_order

    def state_flush_word__proto(self, node):
        if self.proto is not None:
            duparg("proto", self.word(node, 0))
        self.word(node, 1)
        self.proto = self.value(node.children[1])

    def stray(self, index):
        self.unknown(index)


def flush(argv):
    reading = StateFlush()
    reading.run(argv, "state_flush")
    proto = reading.proto or 0
    if opts.show_stats > 1:
        out.error('Flush state with XFRM-PROTO value "%s"\n' % c.xfrm_proto_name(proto))
    send(m.XFRM_MSG_FLUSHSA, Flush(object="state", proto=proto))
    return 0


HANDLERS = {"add": add, "update": update, "allocspi": allocspi, "delete": delete,
            "deleteall": deleteall, "list": list_, "get": get, "flush": flush, "count": Lazy("pyip.xfrm.count", "state_count"),
            "save": save}


def do_state(argv):
    return dispatch("xfrm_state", argv, HANDLERS, "list")
