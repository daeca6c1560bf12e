"""pytest fixtures for network labs, installed with pyip (entry point pytest11: pytest loads
them by itself wherever pyip is installed).  They need root (creating a namespace does).

    def test_tunnel(pyip_ip):               # a pyip.IP handle in a fresh, empty namespace
        pyip_ip.run("link add x1 type xfrm if_id 7")
        assert [l.ifname for l in pyip_ip.links()] == ["lo", "x1"]

    def test_two_sites(pyip_netns_factory):
        left, right = pyip_netns_factory(), pyip_netns_factory()    # names in /run/netns

pyip_netns            the name of a fresh named network namespace (`ip netns add`), its
                      loopback up; deleted after the test
pyip_ip               a pyip.IP handle on pyip_netns, closed after the test
pyip_netns_factory    makes more of them: factory(prefix="pyip") -> name; all deleted after
                      the test
"""
import uuid

import pytest

import pyip


def _need_root():
    import os
    if os.geteuid() != 0:
        pytest.fail("pyip's namespace fixtures need root (ip netns add)")


@pytest.fixture
def pyip_netns_factory():
    made = []

    def make(prefix="pyip"):
        _need_root()
        name = "%s-%s" % (prefix, uuid.uuid4().hex[:8])
        with pyip.IP() as host:     # `netns` is the system's ip's (pyip hands it over)
            host.run(["netns", "add", name])
        made.append(name)
        with pyip.IP(name) as ip:
            ip.run("link set lo up")
        return name

    yield make
    with pyip.IP() as host:
        for name in made:
            try:
                host.run(["netns", "del", name])
            except pyip.IpError:    # deleted by the test itself
                pass


@pytest.fixture
def pyip_netns(pyip_netns_factory):
    return pyip_netns_factory()


@pytest.fixture
def pyip_ip(pyip_netns):
    with pyip.IP(pyip_netns) as ip:
        yield ip
