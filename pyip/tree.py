"""The reading of a command: a Node per rule matched, a Leaf per word (pyip.grammar makes
them, the Interpreters of pyip.interpret read them)."""


class Node:
    __slots__ = ("rule", "alias", "children", "start", "end", "handler")

    def __init__(self, rule, alias, children, start, end):
        self.rule, self.alias, self.children, self.start, self.end = \
            rule, alias, children, start, end
        self.handler = None     # (reader class, its handler): a -batch's kept trees keep it

    def __repr__(self):
        return "Node(%r, %r, %r, %d, %d)" % (self.rule, self.alias, self.children, self.start,
                                             self.end)

    def find(self, rule):
        """The nodes of `rule` in this tree, in word order (this one included)."""
        found = [self] if self.rule == rule else []
        for c in self.children:
            if isinstance(c, Node):
                found += c.find(rule)
        return found

    def pretty(self, indent=""):
        head = "%s%s%s" % (indent, self.rule, " -> " + self.alias if self.alias else "")
        lines = [head]
        for c in self.children:
            lines.append(c.pretty(indent + "  "))
        return "\n".join(lines)


class Leaf:
    __slots__ = ("kind", "text", "index", "is_value", "start")

    def __init__(self, kind, text, index, is_value=False):
        self.kind, self.text, self.index, self.is_value = kind, text, index, is_value
        self.start = index      # a node's first word, as a Node's

    def __repr__(self):
        return "Leaf(%r, %r, %d)" % (self.kind, self.text, self.index)

    def pretty(self, indent=""):
        if self.is_value:
            return "%s%s %s" % (indent, self.kind, quoted(self.text))
        if self.text != self.kind:
            return "%s%s [%s]" % (indent, quoted(self.kind), quoted(self.text))
        return "%s%s" % (indent, quoted(self.text))


def quoted(text):
    if text and not any(ch in text for ch in " \t\n'\"\\#"):
        return text
    return "'%s'" % text.replace("\\", "\\\\").replace("'", "\\'")


# where a committed option ran out of words (ip's NEXT_ARG() at the end)
MISSING = Leaf("MISSING", None, 1 << 62, True)     # past every command's last word
