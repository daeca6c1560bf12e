"""Names of numbers, as lib/rt_names.c reads them: device groups from /etc/iproute2/group,
protodown reasons from /etc/iproute2/protodown_reasons.d/*.conf, routing tables from
/etc/iproute2/rt_tables and rt_tables.d/*.conf, TOS values from /etc/iproute2/rt_dsfield."""
CONFDIR = "/etc/iproute2"
# From 6.5 (iproute2 0a0a8f12, "Read configuration files from /etc and /usr") a file absent
# from /etc/iproute2 is read from the distribution's copy (Debian: /usr/share/iproute2, where
# its packages from 6.5 on ship them), and a *.d directory's files are read from both, /etc's
# of the same name instead of /usr's.
USR_CONFDIR = "/usr/share/iproute2"
USR_CONF_SINCE = (6, 5)


def _usr():
    from pyip.release import since
    return since(USR_CONF_SINCE)


def _conf(name):
    """The path of config file `name` ip reads: /etc's, or (6.5 on) /usr's where /etc has
    none (fopen()'s ENOENT)."""
    import os
    path = CONFDIR + "/" + name
    if _usr() and not os.path.exists(path):     # fopen()'s ENOENT (a dangling link too)
        return USR_CONFDIR + "/" + name
    return path


def _conf_dir(name):
    """The files of config directory `name` in the order ip reads them: (6.5 on) /usr's not
    overridden by a file of the same name in /etc's, then /etc's."""
    import os
    etc = _conf_files(CONFDIR + "/" + name)
    if not _usr():
        return etc
    usr = [p for p in _conf_files(USR_CONFDIR + "/" + name)
           if not os.path.lexists(CONFDIR + "/" + name + "/" + os.path.basename(p))]
    return usr + etc


def _cached(cache, build):
    """A table built once per way of reading the config (up to 6.4, from 6.5: a process
    can run releases of both)."""
    key = _usr()
    table = cache.get(key)
    if table is None:
        table = cache[key] = build()
    return table

_groups = {}


def _entries(path):
    """rtnl_hash_initialize()'s reading: (ID, NAME) of each "ID NAME" line (ID decimal or 0x
    hex), '#' comments."""
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
            yield ident, words[1]


def _read(path, table):
    for ident, name in _entries(path):
        table.setdefault(ident, name)


def groups():
    return _cached(_groups, _read_groups)


def _read_groups():
    groups = {0: "default"}
    table = {}
    _read(_conf("group"), table)
    groups.update(table)
    return groups


_dsfields = {}


def _read_dsfields():
    dsfields = {0: "0"}
    for ident, name in _entries(_conf("rt_dsfield")):
        if 0 <= ident < 256:
            dsfields[ident] = name
    return dsfields


def dsfield_a2n(text):
    """rtnl_dsfield_a2n(): the lowest value of that name in rt_dsfield (a later line of a
    value wins, "0" is 0's name), else hex up to 0xff; None if neither."""
    dsfields = _cached(_dsfields, _read_dsfields)
    for ident in sorted(dsfields):
        if dsfields[ident] == text:
            return ident
    from pyip.words import strtoul
    value = strtoul(text, 64, 16)
    return value if value is not None and value <= 255 else None


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


def _conf_files(d):
    """The files of a *.d directory ip reads, in directory order: names ending in ".conf"
    (and longer than that), not starting with "."."""
    import os
    try:
        entries = os.listdir(d)
    except OSError:
        return []
    return ["%s/%s" % (d, e) for e in entries
            if e[:1] != "." and len(e) > 5 and e.endswith(".conf")]


_reasons = {}


def _read_reasons():
    reasons = {}
    for path in _conf_dir("protodown_reasons.d"):
        table = {}
        _read(path, table)
        reasons.update((k, v) for k, v in table.items() if 0 <= k <= 32)
    return reasons


def protodown_reason_a2n(text):
    """protodown_reason_a2n(): a reason's name (the *.conf files, in directory order, a later
    line for the same bit winning as in rtnl_tab_initialize()) or a number below 32."""
    reasons = _cached(_reasons, _read_reasons)
    for bit in range(32):
        if reasons.get(bit) == text:
            return bit
    from pyip.words import strtoul
    value = strtoul(text, 64)
    return value if value is not None and value < 32 else None


_rttables = {}


def _read_rttables():
    table = {253: "default", 254: "main", 255: "local"}
    names = {}
    _read_all(_conf("rt_tables"), names)
    for path in _conf_dir("rt_tables.d"):
        _read_all(path, names)
    # ip looks through its hash's 256 buckets in order: the first name found wins
    order = sorted(set(table) | set(names), key=lambda ident: ident & 255)
    rttables = {}
    for ident in order:
        for name in names.get(ident, []) + ([table[ident]] if ident in table else []):
            rttables.setdefault(name, ident)
    return rttables


def rttable_a2n(text):
    """rtnl_rttable_a2n(): a routing table's name (default, main, local, then
    /etc/iproute2/rt_tables and rt_tables.d/*.conf) or a C strtoul() number up to 2^32-1;
    None if neither."""
    ident = _cached(_rttables, _read_rttables).get(text)
    if ident is not None:
        return ident
    from pyip.words import strtoul
    value = strtoul(text, 64)
    return value if value is not None and value <= 0xffffffff else None


def _read_all(path, names):
    """Every name of each ID, newest first (rtnl_hash_initialize() puts each entry at the
    head of its bucket's chain)."""
    for ident, name in _entries(path):
        names.setdefault(ident, []).insert(0, name)
