"""Each word or group of a command: the grammar rule and alternative it matched, its value
as ip reads it, and its one-line meaning (the grammar's //@doc lines)."""
from pyip import grammar
from pyip._tables import DOCS, RULES
from pyip.words import strtoul

# Where today's grammar leaves a command's arguments as plain words (`args`), the rules
# its words are read with, tried in this order at each word (ip's parsers try theirs in
# about this order; "mark" first so that its "mask" stays with it).
ARG_RULES = {
    ("xfrm", "state", "add"): ("algo", "mark", "state_add_word", "id_word"),
    ("xfrm", "state", "update"): ("algo", "mark", "state_add_word", "id_word"),
    ("xfrm", "state", "allocspi"): ("mark", "state_allocspi_word", "id_word"),
    ("xfrm", "state", "delete"): ("mark", "state_get_word", "id_word"),
    ("xfrm", "state", "get"): ("mark", "state_get_word", "id_word"),
    ("xfrm", "state", "deleteall"): ("state_list_word", "id_word"),
    ("xfrm", "state", "list"): ("state_list_word", "id_word"),
    ("xfrm", "state", "flush"): ("state_flush_word",),
    ("xfrm", "policy", "add"): ("mark", "policy_add_word", "selector_word", "upspec_word"),
    ("xfrm", "policy", "update"): ("mark", "policy_add_word", "selector_word",
                                   "upspec_word"),
    ("xfrm", "policy", "delete"): ("mark", "policy_get_word", "selector_word",
                                   "upspec_word"),
    ("xfrm", "policy", "get"): ("mark", "policy_get_word", "selector_word", "upspec_word"),
    ("xfrm", "policy", "deleteall"): ("policy_list_word", "selector_word", "upspec_word"),
    ("xfrm", "policy", "list"): ("policy_list_word", "selector_word", "upspec_word"),
    ("xfrm", "policy", "flush"): ("policy_flush_word",),
    ("xfrm", "policy", "set"): ("policy_set_word",),
    ("xfrm", "policy", "setdefault"): ("policy_default_dir", "policy_default_action"),
    ("xfrm", "monitor"): ("monitor_word",),
    ("link", "add"): ("link_word",),
    ("link", "set"): ("link_word",),
    ("link", "replace"): ("link_word",),
    ("link", "delete"): ("link_word",),
    ("link", "show"): ("link_show_word",),
    ("link", "property"): ("link_property_op", "link_property_word"),
}
KIND_RULES = {"xfrm": "xfrm_link_word", "vti": "vti_link_word", "vti6": "vti_link_word"}
_VALUE_TERMINALS = ("NUMBER",)


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


def read(words):
    r = Reading(list(words))
    try:
        tree = grammar.parse(r.words)
    except grammar.GrammarError as e:
        r.stop = (e.index, e.expected)
        return r
    _tree(r, tree, 0, [])
    return r


def _tree(r, node, depth, path):
    for child in node.children:
        if not isinstance(child, grammar.Node):
            continue
        if child.rule == "args":
            _args(r, child.start, child.end, tuple(path))
            continue
        if child.alias:
            _group(r, child, depth, nested=False)
            _tree(r, child, depth, path + [child.alias])
        else:
            _tree(r, child, depth, path)


def _group(r, node, depth, nested=True):
    """A group for a node with an alias, and (deeper) for its nested aliased nodes; a
    command word (nested False) is its own words only."""
    own = [c for c in node.children if not isinstance(c, grammar.Node)]
    text = " ".join(r.words[node.start:node.end]) if nested else \
        " ".join(leaf.text for leaf in own)
    alias = node.alias or node.rule
    r.groups.append(Group(depth, node.rule, alias, node.start, node.end, text,
                          meaning(node.rule, alias), _values(own)))
    if not nested:
        return
    for c in node.children:
        if isinstance(c, grammar.Node):
            if c.alias and c.rule != "args":
                _group(r, c, depth + 1)
            elif c.rule != "args":
                for cc in c.children:
                    if isinstance(cc, grammar.Node) and cc.alias:
                        _group(r, cc, depth + 1)


def _args(r, start, end, path):
    r.path = path
    rules = ARG_RULES.get(path) or ARG_RULES.get(path[:2])
    if rules is None:
        return
    words = r.words
    i = start
    while i < end:
        got = _longest(words[:end], i, rules)
        if got is None:
            if path[0] == "link" and not any(g.alias == "device" for g in r.groups):
                n = 2 if words[i] == "dev" and i + 1 < end else 1
                r.groups.append(Group(0, "link", "device", i, i + n, " ".join(words[i:i + n]),
                                      "the device's name (a word that is no keyword, or "
                                      "dev NAME)", ""))
                i += n
                continue
            r.stop = _expected(words[:end], i, rules)
            return
        e, node = got
        if node.alias is None:          # a rule that only names another (tmpl_word: id)
            node = next((c for c in node.children if isinstance(c, grammar.Node)), node)
        _group(r, node, 0)
        if node.alias == "type" and path[0] == "link" and r.kind is None:
            r.kind = words[e - 1]
            if r.kind not in KIND_RULES:
                if e < end:
                    r.groups.append(Group(0, "link", "kind_args", e, end,
                                          " ".join(words[e:end]),
                                          "the %s kind's own arguments" % r.kind, ""))
                return
            rules = (KIND_RULES[r.kind],)       # ip hands every word after it to the kind
        i = e


def _longest(words, i, rules):
    """The first of `rules` that matches words[i:...] (the longest match of that rule)."""
    for rule in rules:
        p = grammar._Parser(words, RULES)
        got = p.rule(rule, i)
        if got is not None and got[0] > i:
            return got
    return None


def _expected(words, i, rules):
    """(index, expected words) where the furthest attempt of `rules` at words[i:] failed."""
    far, wanted = i, set()
    for rule in rules:
        p = grammar._Parser(words, RULES)
        p.rule(rule, i)
        if p.far > far:
            far, wanted = p.far, set(p.wanted)
        elif p.far == far:
            wanted |= p.wanted
    return far, sorted(wanted)


def meaning(rule, alias):
    return DOCS.get("%s.%s" % (rule, alias), "")


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
