"""A reader of the real ip's xfrm text (state/policy list and get, count, getdefault), into
dicts keyed as pyip's JSON documents them: what a test holds pyip's -j against.  It is written
from ip's output formats, independently of pyip's printers and decoders."""
import re

_NUM_PAREN = re.compile(r"^(\w+)\((\w+)\)$")


def _int(word):
    """ip's numbers: "5", "0x10", "5(0x00000005)", "0x00000100(256)", "(INF)"."""
    if word == "(INF)":
        return (1 << 64) - 1
    m_ = _NUM_PAREN.match(word)
    if m_:
        word = m_.group(1)
    return int(word, 16) if word.startswith("0x") else int(word)


def _mark(word):
    v, _, k = word.partition("/")
    return {"value": _int(v), "mask": _int(k)}


def objects(text, oneline=False):
    """The text's objects, each as a list of its lines (tabs kept)."""
    if oneline:
        text = "\n".join(line.replace("\\", "\n") for line in text.split("\n"))
    objs = []
    for line in text.split("\n"):
        if not line:
            continue
        if not line.startswith((" ", "\t")):
            objs.append([])
        objs[-1].append(line)
    return objs


def _flags(words):
    return [w for w in words if not w.startswith("(0x")]


def selector(words):
    """src A/N dst B/M [proto P] [sport|dport|type|code|key N] [dev D] [uid U]"""
    d = {}
    i = 0
    while i < len(words):
        key, value = words[i], words[i + 1]
        if key in ("src", "dst", "dev"):
            d[key] = value
        elif key == "proto":
            d[key] = int(value) if value.isdigit() else value
        elif key == "(dport)":          # mobility header, -s: the port's bytes read backwards
            d["dport"] = int.from_bytes(int(value, 16).to_bytes(2, "little"), "big")
        else:
            d[key] = int(value)
        i += 2
    return d


def _algo(words, stats, extra):
    d = {"name": words[1]}
    rest = words[2:]
    if extra:
        d[extra] = int(rest[-1])
        rest = rest[:-1]
    if rest and rest[0] == "<<Keys":
        return d, True
    d["key"] = rest[0] if rest else ""
    if stats and len(rest) > 1:
        d["key_bits"] = int(rest[1].lstrip("("))
    return d, False


def _common(d, words, line, stats, state):
    """The attribute lines states and policies share (xfrm_xfrma_print()); True if taken."""
    w = words[0]
    if w == "mark":
        d["mark"] = _mark(words[1])
        if len(words) > 2 and words[2] == "output-mark":
            v = words[3].split("/")
            d["output_mark"] = {"value": _int(v[0])}
            if len(v) > 1:
                d["output_mark"]["mask"] = _int(v[1])
    elif w == "output-mark":
        v = words[1].split("/")
        d["output_mark"] = {"value": _int(v[0])}
        if len(v) > 1:
            d["output_mark"]["mask"] = _int(v[1])
    elif w in ("auth", "enc", "comp", "aead", "auth-trunc"):
        extra = {"aead": "icv_len", "auth-trunc": "trunc_len"}.get(w)
        a, hidden = _algo(words, stats, extra)
        d[w.replace("-", "_")] = a
        state["hidden"] = state.get("hidden", False) or hidden
    elif w == "encap":
        d["encap"] = {"type": words[2], "sport": int(words[4]), "dport": int(words[6]),
                      "addr": words[8]}
    elif w == "anti-replay" and words[1] == "context:":
        d["anti_replay"] = {"seq": _int(words[3].rstrip(",")),
                            "oseq": _int(words[5].rstrip(",")), "bitmap": _int(words[7])}
    elif w == "anti-replay" and words[1] == "esn":
        d["anti_replay_esn"] = {}
        state["in"] = "esn"
    elif w == "if_id":
        d["if_id"] = _int(words[1])
    elif w == "tfcpad":
        d["tfcpad"] = int(words[1])
    elif w == "dir" and line.startswith("\tdir "):     # an SA's (ip >= 6.11)
        d["dir"] = words[1]
    elif w == "pcpu-num":                               # ip >= 6.19
        d["pcpu_num"] = int(words[1])
    elif w == "coa":
        d["coa"] = words[1]
    elif w == "lastused":
        d["lastused"] = None          # a time (masked in recordings): presence only
    elif w == "security":
        d["ctx"] = line.split("security context ", 1)[1].rstrip(" ")
    elif w == "crypto":
        d["offload"] = {"dev": words[4], "dir": words[6]}
    else:
        return False
    return True


def _lifetime(d, words, state):
    w = " ".join(words)
    if w == "lifetime config:":
        d["lifetime"] = {}
        state["in"] = "lifetime"
    elif w == "lifetime current:":
        d["lifetime_cur"] = {}
        state["in"] = "lifetime_cur"
    elif w == "stats:":
        state["in"] = "stats"
    elif words[0] == "limit:":
        unit = "byte" if "(bytes)" in words[2] else "packet"
        d["lifetime"][unit + "_soft"] = _int(words[2].split("(b")[0].split("(p")[0]
                                             if not words[2].startswith("(INF)") else "(INF)")
        d["lifetime"][unit + "_hard"] = _int(words[4].split("(b")[0].split("(p")[0]
                                             if not words[4].startswith("(INF)") else "(INF)")
    elif words[0] == "expire":
        kind = "time" if words[1] == "add:" else "time_use"
        d["lifetime"][kind + "_soft"] = int(words[3].split("(")[0])
        d["lifetime"][kind + "_hard"] = int(words[5].split("(")[0])
    elif state.get("in") == "lifetime_cur" and words[0].endswith("(bytes),"):
        d["lifetime_cur"]["bytes"] = int(words[0].split("(")[0])
        d["lifetime_cur"]["packets"] = int(words[1].split("(")[0])
    elif state.get("in") == "lifetime_cur" and words[0] == "add":
        pass                            # times: masked in recordings
    elif state.get("in") == "stats" and words[0] == "replay-window":
        d["stats"] = {"replay_window": int(words[1]), "replay": int(words[3]),
                      "failed": int(words[5])}
    else:
        return False
    return True


def state(lines, stats=False):
    """One SA's lines -> (dict, keys hidden?)."""
    words = lines[0].split()
    d = {"src": words[1], "dst": words[3]}
    st = {}
    for line in lines[1:]:
        # ip prints no space between the last flag and "extra_flag"
        words = line.replace("extra_flag", " extra_flag").split()
        if not words:
            continue
        w = words[0]
        if st.get("in") == "esn" and w != "sel" and not _common(d, words, line, stats, st):
            esn = d["anti_replay_esn"]
            if w == "seq-hi":
                for k, v in zip(words[::2], words[1::2]):
                    esn[k.replace("-", "_")] = _int(v.rstrip(","))
            elif w == "replay_window":
                esn["replay_window"] = int(words[1].rstrip(","))
                esn["bmp_len"] = int(words[3])
            else:
                esn.setdefault("bmp", []).extend(int(x, 16) for x in words)
            continue
        st.pop("in", None) if st.get("in") == "esn" else None
        if w == "proto":
            d["proto"] = int(words[1]) if words[1].isdigit() else words[1]
            i = 2
            while i < len(words):
                key, value = words[i], words[i + 1]
                d[key] = value if key == "mode" else _int(value)
                i += 2
        elif w == "replay-window" and "stats" not in st.get("in", ""):
            d["replay_window"] = int(words[1])
            i = 2
            while i < len(words):
                if words[i] == "seq":
                    d["seq"] = int(words[i + 1][2:])        # ip prints it "0x%08u"
                    i += 2
                elif words[i] == "flag":
                    j = i + 1
                    while j < len(words) and words[j] != "extra_flag" and \
                            not words[j].startswith("(0x"):
                        j += 1
                    d["flags"] = _flags(words[i + 1:j])
                    i = j
                elif words[i] == "extra_flag":
                    j = i + 1
                    while j < len(words) and not words[j].startswith("(0x"):
                        j += 1
                    d["extra_flags"] = words[i + 1:j]
                    i = j
                else:
                    i += 1
            if stats and "flags" not in d:
                d["flags"] = []
        elif w == "sel":
            d["sel"] = selector(words[1:])
        elif _common(d, words, line, stats, st):
            pass
        elif _lifetime(d, words, st):
            pass
        else:
            raise ValueError("unread SA line: %r" % line)
    return d, st.get("hidden", False)


def policy(lines, stats=False):
    d = {"sel": selector(lines[0].split())}
    st = {}
    tmpl = None
    for line in lines[1:]:
        words = line.split()
        if not words:
            continue
        w = words[0]
        if line.startswith("\t\t") and tmpl is not None:
            i = 0
            while i < len(words):
                key = words[i]
                if key in ("enc-mask", "auth-mask", "comp-mask"):
                    tmpl[key.replace("-", "_")] = int(words[i + 1], 16)
                elif key in ("proto", "mode", "level", "share"):
                    tmpl[key] = words[i + 1]
                else:
                    tmpl[key] = _int(words[i + 1])
                i += 2
            continue
        if w in ("dir", "socket"):
            d["dir"] = words[1]
            d["socket"] = w == "socket"
            i = 2
            while i < len(words):
                key = words[i]
                if key == "flag":
                    d["flags"] = _flags(words[i + 1:])
                    break
                d[key] = _int(words[i + 1]) if key in ("index", "priority") else words[i + 1]
                i += 2
            if stats and "flags" not in d:
                d["flags"] = []
            if "action" not in d:
                d["action"] = "allow"
        elif w == "tmpl":
            tmpl = {"src": words[2], "dst": words[4]}
            d.setdefault("tmpl", []).append(tmpl)
        elif _common(d, words, line, stats, st):
            tmpl = None
        elif _lifetime(d, words, st):
            pass
        else:
            raise ValueError("unread policy line: %r" % line)
    return d


def sad_count(text):
    m_ = re.match(r"\t SAD count (\d+)(?: \(buckets count (\d+) Max (\d+)\))?\n$", text)
    d = {"count": int(m_.group(1))}
    if m_.group(2):
        d["buckets"] = {"count": int(m_.group(2)), "max": int(m_.group(3))}
    return d


def spd_count(text):
    d = {}
    for line in text.splitlines():
        nums = [int(n) for n in re.findall(r"\d+", line.split("SPD", 1)[1])]
        if "buckets" in line:
            d["buckets"] = {"count": nums[0], "max": nums[1]}
        elif "thresholds" in line:
            d["hthresh%d" % nums[0]] = {"local": nums[1], "remote": nums[2]}
        else:
            d.update({"in": nums[0], "out": nums[1], "fwd": nums[2]})
            if len(nums) > 3:
                d["sock"] = {"in": nums[3], "out": nums[4], "fwd": nums[5]}
    return d


def defaults(text):
    lines = text.splitlines()
    assert lines[0] == "Default policies:"
    return {line.split(":")[0].strip(): line.split(":")[1].strip() for line in lines[1:]}


def agrees(text_value, json_value, path="$"):
    """Every field the text shows is in the JSON with the same value."""
    if isinstance(text_value, dict):
        assert isinstance(json_value, dict), path
        for k, v in text_value.items():
            assert k in json_value, "%s.%s missing from the JSON" % (path, k)
            if v is not None:
                agrees(v, json_value[k], "%s.%s" % (path, k))
    elif isinstance(text_value, list):
        assert isinstance(json_value, list) and len(json_value) == len(text_value), path
        for i, (a, b) in enumerate(zip(text_value, json_value)):
            agrees(a, b, "%s[%d]" % (path, i))
    else:
        assert text_value == json_value, path
