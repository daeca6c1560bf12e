"""ip xfrm policy (xfrm_policy.c): parse -> request -> kernel -> print, one function each."""
from pyip import out
from pyip.lazy import Lazy
from pyip.addr import AF_INET, AF_UNSPEC
from pyip.errors import IpExit, duparg, duparg2, incomplete_command, invalid
from pyip.netlink import attr, attrs, fresh_xfrm, xfrm
from pyip.opts import opts
from pyip.tree import MISSING
from pyip.words import lookup, strtoul
from pyip.xfrm import common as c
from pyip.xfrm import dispatch, send
from pyip.xfrm import msgs as m
from pyip.interpret import Interpreter
from pyip.xfrm.objects import (Action, DefaultPolicy, Dir, Flush, Level, Lifetime, Mark, Mode,
                               Offload, PolicyType, Proto, SecCtx, Share, XfrmPolicy,
                               XfrmPolicyId, XfrmTmpl)
from pyip.xfrm.reading import (XfrmInterpreter, hex_flags, new_selector, no_address,
                               selector_fields)
from pyip.xfrm.policy_print import (DIR_NAMES, decode_info, filter_match, print_default,
                                    print_listed, print_policy_msg)

DIRS = Dir.words()
PTYPES = PolicyType.words()
ACTIONS = Action.words()
FLAGS = m.words_of(m.POLICY_FLAGS)
DEFAULTS = dict(m.words_of(m.DEFAULT_NAMES), allow=m.XFRM_USERPOLICY_ACCEPT)  # allow: ip >= 6.3
# what a policy or template has before its words (one object each: values are ints)
_IN, _ALLOW, _ANY, _REQUIRED = Dir.of(0), Action.of(0), Share.of(0), Level.of(0)
_NO_PROTO, _TRANSPORT = Proto(0), Mode.of(0)
TMPLS_BUF_SIZE = 1024
DELETEALL_BUF_SIZE = 8192


# ---- parsing -------------------------------------------------------------------------------

class PolicyReading(XfrmInterpreter):
    """What add/update, get/delete and list/deleteall read alike: DIR, PTYPE, ACTION,
    FLAG-LIST and the one SELECTOR (a word no option takes starts it: then, as a second
    SELECTOR, the command's `stray`)."""
    VALUES = dict(XfrmInterpreter.VALUES, policy_dir=DIRS, policy_ptype=PTYPES,
                  policy_action=ACTIONS, policy_flag=FLAGS, tmpl_level=Level.words())

    def __init__(self, family):
        XfrmInterpreter.__init__(self, family)
        self.sel = new_selector(family)
        self.selp = False
        self.seen = set()           # the options ip takes once each

    def once(self, node):
        what = node.alias
        if what in self.seen:
            duparg(what, self.word(node, 0))
        self.seen.add(what)

    def selector(self, node):
        self.selp = True
        XfrmInterpreter.selector(self, node)
        if self.family == AF_UNSPEC:
            self.family = self.sel.family

    def ctx_option(self, node):
        """The handler of add's and get's `"ctx" CTX` (once each)."""
        self.once(node)
        self.ctx = c.ctx_word(self.word(node, 1))

    def choice(self, node):
        """The value of the keyword rule after an option's keyword."""
        self.word(node, 1)
        return self.value(node.children[1])

    def policy_flag_list__hex(self, node):
        return hex_flags(self.word(node, 0), 8, "policy_flag_list.hex")

    policy_flag_list = XfrmInterpreter.flag_list


class PolicyAdd(PolicyReading):
    """add/update (xfrm_policy_modify()): userpolicy_info and its attributes."""
    STARTS = ("policy_add",)
    READ_BY_PARENT = PolicyReading.READ_BY_PARENT + ("policy_offload", "policy_offload_mode",
                                                    "offload_dev")

    def __init__(self, family):
        PolicyReading.__init__(self, family)
        self.lft = None             # made by the first "limit": most policies have none
        self.policy = XfrmPolicy(sel=self.sel, dir=_IN, socket=False, action=_ALLOW,
                                 priority=0, index=0, flags=0, share=_ANY, tmpls=[])
        self.ctx = None

    policy_add = Interpreter.read_in_order

    def stray(self, index):
        duparg("unknown", self.words[index])

    def policy_add_word__dir(self, node):
        self.once(node)
        self.policy.dir = self.choice(node)

    policy_add_word__ctx = PolicyReading.ctx_option

    policy_add_word__mark = XfrmInterpreter.mark_option

    def policy_add_word__index(self, node):
        self.policy.index = self.u32(node, 1, "policy_add_word.index")

    def policy_add_word__ptype(self, node):
        self.once(node)
        self.policy.ptype = self.choice(node)

    def policy_add_word__action(self, node):
        self.policy.action = self.choice(node)

    def policy_add_word__offload(self, node):
        """offload packet dev DEV (ip >= 6.2): the word after "offload" must be "packet"."""
        self.word(node, 1)
        off = node.children[1]
        self.word(off, 1)
        name = self.word(off.children[1], 1)
        from pyip import links
        ifindex = links.name_to_index(name)
        if not ifindex:
            invalid("policy_offload.dev", name)
        self.policy.offload = Offload(ifindex=ifindex, dir="out", mode="packet")

    def policy_add_word__priority(self, node):
        self.policy.priority = self.u32(node, 1, "policy_add_word.priority")

    def policy_add_word__flag(self, node):
        self.policy.flags = self.flags(node, self.policy.flags)

    def policy_add_word__limit(self, node):
        self.word(node, 1)
        if self.lft is None:
            self.lft = Lifetime.unlimited()
        self.visit(node.children[1])

    def policy_add_word__if_id(self, node):
        self.policy.if_id = self.u32(node, 1, "policy_add_word.if_id")

    # ---- TMPL (xfrm_tmpl_parse()) ----------------------------------------------------------

    def policy_add_word__tmpl(self, node):
        tmpls = self.policy.tmpls
        if (len(tmpls) + 1) * m.USER_TMPL.size > TMPLS_BUF_SIZE:
            raise IpExit("Too many tmpls: buffer overflow\n", 1)
        self.word(node, 1)
        t = XfrmTmpl(src=None, dst=None, family=self.family, proto=_NO_PROTO, spi=0, reqid=0,
                     mode=_TRANSPORT, share=_ANY, level=_REQUIRED, aalgos=c.FULL,
                     ealgos=c.FULL, calgos=c.FULL)
        self.tmpl_ = t
        self.visit(node.children[1])
        tmpls.append(t)

    def tmpl(self, node):
        for child in node.children:
            if child is MISSING:    # ip's loop ends at the last word without an ID
                self.missing_ok = True
            else:
                self.visit(child)

    def id(self, node):
        self.family = AF_UNSPEC
        self.read_id(node, self.tmpl_)
        self.family = self.tmpl_.family

    def tmpl_word__mode(self, node):
        self.tmpl_.mode = self.choice(node)

    def tmpl_word__reqid(self, node):
        self.tmpl_.reqid = self.u32(node, 1, "tmpl_word.reqid")

    def tmpl_word__level(self, node):
        self.tmpl_.level = self.choice(node)

    def bad(self, index, rule):
        if rule == "id":        # a word no TMPL word takes, before the ID: ip reads no ID there
            self.check_id(XfrmTmpl(spi=0, proto=0), False)
        PolicyReading.bad(self, index, rule)

    def request(self):
        """ip's check after the loop, and the XfrmPolicy the request carries."""
        if "dir" not in self.seen:
            raise IpExit("Not enough information: DIR is required.\n", 1)
        p, sel = self.policy, self.sel
        sel.family = f = sel.family or AF_INET
        no_address(sel, f)
        for t in p.tmpls:
            no_address(t, t.family)
        p.lifetime = Lifetime.unlimited() if self.lft is None else self.lft
        mark = self.given_mark
        if mark[1]:
            p.mark = Mark(value=mark[0], mask=mark[1])
        if self.ctx is not None:
            p.ctx = SecCtx(alg=1, doi=1, ctx=self.ctx)
        return p

    def body(self):
        return self.request().encode()


def parse_policy(argv):
    """add/update's request body (PolicyAdd's reading of the words)."""
    reading = PolicyAdd(opts.preferred_family)
    reading.run(argv, "policy_add")
    return reading.request()


class PolicyGet(PolicyReading):
    """get/delete (xfrm_policy_get_or_delete()): userpolicy_id and its attributes."""
    STARTS = ("policy_get",)

    def __init__(self, family):
        PolicyReading.__init__(self, family)
        self.sel.family = AF_UNSPEC     # ip's get starts from an empty selector
        self.pid = XfrmPolicyId(sel=self.sel, index=0, dir=0)
        self.ctx = None

    policy_get = Interpreter.read_in_order

    def stray(self, index):
        self.unknown(index)

    def policy_get_word__dir(self, node):
        self.once(node)
        self.pid.dir = self.choice(node)

    policy_get_word__ctx = PolicyReading.ctx_option

    policy_get_word__mark = XfrmInterpreter.mark_option

    def policy_get_word__index(self, node):
        self.once(node)
        self.pid.index = self.u32(node, 1, "policy_get_word.index")

    def policy_get_word__ptype(self, node):
        self.once(node)
        self.pid.ptype = self.choice(node)

    def policy_get_word__if_id(self, node):
        self.pid.if_id = self.u32(node, 1, "policy_get_word.if_id")

    def request(self):
        """ip's checks after the loop, and the XfrmPolicyId the request carries."""
        if "dir" not in self.seen:
            raise IpExit("Not enough information: DIR is required.\n", 1)
        indexp = "index" in self.seen
        if not self.selp and not indexp:
            raise IpExit("Not enough information: either SELECTOR or INDEX is required.\n", 1)
        if self.selp and indexp:
            duparg2("SELECTOR", "INDEX")
        o, sel = self.pid, self.sel
        sel.family = f = sel.family or AF_INET
        no_address(sel, f)
        mark = self.given_mark
        if mark[0] & mark[1]:
            o.mark = Mark(value=mark[0], mask=mark[1])
        if self.ctx is not None:
            o.ctx = SecCtx(alg=1, doi=1, ctx=self.ctx)
        return o

    def body(self):
        return self.request().encode()


def parse_policy_id(argv):
    """get/delete's request (PolicyGet's reading): the XfrmPolicyId and the family the words
    leave (which get's printer reads: the command makes it the run's, ip's global)."""
    reading = PolicyGet(opts.preferred_family)
    reading.run(argv, "policy_get")
    return reading.request(), reading.family


class PolicyList(PolicyReading):
    """list/deleteall (xfrm_policy_list_or_deleteall()): the filter of the policies."""
    STARTS = ("policy_list",)

    def __init__(self, family, words):
        PolicyReading.__init__(self, family)
        f = self.filter = c.Filter()
        f.use = bool(words) or family != AF_UNSPEC

    policy_list = Interpreter.read_in_order

    def stray(self, index):
        self.unknown(index)

    def policy_list_word__dir(self, node):
        self.filter.dir = self.choice(node)
        self.filter.dir_mask = 0xff

    def policy_list_word__index(self, node):
        self.filter.index = self.u32(node, 1, "policy_list_word.index")
        self.filter.index_mask = c.FULL

    def policy_list_word__ptype(self, node):
        self.filter.ptype = self.choice(node)
        self.filter.ptype_mask = 0xff

    def policy_list_word__action(self, node):
        self.filter.action = self.choice(node)
        self.filter.action_mask = 0xff

    def policy_list_word__priority(self, node):
        self.filter.priority = self.u32(node, 1, "policy_list_word.priority")
        self.filter.priority_mask = c.FULL

    def policy_list_word__flag(self, node):
        self.filter.flags = self.flags(node, self.filter.flags)
        self.filter.policy_flags_mask = 0xff

    def policy_list_word__nosock(self, node):
        self.filter.filter_socket = True

    def result(self):
        f = self.filter
        f.sel = selector_fields(self.sel)
        for name, mask in self.masks.items():
            setattr(f, name, mask)
        return f


def read_filter(argv):
    """list/deleteall's words: the policy Filter and the family they leave (the reading sets
    nothing)."""
    reading = PolicyList(opts.preferred_family, argv)
    reading.run(argv, "policy_list")
    return reading.result(), reading.family


def use_filter(argv):
    """The run takes list's words: their filter (xfrm's global `filter` in ip) and family,
    which the printers read as ip's globals."""
    c.filter, opts.preferred_family = read_filter(argv)


class PolicyFlush(PolicyReading):
    """flush [ ptype PTYPE ] (once)."""
    STARTS = ("policy_flush",)

    def __init__(self):
        PolicyReading.__init__(self, AF_UNSPEC)
        self.ptype = None

    policy_flush = Interpreter.read_in_order

    def policy_flush_word__ptype(self, node):
        self.once(node)
        self.ptype = self.choice(node)

    def stray(self, index):
        self.unknown(index)


class PolicySet(XfrmInterpreter):
    """set (xfrm_spd_setinfo()): hthresh4/hthresh6 LBITS RBITS, each once."""
    STARTS = ("policy_set",)

    def __init__(self):
        from pyip.xfrm.messages import SpdInfo     # the counts' object, for this command only
        XfrmInterpreter.__init__(self, AF_UNSPEC)
        self.spd = SpdInfo()
        self.order = []             # the thresholds in word order

    policy_set = Interpreter.read_in_order

    def hthresh(self, node):
        what = node.alias
        if what in self.order:
            duparg(what, self.word(node, 0))
        self.order.append(what)
        limit = 32 if what == "hthresh4" else 128
        bits = []
        for k, side in ((1, "LBITS"), (2, "RBITS")):
            text = self.word(node, k)
            v = strtoul(text, 8)
            if v is None or v > limit:
                invalid("policy_set_word.%s.%s" % (what, side), text)
            bits.append(v)
        setattr(self.spd, what, tuple(bits))

    policy_set_word__hthresh4 = policy_set_word__hthresh6 = hthresh

    def stray(self, index):
        self.unknown(index)


class PolicySetdefault(XfrmInterpreter):
    """setdefault: DIR ACTION pairs, each DIR once."""
    STARTS = ("policy_setdefault",)
    VALUES = {"policy_default_dir": {"in": "in", "fwd": "fwd", "out": "out"},
              "policy_default_action": DEFAULTS}

    def __init__(self):
        XfrmInterpreter.__init__(self, AF_UNSPEC)
        self.values = {"in": 0, "fwd": 0, "out": 0}

    policy_setdefault = Interpreter.read_in_order

    def policy_default(self, node):
        d = self.value(node.children[0])
        if self.values[d]:
            duparg(d, self.word(node, 0))
        self.values[d] = self.value(node.children[1])

    def stray(self, index):
        """ip's loop at a word the pairs do not take: a direction, then its action."""
        word = self.words[index]
        d = lookup("policy_default_dir", word)
        if d is None:
            invalid("policy_default_dir.policy_default_dir", word)
        if self.values[d]:
            duparg(d, word)
        if index + 1 >= len(self.words):
            incomplete_command()
        invalid("policy_default_dir." + d, self.words[index + 1])


# ---- commands ------------------------------------------------------------------------------

def _talk(type_, flags, body, answer=False):
    nl = xfrm()
    return nl.talk(type_, flags, body, answer=answer)


def modify(type_, argv):
    send(type_, parse_policy(argv))
    return 0


def add(argv):
    return modify(m.XFRM_MSG_NEWPOLICY, argv)


def update(argv):
    return modify(m.XFRM_MSG_UPDPOLICY, argv)


def delete(argv):
    pid, opts.preferred_family = parse_policy_id(argv)
    send(m.XFRM_MSG_DELPOLICY, pid)
    return 0


def get(argv):
    pid, opts.preferred_family = parse_policy_id(argv)
    msg = send(m.XFRM_MSG_GETPOLICY, pid, answer=True)
    if opts.json:
        from pyip.xfrm import jsonout
        return jsonout.answer(msg)
    o = []
    status = print_policy_msg(msg, o)
    out.write("".join(o))
    if status < 0:
        raise IpExit("An error :-)\n", 1)
    return 0


def list_(argv):
    use_filter(argv)
    if opts.json:
        from pyip.xfrm import jsonout
        jsonout.dump(xfrm(), m.XFRM_MSG_GETPOLICY, b"", _listed_object)
    runs = None
    if not c.filter.use:
        from pyip.xfrm.policy_runs import list_runs as runs
    c.print_dump(xfrm(), m.XFRM_MSG_GETPOLICY, b"", print_listed, runs=runs,
                 mode=(opts.SL, opts.oneline, bool(opts.show_stats)))


def listed(argv):
    """The policies `list` with these words would show, as XfrmPolicy objects (the Python
    API's xfrm_policies())."""
    use_filter(argv)
    from pyip.xfrm import jsonout
    return jsonout.collect(xfrm(), m.XFRM_MSG_GETPOLICY, b"", _listed_object)


def fetch(argv):
    """`get` with these words: the kernel's policy, as an XfrmPolicy."""
    from pyip.xfrm.messages import decode_message
    pid, opts.preferred_family = parse_policy_id(argv)
    return decode_message(send(m.XFRM_MSG_GETPOLICY, pid, answer=True))


def save(argv):
    """pyip's own: the policies list would show (its filter) as -batch lines that add them;
    oldest first, so that a replay lists them in the same order."""
    use_filter(argv)
    from pyip.xfrm import jsonout
    lines = []
    for p in jsonout.collect(xfrm(), m.XFRM_MSG_GETPOLICY, b"", _listed_object):
        line = p.command()
        if line is None:
            line = "# a socket policy (dir %s index %d): only its socket makes it" % (
                DIR_NAMES.get(p.dir, p.dir), p.index)
        lines.append(line + "\n")
    out.write("".join(reversed(lines)))
    return 0


def _listed_object(msg):
    """The XfrmPolicy of a dumped policy the filter keeps (for -j)."""
    from pyip.xfrm.messages import decode_message
    if int.from_bytes(msg[4:6], "little") != m.XFRM_MSG_NEWPOLICY or \
            len(msg) < 16 + m.USERPOLICY_INFO_SIZE:
        return None
    tb = attrs(msg, 16 + m.USERPOLICY_INFO_SIZE)
    ptype = tb.get(m.XFRMA_POLICY_TYPE, b"\0")[:1] or b"\0"
    if not filter_match(decode_info(msg, 16), ptype[0]):
        return None
    return decode_message(msg)


def _keep(msg, offset, past):
    """xfrm_policy_keep(): the XFRM_MSG_DELPOLICY for one dumped policy, if it matches."""
    mtype = int.from_bytes(msg[4:6], "little")
    if mtype != m.XFRM_MSG_NEWPOLICY:
        out.error("Not a policy: %08x %08x %08x\n" % (len(msg), mtype,
                                                     int.from_bytes(msg[6:8], "little")))
        return None
    if len(msg) - 16 - m.USERPOLICY_INFO_SIZE < 0:
        raise IpExit("BUG: wrong nlmsg len %d\nDelete-all terminated\n"
                     % (len(msg) - 16 - m.USERPOLICY_INFO_SIZE), 1)
    off = 16 + m.USERPOLICY_INFO_SIZE
    tb = attrs(msg, off)
    ptype = m.XFRM_POLICY_TYPE_MAIN
    if m.XFRMA_POLICY_TYPE in tb:
        if len(tb[m.XFRMA_POLICY_TYPE]) < m.POLICY_TYPE.size:
            raise IpExit("too short XFRMA_POLICY_TYPE len\nDelete-all terminated\n", 1)
        ptype = tb[m.XFRMA_POLICY_TYPE][0]
    p = decode_info(msg, 16)
    if not filter_match(p, ptype) or p["dir"] >= m.XFRM_POLICY_MAX:
        return None             # socket policies cannot be deleted
    if offset + 16 + m.USERPOLICY_ID.size > DELETEALL_BUF_SIZE:
        return None
    body = msg[16:16 + m.SELECTOR.size] + m.POLICY_ID_TAIL.pack(p) + \
        c.copied_mark(msg, off, past)
    if m.XFRMA_IF_ID in tb:
        # rta_getattr_u32(): 4 bytes, whatever the attribute's length
        body += attr(m.XFRMA_IF_ID, past(c.attr_offset(msg, off, m.XFRMA_IF_ID) + 4, 4))
    return m.XFRM_MSG_DELPOLICY, body


def deleteall(argv):
    use_filter(argv)
    c.delete_all(fresh_xfrm(), m.XFRM_MSG_GETPOLICY, _keep, "Failed to send delete-all request")


def flush(argv):
    reading = PolicyFlush()
    reading.run(argv, "policy_flush")
    if opts.show_stats > 1:
        out.error("Flush policy\n")
    send(m.XFRM_MSG_FLUSHPOLICY, Flush(object="policy", ptype=reading.ptype))
    return 0


def set_(argv):
    """xfrm_spd_setinfo()"""
    reading = PolicySet()
    reading.run(argv, "policy_set")
    send(m.XFRM_MSG_NEWSPDINFO, reading.spd, reading.order)
    return 0


def setdefault(argv):
    reading = PolicySetdefault()
    reading.run(argv, "policy_setdefault")
    v = reading.values          # 0: not given (XFRM_USERPOLICY_UNSPEC)
    send(m.XFRM_MSG_SETDEFAULT, DefaultPolicy(in_=v["in"], fwd=v["fwd"], out=v["out"]))
    return 0


def getdefault(argv):
    msg = send(m.XFRM_MSG_GETDEFAULT, DefaultPolicy(), answer=True)
    if opts.json:
        from pyip.xfrm import jsonout
        return jsonout.answer(msg)
    print_default(msg)
    return 0


HANDLERS = {"add": add, "update": update, "delete": delete, "deleteall": deleteall,
            "list": list_, "get": get, "flush": flush, "count": Lazy("pyip.xfrm.count", "policy_count"), "set": set_,
            "setdefault": setdefault, "getdefault": getdefault, "save": save}


def do_policy(argv):
    return dispatch("xfrm_policy", argv, HANDLERS, "list")
