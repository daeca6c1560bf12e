"""Devices whose peer lives in a named namespace, live on this host's kernel: ip names it
("link-netns NAME", found by asking the nsid of each /var/run/netns entry) and takes
"link-netns NAME" / "link-netnsid ID" when adding one.  Each side runs in its own fresh
network and mount namespaces; lines starting with "!" are setup, run by the real ip."""
import pytest

from tests.live.sides import NS, transcript

PAIR = ("link add va address 02:00:00:00:00:01 type veth peer name vb "
        "address 02:00:00:00:00:02 netns " + NS)

CASES = {
    "show": ["!" + PAIR, "link show", "link show va", "-d link show", "-o link show",
             "-j link show", "-br link show", "-s link show va", "-n %s link show" % NS],
    "add-link-netns": ["!" + PAIR, "link add vc address 02:00:00:00:00:03 link-netns %s type "
                       "veth peer name vd address 02:00:00:00:00:04" % NS, "link show vc",
                       "-d link show"],
    "add-link-netns-new-nsid": ["link add ve address 02:00:00:00:00:05 link-netns %s type veth "
                                "peer name vf address 02:00:00:00:00:06" % NS, "link show"],
    "add-link-netnsid": ["!" + PAIR, "link add vg address 02:00:00:00:00:07 link-netnsid 0 "
                         "type veth peer name vh address 02:00:00:00:00:08", "link show vg"],
    "errors": ["link add vi link-netns nosuch-%s type veth" % NS,
               "link add vj link-netnsid x type veth", "link add vk link-netnsid 0x80000000 type veth",
               "link add vl link-netns %s link-netnsid 0 type veth" % NS,
               "link add vm link-netnsid 0 link-netnsid 0 type veth"],
}


@pytest.mark.parametrize("case", list(CASES))
def test_link_netns_as_ip(pyip, case):
    assert transcript(pyip, CASES[case]) == transcript("ip", CASES[case])

