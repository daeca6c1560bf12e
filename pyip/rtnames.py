"""Names of numbers, as lib/rt_names.c reads them: device groups from /etc/iproute2/group,
protodown reasons from /etc/iproute2/protodown_reasons.d/*.conf."""
CONFDIR = "/etc/iproute2"

_groups = None


def _read(path, table):
    """rtnl_hash_initialize(): "ID NAME" lines (ID decimal or 0x hex), '#' comments."""
    try:
        f = open(path, "rb")
    except OSError:
        return
    with f:
        for raw in f:
            line = raw.decode("utf-8", "surrogateescape").lstrip(" \t")
            if not line or line[0] in "#\n":
                continue
            words = line.split()
            if len(words) < 2:
                continue
            num = words[0]
            try:
                ident = int(num[2:], 16) if num[:2] == "0x" else int(num)
            except ValueError:
                continue
            table.setdefault(ident, words[1])


def groups():
    global _groups
    if _groups is None:
        _groups = {0: "default"}
        table = {}
        _read(CONFDIR + "/group", table)
        _groups.update(table)
    return _groups


def group_n2a(ident, numeric=False):
    if not numeric:
        name = groups().get(ident)
        if name is not None:
            return name
    return "%d" % ident


def group_a2n(text):
    """rtnl_group_a2n(): a name from the table, else a C strtol() number >= 0; None if not."""
    for ident, name in groups().items():
        if name == text:
            return ident
    from pyip.words import strtoul
    s = text.lstrip(" \t\n\v\f\r")
    neg = s[:1] == "-"
    value = strtoul(s[1:] if s[:1] in "+-" and s else s, 64)
    if value is None or s[1:2] in ("+", "-") and s[:1] in "+-":
        return None
    value = (-value if neg else value) & 0xffffffff     # strtol()'s long lands in an int
    return None if value >= 1 << 31 else value


_reasons = None


def protodown_reason_a2n(text):
    """protodown_reason_a2n(): a reason's name (the *.conf files, in directory order, a later
    line for the same bit winning as in rtnl_tab_initialize()) or a number below 32."""
    global _reasons
    if _reasons is None:
        import os
        _reasons = {}
        d = CONFDIR + "/protodown_reasons.d"
        try:
            entries = os.listdir(d)
        except OSError:
            entries = []
        for entry in entries:
            if entry[:1] == "." or len(entry) <= 5 or not entry.endswith(".conf"):
                continue
            table = {}
            _read("%s/%s" % (d, entry), table)
            _reasons.update((k, v) for k, v in table.items() if 0 <= k <= 32)
    for bit in range(32):
        if _reasons.get(bit) == text:
            return bit
    from pyip.words import strtoul
    value = strtoul(text, 64)
    return value if value is not None and value < 32 else None
