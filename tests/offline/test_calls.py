"""pyip.IP's typed calls send what ip sent: every SA and policy add/update ip sent in the
recordings (golden/rec), decoded into its object and handed to the typed call, reaches the
(recording) kernel as the same request -- the same object decoded back, and the very bytes
where the recorded command gave its algorithms in the order `xfrm state save` writes them."""
import pytest

from pyip import IP, IpError
from pyip.explain.capture import FakeTransport, Run
from pyip.xfrm.messages import decode
from pyip.xfrm.objects import Algo, Selector, XfrmPolicy, XfrmTmpl
from tests.replay import masked
from tests.offline.test_encode import REQUESTS

CALLS = {0x10: "xfrm_state_add", 0x1a: "xfrm_state_update", 0x13: "xfrm_policy_add",
         0x19: "xfrm_policy_update"}
ADDS = [(i, msg) for i, msg in REQUESTS if msg[4] in CALLS]


def recording_handle():
    run = Run([])
    ip = IP()
    ip._context.open_transport = lambda proto, groups=0: FakeTransport(run, proto)
    return ip, run


def sent_xfrm(run):
    return [data for proto, data in run.sent if proto == 6]


@pytest.mark.parametrize("msg", [m for _, m in ADDS], ids=[i for i, _ in ADDS])
def test_a_typed_call_sends_what_ip_sent(msg):
    want = decode(msg[4], msg[16:])
    ip, run = recording_handle()
    getattr(ip, CALLS[msg[4]])(want)
    sent = sent_xfrm(run)
    assert len(sent) == 1
    got = decode(sent[0][4], sent[0][16:])
    # `dev NAME`: the stand-in kernel's index (explain.capture's placeholders)
    dev = run.placeholders
    for held in (got.sel, getattr(got, "offload", None)):
        if held is not None and held.ifindex in dev:
            held.ifindex = (want.sel if held is got.sel else want.offload).ifindex
    assert got == want
    if list(want.attrs) == list(got.attrs) and not dev:
        assert masked(sent[0], 6)[16:] == masked(msg, 6)[16:]


def test_every_kind_of_request_is_covered():
    assert {m[4] for _, m in ADDS} == set(CALLS)


def test_fields_by_keyword_with_the_man_pages_words():
    ip, run = recording_handle()
    ip.xfrm_state_add(src="10.0.0.1", dst="10.0.0.2", proto="esp", spi=0x100, mode="tunnel",
                      reqid=7, flags=["esn"], replay_window=64,
                      enc=Algo(name="cbc(aes)", key=bytes(range(16))))
    ip2, run2 = recording_handle()
    ip2.run("xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x100 mode tunnel reqid 7 "
            "flag esn replay-window 64 enc cbc(aes) 0x000102030405060708090a0b0c0d0e0f")
    assert sent_xfrm(run) == sent_xfrm(run2)


def test_a_policy_made_by_hand():
    ip, run = recording_handle()
    ip.xfrm_policy_add(XfrmPolicy(
        sel=Selector(src="10.1.0.0/16", dst="10.2.0.0/16", proto="tcp" and 6, dport=443,
                     dport_mask=0xffff),
        dir="out", priority=10,
        tmpls=[XfrmTmpl(src="192.0.2.1", dst="192.0.2.2", proto="esp", mode="tunnel",
                        reqid=3)]))
    ip2, run2 = recording_handle()
    ip2.run("xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 proto tcp dport 443 dir out "
            "priority 10 tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 3 mode tunnel")
    assert sent_xfrm(run) == sent_xfrm(run2)


def test_ips_own_error_text():
    ip, _ = recording_handle()
    with pytest.raises(IpError) as e:
        ip.xfrm_state_add(src="10.0.0.1", dst="10.0.0.2", proto="esp", spi=1)
    assert e.value.message == 'ALGO-TYPE value "enc" or "aead" is required with XFRM-PROTO ' \
        'value "esp"\n'


def test_a_word_no_table_has_is_a_value_error():
    ip, _ = recording_handle()
    with pytest.raises(ValueError):
        ip.xfrm_policy_add(dir="sideways")


LINK_CALLS = [
    (("ipsec0", "xfrm"), {"dev": "lo", "if_id": 42}, "link add ipsec0 type xfrm dev lo if_id 42"),
    (("ipsec1", "xfrm"), {"external": True, "mtu": 1400},
     "link add ipsec1 mtu 1400 type xfrm external"),
    (("vti1", "vti"), {"remote": "192.0.2.2", "local": "192.0.2.1", "ikey": 7, "okey": 7},
     "link add vti1 type vti remote 192.0.2.2 local 192.0.2.1 ikey 7 okey 7"),
    (("vti6a", "vti6"), {"remote": "2001:db8::2", "key": "0.0.0.9", "fwmark": 3},
     "link add vti6a type vti6 remote 2001:db8::2 key 0.0.0.9 fwmark 3"),
]


@pytest.mark.parametrize("args,kw,line", LINK_CALLS, ids=[c[2] for c in LINK_CALLS])
def test_a_typed_link_call_sends_what_its_command_line_sends(args, kw, line):
    ip, run = recording_handle()
    ip.link_add(*args, **kw)
    ip2, run2 = recording_handle()
    ip2.run(line)
    assert run.sent == run2.sent and run.sent


def test_a_link_from_its_info_object():
    from pyip.link.objects import VtiInfo
    ip, run = recording_handle()
    ip.link_add("vti2", "vti", info=VtiInfo(remote="10.0.0.2", ikey=5, okey=6, fwmark=1))
    ip2, run2 = recording_handle()
    ip2.run("link add vti2 type vti remote 10.0.0.2 ikey 5 okey 6 fwmark 1")
    assert run.sent == run2.sent


def test_a_link_option_ip_link_does_not_have_is_a_type_error():
    ip, _ = recording_handle()
    with pytest.raises(TypeError):
        ip.link_add("x0", "xfrm", if_id=1, bogus=2)


def test_a_handle_follows_the_release_it_is_given():
    from pyip import IP
    from pyip.explain.capture import FakeTransport, Run
    line = "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 enc cbc(aes) " \
        "0x00112233445566778899aabbccddeeff dir out"
    old = IP(iproute2="6.1")
    with pytest.raises(IpError) as e:
        old.run(line)
    assert e.value.message == 'Error: argument "dir" is wrong: unknown\n'
    new = IP(iproute2="7.3")
    run = Run([])
    new._context.open_transport = lambda proto, groups=0: FakeTransport(run, proto)
    new.run(line)
    sa = decode(0x10, sent_xfrm(run)[0][16:])
    assert sa.sa_dir == 2                           # XFRMA_SA_DIR: out (ip >= 6.11)
    with pytest.raises(ValueError):
        IP(iproute2="5.0")
