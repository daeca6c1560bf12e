"""The claims table (pyip/claims.py): every relation sentence it holds has a traffic case
in the kernel tier (tests/kernel/test_claims_traffic.py) or says why not yet; every case
names a claim and a set-up that exists; and explain, the man pages and check take each
sentence from there, word for word, so that they cannot disagree."""
import os
import re

import pytest

from pyip import claims
from pyip.check import rules
from pyip.explain.report import Explanation
from tests.check_cases import PEER, SETUPS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Where each claim is said: a command whose explanation says it (with the values it
# fills in), the man pages whose source names it, the check rules whose "why" says it.
USES = {
    "xfrmi-dev": dict(explain=("link add x type xfrm dev eth0 if_id 5", {"dev": "eth0"}),
                      man=("pyip-link", "pyip-xfrm")),
    "xfrmi-external": dict(explain=("link add x type xfrm external", {}), man=("pyip-link",)),
    "in-sa-lookup": dict(man=("pyip-xfrm",), check=("vti-ikey",)),
    "vti-in-sa": dict(explain=("link add v type vti local 10.0.0.1 remote 10.0.0.2 ikey 7",
                               {"ikey": "7"}),
                      man=("pyip-link", "pyip-xfrm"), check=("vti-ikey",)),
    "vti-dev": dict(explain=("link add v type vti local 10.0.0.1 dev eth0 key 7",
                             {"dev": "eth0"}), man=("pyip-link",)),
    "vti-disable-policy": dict(
        explain=("link add v6 type vti6 local fd00::1 remote fd00::2 key 7",
                 {"sysctl": "net.ipv6.conf.v6.disable_policy"}),
        man=("pyip-link",), check=("vti-disable-policy",)),
    "policy-tie": dict(man=("pyip-xfrm",), check=("policy-shadowed",)),
    "larval-ifid": dict(fix="ifid-missing"),    # its fix on a larval SA (test_check_rules)
    "xfrmi-netns": dict(man=("pyip-link",)),
}


def _flat(text):
    return " ".join(text.split())


def test_every_claim_has_a_traffic_case_or_says_why_not():
    proven = {c.claim for c in claims.CASES}
    for cid in claims.CLAIMS:
        assert (cid in proven) != (cid in claims.UNPROVEN), cid
        if cid in claims.UNPROVEN:
            assert claims.UNPROVEN[cid].strip(), cid


def test_every_case_is_a_claims_and_its_set_up_exists():
    ids = set()
    for c in claims.CASES:
        assert c.claim in claims.CLAIMS, c.id
        assert c.id not in ids, c.id
        ids.add(c.id)
        setup, name = c.setup.split("/")
        assert setup in PEER, c.id
        for f in (name, "b"):
            assert os.path.exists(os.path.join(SETUPS, setup, f + ".batch")), (c.id, f)


def test_every_claim_is_said_somewhere_and_each_use_is_listed():
    assert set(USES) == set(claims.CLAIMS)


@pytest.mark.parametrize("cid", sorted(c for c in USES if "explain" in USES[c]))
def test_explain_says_the_claim_word_for_word(cid):
    words, values = USES[cid]["explain"]
    e = Explanation(words.split())
    said = [p for _, ps in e.relations for p in ps]
    assert claims.claim(cid, **values) in said, said


@pytest.mark.parametrize("cid", sorted(c for c in USES if "man" in USES[c]))
def test_the_man_pages_say_the_claim_word_for_word(cid):
    """The man page sources name the claim (grammar/manpages.py puts its sentence there),
    and the generated pages hold it."""
    for page in USES[cid]["man"]:
        src = os.path.join(ROOT, "man", "src", page)
        named = "".join(open(os.path.join(src, f)).read() for f in os.listdir(src)
                        if f.endswith(".roff"))
        assert re.search(r'^\.\\" claim %s( |$)' % re.escape(cid), named, re.M), (cid, page)
        with open(os.path.join(ROOT, "man", page + ".8")) as f:
            man = _flat(f.read().replace("\\-", "-").replace("\\e", "\\"))
        assert _flat(claims.claim(cid)) in man, (cid, page)


@pytest.mark.parametrize("cid", sorted(c for c in USES if "check" in USES[c]))
def test_check_says_the_claim_word_for_word(cid):
    by_id = {r.id: r for r in rules.RULES}
    for rid in USES[cid]["check"]:
        assert claims.claim(cid) in by_id[rid].why, (cid, rid)


def test_no_text_says_what_traffic_disproved():
    """Sentences the kernel tier disproved on 6.1, gone from every text a learner reads."""
    from pyip.explain import overview, relations
    import inspect
    texts = [overview.TEXT, inspect.getsource(relations), open(os.path.join(
        ROOT, "grammar", "link.lark")).read()]
    for page in ("pyip-link", "pyip-xfrm"):
        texts.append(_flat(open(os.path.join(ROOT, "man", page + ".8")).read()))
    texts += [r.why + r.fix + r.what for r in rules.RULES]
    for wrong in ("takes no part in the lookup;", "does not take part in the lookup",
                  "the physical device the interface is bound to", "the inbound SA needs none",
                  "inbound SA needs no mark", "the older on a tie", "(and mark and if_id)",
                  "found by dst, spi and proto)"):
        for t in texts:
            assert wrong not in _flat(t), wrong
