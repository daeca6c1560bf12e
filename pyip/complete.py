"""Shell completion: what may come next on a pyip command line, from the compiled grammar.

completion/pyip (bash) runs `pyip` with _PYIP_COMPLETE=bash, COMP_LINE and COMP_POINT (and
_PYIP_COMMAND, the command word as typed) in the environment and bash's own current word (split at COMP_WORDBREAKS, so "2001:db8::"
may be only its last part) as the one argument; bin/pyip hands that to main() here, which
prints one candidate a line: keywords the grammar accepts next (pyip.grammar.expected()
reads earlier words with ip's prefix rules), or for a value word the names this machine
has (devices -- of the namespace of -n NS where the line names one --, namespaces,
algorithms, protocols).  No Lark, and nothing is sent to the
kernel.  Exit status 3 asks the shell to complete file names instead.
"""
import os

from pyip import release
from pyip.grammar import expected
from pyip._tables import RULES, TERMINALS

FILES = 3

# ip-xfrm(8)'s algorithm names, by the ALGO keyword before them; /proc/crypto adds the
# loaded ones of the same shapes.
ALGORITHMS = {
    "enc": ("ecb(cipher_null)", "cbc(des)", "cbc(des3_ede)", "cbc(cast5)", "cbc(blowfish)",
            "cbc(aes)", "cbc(serpent)", "cbc(camellia)", "cbc(twofish)",
            "rfc3686(ctr(aes))"),
    "auth": ("digest_null", "hmac(md5)", "hmac(sha1)", "hmac(sha256)", "hmac(sha384)",
             "hmac(sha512)", "hmac(rmd160)", "xcbc(aes)"),
    "aead": ("rfc4106(gcm(aes))", "rfc4309(ccm(aes))", "rfc4543(gcm(aes))"),
    "comp": ("deflate", "lzs", "lzjh"),
}
ALGORITHMS["auth-trunc"] = ALGORITHMS["auth"]
# /proc/crypto "type" -> the ALGO keywords whose names it lists, and the names' shape.
CRYPTO_TYPES = {"skcipher": ("enc", ("cbc(", "rfc3686(", "ctr(")),
                "shash": ("auth", ("hmac(", "xcbc(", "cmac(")),
                "ahash": ("auth", ("hmac(", "xcbc(", "cmac(")),
                "aead": ("aead", ("rfc4106(", "rfc4309(", "rfc4543(", "rfc7539")),
                "compression": ("comp", ("",)), "acomp": ("comp", ("",)),
                "scomp": ("comp", ("",))}

# A NAME after these keywords names a network namespace; after the others, a device.
NETNS_KEYWORDS = {"-netns", "netns", "link-netns"}
NAME_NOT_A_DEVICE = {"name", "alias", "altname", "label", "group", "type", "mode", "state",
                     "addrgenmode", "parentdev"}


def split_line(line):
    """The words of line (up to the cursor) as the shell reads quotes and backslashes: the
    finished words, the word at the cursor ("" after a blank) and that word as typed."""
    words, word, raw, quote, started = [], "", "", None, False
    chars = iter(line)
    for c in chars:
        if quote:
            raw += c
            if c == quote:
                quote = None
            elif c == "\\" and quote == '"':
                nxt = next(chars, "")
                raw += nxt
                word += nxt
            else:
                word += c
        elif c in " \t\n":
            if started:
                words.append(word)
            word, raw, started = "", "", False
        elif c in "'\"":
            quote, started, raw = c, True, raw + c
        elif c == "\\":
            nxt = next(chars, "")
            word, raw, started = word + nxt, raw + c + nxt, True
        else:
            word, raw, started = word + c, raw + c, True
    return words, word, raw


def shell_quote(text, raw):
    """text as the rest of a word the user began as raw: in the same quotes, or with
    backslashes before the characters the shell would read."""
    if raw[:1] in ("'", '"'):
        return raw[0] + text + raw[0]
    return "".join("\\" + c if c in " \t\n'\"\\()<>;&|$`*?[]{}!#~" else c for c in text)


def _listdir(path):
    try:
        return sorted(os.listdir(path))
    except OSError:
        return []


def netns_option(words):
    """The namespace a line's `-n NS` names (-netns NS, --netns NS, -n=NS: ip's prefixes of
    -netns), or None.  The last one counts, as ip's last switch does."""
    found = None
    for i, w in enumerate(words):
        opt, eq, value = w.partition("=")
        o = opt[1:] if opt.startswith("--") else opt
        if len(o) > 1 and "-netns".startswith(o):
            found = value if eq else (words[i + 1] if i + 1 < len(words) else None)
    return found


def devices(before=()):
    """The devices of the line's namespace: the host's (/sys/class/net), or with -n NS
    those NS has (if_nameindex() after entering it: /sys shows the namespace it was
    mounted in; none where NS cannot be entered)."""
    ns = netns_option(before)
    if not ns:
        return _listdir("/sys/class/net")
    import ctypes
    import socket
    try:
        fd = os.open(os.path.join("/run/netns", ns), os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return []
    # this process only completes: it may move into NS for good
    if ctypes.CDLL(None, use_errno=True).setns(fd, 0x40000000) != 0:     # CLONE_NEWNET
        return []
    return sorted(name for _, name in socket.if_nameindex())


def namespaces():
    return _listdir("/run/netns")


def algorithms(kind):
    names = list(ALGORITHMS.get(kind, ()))
    try:
        with open("/proc/crypto") as f:
            text = f.read()
    except OSError:
        text = ""
    name = None
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if key == "name":
            name = value
        elif key == "type" and name and value in CRYPTO_TYPES:
            for_kind, shapes = CRYPTO_TYPES[value]
            if (for_kind == kind or (for_kind == "auth" and kind == "auth-trunc")) and \
                    name.startswith(shapes) and name not in names:
                names.append(name)
    return names


def protocols():
    """The names of /etc/protocols (and ip's "any") for a selector's proto."""
    names = ["any"]
    try:
        with open("/etc/protocols") as f:
            for line in f:
                fields = line.split("#", 1)[0].split()
                if fields and fields[0] not in names:
                    names.append(fields[0])
    except OSError:
        pass
    return names


def keyword_before(before):
    """The keyword the last word stands for (ip's prefixes: "-n" is -netns), or the word."""
    if not before:
        return ""
    prev = before[-1]
    full = [k for k in expected(before[:-1]) if k not in TERMINALS and k.startswith(prev)]
    return prev if prev in full or len(full) != 1 else full[0]


def groups():
    """Device group names, as ip reads them."""
    from pyip.rtnames import groups
    return sorted(set(groups().values()))


# The grammar's rules whose alternatives are the device kinds of `type`.
KIND_RULES = ("link_type", "no_option_kind", "ip_kind")


def kinds():
    """The device kinds the grammar names (those `link add ... type` takes)."""
    found = []
    for rule in KIND_RULES:
        if rule in RULES:
            found += [k for k in expected([], start=rule) if k not in TERMINALS]
    return found


def names(before):
    """A NAME after -netns/netns/link-netns is a namespace; after name, alias, ... a new
    word; otherwise a device."""
    prev = keyword_before(before)
    if prev in NETNS_KEYWORDS:
        return namespaces()
    return [] if prev in NAME_NOT_A_DEVICE else devices(before)


# value TERMINAL -> the names this machine has for it (FILES: the shell's file names)
HINTS = {
    "FILE": FILES,
    "ALGO_NAME": lambda before: algorithms(keyword_before(before)),
    "PROTO": lambda before: protocols(),
    "DEV": devices,
    "GROUP": lambda before: groups(),
    "TYPE": lambda before: kinds(),
    "KIND": lambda before: kinds(),
    "NAME": names,
}


def hints(terminal, before):
    """Names this machine has for a value word `terminal` after the words `before`, or
    FILES."""
    hint = HINTS.get(terminal)
    return hint if hint is FILES or hint is None else hint(before)


def _netns_equals(words):
    """-n=NS as the two words -n NS (the grammar's options have no "=" form)."""
    out = []
    for w in words:
        opt, eq, value = w.partition("=")
        o = opt[1:] if opt.startswith("--") else opt
        out += [opt, value] if eq and len(o) > 1 and "-netns".startswith(o) else [w]
    return out


def candidates(words, cur):
    """Every completion of the word cur after words (full words, not yet quoted), or None
    for file names."""
    words = _netns_equals(words)
    found = []
    for item in expected(words):
        if item in TERMINALS:
            found_names = hints(item, words)
            if found_names is FILES:
                return None
            found += found_names or []
        else:
            found.append(item)
    words = set(found)
    if not cur.startswith("--"):
        # ip takes "--stats" for "-stats" and "--" for the end of options: offered only
        # to a word that begins so
        words -= {w for w in words if w.startswith("--") and (w == "--" or w[1:] in words)}
    seen = set()
    return [w for w in found if w in words and w.startswith(cur)
            and not (w in seen or seen.add(w))]


def release_words(words, cur):
    """The line's own release (pyip's `--iproute2=R` words at its front, as pyip.main reads
    them; else PYIP_IPROUTE2 or the system ip's, as release.current() chooses): set for this
    run, so that the grammar offers only what ip of that release takes (//@since, //@until).
    Returns (the words after them, the option's own completions where cur may begin one),
    or None where the line names a release pyip does not follow (nothing to offer: the
    command would stop there)."""
    try:
        rest = release.take_option(words)
    except release.BadRelease:
        return None
    if rest or not cur.startswith("--i"):
        return rest, []
    # first on the line: the option with each verified release (any between is taken too)
    return rest, [w for w in (release.OPTION + release.name(r) for r in release.VERIFIED)
                  if w.startswith(cur)]


def main(bash_word):
    line = os.environ.get("COMP_LINE", "")
    point = os.environ.get("COMP_POINT", "")
    words, cur, raw = split_line(line[:int(point)] if point.isdigit() else line)
    # the line may begin before pyip ("sudo pyip", "ip netns exec NS pyip")
    command = os.environ.get("_PYIP_COMMAND")
    start = words.index(command) + 1 if command in words else 1
    taken = release_words(words[start:], cur)
    if taken is None:
        return 0
    found = candidates(taken[0], cur)
    if found is None:
        return FILES
    found = taken[1] + found
    # bash replaces only its own current word (split at COMP_WORDBREAKS): drop what comes
    # before it in ours
    cut = len(raw) - len(bash_word) if raw.endswith(bash_word) else 0
    if found:
        os.write(1, "".join(shell_quote(w, raw)[cut:] + "\n" for w in found).encode())
    return 0
