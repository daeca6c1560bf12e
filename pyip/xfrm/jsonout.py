"""pyip -j [-p] for xfrm (ip 6.1 prints text there): decoded objects (pyip.xfrm.objects)
written with ip's own JSON writer, as an array of objects like every `ip -j` command, and the
monitor's events one object per line.  The schema is in the README ("JSON for xfrm")."""
from pyip import out
from pyip.jsonw import Writer, quote
from pyip.opts import opts
from pyip.xfrm import msgs as m
from pyip.xfrm.common import print_dump
from pyip.xfrm import messages as X


def put(w, key, value):
    """One value (dict, list, str, int, bool, None) under `key` (None: an array item)."""
    if isinstance(value, dict):
        if key is not None:
            w.name(key)
            w.sep = ""
        w.begin("{")
        for k, v in value.items():
            put(w, k, v)
        w.end("}")
    elif isinstance(value, list):
        if key is not None:
            w.name(key)
            w.sep = ""
        w.start_array()
        for v in value:
            put(w, None, v)
        w.end_array()
    elif isinstance(value, bool):
        w.value(key, "true" if value else "false")
    elif isinstance(value, int):
        w.value(key, "%d" % value)
    elif value is None:
        w.value(key, "null")
    else:
        w.value(key, quote(value))


def text(values, pretty=False):
    """ip's `-j` form of a list of objects: an array, then a newline."""
    o = []
    put(Writer(o, pretty), None, values)
    o.append("\n")
    return "".join(o)


def write(objects, nokeys=False):
    out.write(text([x.as_dict(nokeys, opts.show_stats) for x in objects], opts.pretty))


def answer(msg):
    """The kernel's answer to get / count / getdefault, as a one-object array."""
    write([X.decode_message(msg)])
    return 0


def collect(nl, dump_type, request, keep):
    """The objects `keep(msg)` makes of a dump's messages (None: left out); the kernel's
    error and "Dump terminated" as the text listing has them."""
    from pyip.errors import IpExit
    from pyip.netlink import KernelError
    objs = []
    try:
        for msg in nl.dump(dump_type, request):
            o = keep(msg)
            if o is not None:
                objs.append(o)
    except KernelError as e:
        raise IpExit(e.message + "Dump terminated\n", 1)
    return objs


def dump(nl, dump_type, request, keep, nokeys=False):
    """The objects `keep(msg)` makes of a dump's messages, written as one array as they come
    (as ip's json_writer writes each value to stdout: memory holds a few objects, never the
    dump or its text), then the exit as the text listing has it (common.print_dump(), the
    text's loop).  Where the kernel ends the dump with an error, what was written stays, the
    array left open, before the error and "Dump terminated", as the text listing's objects
    do and ip's own JSON listings' do (`ip -j route show`: new_json_obj(), a failed
    rtnl_dump_filter(), no delete_json_obj()); an interrupted dump's warning follows the
    whole array."""
    o = []
    w = Writer(o, opts.pretty)
    w.start_array()
    stats = opts.show_stats

    def each(msg, o):
        x = keep(msg)
        if x is not None:
            put(w, None, x.as_dict(nokeys, stats))
        return 0

    def end(o):
        w.end_array()
        o.append("\n")
    # a few dozen objects' text at a time, as the text's listing writes its
    print_dump(nl, dump_type, request, each, o=o, end=end, chunk=4096)


_EVENTS = {m.XFRM_MSG_NEWSA: ("new", "state"), m.XFRM_MSG_UPDSA: ("updated", "state"),
           m.XFRM_MSG_DELSA: ("deleted", "state"), m.XFRM_MSG_EXPIRE: ("expired", "state"),
           m.XFRM_MSG_NEWPOLICY: ("new", "policy"), m.XFRM_MSG_UPDPOLICY: ("updated", "policy"),
           m.XFRM_MSG_DELPOLICY: ("deleted", "policy"),
           m.XFRM_MSG_POLEXPIRE: ("expired", "policy"), m.XFRM_MSG_ACQUIRE: ("acquire", "acquire"),
           m.XFRM_MSG_FLUSHSA: ("flushed", "flush"), m.XFRM_MSG_FLUSHPOLICY: ("flushed", "flush"),
           m.XFRM_MSG_REPORT: ("report", "report"), m.XFRM_MSG_NEWAE: ("aevent", "aevent"),
           m.XFRM_MSG_MAPPING: ("mapping", "mapping"),
           m.XFRM_MSG_GETDEFAULT: ("default", "default")}


def event(msg, nsid, nokeys, all_nsid, stamp):
    """One monitor event as one line of JSON, or "" for what ip's monitor does not print."""
    mtype = msg[4] | msg[5] << 8
    what = _EVENTS.get(mtype)
    if what is None:
        return ""
    d = {}
    if stamp:
        d["timestamp"] = stamp
    if all_nsid:
        d["nsid"] = "current" if nsid is None or nsid < 0 else nsid
    obj = X.decode_message(msg)
    d["event"] = what[0]
    # ip hides no keys of SA events, only of reports
    d[what[1]] = obj.as_dict(nokeys if what[1] == "report" else False, opts.show_stats)
    o = []
    put(Writer(o, False), None, d)
    return "".join(o) + "\n"
