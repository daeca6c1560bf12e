"""ip -batch FILE: lib/utils.c do_batch(), getcmdline() and makeargs().

Each line is a command without "ip".  '#' ends a line (even inside quotes, as in ip); a
backslash before the newline joins the next line; words may be quoted with ' or ".  A
command that returns non-zero prints "Command failed FILE:LINE" and stops the batch
(unless -force); an error that makes ip exit() ends the batch with that exit code.
"""
import sys

from pyip import out
from pyip.errors import Failed, IpExit, Unimplemented
from pyip.opts import opts

def lines(f):
    """(line number, text) per command, as getcmdline() joins and trims them.  `f` is read
    as bytes: only LF ends a line (getline()); a CR is a blank for makeargs()."""
    number = 0
    while True:
        line = _readline(f)
        if not line:
            return
        number += 1
        line = _text(line).split("#", 1)[0]
        while "\\\n" in line:
            more = _readline(f)
            if not more:
                # getcmdline() returns -1: the batch ends as at the end of the file
                out.error("Missing continuation line\n")
                return
            number += 1
            line = line[:line.index("\\\n")] + _text(more).split("#", 1)[0]
        yield number, line


def _text(raw):
    """A line as ip's C string functions see it: it ends at its first NUL."""
    if b"\0" in raw:
        raw = raw[:raw.index(b"\0")]
    return raw.decode("utf-8", "surrogateescape")


def _readline(f):
    """getline(): a read error (the FILE is a directory: EISDIR) or a line too long for
    memory (getline()'s ENOMEM, e.g. -batch /dev/zero) ends the input as EOF does."""
    try:
        return f.readline()
    except (OSError, MemoryError):
        return b""


def _delegated(unimplemented, line, options):
    """A line pyip does not implement: run by the system's ip where there is one (its
    status, or its exit() ending the batch), else pyip's message and a failed line."""
    if options is not None:
        from pyip import delegate
        ip = delegate.system_ip()
        if ip is not None:
            answer = delegate.batch_line(ip, options, line)
            if answer is not None:
                failed, code = answer
                if code:
                    raise IpExit("", code)
                return 1 if failed else 0
    out.error(unimplemented.message)
    return 1


_TO_SPACE = str.maketrans("\t\r\n", "   ")
MAX_ARGS = 512      # ip's largv[MAX_ARGS], one slot kept for the NULL


def _too_many():
    raise IpExit("Too many arguments to command\n", 1)     # ip exit(1)s: the batch ends


def makeargs(line):
    words = _makeargs(line)
    if len(words) >= MAX_ARGS:
        _too_many()
    return words


def _makeargs(line):
    if "'" not in line and '"' not in line:
        text = line[:-1] if line[-1:] == "\n" else line
        if text.isprintable():
            return text.split()     # its only white space is " ": str.split() is ip's split
        return [w for w in line.translate(_TO_SPACE).split(" ") if w]
    quotes = _whole_quoted_words(line)
    if quotes is not None:
        return quotes
    # ip's loop, word by word with C-level finds: a line of keys and quoted algorithm names
    # scanned a character at a time cost more than the rest of its command
    spaced = line.translate(_TO_SPACE)     # where line has white space, spaced has " "
    words = []
    i, n = 0, len(line)
    while i < n:
        while i < n and spaced[i] == " ":
            i += 1
        if i >= n:
            break
        if len(words) >= MAX_ARGS - 1:
            _too_many()         # before the next word is read, as ip counts
        quote = line[i]
        if quote == "'" or quote == '"':
            q = line.find(quote, i + 1)
            if q < 0:
                raise IpExit("Unterminated quoted string\n", 1)
            words.append(line[i + 1:q])
            i = q + 1       # only the closing quote is overwritten: "'a'b" is two words
        else:
            j = spaced.find(" ", i)
            if j < 0:
                j = n
            words.append(line[i:j])
            i = j + 1
    return words


def _whole_quoted_words(line):
    """The words of a printable line whose quotes are of one kind and each open a word,
    split at its quotes and spaces at once (ESP lines quote their algorithm names); None
    for any other line, which ip's loop in makeargs() splits."""
    if '"' not in line:
        q = "'"
    elif "'" not in line:
        q = '"'
    else:
        return None
    text = line[:-1] if line[-1:] == "\n" else line
    if not text.isprintable():      # a tab, CR or LF in a quoted word is the word's own
        return None
    parts = text.split(q)           # outside, quoted, outside, ... , outside
    last = len(parts) - 1
    if last % 2:
        return None                 # unterminated: ip's loop says so
    words = parts[0].split()
    for k in range(1, last, 2):
        # a quote opens a word where one may begin: after a space, at the start, or right
        # after a closing quote (a word ends there: "'a'b" is two words)
        if parts[k - 1][-1:] not in (" ", ""):
            return None
        words.append(parts[k])
        words += parts[k + 1].split()
    return words


def preload():
    """Import, before the first line, every module a line of xfrm or link may need: a
    module loaded in the middle of a batch can fail where ip, which has all its code,
    cannot (no descriptor left for the file under a low RLIMIT_NOFILE, no memory); the
    batch's lines then run without opening a module file.  (`xfrm check` and `explain`,
    pyip's own, still load theirs when first used.)  Some 12 ms, once per batch."""
    import importlib
    import os
    # the walk every line's words go through, and what lines of xfrm and link load late:
    # the release's choice, the system ip (lines pyip hands over), link-netns NAME's netns
    for name in ("pyip.grammar", "pyip.release", "pyip.delegate", "pyip.netns"):
        importlib.import_module(name)
    for package in ("pyip.xfrm", "pyip.link"):
        where = os.path.dirname(importlib.import_module(package).__file__)
        for entry in sorted(os.listdir(where)):
            if entry.endswith(".py") and entry != "__init__.py":
                importlib.import_module("%s.%s" % (package, entry[:-3]))


def run_batch(name, do_cmd, delegate_options=None):
    """do_batch(); with delegate_options (a list, for pyip the command), a line pyip does not
    implement is run by the system's ip with those global options (pyip.delegate)."""
    preload()
    if name == "-":
        if sys.stdin is None:           # fd 0 closed: ip's getline() fails at once
            return 0
        f = sys.stdin.buffer
    else:
        import os
        try:
            # freopen(name, "r"): a directory opens (its reads fail), so no open() here
            fd = os.open(name, os.O_RDONLY | os.O_CLOEXEC)
        except OSError as e:
            out.error('Cannot open file "%s" for reading: %s\n' % (name, os.strerror(e.errno)))
            return 1
        try:
            f = open(fd, "rb")
        except IsADirectoryError:
            os.close(fd)
            return 0
    opts.batch_mode = True
    family = opts.preferred_family
    ret = 0
    for number, line in lines(f):
        argv = makeargs(line)
        if not argv:
            continue
        opts.preferred_family = family
        try:
            status = do_cmd(argv)
        except Failed as e:
            out.error(e.message)
            status = e.code
        except Unimplemented as e:
            status = _delegated(e, line, delegate_options)
        if status:
            if out.flushes_per_object():
                out.flush()
            out.error("Command failed %s:%d\n" % (name, number))
            ret = 1
            if not opts.force:
                break
    return ret
