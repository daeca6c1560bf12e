"""The typed calls against the kernel: policies added through pyip.IP's typed calls list,
under the real ip, as the same policies added by `ip -batch` of the equivalent lines do
(the kernel's indexes aside); get and delete find them; list's filters keep what ip's do."""
import re
import subprocess
import tempfile

from pyip import IP, IpError
from pyip.xfrm.objects import Mark, Selector, XfrmPolicy, XfrmTmpl

LINES = [
    "xfrm policy add src 10.0.0.0/24 dst 10.1.0.0/24 proto tcp dport 443 dir out priority 5 "
    "tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 7 mode tunnel",
    "xfrm policy add src 10.1.0.0/24 dst 10.0.0.0/24 dir in priority 5 mark 0x3 mask 0xff "
    "tmpl src 192.0.2.2 dst 192.0.2.1 proto esp reqid 8 mode tunnel level use",
    "xfrm policy add src 2001:db8::/64 dst 2001:db8:1::/64 dir fwd action block ptype sub "
    "if_id 0x9",
]


def typed(ip):
    ip.xfrm_policy_add(sel=Selector(src="10.0.0.0/24", dst="10.1.0.0/24", proto=6, dport=443,
                                    dport_mask=0xffff),
                       dir="out", priority=5,
                       tmpls=[XfrmTmpl(src="192.0.2.1", dst="192.0.2.2", proto="esp",
                                       reqid=7, mode="tunnel")])
    ip.xfrm_policy_add(XfrmPolicy(sel=Selector(src="10.1.0.0/24", dst="10.0.0.0/24"),
                                  dir="in", priority=5, mark=Mark(value=3, mask=0xff),
                                  tmpls=[XfrmTmpl(src="192.0.2.2", dst="192.0.2.1",
                                                  proto="esp", reqid=8, mode="tunnel",
                                                  level="use")]))
    ip.xfrm_policy_add(sel={"src": "2001:db8::/64", "dst": "2001:db8:1::/64"}, dir="fwd",
                       action="block", ptype="sub", if_id=9)


def listing():
    text = subprocess.run(["ip", "xfrm", "policy", "list"], capture_output=True,
                          text=True, check=True).stdout
    return re.sub(r"index \d+", "index N", text)


def test_typed_policies_list_as_ips_own(netns):
    with IP() as ip:
        typed(ip)
    by_api = listing()
    subprocess.run(["ip", "xfrm", "policy", "flush"], check=True)
    subprocess.run(["ip", "xfrm", "policy", "flush", "ptype", "sub"], check=True)
    with tempfile.NamedTemporaryFile("w", suffix=".batch") as f:
        f.write("\n".join(LINES) + "\n")
        f.flush()
        subprocess.run(["ip", "-batch", f.name], check=True)
    assert listing() == by_api


def test_get_filter_and_delete(netns):
    with IP() as ip:
        typed(ip)
        out = ip.xfrm_policies(dir="out")
        assert len(out) == 1 and out[0].priority == 5
        assert len(ip.xfrm_policies(ptype="sub")) == 1
        got = ip.xfrm_policy_get(out[0])
        assert got.index == out[0].index and got.tmpls == out[0].tmpls
        ip.xfrm_policy_delete(out[0])
        assert ip.xfrm_policies(dir="out") == []
        try:
            ip.xfrm_policy_delete(out[0])
        except IpError as e:
            assert e.code == 2 and "No such file or directory" in e.message
        else:
            raise AssertionError("a second delete must fail as ip's does")
