"""ip xfrm state (xfrm_state.c): parse -> request -> kernel -> print, one function each."""
from pyip import out
from pyip.addr import AF_UNSPEC, AF_INET, get_addr, get_prefix
from pyip.errors import IpExit, duparg, invalid, missarg
from pyip.netlink import attr, attrs, fresh_xfrm, xfrm
from pyip.opts import opts
from pyip.words import strtoul
from pyip.xfrm import common as c
from pyip.xfrm import dispatch
from pyip.xfrm import msgs as m
from pyip.tree import MISSING
from pyip.interpret import Interpreter
from pyip.xfrm.reading import XfrmInterpreter
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


_NEW_SA = dict(c.new_id(), mode=0, reqid=0, seq=0, flags=0, replay_window=0)


def new_sa(family):
    """The ID and scalar fields of an xfrm_usersa_info, before its words fill them."""
    sa = _NEW_SA.copy()
    sa["family"] = family
    return sa


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
            self.family = self.sa["family"]

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
        extra = b""
        length = _ALGO_LENGTHS.get(kind)
        if length is not None:
            extra = m.U32.pack(self.u32(node, 3, "algo." + kind, length))
        type_ = m.ALGO_TYPES[kind]
        raw_name = name.encode("utf-8", "surrogateescape")[:63]
        keybytes = keymat(key)
        self.inline.append(attr(type_, raw_name.ljust(64, b"\0") + m.U32.pack(len(keybytes) * 8)
                                + extra + keybytes))

    algo__enc = algo__auth = algo__comp = algo__aead = algo__auth_trunc = read_algo

    # ---- the options ----------------------------------------------------------------------

    def state_add_word__mode(self, node):
        self.word(node, 1)
        self.sa["mode"] = self.value(node.children[1])

    state_add_word__mark = XfrmInterpreter.mark_option

    def state_add_word__reqid(self, node):
        self.sa["reqid"] = self.u32(node, 1, "state_add_word.reqid")

    def state_add_word__seq(self, node):
        self.sa["seq"] = parse_seq(self.word(node, 1), "state_add_word.seq")

    def replay_word(self, node):
        self.replay[_REPLAY_FIELDS[node.alias]] = self.u32(node, 1, "state_add_word." + node.alias)

    state_add_word__replay_window = state_add_word__replay_seq = replay_word
    state_add_word__replay_seq_hi = state_add_word__replay_oseq = replay_word
    state_add_word__replay_oseq_hi = replay_word

    def state_add_word__flag(self, node):
        self.sa["flags"] = self.flags(node, self.sa["flags"])

    def state_add_word__extra_flag(self, node):
        self.extra_flags = self.flags(node, self.extra_flags)

    def state_add_word__sel(self, node):
        if len(node.children) == 1 and self.last(node):
            self.word(node, 1)
        self.family = AF_UNSPEC
        if self.sel is None:
            self.sel = c.new_selector()
        if len(node.children) > 1:
            self.visit(node.children[1])
        self.family = self.sel["family"]

    def state_add_word__limit(self, node):
        self.word(node, 1)
        if self.lft is None:
            self.lft = c.new_lifetime()
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
        self.inline.append(attr(m.XFRMA_ENCAP, m.ENCAP_TMPL.pack({
            "encap_type": etype, "encap_sport": sport.to_bytes(2, "big"),
            "encap_dport": dport.to_bytes(2, "big"), "encap_oa": oa.data})))

    def state_add_word__coa(self, node):
        if self.coap:
            duparg("coa", self.word(node, 0))
        self.coap = True
        text = self.word(node, 1)
        coa = get_prefix(text, self.family)
        if coa.family == AF_UNSPEC:
            invalid("state_add_word.coa", text)
        self.inline.append(attr(m.XFRMA_COADDR, coa.data))

    def state_add_word__ctx(self, node):
        if self.ctxp:
            duparg("ctx", self.word(node, 0))
        self.ctxp = True
        self.inline.append(c.sec_ctx(self.word(node, 1)))

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

    def state_add_word__output_mark(self, node):
        self.output_mark[0] = self.u32(node, 1, "state_add_word.output_mark")
        if len(node.children) > 2:
            mask = node.children[2]
            self.output_mark[1] = self.u32(mask, 1, "state_add_word.output_mark.mask")

    def state_add_word__if_id(self, node):
        self.if_id = self.u32(node, 1, "state_add_word.if_id")

    def state_add_word__tfcpad(self, node):
        self.tfcpad = self.u32(node, 1, "state_add_word.tfcpad")

    def state_add_word__dir(self, node):
        self.word(node, 1)
        self.sa_dir = self.value(node.children[1])

    def state_add_word__pcpu_num(self, node):
        self.pcpu_num = self.u32(node, 1, "state_add_word.pcpu_num")

    def bad(self, index, rule):
        from pyip import release
        if rule == "offload" or (rule == "offload_dir_word" and not release.since(
                OFFLOAD_MODE_SINCE)):       # 6.1's reading of offload
            invalid("offload.dir", self.words[index])
        XfrmInterpreter.bad(self, index, rule)

    # ---- the request ----------------------------------------------------------------------

    def body(self):
        """ip's checks after the loop, in its order, and the request: usersa_info, then the
        attributes."""
        sa, replay = self.sa, self.replay
        window = replay["replay_window"]
        if sa["flags"] & m.XFRM_STATE_ESN and window == 0 and self.sa_dir != m.XFRM_SA_DIR_OUT:
            raise IpExit("Error: esn flag set without replay-window.\n", 255)
        if window > m.XFRMA_REPLAY_ESN_MAX:
            raise IpExit("Error: replay-window (%u) > XFRMA_REPLAY_ESN_MAX (%u).\n"
                         % (window, m.XFRMA_REPLAY_ESN_MAX), 255)
        body = self.inline
        if self.sa_offload is not None:
            flags = self.sa_offload[1]
            from pyip import release
            if release.since(SA_DIR_SINCE):      # releases (h-rel): the SA's dir decides
                flags = (flags & m.XFRM_OFFLOAD_PACKET) | (
                    m.XFRM_OFFLOAD_INBOUND if self.sa_dir == m.XFRM_SA_DIR_IN else 0)
            body.append(attr(m.XFRMA_OFFLOAD_DEV, m.USER_OFFLOAD.pack(
                {"ifindex": self.sa_offload[0], "flags": flags})))
        if sa["flags"] & m.XFRM_STATE_ESN or window > 32:
            esn = dict(replay, bmp_len=(window + 31) // 32)
            body.append(attr(m.XFRMA_REPLAY_ESN_VAL, m.REPLAY_STATE_ESN.pack(esn)))
        else:
            if replay["seq"] or replay["oseq"]:
                body.append(attr(m.XFRMA_REPLAY_VAL, m.REPLAY_STATE.pack(replay)))
            sa["replay_window"] = window & 0xff
        if self.extra_flags:
            body.append(attr(m.XFRMA_SA_EXTRA_FLAGS, m.U32.pack(self.extra_flags)))
        if not self.idp:
            raise IpExit("Not enough information: ID is required\n", 1)
        mark = self.given_mark
        if mark[1]:
            body.append(attr(m.XFRMA_MARK, m.MARK.pack({"v": mark[0], "m": mark[1]})))
        if self.if_id is not None:
            body.append(attr(m.XFRMA_IF_ID, m.U32.pack(self.if_id)))
        if self.tfcpad:
            body.append(attr(m.XFRMA_TFCPAD, m.U32.pack(self.tfcpad)))
        check(sa, self.algos, self.coap)
        if self.output_mark[0]:
            body.append(attr(m.XFRMA_OUTPUT_MARK, m.U32.pack(self.output_mark[0])))
        if self.output_mark[1]:
            body.append(attr(m.XFRMA_SET_MARK_MASK, m.U32.pack(self.output_mark[1])))
        body += sa_dir_pcpu(self.sa_dir, self.pcpu_num)     # releases (h-rel): 6.11, 6.19
        if sa["family"] == AF_UNSPEC:
            sa["family"] = AF_INET
        sel, lft = self.sel, self.lft
        return usersa_info(sa, _NO_SELECTOR if sel is None else m.SELECTOR.pack(sel),
                           _NO_LIMITS if lft is None else m.LIFETIME_CFG.pack(lft)) + \
            b"".join(body)


# SA direction, per-CPU SAs, offload modes: the first ip releases that read and send them
SA_DIR_SINCE, PCPU_SINCE, OFFLOAD_MODE_SINCE = (6, 11), (6, 19), (6, 2)
SA_DIRS_OF_OFFLOAD = {"in": m.XFRM_SA_DIR_IN, "out": m.XFRM_SA_DIR_OUT}


def sa_dir_pcpu(sa_dir, pcpu_num, mark=b""):
    """XFRMA_SA_DIR (u8) and XFRMA_SA_PCPU (u32) as add and allocspi end their requests
    (allocspi puts its mark between them)."""
    body = []
    if sa_dir:
        body.append(attr(m.XFRMA_SA_DIR, bytes((sa_dir,))))
    if mark:
        body.append(mark)
    if pcpu_num is not None and pcpu_num != 0xffffffff:    # ip's "unset" is (u32)-1
        body.append(attr(m.XFRMA_SA_PCPU, m.U32.pack(pcpu_num)))
    return body


def parse_state(argv):
    """add/update's request body: the grammar's reading of the words (StateAdd)."""
    reading = StateAdd(opts.preferred_family)
    reading.run(argv, "state_add")
    return reading.body()


def check(sa, algos, coap):
    """The protocol/mode/algorithm/coa consistency checks of xfrm_state_modify()."""
    proto = sa["proto"]
    name = c.xfrm_proto_name(proto)
    if proto in (c.IPPROTO_ESP, c.IPPROTO_AH, c.IPPROTO_COMP):
        mode = sa["mode"]
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
        if sa["mode"] == 0:
            raise IpExit('"mode" is required with XFRM-PROTO value "%s"\n' % name, 1)
        if sa["mode"] not in (2, 3):
            raise IpExit('MODE value is invalid with XFRM-PROTO value "%s"\n' % name, 1)
        if not coap:
            raise IpExit('"coa" is required with XFRM-PROTO value "%s"\n' % name, 1)
    elif coap:
        raise IpExit('"coa" is invalid with XFRM-PROTO value "%s"\n' % name, 1)


_NO_SELECTOR = m.SELECTOR.pack(c.new_selector())
_NO_LIMITS = m.LIFETIME_CFG.pack(c.new_lifetime())
_NO_CUR_STATS = bytes(m.LIFETIME_CUR.size + m.STATS.size)


def usersa_info(sa, sel, lft):
    """struct xfrm_usersa_info from the sa dict and the packed selector and lifetime_cfg."""
    return (sel + m.XFRM_ID.pack(sa) + sa["saddr"] + lft + _NO_CUR_STATS + m.SA_TAIL.pack(sa))


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
        if self.sa["spi"] != bytes(4):
            raise IpExit('"spi" is invalid\n', 1)
        if self.family == AF_UNSPEC:
            self.family = self.sa["family"]

    def stray(self, index):
        if self.idp:
            self.unknown(index)
        self.check_id(self.sa, False)

    def state_allocspi_word__mode(self, node):
        self.word(node, 1)
        self.sa["mode"] = self.value(node.children[1])

    state_allocspi_word__mark = XfrmInterpreter.mark_option

    def state_allocspi_word__reqid(self, node):
        self.sa["reqid"] = self.u32(node, 1, "state_allocspi_word.reqid")

    def state_allocspi_word__seq(self, node):
        self.sa["seq"] = parse_seq(self.word(node, 1), "state_allocspi_word.seq")

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

    def body(self):
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
            if sa["proto"] == c.IPPROTO_COMP:
                hi = 0xffff
        body = b""
        mark = self.given_mark
        if mark[0] & mark[1]:
            body = attr(m.XFRMA_MARK, m.MARK.pack({"v": mark[0], "m": mark[1]}))
        body = b"".join(sa_dir_pcpu(self.sa_dir, self.pcpu_num, body))     # releases (h-rel)
        if sa["family"] == AF_UNSPEC:
            sa["family"] = AF_INET
        return usersa_info(sa, _NO_SELECTOR, bytes(m.LIFETIME_CFG.size)) + \
            m.USERSPI_TAIL.pack({"min": lo, "max": hi}) + body


def parse_allocspi(argv):
    reading = StateAllocspi(opts.preferred_family)
    reading.run(argv, "state_allocspi")
    return reading.body()


class StateGet(XfrmInterpreter):
    """get/delete (xfrm_state_get_or_delete()): usersa_id + XFRMA_SRCADDR (+ XFRMA_MARK)."""
    STARTS = ("state_get",)

    def __init__(self, family):
        XfrmInterpreter.__init__(self, family)
        self.id_family = family
        self.idp = False
        self.xsid = {"daddr": bytes(16), "spi": bytes(4), "proto": 0}
        self.inline = []

    state_get = Interpreter.read_in_order

    def id(self, node):
        self.idp = True
        id_ = c.new_id()
        id_["family"] = self.id_family
        self.read_id(node, id_)
        self.id_family = id_["family"]
        self.xsid.update(daddr=id_["daddr"], spi=id_["spi"], proto=id_["proto"])
        self.inline.append(attr(m.XFRMA_SRCADDR, id_["saddr"]))

    def stray(self, index):
        if self.idp:
            self.unknown(index)
        self.check_id(c.new_id(), False)

    state_get_word__mark = XfrmInterpreter.mark_option

    def body(self):
        mark = self.given_mark
        if mark[0] & mark[1]:
            self.inline.append(attr(m.XFRMA_MARK, m.MARK.pack({"v": mark[0], "m": mark[1]})))
        self.xsid["family"] = self.id_family or AF_INET
        return m.USERSA_ID.pack(self.xsid) + b"".join(self.inline)


def parse_sa_id(argv):
    reading = StateGet(opts.preferred_family)
    reading.run(argv, "state_get")
    return reading.body()


class StateList(XfrmInterpreter):
    """list/deleteall (xfrm_state_list_or_deleteall()): the filter of the SAs to show or
    delete, and nokeys."""
    STARTS = ("state_list",)

    def __init__(self, family, words):
        XfrmInterpreter.__init__(self, family)
        f = self.filter = c.Filter()
        f.sa = c.new_sa_filter()
        f.use = bool(words) or family != AF_UNSPEC
        f.sa["family"] = family
        self.idp = self.nokeys = False

    state_list = Interpreter.read_in_order

    def id(self, node):
        self.idp = True
        self.read_id(node, self.filter.sa, loose=True)
        if self.family == AF_UNSPEC:
            self.family = self.filter.sa["family"]

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
        for name, mask in self.masks.items():
            setattr(f, name, mask)
        return f


def parse_filter(argv):
    """The run's SA filter for list/deleteall (xfrm's global `filter` in ip) and nokeys; the
    family the words gave becomes the run's, which the printers read (ip's global)."""
    reading = StateList(opts.preferred_family, argv)
    reading.run(argv, "state_list")
    c.filter = reading.result()
    opts.preferred_family = reading.family
    return reading.nokeys


# ---- commands ------------------------------------------------------------------------------

def _talk(type_, body, answer=False):
    nl = xfrm()
    return nl.talk(type_, 0, body, answer=answer)


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
    _talk(m.XFRM_MSG_NEWSA, parse_state(argv))
    return 0


def update(argv):
    _talk(m.XFRM_MSG_UPDSA, parse_state(argv))
    return 0


def allocspi(argv):
    return _print_answer(_talk(m.XFRM_MSG_ALLOCSPI, parse_allocspi(argv), answer=True))


def delete(argv):
    _talk(m.XFRM_MSG_DELSA, parse_sa_id(argv))
    return 0


def get(argv):
    return _print_answer(_talk(m.XFRM_MSG_GETSA, parse_sa_id(argv), answer=True))


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
    nokeys = parse_filter(argv)
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


def save(argv):
    """pyip's own: the SAs list would show (its filter, nokeys), as -batch lines that add
    them; oldest first, so that a replay lists them in the same order."""
    nokeys = parse_filter(argv)
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
    from pyip.xfrm.objects import decode_message
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
    parse_filter(argv)
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
    nl = xfrm()
    if opts.show_stats > 1:
        out.error('Flush state with XFRM-PROTO value "%s"\n' % c.xfrm_proto_name(proto))
    nl.talk(m.XFRM_MSG_FLUSHSA, 0, bytes([proto]), answer=False)
    return 0


def count(argv):
    """XFRM_MSG_GETSADINFO; words after "count" are ignored, as in ip."""
    msg = _talk(m.XFRM_MSG_GETSADINFO, m.U32.pack(0xffffffff), answer=True)
    if len(msg) < 20:
        raise IpExit("SADinfo: Wrong len %d\n" % (len(msg) - 20), 0)
    tb = attrs(msg, 20)
    if opts.json:
        from pyip.xfrm import jsonout
        return jsonout.answer(msg)
    if m.XFRMA_SAD_CNT not in tb:
        out.write("BAD SAD info returned\n")
        return 0
    text = "\t SAD count %u" % m.U32.unpack_from(tb[m.XFRMA_SAD_CNT])[0]
    if opts.show_stats and m.XFRMA_SAD_HINFO in tb:
        h = tb[m.XFRMA_SAD_HINFO]
        if len(h) < m.SADHINFO.size:
            out.write(text + "BAD SAD length returned\n")
            return 0
        text += " (buckets count %d Max %d)" % m.SADHINFO.unpack_from(h)
    out.write(text + "\n")
    return 0


HANDLERS = {"add": add, "update": update, "allocspi": allocspi, "delete": delete,
            "deleteall": deleteall, "list": list_, "get": get, "flush": flush, "count": count,
            "save": save}


def do_state(argv):
    return dispatch("xfrm_state", argv, HANDLERS, "list")
