"""Text for an 80-column terminal: wrapping and quoting."""
WIDTH = 79


def wrap(paragraph, first, rest=None):
    """The paragraph as lines no wider than WIDTH (a word longer than a line stays whole)."""
    rest = first if rest is None else rest
    lines = []
    line = first
    fresh = True
    for word in paragraph.split():
        if not fresh and len(line) + 1 + len(word) > WIDTH:
            lines.append(line)
            line, fresh = rest, True
        line += ("" if fresh else " ") + word
        fresh = False
    if not fresh:
        lines.append(line)
    return lines


def quote(word):
    if word and not any(c in word for c in " \t\n'\"\\#()$;&|<>*?"):
        return word
    return "'%s'" % word.replace("'", "'\\''")


def command(line, first, rest):
    """A shell command as lines no wider than WIDTH, continued with backslashes."""
    lines = []
    cur = first
    fresh = True
    for word in line.split():
        if not fresh and len(cur) + 1 + len(word) > WIDTH - 2:
            lines.append(cur + " \\")
            cur, fresh = rest, True
        cur += ("" if fresh else " ") + word
        fresh = False
    lines.append(cur)
    return lines


def paragraph(p, first="  ", rest="    "):
    """A relation text: prose wrapped; lines that start with "ip " are commands."""
    out = []
    for j, part in enumerate(p.split("\n")):
        part = part.strip()
        if part.startswith("ip "):
            out += command(part, rest, rest + "    ")
        else:
            out += wrap(part, first if j == 0 else rest, rest)
    return out
