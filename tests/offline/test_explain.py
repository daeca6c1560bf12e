"""pyip explain IP-ARGS...: the relation texts of the seed's parameters on representative
commands, checked against what ip's parser makes of the commands the texts propose; the
overview's worked VPNs; rejected commands' hints; -j; exit status; 80 columns; no Lark."""
import io
import json
import re
import subprocess
import sys

import pytest

from pyip.explain import capture
from pyip.explain.overview import TEXT as OVERVIEW
from pyip.explain.report import Explanation
from pyip.xfrm.messages import decode_message


def explain(*argv):
    return Explanation(list(argv))


def relation(e, key):
    texts = dict(e.relations)
    assert key in texts, sorted(texts)
    return "\n".join(texts[key])


def commands_in(text):
    """The ip commands a text proposes (lines starting "ip ", continued with backslashes)."""
    cmds, cur = [], None
    for line in text.split("\n"):
        s = line.strip()
        if cur is not None:
            cur += " " + s.rstrip("\\").strip()
            if not s.endswith("\\"):
                cmds.append(cur)
                cur = None
        elif s.startswith("ip "):
            if s.endswith("\\"):
                cur = s.rstrip("\\").strip()
            else:
                cmds.append(s)
    return [c.split()[1:] for c in cmds]


def sent_objects(words):
    """What ip's parser (pyip's, byte-identical) sends for words: decoded XFRM objects."""
    run = capture.capture(words)
    assert run.accepted, (words, run.stderr)
    out = []
    for proto, data in run.sent:
        if proto == 6:
            out.append(decode_message(data))
    return out


def link_info(words):
    from pyip.link.objects import decode_message as link_message
    run = capture.capture(words)
    assert run.accepted, (words, run.stderr)
    links = [link_message(d) for p, d in run.sent if p == 0 and len(d) > 32
             and d[4] == 16]
    return links[-1].info


# ---- xfrm interfaces ------------------------------------------------------------------

def test_xfrm_interface_if_id_ties_to_policies_and_sas_with_that_if_id():
    e = explain("link", "add", "ipsec1", "type", "xfrm", "dev", "eth0", "if_id", "0x10")
    text = relation(e, "xfrm_link_word.if_id")
    assert 'if_id 0x10' in text and "policy" in text and "SA" in text
    assert link_info(e.argv).if_id == 16


def test_xfrm_interface_external_takes_if_id_from_metadata():
    e = explain("link", "add", "xfrm0", "type", "xfrm", "external")
    text = relation(e, "xfrm_link_word.external")
    assert "metadata" in text and "one" in text
    assert link_info(e.argv).external is True


def test_external_with_if_id_is_refused_as_the_text_says():
    text = relation(explain("link", "add", "xfrm0", "type", "xfrm", "external"),
                    "xfrm_link_word.external")
    assert "ip refuses external together with if_id" in text
    run = capture.capture(["link", "add", "x", "type", "xfrm", "external", "if_id", "5"])
    assert not run.accepted and "external" in run.stderr


def test_if_id_0_and_no_if_id_are_refused_by_ip_as_the_text_says():
    text = relation(explain("link", "add", "x", "type", "xfrm", "if_id", "1"),
                    "xfrm_link_word.if_id")
    assert "ip requires an if_id for an xfrm interface (or external) and refuses if_id 0" \
        in text
    zero = capture.capture(["link", "add", "x", "type", "xfrm", "if_id", "0"])
    none = capture.capture(["link", "add", "x", "type", "xfrm", "dev", "lo"])
    assert (zero.rc, zero.stderr) == (255, 'Error: argument "0" is wrong: if_id value is '
                                           'invalid\n')
    assert none.rc == 255 and "IF_ID" in none.stderr


def test_policy_and_state_if_id_texts_name_the_interface():
    p = explain("xfrm", "policy", "add", "dir", "out", "if_id", "7", "tmpl", "proto", "esp")
    s = explain("xfrm", "state", "add", "src", "1.1.1.1", "dst", "2.2.2.2", "proto", "esp",
                "spi", "1", "enc", "aes", "0x00112233445566778899aabbccddeeff", "if_id", "7")
    assert 'the xfrm interface with "if_id 7"' in relation(p, "policy_add_word.if_id")
    assert 'if_id 7' in relation(s, "state_add_word.if_id")
    assert sent_objects(p.argv)[0].if_id == 7 and sent_objects(s.argv)[0].if_id == 7


# ---- VTIs -----------------------------------------------------------------------------

VTI = ("link", "add", "vti1", "type", "vti", "local", "192.0.2.1", "remote", "198.51.100.2",
       "ikey", "5", "okey", "6", "fwmark", "9")


def test_vti_okey_is_the_mark_of_the_out_policy_and_sa():
    """The commands the okey text proposes are ones ip accepts, and they carry the mark
    the VTI's okey is sent as, and the VTI's endpoints as the SA's addresses."""
    e = explain(*VTI)
    text = relation(e, "vti_link_word.okey")
    info = link_info(e.argv)
    proposed = commands_in("\n".join(text.split("\n")))
    assert len(proposed) == 2
    policy = sent_objects(proposed[0])[0]
    assert policy.dir == 1 and policy.mark.value == info.okey == 6
    assert (policy.tmpls[0].src, policy.tmpls[0].dst) == (info.local, info.remote)
    state_words = [w for w in proposed[1] if w != "..."]
    state_words[state_words.index("SPI")] = "0x100"
    state_words += ["enc", "aes", "0x00112233445566778899aabbccddeeff"]
    sa = sent_objects(state_words)[0]
    assert sa.mark.value == 6 and (sa.src, sa.dst) == (info.local, info.remote)


def test_vti_ikey_is_the_mark_of_the_inbound_sa_and_policy_check():
    """The claim vti-in-sa (traffic: vti/in-sa-nomark.a passes, vti/vti-ikey-sa.a fails),
    filled with the command's ikey."""
    from pyip.claims import claim
    text = relation(explain(*VTI), "vti_link_word.ikey")
    assert text == claim("vti-in-sa", ikey="5")
    assert '"mark 5"' in text and "without mark, or with mark 5" in text


def test_vti6_texts_are_ipv6s():
    e = explain("link", "add", "v6", "type", "vti6", "local", "fd00::1", "remote", "fd00::2",
                "key", "5")
    texts = "\n".join(t for _, ps in e.relations for t in ps)
    assert "net.ipv6.conf.v6.disable_policy" in texts and "remote ::)" in texts
    assert "0.0.0.0" not in texts and "::/0" in texts


def test_vti_local_remote_are_the_sas_outer_addresses():
    text = relation(explain(*VTI), "vti_link_word.local")
    assert "src 192.0.2.1 dst 198.51.100.2" in text and "0.0.0.0" in text


def test_vti_fwmark_is_for_the_route_lookup_not_the_policy():
    text = relation(explain(*VTI), "vti_link_word.fwmark")
    assert "route lookup" in text and "takes no part in the policy" in text
    assert link_info(VTI[1:] and list(VTI)).fwmark == 9


def test_vti_key_sets_both_keys():
    e = explain("link", "add", "vti2", "type", "vti", "local", "192.0.2.1", "key", "7")
    text = relation(e, "vti_link_word.key")
    assert "both ikey and okey" in text
    info = link_info(e.argv)
    assert info.ikey == info.okey == 7


def test_vti_says_disable_policy_is_not_needed_on_61():
    text = relation(explain(*VTI), "vti.disable_policy")
    assert "disable_policy" in text and "6.1" in text and "vti1" in text


# ---- templates and marks ----------------------------------------------------------------

def test_template_text_says_how_the_sa_is_selected():
    e = explain("xfrm", "policy", "add", "src", "10.1.0.0/16", "dst", "10.2.0.0/16", "dir",
                "out", "tmpl", "src", "192.0.2.1", "dst", "198.51.100.2", "proto", "esp",
                "mode", "tunnel", "reqid", "1")
    text = relation(e, "policy_add_word.tmpl")
    for word in ("dst", "src", "proto", "mode", "reqid", "ACQUIRE", "level use"):
        assert word in text
    tmpl = sent_objects(e.argv)[0].tmpls[0]
    assert (tmpl.src, tmpl.dst, tmpl.reqid, tmpl.mode) == ("192.0.2.1", "198.51.100.2", 1, 1)


def test_template_defaults_are_the_bytes_ip_sends():
    """level required, spi 0, share any as the defaults text says, in the request."""
    e = explain("xfrm", "policy", "add", "dir", "out", "tmpl", "src", "192.0.2.1", "dst",
                "198.51.100.2", "proto", "esp")
    d = " | ".join(e.defaults)
    assert "tmpl level required" in d and "tmpl spi 0" in d and "tmpl mode transport" in d
    tmpl = sent_objects(e.argv)[0].tmpls[0]
    assert (tmpl.level, tmpl.spi, tmpl.share, tmpl.mode) == (0, 0, 0, 0)


def test_mark_without_mask_defaults_to_all_ones():
    e = explain("xfrm", "policy", "add", "dir", "out", "mark", "5")
    assert "mask 0xffffffff" in relation(e, "policy_add_word.mark")
    assert "mark mask 0xffffffff: every bit of the mark counts" in e.defaults
    assert sent_objects(e.argv)[0].mark.mask == 0xffffffff


def test_output_mark_is_not_a_lookup_mark():
    e = explain("xfrm", "state", "add", "src", "1.1.1.1", "dst", "2.2.2.2", "proto", "esp",
                "spi", "1", "enc", "aes", "0x00112233445566778899aabbccddeeff",
                "output-mark", "3")
    text = relation(e, "state_add_word.output_mark")
    assert "takes no part in the policy or SA lookup" in text
    sa = sent_objects(e.argv)[0]
    assert sa.output_mark == 3 and sa.mark is None


def test_auth_default_truncation_is_what_the_kernel_reported():
    """The text's 96 bits for auth 'hmac(sha256)' is what the 6.1 kernel answered ip in
    the recordings: the case that adds such an SA lists it as auth-trunc ... 96."""
    from tests.replay import recordings
    e = explain("xfrm", "state", "add", "src", "1.1.1.1", "dst", "2.2.2.2", "proto", "ah",
                "spi", "1", "auth", "hmac(sha256)", "0x" + "00" * 32)
    assert "for hmac(sha256) is 96 bits" in relation(e, "algo.auth")
    recs = recordings()
    for n, (i, r) in enumerate(recs):
        if " auth 'hmac(sha256)' 0x" in r["cmd"] and r["rc"] == 0:
            case = i.rsplit("/", 1)[0]
            later = [x for j, x in recs[n:] if j.rsplit("/", 1)[0] == case]
            listed = [x["stdout"] for x in later if "auth-trunc hmac(sha256)" in x["stdout"]]
            assert listed and all(re.search(r"auth-trunc hmac\(sha256\) (?:0x[0-9a-f]+|<<Keys hidden>>)"
                                            r"(?: \(256 bits\))? 96\b", t) for t in listed)
            return
    pytest.fail("no recorded auth 'hmac(sha256)' SA")


# ---- the overview ------------------------------------------------------------------------

KEY_AB = "00112233445566778899aabbccddeeff00112233"
KEY_BA = "ffeeddccbbaa99887766554433221100ffeeddcc"


def example(kind, end):
    import shlex
    from pyip.explain.overview import vpn
    return [shlex.split(c.replace("$KEY_AB", KEY_AB).replace("$KEY_BA", KEY_BA))[1:]
            for c in vpn(kind, end)]


def test_overview_shows_both_ends_of_both_vpns():
    for kind in ("xfrm", "vti"):
        for end in ("A", "B"):
            for c in example(kind, end):
                assert "ip " + " ".join(c[:4]) in OVERVIEW.replace("\\\n", "")


@pytest.mark.parametrize("end", ["A", "B"])
def test_overview_xfrm_vpn_ties_everything_with_the_interfaces_if_id(end):
    cmds = example("xfrm", end)
    link = link_info(cmds[0])
    objs = [o for c in cmds if c[0] == "xfrm" for o in sent_objects(c)]
    assert len(objs) == 4 and all(o.if_id == link.if_id == 42 for o in objs)
    out_sa, in_sa, out_pol, in_pol = objs
    assert (out_pol.tmpls[0].dst, out_pol.tmpls[0].reqid) == (out_sa.dst, out_sa.reqid)
    assert (in_pol.tmpls[0].src, in_pol.tmpls[0].dst) == (in_sa.src, in_sa.dst)


@pytest.mark.parametrize("end", ["A", "B"])
def test_overview_vti_vpn_uses_the_key_as_mark_and_the_ends_as_sa_addresses(end):
    cmds = example("vti", end)
    vti = link_info(cmds[0])
    out_sa, in_sa, out_pol, in_pol = [o for c in cmds if c[0] == "xfrm"
                                      for o in sent_objects(c)]
    assert out_sa.mark.value == out_pol.mark.value == vti.okey == 7
    assert in_pol.mark.value == vti.ikey == 7 and in_sa.mark is None
    assert (out_sa.src, out_sa.dst) == (vti.local, vti.remote)
    assert (in_sa.src, in_sa.dst) == (vti.remote, vti.local)


def test_overview_ends_mirror_each_other():
    """What A sends with (spi, key) B receives with, and the reverse."""
    for kind in ("xfrm", "vti"):
        a, b = example(kind, "A"), example(kind, "B")
        a_sas = [sent_objects(c)[0] for c in a if c[:3] == ["xfrm", "state", "add"]]
        b_sas = [sent_objects(c)[0] for c in b if c[:3] == ["xfrm", "state", "add"]]
        assert (a_sas[0].spi, a_sas[0].aead.key) == (b_sas[1].spi, b_sas[1].aead.key)
        assert (a_sas[1].spi, a_sas[1].aead.key) == (b_sas[0].spi, b_sas[0].aead.key)


def test_overview_fits_80_columns():
    assert max(len(line) for line in OVERVIEW.split("\n")) <= 80


# ---- rejected commands ----------------------------------------------------------------

@pytest.mark.parametrize("argv, hint", [
    (["xfrm", "policy", "add", "dir", "out", "action", "accept"], '"allow" or "block"'),
    (["xfrm", "policy", "setdefault", "in", "allow"], "6.3"),
    (["xfrm", "state", "add", "src", "1.1.1.1", "dst", "2.2.2.2", "proto", "esp", "spi", "1",
      "enc", "aes", "0x00112233445566778899aabbccddeeff", "flag", "noecn,esn"],
     '"flag noecn esn"'),
    (["xfrm", "state", "add", "src", "1.1.1.1", "dst", "2.2.2.2", "proto", "esp", "spi", "1",
      "aead", "rfc4106(gcm(aes))", "0x0011223344556677889900112233445566778899"],
     "ICV length"),
    (["xfrm", "state", "add", "src", "1.1.1.1", "dst", "2.2.2.2", "proto", "ah", "spi", "1",
      "auth-trunc", "hmac(sha256)", "0x00112233445566778899aabbccddeeff"],
     "truncation length"),
    (["xfrm", "state", "add", "src", "1.1.1.1", "dst", "2.2.2.2", "proto", "esp", "spi", "1",
      "mode", "tunel"], '"tunnel"'),
    (["xfrm", "policy", "add", "dir", "output"], '"out"'),
    (["xfrm", "state", "add", "src", "1.1.1.1", "dst", "2.2.2.2", "proto", "esp", "spi", "1",
      "enc", "aes", "0x00112233445566778899aabbccddeeff", "offload", "packet", "dev", "lo",
      "dir", "out"], "6.2"),
    (["xfrm", "state", "add", "src", "1.1.1.1", "dst", "2.2.2.2", "proto", "esp", "spi", "1",
      "enc", "aes", "0x00112233445566778899aabbccddeeff", "dir", "out"], "6.11"),
])
def test_refused_command_gets_ips_error_and_a_hint(argv, hint):
    e = explain(*argv)
    assert not e.run.accepted and e.run.rc in (1, 255)
    assert any(hint in h for h in e.hints), e.hints
    text = e.text()
    assert e.run.stderr.strip().split("\n")[0] in text and "exit status %d" % e.run.rc in text


# ---- the command line ------------------------------------------------------------------

def run_main(argv, stdin=""):
    from pyip import out
    from pyip.main import main
    buf, err = io.BytesIO(), io.BytesIO()
    saved = out._out, out._err, sys.stdin
    out._out, out._err = buf, err
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode()))
    try:
        rc = main(argv)
    finally:
        out._out, out._err, sys.stdin = saved
    return rc, buf.getvalue().decode(), err.getvalue().decode()


def test_exit_status_is_0_when_ip_accepts_and_1_when_it_refuses():
    assert run_main(["explain", "xfrm", "state", "flush"])[0] == 0
    rc, text, _ = run_main(["explain", "xfrm", "state", "add", "proto", "bogus"])
    assert rc == 1 and "ip refuses" in text


def test_explain_minus_exits_1_when_it_read_nothing():
    rc, text, _ = run_main(["explain", "-"], "hello\n")
    assert rc == 1 and "not read:" in text
    rc, text, _ = run_main(["explain", "-"], "src 10.0.0.1 dst 10.0.0.2\nhello\n")
    assert rc == 0 and text.count("not read:") == 1


def test_where_explain_declines_it_does_not_say_ip_refuses():
    """ip -batch FILE is ip's to run; explain declines it, and says that it does."""
    rc, text, _ = run_main(["explain", "-batch", "/nonexistent"])
    assert rc == 1 and "ip refuses" not in text and "explain does not explain" in text
    rc, text, _ = run_main(["-j", "explain", "-batch", "/nonexistent"])
    assert json.loads(text)["declined_by_explain"]


def test_what_explain_offers_has_no_grammar_internal_names():
    """The words offered where the grammar stops are ip's (its usage writes -color=WHEN,
    NUMBER, KEY), never the grammar's own terminal names."""
    from pyip._rules import TERMINALS
    from pyip.explain.words import SHOWN
    internal = set(SHOWN)
    assert internal <= set(TERMINALS) | {"COLOR_OPT"}
    for argv in (["foo"], ["-foo"], ["xfrm", "policy", "add", "flag", "bogus"],
                 ["link", "add", "v", "type", "vti", "key", "bogus"]):
        rc, text, _ = run_main(["explain"] + argv)
        assert rc == 1 and not internal & set(re.findall(r"[A-Z][A-Z0-9_]+", text)), text
        rc, text, _ = run_main(["-j", "explain"] + argv)
        assert not internal & set(json.loads(text)["expected"] or ()), argv


def test_json_says_what_the_text_says():
    rc, text, _ = run_main(["-j", "explain", "link", "add", "ipsec1", "type", "xfrm", "if_id",
                            "9"])
    d = json.loads(text)
    assert rc == 0 and d["accepted"] is True and d["exit_status"] == 0
    names = [f["name"] for m in d["messages"] for f in m["fields"]]
    assert "IFLA_XFRM_IF_ID" in names and "IFLA_INFO_KIND" in names
    assert any(r["key"] == "xfrm_link_word.if_id" for r in d["relations"])
    rc, text, _ = run_main(["-j", "explain", "xfrm", "policy", "add", "dir", "out", "action",
                            "accept"])
    d = json.loads(text)
    assert rc == 1 and d["accepted"] is False and d["exit_status"] == 255
    assert d["error"].startswith('Error: argument "accept"') and d["hints"]


def test_help_and_overview_and_stdin():
    rc, text, _ = run_main(["explain", "--help"])
    assert rc == 0 and "Examples:" in text and max(map(len, text.split("\n"))) <= 80
    rc, text, _ = run_main(["explain"])
    assert rc == 0 and "route-based" in text.lower()
    rc, text, _ = run_main(["explain", "-"], "src 10.0.0.0/24 dst 10.0.1.0/24 \n"
                                             "\tdir out priority 0 ptype main \n")
    assert rc == 0 and "lowest number wins" in text
    rc, text, _ = run_main(["-j", "explain", "-"], "src 10.0.0.1 dst 10.0.0.2\n"
                                                   "\tproto esp spi 0x00000200 reqid 7 "
                                                   "mode tunnel\n")
    rows = json.loads(text)
    assert rc == 0 and rows[1]["notes"][0]["spi"] == 0x200
    rc, text, _ = run_main(["-j", "explain"])
    d = json.loads(text)
    assert rc == 0 and set(d["examples"]) == {"xfrm", "vti"} and d["examples"]["vti"]["B"]


def test_explain_sends_nothing_and_needs_no_root():
    """Explain runs pyip's parser against a stand-in for the kernel: a real socket would
    fail here."""
    import pyip.netlink as nl
    saved = nl.Transport
    nl.Transport = None         # any real socket would be a TypeError
    try:
        rc, text, err = run_main(["explain", "link", "set", "dev", "vti9", "type", "vti",
                                  "okey", "3"])
    finally:
        nl.Transport = saved
    assert rc == 0 and "placeholder" in text and not err


def test_placeholder_devices_are_said_so():
    e = explain("link", "add", "vti3", "type", "vti", "local", "192.0.2.1", "dev", "eth0")
    text = e.text()
    assert 'index of device "eth0"' in text and "<- placeholder" in text


GOLDEN_ARGVS = sorted({tuple(r["argv"][1:]) for _, r in __import__(
    "tests.replay", fromlist=["recordings"]).recordings() if "argv" in r})[:400]


def test_explain_reads_well_in_80_columns():
    """Every line of every golden command's explanation fits, but for a single long word
    (a key) that cannot be broken, and ip's own message, quoted as ip prints it."""
    for argv in GOLDEN_ARGVS:
        e = Explanation(list(argv))
        ips = set(e.run.stderr.split("\n"))
        for line in e.text().split("\n"):
            assert len(line) <= 80 or len(line.split()) <= 2 or line.strip() in ips or \
                line[4:] in ips, (argv, line)


def test_lark_is_not_imported():
    code = ("import sys; from pyip.main import main; "
            "main(['explain', 'xfrm', 'policy', 'add', 'dir', 'out']); "
            "main(['explain']); assert 'lark' not in sys.modules, 'lark'")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr


# ---- meanings ---------------------------------------------------------------------------

def _grammar_words():
    """(rule, alias or None, "kw"/"val", word) for every keyword and value in RULES, with
    the alias of the alternative that encloses it in its rule; and where rules are used."""
    from pyip._tables import RULES
    words, used_in = [], {}

    def walk(rule, e, alias):
        op = e[0]
        if op == "as":
            walk(rule, e[2], e[1])
        elif op in ("seq", "alt", "opt", "star", "plus"):
            for x in e[1:]:
                walk(rule, x, alias)
        elif op in ("kw", "val"):
            words.append((rule, alias, op, e[1]))
        elif op == "rule":
            used_in.setdefault(e[1], []).append((rule, alias))
    for rule, e in RULES.items():
        walk(rule, e, None)
    return words, used_in


def test_every_keyword_and_value_word_has_a_meaning():
    """Each word is explained by the //@doc of the alternative it is in -- in its own rule,
    or, for a rule of no alternatives (mark, encap, ...), its own or that of every rule that
    uses it -- and every value terminal has a description."""
    from pyip._tables import DOCS, TERMINALS
    words, used_in = _grammar_words()
    missing = []
    for rule, alias, op, word in words:
        if op == "val" and TERMINALS.get(word, "a word") in ("", "a word"):
            missing.append("terminal %s" % word)
        if alias is not None:
            if "%s.%s" % (rule, alias) not in DOCS:
                missing.append("%s.%s (%s)" % (rule, alias, word))
        elif rule not in ("start", "args") and "%s.%s" % (rule, rule) not in DOCS and not (
                used_in.get(rule) and all(
                a is not None and "%s.%s" % (r, a) in DOCS for r, a in used_in[rule])):
            missing.append("%s: %s" % (rule, word))
    assert not missing, missing


def test_every_group_of_every_golden_command_is_explained():
    for argv in GOLDEN_ARGVS:
        for g in Explanation(list(argv)).reading.groups:
            assert g.meaning, (argv, g.key)
