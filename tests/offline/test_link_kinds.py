"""The link kinds: each kind ip parses is either read by pyip's grammar and reader, whole,
or handed to the system's ip before anything is sent (never a part of its options); each
reader encodes with the layout its printer decodes with."""
import pytest

from pyip._tables import RULES, TABLES
from pyip.link import handover, kinds
from pyip.link.bond import BondLink, BondSlaveLink
from pyip.link.bridge import BridgeLink, BridgeSlaveLink
from pyip.link.gre import GreLink
from pyip.link.vlan import VlanLink
from pyip.link.vxlan import VxlanLink

READERS = [BondLink, BondSlaveLink, BridgeLink, BridgeSlaveLink, VlanLink, VxlanLink, GreLink]
# link_type's kinds whose words a rule of their own reads (the rest: none, or ip's others)
OWN_RULE = [word for word, _, _, _ in TABLES["link_type"]]
OTHERS = [word for word, _, _, _ in TABLES["ip_kind"]]


def test_a_kind_with_a_rule_of_its_own_has_its_parser_and_no_other_kind_has_one():
    assert sorted(k for k in OWN_RULE if kinds.PARSERS.get(k) is not None) == sorted(OWN_RULE)
    assert [k for k in OTHERS if kinds.PARSERS.get(k) is not None] == []


@pytest.mark.parametrize("kind", OWN_RULE)
def test_a_parsed_kind_is_not_handed_over(kind):
    assert handover.options(["x0", "type", kind, "help"]) is None


@pytest.mark.parametrize("kind", OTHERS)
def test_any_other_kind_with_words_goes_whole_to_the_system_ip(kind):
    said = handover.options(["x0", "mtu", "1400", "type", kind, "anything"])
    assert said == 'pyip: "ip link ... type %s ARGS" is not implemented yet.\n' % kind


@pytest.mark.parametrize("cls", READERS, ids=lambda c: c.__name__)
def test_every_number_a_reader_encodes_has_its_layout(cls):
    assert set(cls.NUMBERS.values()) <= set(cls.LAYOUT)
    for attr in cls.NUMBERS.values():
        codec = cls.LAYOUT[attr]
        top = (1 << (8 * codec.size - codec.signed)) - 1
        assert codec.read(codec.pack(top)) == top


@pytest.mark.parametrize("cls", READERS, ids=lambda c: c.__name__)
def test_every_reader_starts_at_a_rule_of_the_grammar(cls):
    assert all(start in RULES for start in cls.STARTS)

