"""pyroute2, an independent netlink library, reads the link requests pyip sends for every
recorded `link add|set|change ... type xfrm|vti|vti6`: they say what the command line says,
and pyip's own decoder (pyip.link.objects) reads them as pyroute2 does."""
import ipaddress

import pytest

from pyip.link import objects as L
from tests.replay import recordings, run

pyroute2 = pytest.importorskip("pyroute2")
from pyroute2.netlink.rtnl.ifinfmsg import ifinfmsg  # noqa: E402

KINDS = ("xfrm", "vti", "vti6")
CASES = [(i, r) for i, r in recordings()
         if r["argv"][1:3] in (["link", "add"], ["link", "set"], ["link", "change"])
         and "type" in r["argv"] and r["argv"][r["argv"].index("type") + 1] in KINDS
         and r["rc"] == 0]


def _ul(word):
    w = word.lower()
    if w.startswith("0x"):
        return int(w, 16)
    return int(w, 8) if len(w) > 1 and w.startswith("0") else int(w)


def _key(word):
    """A VTI key word as pyroute2 reads the attribute: a dotted quad or a number, big-endian."""
    return int(ipaddress.IPv4Address(word)) if "." in word else _ul(word)


def _newlinks(sent):
    for proto, data in sent:
        if proto == 0 and data[4] == 16 and len(data) > 32:
            msg = ifinfmsg(data)
            msg.decode()
            if msg.get_attr("IFLA_LINKINFO") is not None:
                yield data, msg


@pytest.mark.parametrize("rec", [r for _, r in CASES], ids=[i for i, _ in CASES])
def test_pyroute2_reads_pyip_link_request_as_the_command_line_says(rec):
    argv = rec["argv"]
    stdout, stderr, rc, sent = run(rec)
    assert rc == 0
    (raw, msg), = list(_newlinks(sent))
    info = msg.get_attr("IFLA_LINKINFO")
    kind = argv[argv.index("type") + 1]
    assert info.get_attr("IFLA_INFO_KIND") == kind
    data = info.get_attr("IFLA_INFO_DATA")
    got = dict(data["attrs"]) if data is not None else {}
    words = argv[argv.index("type") + 2:]
    pairs = dict(zip(words[::2], words[1::2]))
    if kind == "xfrm":
        if "if_id" in pairs:
            assert got["IFLA_XFRM_IF_ID"] == _ul(pairs["if_id"])
        if "dev" in pairs:
            assert got["IFLA_XFRM_LINK"] > 0
        # pyroute2 has no name for IFLA_XFRM_COLLECT_METADATA (3): an empty flag
        flag = [v for k, v in data["attrs"] if k == "UNKNOWN" and v["header"]["type"] == 3]
        assert bool(flag) == ("external" in words)
        assert all(v["header"]["length"] == 4 for v in flag)
    else:
        for word, name in (("local", "IFLA_VTI_LOCAL"), ("remote", "IFLA_VTI_REMOTE")):
            if word in pairs:
                assert ipaddress.ip_address(got[name]) == ipaddress.ip_address(pairs[word])
        for word, names in (("key", ("IFLA_VTI_IKEY", "IFLA_VTI_OKEY")),
                            ("ikey", ("IFLA_VTI_IKEY",)), ("okey", ("IFLA_VTI_OKEY",))):
            if word in pairs:
                for name in names:
                    assert got[name] == _key(pairs[word])
        if "fwmark" in pairs and "IFLA_VTI_FWMARK" in got:    # pyroute2's vti lacks it
            assert got["IFLA_VTI_FWMARK"] == _ul(pairs["fwmark"])
        if "dev" in pairs:
            assert got["IFLA_VTI_LINK"] > 0
    # pyip's own decoder reads the same request as pyroute2
    link = L.decode_message(raw)
    assert link.kind == kind
    if msg.get_attr("IFLA_IFNAME") is not None:
        assert link.ifname == msg.get_attr("IFLA_IFNAME")
    mine = link.info
    for name, value in got.items():
        field = name.rsplit("_", 1)[-1].lower()
        field = {"metadata": "external", "id": "if_id"}.get(field, field)
        if name == "UNKNOWN":
            continue
        v = getattr(mine, field)
        if field in ("local", "remote"):
            assert ipaddress.ip_address(v) == ipaddress.ip_address(value)
        elif field == "external":
            assert v is True
        else:
            assert v == value, name
