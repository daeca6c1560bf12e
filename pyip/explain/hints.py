"""Why ip refuses a command, where the reason is a mistake people make often: a typo of a
keyword, a word of another command or a newer ip, a list written with commas, a length left
out.  Each hint is one or two sentences; none changes ip's verdict or message."""

# Words of kernel features no ip release pyip follows reads (up to 7.3): each release gives
# its own error; the words a newer ip does read are the grammar's gates (see gated()).
NO_IP = {
    ("state", "iptfs"): "mode iptfs (IP-TFS, RFC 9347) is the kernel's since Linux 6.14; no "
                        "ip release up to 7.3 reads it",
    ("state", "nat-keepalive-interval"): "NAT keepalive of encapsulated SAs is the kernel's "
                                         "since Linux 6.11; no ip release up to 7.3 reads it",
}


def _nodes(tree):
    yield tree
    for child in getattr(tree, "children", ()):
        yield from _nodes(child)


def _longest_tree(words, at):
    """The grammar's reading of the longest beginning of words that reaches past word at."""
    from pyip import grammar
    for j in range(len(words), at, -1):
        try:
            return grammar.parse(words[:j])
        except grammar.GrammarError:
            continue
    return None


def gated(words, at):
    """Where ip of the run's release refuses words[at] because the word is read only by
    other releases (the grammar's //@since or //@until gate): (the gate's key "rule.alias",
    the words of that alternative), else None.  The words are read as the newest and the
    oldest release pyip follows read them (the run's release is restored after)."""
    from pyip import release
    from pyip._rules import SINCE, UNTIL
    run = release.current()
    try:
        for other in (release.NEWEST, release.OLDEST):
            if other == run:
                continue
            release.opts.release = other
            tree = _longest_tree(words, at)
            for n in _nodes(tree) if tree is not None else ():
                key = "%s.%s" % (getattr(n, "rule", ""), getattr(n, "alias", ""))
                if (key in SINCE or key in UNTIL) and n.start <= at < n.end and not (
                        SINCE.get(key, run) <= run < UNTIL.get(key, (99, 0))):
                    return key, words[n.start:n.end]
    finally:
        release.opts.release = run
    return None


def gate_hint(words, at):
    """Why ip of the run's release refuses a word only other releases read."""
    found = gated(words, at)
    if found is None:
        return None
    from pyip import gates, release
    from pyip._docs import KERNEL
    from pyip._rules import SINCE, UNTIL
    from pyip._tables import DOCS
    key, written = found
    run = release.name(release.current())
    what = '"%s"' % " ".join(written)
    doc = DOCS.get(key)
    about = "%s (%s)" % (what, doc) if doc else what
    if key in SINCE:
        text = ("ip %s (the release this run follows) refuses %s: it %s.  A newer ip reads "
                "it (pyip follows one with --iproute2=R or PYIP_IPROUTE2=R)." % (
                    run, about, gates.needs(key, SINCE, {}, KERNEL)))
    else:
        text = ("ip %s (the release this run follows) refuses %s: it is %s." % (
            run, about, gates.read_until(UNTIL[key])))
    return text


def _nearest(word, choices):
    import difflib
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return close[0] if close else None


def _failed_word(words, stderr, reading):
    """The index of the word ip stopped at: the grammar's, else the first quoted word of
    ip's message found in the command."""
    if reading.stop is not None:
        return reading.stop[0]
    import re
    for quoted in re.findall(r'"([^"]*)"', stderr):
        for i in range(len(words) - 1, -1, -1):
            if words[i] == quoted:
                return i
    return None


def hints(words, stderr, reading):
    """[hint text] for a refused command."""
    out = []
    obj = reading.path[1] if len(reading.path) > 1 else ""
    at = _failed_word(words, stderr, reading)
    word = words[at] if at is not None and at < len(words) else None
    prev = words[at - 1] if at else None
    if word is not None:
        newer = gate_hint(words, at) or NO_IP.get((obj, word))
        if newer:
            out.append(newer if newer.endswith(".") else '"%s": %s.' % (word, newer))
        if word == "accept" and prev == "action":
            out.append('A policy\'s action is "allow" or "block"; "accept" is the word of '
                       '"setdefault" (DIR accept|block).')
        if "," in word:
            out.append('Flags are separate words, not a comma list: "flag %s".'
                       % " ".join(w for w in word.split(",") if w))
        expected = reading.stop[1] if reading.stop else []
        keywords = [e for e in expected if not e.isupper()]
        near = _nearest(word, keywords) if keywords and not newer and "," not in word \
            else None
        if near and near != word:
            out.append('Did you mean "%s"? (ip would accept: %s)' % (near, ", ".join(
                keywords[:12]) + (", ..." if len(keywords) > 12 else "")))
    for i, w in enumerate(words):
        if w in ("aead", "auth-trunc"):
            rest = words[i + 1:i + 4]
            what = "ICV length" if w == "aead" else "truncation length"
            if len(rest) < 3 or not rest[2].isdigit():
                out.append('"%s NAME KEY" needs the %s in bits after the key, e.g. "%s '
                           'rfc4106(gcm(aes)) 0x... 128".' % (w, what, w)
                           if w == "aead" else
                           '"%s NAME KEY" needs the %s in bits after the key, e.g. '
                           '"auth-trunc hmac(sha256) 0x... 128".' % (w, what))
    if "Not enough information: ID is required" in stderr:
        out.append("An SA needs at least its proto (and, for add, src, dst and spi).")
    seen = []
    for h in out:
        if h not in seen:
            seen.append(h)
    return seen
