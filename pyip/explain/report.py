"""`pyip explain IP-ARGS...`: one command explained -- its words, the defaults that apply,
the netlink messages it becomes, how it ties to other objects, and ip's verdict."""
from pyip.explain import capture, defaults, hints, messages, relations, text, words

PROBE = 32          # iplink_have_newlink(): an empty RTM_NEWLINK, ip's check that it works


class Explanation:
    def __init__(self, argv):
        self.argv = list(argv)
        self.reading = words.read(self.argv)
        self.run = capture.capture(self.argv)
        self.messages = []          # (decoded Message, probe?) in the order sent
        self.first = []             # each datagram sent: the number of its first message
        for proto, data in self.run.sent:
            self.first.append(len(self.messages) + 1)
            for m in messages.decode_all(proto, data):
                self.messages.append((m, m.length == PROBE and m.name == "RTM_NEWLINK"
                                      and m.flags == 5 and not any(r.raw for r in m.rows)))
        self.defaults = defaults.defaults(self.reading) if self.run.accepted else []
        self.relations = relations.relations(self.reading)
        self.hints = [] if self.run.accepted else hints.hints(self.argv, self.run.stderr,
                                                              self.reading)

    def as_dict(self):
        r = self.run
        return {
            "command": ["ip"] + self.argv,
            "accepted": r.accepted,
            "exit_status": r.rc,
            "error": r.stderr if not r.accepted else None,
            "declined_by_explain": r.declined,
            "stopped_at": self.reading.stop[0] if self.reading.stop else None,
            "expected": self.reading.stop[1] if self.reading.stop else None,
            "hints": self.hints,
            "words": [g.as_dict() for g in self.reading.groups],
            "defaults": self.defaults,
            "questions": [{"request": q.index, "about": q.about, "placeholder": q.answer}
                          for q in r.questions],
            "messages": [dict(m.as_dict(), probe=probe) for m, probe in self.messages],
            # the xfrm requests as the objects pyip -j prints (what list shows once the
            # kernel holds them, less what the kernel fills in: index, lifetimes, stats)
            "objects": [{"message": self.first[i], "object": o.as_dict()}
                        for i, o in sorted(r.objects.items())],
            "waits_for_kernel": r.waits,
            "relations": [{"key": k, "text": t} for k, t in self.relations],
        }

    def text(self):
        out = text.command("ip " + " ".join(text.quote(w) for w in self.argv), "", "    ")
        out.append("")
        r = self.run
        out.append("Words")
        for g in self.reading.groups:
            out += _group_lines(g)
        if self.reading.stop and not r.accepted:
            i, expected = self.reading.stop
            at = '"%s"' % self.argv[i] if i < len(self.argv) else "the end"
            out += text.wrap("the grammar stops at word %d (%s); it expected: %s"
                             % (i + 1, at, ", ".join(expected) or "nothing more"), "  ")
        if self.defaults:
            out += ["", "Defaults that apply (not written)"]
            for d in self.defaults:
                out += text.wrap(d, "  ", "    ")
        if self.messages:
            out += ["", "Netlink messages (the bytes pyip and ip send; seq/pid 0 here)"]
            out += self._message_lines()
        elif r.accepted:
            out += ["", "Netlink messages: none (nothing is sent to the kernel)"]
        if self.relations:
            out += ["", "How it ties to other objects"]
            for key, paragraphs in self.relations:
                for p in paragraphs:
                    out += text.paragraph(p)
        out += ["", "Verdict"]
        if r.accepted:
            v = "ip accepts this command (exit status 0)"
            if r.waits:
                v += "; what it prints then depends on the kernel's answer"
            out += text.wrap(v + ".", "  ", "  ")
        elif r.declined:
            out += text.wrap("explain does not explain this (exit status %d): %s; what ip "
                             "does with it is not judged here." % (r.rc, r.declined), "  ",
                             "  ")
            return "\n".join(out) + "\n"
        else:
            out += text.wrap("ip refuses this command with exit status %d and says:" % r.rc,
                             "  ")
            out += ["    " + line for line in r.stderr.rstrip("\n").split("\n")]
            for h in self.hints:
                out += text.wrap("Hint: " + h, "  ", "    ")
        return "\n".join(out) + "\n"

    def _message_lines(self):
        out = []
        n = 0
        places = self.run.placeholders
        asked = {q.index: q for q in self.run.questions}
        for i, (m, probe) in enumerate(self.messages):
            n += 1
            head = "%d. %s  %s  %d bytes" % (n, m.name, "|".join(m.flag_names()), m.length)
            out.append("  " + head)
            if probe:
                out += text.wrap("ip's check that the kernel knows RTM_NEWLINK (an empty "
                                 "request, sent once per process)", "     ", "     ")
                continue
            q = asked.get(i)
            if q is not None:
                out += text.wrap("ip first asks the kernel for %s; explain answers: %s"
                                 % (q.about, q.answer), "     ", "     ")
            for row in m.rows:
                out += _row_lines(row, places)
        return out


def _group_lines(g):
    indent = "  " + "  " * g.depth
    head = "%s%s" % (indent, g.text)
    lines = []
    if len(head) < 30:
        lines.append("%-30s %s" % (head, g.key))
    else:
        lines += text.wrap(g.text, indent, indent + "  ")
        lines.append(" " * 31 + g.key)
    if g.value:
        if len(lines[-1]) + len(g.value) + 4 <= text.WIDTH:
            lines[-1] += "  [%s]" % g.value
        else:
            lines += text.wrap("[%s]" % g.value, " " * 31, " " * 32)
    if g.meaning:
        lines += text.wrap(g.meaning, " " * 31, " " * 31)
    return lines


def _row_lines(row, places):
    indent = "     " + "  " * (row.depth - 1)
    value = row.value
    if capture.is_placeholder(row.raw, places) and not row.name.endswith("family"):
        value += "  <- placeholder"
    size = "[%d]" % row.size if row.size else ""
    name = indent + row.name
    if not value:
        return [(name + " " * max(1, 79 - len(name) - len(size)) + size).rstrip()]
    first = "%-40s %s" % (name, value)
    if len(first) + len(size) + 1 <= 79:
        return [first + " " * max(1, 79 - len(first) - len(size)) + size]
    lines = [name + " " * max(1, 79 - len(name) - len(size)) + size]
    lines += text.wrap(value, indent + "  ", indent + "  ")
    return lines
