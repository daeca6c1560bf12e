"""Each word or group of a command: the grammar rule and alternative it matched, its value
as ip reads it, and its one-line meaning (the grammar's //@doc lines)."""
from pyip import grammar, gates
from pyip._docs import KERNEL
from pyip._rules import SINCE, UNTIL
from pyip._tables import DOCS
from pyip.words import strtoul

# The rules whose alternatives are the command's path (object, command words): shown one
# word each; every other aliased node is a group of words, with its parts beneath it.
PATH_RULES = ("object", "xfrm", "xfrm_state", "xfrm_policy", "link")


class Group:
    """One matched rule alternative: words[start:end], and what they mean."""
    __slots__ = ("depth", "rule", "alias", "start", "end", "text", "meaning", "value")

    def __init__(self, depth, rule, alias, start, end, text, meaning, value):
        self.depth, self.rule, self.alias = depth, rule, alias
        self.start, self.end, self.text = start, end, text
        self.meaning, self.value = meaning, value

    @property
    def key(self):
        return "%s.%s" % (self.rule, self.alias)

    def as_dict(self):
        d = {"words": self.text, "rule": self.rule, "alias": self.alias,
             "meaning": self.meaning, "depth": self.depth}
        if self.value:
            d["value"] = self.value
        return d


class Reading:
    """The groups of a command, the path of command words (("xfrm", "state", "add")), and
    where the grammar stopped, if it did: (index, expected)."""

    def __init__(self, words):
        self.words = words
        self.groups = []
        self.path = ()
        self.stop = None
        self.kind = None


# The grammar's own names of some terminals, and how ip's usage texts and man pages write
# what they match (the others, ADDR, DEV, FILE, NUMBER, ..., are those pages' own words).
SHOWN = {"COLOR_OPT": "-color=WHEN", "ATOI": "NUMBER", "INT": "NUMBER", "U8": "NUMBER",
         "U64": "NUMBER", "GRE_KEY": "KEY", "HEX_FLAGS": "FLAG-MASK", "HEX_XFLAGS": "FLAG-MASK",
         "NOT_ADDR_FLAG": "-FLAG"}


def shown(expected):
    """The words explain offers: `expected` with the grammar's internal names replaced."""
    out = []
    for e in expected:
        e = SHOWN.get(e, e)
        if e not in out:
            out.append(e)
    return out


def read(words):
    """The groups of `words` (ip's argv after "ip"); where the grammar refuses them, the
    groups of the longest beginning it takes, and where it stopped."""
    r = Reading(list(words))
    try:
        tree = grammar.parse(r.words)
    except grammar.GrammarError as e:
        r.stop = (e.index, shown(e.expected))
        tree = None
        for j in range(min(e.index, len(r.words)), 0, -1):
            try:
                tree = grammar.parse(r.words[:j])
                break
            except grammar.GrammarError:
                continue
    if tree is not None:
        path = []
        _walk(r, tree, 0, path)
        r.path = tuple(path)
    return r


def _walk(r, node, depth, path):
    for child in node.children:
        if not isinstance(child, grammar.Node):
            continue
        if child.alias is None:
            _walk(r, child, depth, path)
            continue
        if child.rule in PATH_RULES:
            path.append(child.alias)
            _add(r, child, 0, own_words=True)
            _walk(r, child, 0, path)
            continue
        if child.rule == "link_type":       # "type KIND" said it; its words are the kind's
            r.kind = child.alias
            _walk(r, child, depth - 1, path)
            continue
        _add(r, child, depth, own_words=False)
        if child.rule == "link_word" and child.alias == "type":
            r.groups[-1].text = " ".join(r.words[child.start:child.start + 2])
        _walk(r, child, depth + 1, path)


def _leaves(node):
    """The node's words that no aliased node below it explains."""
    out = []
    for c in node.children:
        if isinstance(c, grammar.Leaf):
            out.append(c)
        elif c.alias is None:
            out += _leaves(c)
    return out


def _add(r, node, depth, own_words):
    own = _leaves(node)
    if own_words:
        text = " ".join(leaf.text for leaf in own if not leaf.is_value) or \
            " ".join(r.words[node.start:node.end])
    else:
        text = " ".join(r.words[node.start:node.end])
    r.groups.append(Group(depth, node.rule, node.alias, node.start, node.end, text,
                          meaning(node.rule, node.alias), _values(own)))


def meaning(rule, alias):
    """The word's //@doc line; for a word only some ip releases (or kernels) take, what it
    needs (the grammar's gates: "needs ip 6.11 or later and kernel 6.10 or later")."""
    key = "%s.%s" % (rule, alias)
    doc = DOCS.get(key, "")
    needed = gates.needs(key, SINCE, UNTIL, KERNEL)
    return "%s; %s" % (doc, needed) if doc and needed else doc or needed or ""


def _values(leaves):
    """The values of a group's own words as ip reads them."""
    out = []
    for leaf in leaves:
        if not leaf.is_value:
            if leaf.text != leaf.kind:
                out.append('"%s" = %s' % (leaf.text, leaf.kind))
            continue
        v = value_reading(leaf.kind, leaf.text)
        if v:
            out.append(v)
    return "; ".join(out)


def value_reading(terminal, text):
    """How ip reads one value word, where that is not plain to see."""
    if terminal == "NUMBER":
        v = strtoul(text, 64)
        if v is None:
            return "not a number ip reads"
        if text != str(v):
            return "%s = %d" % (text, v)
        return ""
    if terminal == "KEYMAT":
        if text[:2] in ("0x", "0X"):
            n = (len(text) - 1) // 2
            return "%d bytes, %d bits (hex)" % (n, n * 8)
        n = len(text.encode("utf-8", "surrogateescape"))
        return "%d bytes, %d bits (the word's own bytes, not hex)" % (n, n * 8)
    if terminal in ("ADDR", "PREFIX"):
        return "IPv6" if ":" in text else "IPv4" if "." in text else ""
    if terminal == "KEY":
        if "." in text:
            return ""
        v = strtoul(text, 32)
        if v is not None:
            return "%s = %d.%d.%d.%d" % (text, v >> 24, v >> 16 & 255, v >> 8 & 255, v & 255)
    return ""
