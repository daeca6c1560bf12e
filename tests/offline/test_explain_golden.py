"""pyip explain against every command recorded from the real ip (golden/rec): the messages
explain decodes are the ones ip sent (both decoded by explain's decoder and compared field by
field), and explain's verdict is ip's (accepted, or refused with ip's message and status)."""
import re

import pytest

from pyip.explain import capture
from pyip.explain import layouts as L
from pyip.explain.messages import decode_all
from pyip.xfrm import msgs
from tests.replay import enters_netns, masked, recordings

NLMSG_ERROR, NLMSG_DONE = 2, 3
def _batch(argv):
    """-batch among the global options (which all start with "-" and come first)."""
    for w in argv[1:]:
        if w[:1] != "-":
            return False
        if w in ("-batch", "-b", "-ba", "-bat", "-batc"):
            return True
    return False


RECORDINGS = [(i, r) for i, r in recordings()
              if not enters_netns(r["argv"]) and not _batch(r["argv"])]


def _messages(sent):
    return [m for p, data in sent for m in decode_all(p, data)]


def _kernel_said_more(rec):
    """Whether the kernel answered ip with something explain's stand-in does not give:
    objects of a dump or a get, or an error."""
    for _, hexdata in rec["received"]:
        data = bytes.fromhex(hexdata)
        off = 0
        while off + 16 <= len(data):
            n = int.from_bytes(data[off:off + 4], "little")
            mtype = int.from_bytes(data[off + 4:off + 6], "little")
            if n < 16:
                break
            if mtype == NLMSG_ERROR and data[off + 16:off + 20] != bytes(4):
                return True
            if mtype not in (NLMSG_ERROR, NLMSG_DONE):
                return True
            off += (n + 3) & ~3
    return False


VARIES = ("IFLA_LINKINFO", "IFLA_INFO_DATA", "IFLA_VTI_", "IFLA_GRE_")
WRITES = {"ikey": "IFLA_VTI_IKEY", "okey": "IFLA_VTI_OKEY", "local": "IFLA_VTI_LOCAL",
          "remote": "IFLA_VTI_REMOTE", "fwmark": "IFLA_VTI_FWMARK", "dev": "IFLA_VTI_LINK"}

def _same(mine, ips, run):
    """Message by message, row by row; a row explain filled with a placeholder index
    matches whatever index the kernel gave ip."""
    assert [m.name for m in mine] == [m.name for m in ips]
    for a, b in zip(mine, ips):
        assert (a.proto, a.flags) == (b.proto, b.flags), a.name
        rows_a, rows_b = a.rows, b.rows
        if run.merges_current and a.name == "RTM_NEWLINK":
            # ip merged the device's current IFLA_VTI_* values into what the command
            # says; explain's stand-in device has none.  What the command wrote must be
            # the same; the rest may differ (and IFLA_LINKINFO/INFO_DATA's sizes with it).
            kind_words = run.words[run.words.index("type") + 2:]
            written = {WRITES[w] for w in kind_words if w in WRITES} | (
                {"IFLA_VTI_IKEY", "IFLA_VTI_OKEY"} if "key" in kind_words else set())
            mine_vti = {r.name: r.key() for r in rows_a if r.name.startswith("IFLA_VTI_")
                        and not capture.is_placeholder(r.raw, run.placeholders)}
            ips_vti = {r.name: r.key() for r in rows_b if r.name.startswith("IFLA_VTI_")}
            assert set(mine_vti) <= set(ips_vti)
            for name in written & set(mine_vti):
                assert mine_vti[name] == ips_vti.get(name), name
            rows_a = [r for r in rows_a if not r.name.startswith(VARIES)]
            rows_b = [r for r in rows_b if not r.name.startswith(VARIES)]
        assert len(rows_a) == len(rows_b), a.name
        for ra, rb in zip(rows_a, rows_b):
            if capture.is_placeholder(ra.raw, run.placeholders):
                assert ra.name == rb.name
                continue
            assert ra.key() == rb.key(), a.name


@pytest.mark.parametrize("rec", [r for _, r in RECORDINGS], ids=[i for i, _ in RECORDINGS])
def test_explain_decodes_what_ip_sent(rec):
    run = capture.capture(rec["argv"][1:])
    mine = _messages(run.sent)
    ips = _messages([(p, masked(bytes.fromhex(h), p)) for p, h in rec["sent"]])
    if len(mine) < len(ips):
        # ip went on with what the kernel told it (a dump's objects, a device's index)
        assert _kernel_said_more(rec)
        ips = ips[:len(mine)]
    elif len(mine) > len(ips):
        # the kernel stopped ip (no such device, an error) where the stand-in did not
        assert _kernel_said_more(rec) and rec["rc"] != 0
        mine = mine[:len(ips)]
    _same(mine, ips, run)


@pytest.mark.parametrize("rec", [r for _, r in RECORDINGS], ids=[i for i, _ in RECORDINGS])
def test_explain_verdict_is_ips(rec):
    run = capture.capture(rec["argv"][1:])
    if not run.accepted:
        assert (run.stderr, run.rc) == (rec["stderr"], rec["rc"])
    else:
        # ip accepted it too, unless the kernel (or its absence here) made the difference
        assert rec["rc"] in (0, "SIGTERM") or _kernel_said_more(rec), rec["stderr"]


def _rows(msg):
    return {r.name: r for r in msg.rows}


SA_FIELDS = {"xfrm_usersa_info.id.spi": "spi", "xfrm_usersa_info.id.daddr": "dst",
             "xfrm_usersa_info.saddr": "src", "xfrm_usersa_info.reqid": "reqid",
             "xfrm_usersa_info.mode": "mode", "xfrm_usersa_info.family": "family",
             "xfrm_usersa_info.replay_window": "replay_window",
             "xfrm_usersa_info.flags": "flags", "xfrm_usersa_info.seq": "seq"}
POLICY_FIELDS = {"xfrm_userpolicy_info.priority": "priority",
                 "xfrm_userpolicy_info.index": "index", "xfrm_userpolicy_info.dir": "dir",
                 "xfrm_userpolicy_info.action": "action",
                 "xfrm_userpolicy_info.share": "share"}
SEL_FIELDS = {"daddr": "dst", "saddr": "src", "prefixlen_d": "prefixlen_d",
              "prefixlen_s": "prefixlen_s", "family": "family", "proto": "proto",
              "dport": "dport", "sport": "sport", "ifindex": "ifindex"}
ADD_REQUESTS = [(i, r) for i, r in RECORDINGS
                if any(p == 6 and bytes.fromhex(h)[4] in (0x10, 0x13, 0x19, 0x1a)
                       for p, h in r["sent"])]


def _same_value(row, value):
    if isinstance(value, str):
        return row.value == value or row.value.startswith(value + " ")
    return row.raw == value


@pytest.mark.parametrize("rec", [r for _, r in ADD_REQUESTS], ids=[i for i, _ in ADD_REQUESTS])
def test_explains_struct_fields_are_what_the_object_decoder_reads(rec):
    """explain's decoder against pyip's object decoder (pyip/xfrm/objects.py): the same SA
    and policy fields from the bytes ip sent.  Both read pyip/xfrm/msgs.py's structs; what
    this holds is that explain's codecs (msgs.CODECS) and names read a field as the objects
    do (an spi's byte order, a family's width)."""
    from pyip.xfrm.messages import decode_message
    for p, h in rec["sent"]:
        data = bytes.fromhex(h)
        if p != 6 or data[4] not in (0x10, 0x13, 0x19, 0x1a):
            continue
        obj = decode_message(data)
        msg = decode_all(p, data)[0]
        rows = _rows(msg)
        fields = SA_FIELDS if data[4] in (0x10, 0x1a) else POLICY_FIELDS
        prefix = "xfrm_usersa_info" if data[4] in (0x10, 0x1a) else "xfrm_userpolicy_info"
        checked = 0
        for name, attr in fields.items():
            assert _same_value(rows[name], getattr(obj, attr)), (name, rows[name].value)
            checked += 1
        for f, attr in SEL_FIELDS.items():
            row = rows["%s.sel.%s" % (prefix, f)]
            if obj.sel is None:         # the decoder's empty selector: all zeros
                assert not row.raw or not any(row.raw), (f, row.value)
            else:
                assert _same_value(row, getattr(obj.sel, attr)), (f, row.value)
            checked += 1
        assert checked


def _flat(layout):
    for f, fmt, codec in layout.fields:
        if isinstance(codec, L.StructLayout):
            yield from _flat(codec)
        else:
            yield f, fmt, codec


def test_every_field_of_msgs_structs_has_a_codec_and_explain_lays_it_out_as_sent():
    """Each struct of pyip/xfrm/msgs.py (those explain decodes and the attributes' ones) is
    one explain can read: every named field's format has a codec (msgs.CODECS), and explain's
    layout of it has the size pyip packs it in."""
    structs = [v for v in vars(msgs).values() if isinstance(v, (msgs.Layout, msgs.Composite))]
    assert len(structs) > 25
    for struct in structs:
        layout = L.from_msgs(struct)
        assert layout.size == struct.size, struct.name
        if isinstance(struct, msgs.Layout):
            assert layout.size == struct.struct.size, struct.name
            assert [f for f, _, c in _flat(layout) if c] == struct.fields, struct.name
        for f, fmt, codec in _flat(layout):
            assert codec or fmt.endswith("x"), (struct.name, f, fmt)


@pytest.mark.parametrize("rec", [r for _, r in RECORDINGS], ids=[i for i, _ in RECORDINGS])
def test_every_request_ip_sent_decodes_whole(rec):
    """Each message ip sent is read to its end by known structs and attributes: no bytes
    left over, no attribute without a name."""
    for m in _messages([(p, bytes.fromhex(h)) for p, h in rec["sent"]]):
        assert not m.name.startswith(("XFRM message type", "RTM message type")), m.name
        for r in m.rows:
            # an attribute without a name is PREFIX + its number (IFLA_VXLAN_GROUP6 is one)
            assert not r.name.startswith("(") and not re.search(r"_\d+$", r.name), \
                (m.name, r.name)
