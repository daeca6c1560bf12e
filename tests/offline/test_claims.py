"""The claims table (pyip/claims.py): every relation sentence it holds has a traffic case
in the kernel tier (tests/kernel/test_claims_traffic.py, or for a case marked `check`,
its twin in tests/check_cases.py); every case names a claim
and a set-up that exists; and every text that teaches a relation -- explain, its
overview, the man pages' relation sections, check's rules -- says only claims, word for
word, so a sentence traffic disproved cannot come back unnoticed.  check's fixes: each
error rule's fix is proven by traffic (tests/check_cases.py `fixed`) or says why not."""
import json
import os
import re

import pytest

from pyip import claims
from pyip.check import rules
from pyip.explain import overview, relations
from pyip.explain.report import Explanation
from tests.check_cases import ALL as CHECK_CASES, PEER, SETUPS, UNFIXED

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PAGES = ("pyip-link", "pyip-xfrm")

# A command for every parameter explain ties to other objects (RELATIONS' keys), with the
# values its sentences must show.
COMMANDS = [
    ("link add x type xfrm dev eth0 if_id 5", {"xfrmi-if-id": {"if_id": "5"},
                                                "xfrmi-dev": {"dev": "eth0"}}),
    ("link set x type xfrm dev eth0 if_id 5", {"xfrmi-change": {"dev": "eth0"}}),
    ("link add x type xfrm external", {"xfrmi-external": {}}),
    ("link add v type vti local 10.0.0.1 remote 10.0.0.2 ikey 7 okey 8 fwmark 9",
     {"vti-in-sa": {"ikey": "7"}, "vti-okey": {"okey": "8"}, "vti-fwmark": {"fwmark": "9"},
      "vti-endpoints": {"local": "10.0.0.1", "remote": "10.0.0.2", "any": "0.0.0.0"},
      "vti-disable-policy": {"sysctl": "net.ipv4.conf.v.disable_policy"}}),
    ("link add v type vti local 10.0.0.1 dev eth0 key 7", {"vti-dev": {"dev": "eth0"},
                                                           "vti-key": {"key": "7"}}),
    ("link add v6 type vti6 local fd00::1 remote fd00::2 key 7",
     {"vti-disable-policy": {"sysctl": "net.ipv6.conf.v6.disable_policy"},
      "vti-endpoints": {"local": "fd00::1", "remote": "fd00::2", "any": "::"}}),
    ("xfrm policy add src 10.0.0.0/8 dst 10.1.0.0/16 dir out priority 5 mark 7 mask 0xff "
     "if_id 3 tmpl src 1.1.1.1 dst 2.2.2.2 proto esp reqid 4 mode tunnel level use",
     {"mark-match": {"value": "7", "mask": "0xff"}, "xfrmi-if-id": {"if_id": "3"},
      "policy-priority": {}, "tmpl-sa": {}, "reqid": {}, "tmpl-acquire": {}}),
    ("xfrm policy get src 10.0.0.0/8 dst 10.1.0.0/16 dir out if_id 3",
     {"xfrmi-if-id": {"if_id": "3"}}),
    ("xfrm state add src 1.1.1.1 dst 2.2.2.2 proto esp spi 1 reqid 4 mode tunnel mark 7 "
     "output-mark 9 if_id 3 auth hmac(sha256) 0x00112233445566778899aabbccddeeff00112233445566"
     "778899aabbccddeeff",
     {"output-mark": {"om": "9"}, "xfrmi-if-id": {"if_id": "3"}, "auth-trunc": {},
      "mark-match": {"value": "7", "mask": "0xffffffff"}}),
]


def _flat(text):
    return " ".join(text.split())


def _said(words):
    e = Explanation(words.split())
    return e, [p for _, ps in e.relations for p in ps]


def _commands_only(paragraph):
    return all(line.strip().startswith("ip ") for line in paragraph.split("\n"))


# ---- the table and its cases -----------------------------------------------------------------

def test_every_claim_has_a_traffic_case():
    proven = {c.claim for c in claims.CASES}
    assert set(claims.CLAIMS) - proven == set()


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
        assert not (c.kernel or c.until) or c.why, c.id


def test_a_check_case_has_its_twin_with_the_same_verdict():
    twins = {c.id: c for c in CHECK_CASES}
    for c in claims.CASES:
        if c.check:
            assert c.setup in twins, c.id
            assert twins[c.setup].passes == c.passes, c.id
            assert not (c.refused or c.then or c.kernel or c.sysctl), c.id


def test_every_claim_is_said_somewhere():
    said = set()
    for words, _ in COMMANDS:
        said |= {claims.which(p) for p in _said(words)[1]}
    said |= {cid for _, items in overview.SECTIONS for _, cid, _ in items}
    said |= {cid for r in rules.RULES for cid in r.claims}
    for page in PAGES:
        said |= set(_man_claims(page))
    assert set(claims.CLAIMS) - said == set()


def test_which_finds_a_filled_claim_and_nothing_else():
    assert claims.which(claims.claim("vti-key", key="0x10")) == "vti-key"
    assert claims.which(claims.claim("xfrmi-if-id", if_id="5")) == "xfrmi-if-id"
    assert claims.which("key 7 sets ikey only.") is None


# ---- explain ----------------------------------------------------------------------------------

def test_every_relation_has_a_command_here():
    shown = set()
    for words, _ in COMMANDS:
        shown |= {relations.RELATIONS.get(k) for k, _ in _said(words)[0].relations}
    # level's sentence (tmpl-acquire) is said by tmpl's, which comes first
    assert set(relations.RELATIONS.values()) - shown == {relations.level}


@pytest.mark.parametrize("words, expect", COMMANDS, ids=[w[:40] for w, _ in COMMANDS])
def test_explain_says_only_claims_with_the_commands_values(words, expect):
    e, said = _said(words)
    for p in said:
        assert claims.which(p) or _commands_only(p), p
    for cid, values in expect.items():
        assert claims.claim(cid, **values) in said, (cid, said)


# ---- the overview -----------------------------------------------------------------------------

def test_the_overview_says_only_claims_and_definitions():
    text = _flat(overview.PROSE)
    rest = text.replace(_flat(overview.TITLE), "", 1)
    for d in overview.DEFINITIONS:
        rest = rest.replace(_flat(d), "", 1)
    for heading, items in overview.SECTIONS:
        rest = rest.replace(_flat(heading), "", 1)
        for params, cid, values in items:
            bullet = _flat(overview._bullet(params, cid, values))
            assert bullet in text, (cid, bullet)
            rest = rest.replace(bullet, "", 1)
    assert rest.strip() == "", rest


def test_the_overview_ties_every_parameter_of_the_seed_question():
    for prefix, params in overview.SEED.items():
        items = [i for h, i in overview.SECTIONS if h.startswith(prefix)]
        assert len(items) == 1, prefix
        named = {p for ps, _, _ in items[0] for p in ps}
        assert set(params) - named == set(), prefix


def test_the_overviews_examples_are_explained_by_claims():
    for cid, values in (("xfrmi-if-id", {"if_id": "42"}), ("vti-key", {"key": "7"}),
                        ("vti-okey", {"okey": "7"}), ("vti-in-sa", {"ikey": "7"})):
        assert _flat(claims.claim(cid, **values)) in _flat(overview.TEXT), cid


# ---- the man pages ----------------------------------------------------------------------------

GLUE = {"See", "for complete examples.", "The interface's"}


def _man_claims(page):
    with open(os.path.join(ROOT, "man", "src", page, "40-relations.roff")) as f:
        return re.findall(r'^\.\\" claim (\S+)', f.read(), re.M)


@pytest.mark.parametrize("page", PAGES)
def test_the_man_pages_relations_are_claims_only(page):
    """The relation section's source is macros, claim lines and a few words of glue; the
    generated page holds each claim's sentence."""
    with open(os.path.join(ROOT, "man", "src", page, "40-relations.roff")) as f:
        for line in f.read().split("\n"):
            if line and not line.startswith("."):
                assert line in GLUE, (page, line)
            elif line.startswith((".B ", ".BR ")):
                assert len(line.split()) <= 5, (page, line)
    with open(os.path.join(ROOT, "man", page + ".8")) as f:
        man = _flat(f.read().replace("\\-", "-").replace("\\e", "\\"))
    for cid in _man_claims(page):
        assert _flat(claims.claim(cid)) in man, (cid, page)


# ---- check ------------------------------------------------------------------------------------

def test_each_rules_why_is_its_claims():
    for r in rules.RULES:
        assert r.claims, r.id
        assert r.why == " ".join([claims.claim(c) for c in r.claims] +
                                 ([r.why.note] if r.why.note else [])), r.id
        assert not r.why.note or "check" in r.why.note or "error" in r.why.note, r.id


def test_every_error_rules_fix_is_proven_by_traffic_or_says_why_not():
    fixed = {c.rule for c in CHECK_CASES if c.fixed}
    for r in rules.RULES:
        if r.severity == "error":
            assert (r.id in fixed) != (r.id in UNFIXED), r.id
    assert all(UNFIXED.values())


# ---- what traffic disproved -------------------------------------------------------------------

def test_no_text_says_what_traffic_disproved():
    """Sentences the kernel tier disproved on 6.1, gone from every text a learner reads."""
    import inspect
    texts = [overview.TEXT, inspect.getsource(relations), open(os.path.join(
        ROOT, "grammar", "link.lark")).read()]
    for page in PAGES:
        texts.append(_flat(open(os.path.join(ROOT, "man", page + ".8")).read()))
    texts += [r.why + r.fix + r.what for r in rules.RULES]
    for wrong in ("takes no part in the lookup;", "does not take part in the lookup",
                  "the physical device the interface is bound to", "the inbound SA needs none",
                  "inbound SA needs no mark", "the older on a tie", "(and mark and if_id)",
                  "found by dst, spi and proto)",
                  # route-lookup-ifid0: a policy without if_id does take the interface's
                  # traffic, when the route is chosen
                  "never match traffic of an xfrm interface",
                  "never matches traffic routed into an interface",
                  # xfrmi-change: the kernel refuses an if_id change that omits the dev
                  "type xfrm if_id N)"):
        for t in texts:
            assert wrong not in _flat(t), wrong


# ---- the grammar's one-line word docs ---------------------------------------------------------

LARK = os.path.join(ROOT, "grammar", "link.lark")
# The rules whose words are the seed question's (an xfrm interface's, a VTI's): each of their
# //@doc lines is tied to claims.  Elsewhere, a line that names IPsec's objects is tied too.
TIED_RULES = ("xfrm_link_word", "vti_link_word")
KIND_RULE, TIED_KINDS = "link_type", ("xfrm", "vti", "vti6")
IPSEC = re.compile(r"\bSAs?\b|\bpolic(y|ies)\b|\bif_id\b|\bIPsec\b")
# What a doc line may say of a relation only where one of its claims says it too.
TERMS = (r"\bSAs?\b", r"\bpolic(y|ies)\b", r"\bif_id\b", r"\bmark", r"\blookup\b", r"\broute",
         r"\binbound\b", r"\boutbound\b", r"\bmetadata\b", r"\bBPF\b", r"\bselector")


# grammar/xfrm.lark: the words whose meaning is a relation between policies, SAs, marks and
# interfaces (in the rules that make them): each of their //@doc lines is tied to claims
XFRM_LARK = os.path.join(ROOT, "grammar", "xfrm.lark")
XFRM_TIED = {"policy_add_word": ("dir", "mark", "priority", "tmpl", "if_id"),
             "state_add_word": ("mark", "reqid", "output_mark", "if_id", "pcpu_num"),
             "tmpl": ("tmpl",), "tmpl_word": ("reqid", "level"), "policy_action": ("allow",),
             "xfrm_policy": ("setdefault",), "policy_default": ("policy_default",),
             "algo": ("auth",)}


def _lark_lines(tag, lark=LARK):
    """{"RULE.NAME": text} of a .lark's //@TAG lines, keyed as grammar/compile.py keys //@doc
    (RULE: the rule above the line)."""
    out, rule = {}, None
    with open(lark) as f:
        for line in f.read().splitlines():
            m = re.match(r"([a-z_][a-z0-9_]*)\s*:", line)
            if m:
                rule = m.group(1)
            if line.startswith("//@%s " % tag) and not line[len(tag) + 4:][:1].isupper():
                name, _, text = line[len(tag) + 4:].partition(":")
                name = name.strip()     # "rule.alias" names another rule's alternative
                out[name if "." in name else "%s.%s" % (rule, name)] = text.strip()
    return out


def _tied(key):
    rule, name = key.split(".", 1)
    return rule in TIED_RULES or (rule, name) in [(KIND_RULE, k) for k in TIED_KINDS]


def _xfrm_tied(key):
    rule, name = key.split(".", 1)
    return name in XFRM_TIED.get(rule, ())


@pytest.mark.parametrize("lark", [LARK, XFRM_LARK], ids=["link.lark", "xfrm.lark"])
def test_the_grammars_relation_docs_are_tied_to_claims(lark):
    docs, ties = _lark_lines("doc", lark), _lark_lines("claim", lark)
    assert set(ties) <= set(docs), set(ties) - set(docs)     # a tie names a documented word
    for key, text in docs.items():
        if (_tied(key) or IPSEC.search(text)) if lark == LARK else _xfrm_tied(key):
            assert key in ties, (key, text)
    if lark == XFRM_LARK:
        assert sum(map(len, XFRM_TIED.values())) == len(ties)
    for key, ids in ties.items():
        ids = ids.split()
        assert ids and set(ids) <= set(claims.CLAIMS), (key, ids)
        said = " ".join(claims.claim(c) for c in ids)
        for term in TERMS:      # e.g. "lookup" in the doc line: one of its claims says it
            if re.search(term, docs[key]):
                assert re.search(term, said, re.I), (key, term, ids)
