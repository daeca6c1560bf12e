"""ip link set / property flows, live on this host's kernel (veth pairs), each sequence run by
the real ip and by pyip in fresh namespaces (tests/live/sides.py), output compared line by
line."""
import pytest

from tests.live.sides import transcript

PAIRS = ["!link add va address 02:00:00:00:00:01 type veth peer name vb address 02:00:00:00:00:02",
         "!link add vc address 02:00:00:00:00:03 type veth peer name vd address 02:00:00:00:00:04"]

CASES = {
    "set-address-checks-its-length": PAIRS + [
        "link set va address 02:00:00:00:00:99", "link show va",
        "link set va address 02:00:00:00:00:98 broadcast ff:ff:ff:ff:ff:fe", "link show va",
        "link set va address 02:00:00:00:00", "link set va address 10.0.0.1",
        "link set va address zz", "link change va addr 0x02:0:0:0:0:0x7 up", "link show va"],
    "set-group-changes-every-device-of-it": PAIRS + [
        "link set va group 5", "link set vc group 5", "link set group 5 mtu 1400 up",
        "link show", "link set group 5 type veth", "link set group 5 bogus",
        "link add group 5 type veth", "link set group 5 down group 6", "link show group 6",
        "link set group 7 mtu 1300"],
    "property-adds-and-deletes-altnames": PAIRS + [
        "link property add dev va altname vaalt", "link show vaalt",
        "link property add va altname a1 altname a2", "-j link show va",
        "link property del dev va altname a1", "link show va",
        "link property add dev va altname vaalt", "link property add", "link property",
        "link property bogus dev va", "link property add dev va altname",
        "link property add dev va alt bad/name", "link property add altname x",
        "link property add dev va dev vb", "link property add dev nosuch altname z",
        "link property del dev va altname nosuch", "link prop del va alt a2 alt vaalt",
        "link property help", "link property add help", "link show"],
    "netns-given-twice-unless-the-first-was-minus-one": PAIRS + [
        "link set va netns -1 netns -1", "link set va netns 999999 netns -1",
        "link set va netns x"],
    "xdp-off-detaches-a-program": PAIRS + [
        "link set va xdp off", "link set va xdp off up", "link set va xdpgeneric none",
        "link set va xdpdrv off", "link set va xdpoffload off", "link set va xdp",
        "-force link set va xdp off", "link set xdp off dev va", "link set va xdp bogus x",
        "link set xdpoffload off", "link show va"],
}


@pytest.mark.parametrize("case", list(CASES))
def test_link_modify_as_ip(pyip, case):
    assert transcript(pyip, CASES[case]) == transcript("ip", CASES[case])
