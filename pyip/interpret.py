"""The grammar's tree drives a command: one handler per grammar alternative, Lark-Interpreter
style.  An Interpreter subclass names a method RULE__ALIAS for each alternative `-> alias`
of RULE (RULE for a rule whose alternatives have no alias); `run(words, start)` reads the
words with the compiled grammar (pyip.grammar.walk: ip's reading, no Lark) and visits the
tree in word order, so that each handler checks its own words where ip's loop would.

A word the command has no place for (ip's last `else`) goes to `stray(index)`, a word a
keyword rule refuses at a required position to `bad(index, rule)` (by default ip's invarg()
with the rule's //@invalid text), each after the handlers of the words before it.  A value
that ran out (ip's NEXT_ARG() at the end) is read as MISSING: `word()` then says ip's
"Command line is not complete", unless the handler asks for another message.

tests/offline/test_interpret.py holds the handler tables total: every alternative reachable
from an Interpreter's start rules has its handler, and every handler names an alternative.
"""
from pyip._tables import INVALID
from pyip.errors import incomplete_command, invarg
from pyip.tree import Leaf


def handler_name(rule, alias):
    """The method that reads the alternative `-> alias` of rule (rule's own for none)."""
    return rule if alias is None else rule + "__" + alias


def handlers_wanted(rules, starts, values=(), by_parent=(), elsewhere=()):
    """{method name: (rule, alias)} of every alternative reachable from the start rules, but
    the value tables' and those a parent reads; inlined _rules have no node of their own,
    and what lies below a rule read elsewhere is not this reader's."""
    from pyip.grammar import alternatives      # (the tests' question, not a command's)
    return {handler_name(rule, alias): (rule, alias)
            for rule, alias in alternatives(rules, starts, elsewhere)
            if rule[:1] != "_" and rule not in values and rule not in by_parent
            and rule not in elsewhere}


class _Cut(Exception):
    """The words were cut before a failure: the handlers of the words before it have run."""


class Interpreter:
    # the rules it reads a command from (RULES' names)
    STARTS = ()
    # rules whose alternatives are values of one table (rule -> {alias: value}): no method
    VALUES = {}
    # rules whose words a parent handler reads itself (no method of their own)
    READ_BY_PARENT = ()
    # a handler that takes words running out where ip does (its loop just ends) says so
    missing_ok = False
    # rules another reader reads (a kind's own parser): no handlers here, nothing below them
    ELSEWHERE = ()

    def run(self, words, start):
        # the walk is loaded by the first command that reads words (count, help do not);
        # a -batch loads it before its first line (pyip.batch.preload)
        from pyip.grammar import walk
        self.words = words
        tree, failure = walk(words, start)
        self.cut = failure is not None and failure[0] not in ("short", "end")
        try:
            result = self.visit(tree)
        except _Cut:
            result = None
        if failure is None:
            return result
        if failure[0] == "short":
            return self.ran_out()
        if failure[0] == "end":
            return result           # what the words lack, the command's checks name
        if failure[0] == "stray":
            return self.stray(failure[1])
        return self.bad(failure[1], failure[2])

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        cls._handlers = {}      # (rule, alias) -> the function, as visit() finds them

    def visit(self, node):
        if type(node) is Leaf:
            return self.words[node.index]
        known = node.handler
        if known is not None and known[0] is type(self):
            return known[1](self, node)
        key = node.rule, node.alias
        handler = self._handlers.get(key)
        if handler is None:
            name = handler_name(*key)
            handler = getattr(type(self), name, None)
            if handler is None:     # never skip a word silently: a grammar without its handler
                raise NotImplementedError("%s has no handler %s" % (type(self).__name__, name))
            self._handlers[key] = handler
        node.handler = type(self), handler
        return handler(self, node)

    def read_in_order(self, node):
        """The handler of a rule whose words are its children's: each read by its own
        handler, in word order (as ip's loop reads them)."""
        for child in node.children:
            self.visit(child)

    def value(self, node):
        """The value of a rule of VALUES (its alternative's alias in its table)."""
        return self.VALUES[node.rule][node.alias or node.rule]

    def word(self, node, k, missing=None):
        """The text of node's k-th child; when it ran out, ip's message (`missing()`, or
        "Command line is not complete")."""
        children = node.children
        if k < len(children):
            # by index: a -batch's trees serve every line of a shape; MISSING, and a rule
            # that ran out at once, start past the last word
            i = children[k].start
            if i < len(self.words):
                return self.words[i]
        if self.cut:
            raise _Cut()
        if missing is not None:
            missing()
        incomplete_command()

    def last(self, node):
        """The node's words end the command (ip's NEXT_ARG() after it would fail)."""
        return node.end >= len(self.words)

    def ran_out(self):
        """The words ran out inside an option: ip's NEXT_ARG() failing, unless a handler
        took that as ip's loop simply ending (missing_ok)."""
        if not self.missing_ok:
            incomplete_command()

    def stray(self, index):
        raise NotImplementedError("%s has no place for word %d" % (type(self).__name__, index))

    def bad(self, index, rule):
        from pyip.release import pick      # a later release's wording (RULE.RULE@X.Y)
        invarg(pick(INVALID, "%s.%s" % (rule, rule)), self.words[index])
