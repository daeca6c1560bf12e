"""Why ip refuses a command, where the reason is a mistake people make often: a typo of a
keyword, a word of another command or a newer ip, a list written with commas, a length left
out.  Each hint is one or two sentences; none changes ip's verdict or message."""

# Words ip 6.1 does not know that newer ips do (iproute2 release, what it means there).
NEWER = {
    ("state", "dir"): "6.11 (kernel 6.10): the SA's direction, XFRMA_SA_DIR. ip 6.1 has no "
                      "SA direction; leave it out",
    ("state", "pcpu-num"): "6.19: per-CPU SAs",
    ("state", "packet"): "6.2: \"offload packet dev DEV dir DIR\" (full packet offload); "
                         "ip 6.1 knows only \"offload [dev DEV] dir DIR\" (crypto offload)",
    ("state", "crypto"): "6.2: \"offload crypto dev DEV dir DIR\"; in ip 6.1 write "
                         "\"offload dev DEV dir DIR\"",
    ("state", "iptfs"): "6.14: mode iptfs (IP-TFS, RFC 9347)",
    ("state", "nat-keepalive-interval"): "6.9: NAT keepalive of encapsulated SAs",
}


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
        newer = NEWER.get((obj, word))
        if newer:
            out.append('"%s" came with iproute2 %s.' % (word, newer))
        if word == "accept" and prev == "action":
            out.append('A policy\'s action is "allow" or "block"; "accept" is the word of '
                       '"setdefault" (DIR accept|block).')
        if word == "allow" and reading.path[-1:] == ("setdefault",):
            out.append('ip 6.1\'s setdefault takes "accept" or "block"; "allow" came with '
                       'iproute2 6.3.')
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
