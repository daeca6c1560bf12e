"""The traffic pairs of `xfrm check` (tests/kernel/setups/): each end's -batch file, whether
ping passes through the tunnel when the real ip applies it (the kernel is the judge), and the
rule check must report -- from the script (static) and from the namespace after ip applied it
(live).  The offline tier checks the static half, the kernel tier both halves and the ping.

Where the kernel refuses a line (it never holds two such policies; ip refuses an ESN SA
without replay window), the namespace shows only the consequence: the live rule differs."""
import os

SETUPS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kernel", "setups")
# each set-up's inner address of end b, pinged from end a
PEER = {"xfrmi": "172.16.0.2", "vti": "172.16.1.2", "policy": "192.168.2.1",
        "fwd": "192.168.2.1", "xfrmi6": "fd01::2", "transport": "10.0.0.2",
        "vti6": "fd02::2", "policy6": "fd20::1", "auth": "10.0.0.2", "sadir": "172.16.0.2",
        "pcpu": "172.16.0.2"}
# where the ping starts: end a, or (fwd: a routes for it) the namespace behind a
FORWARDED = {"fwd"}
# set-ups written for a newer ip and kernel: the iproute2 release whose ip applies them (and
# that pyip follows to read them), and the least kernel that keeps what they say
# (pcpu-num: upstream Linux 6.13, and the stable update 6.12.13 that Debian's 6.12 has)
NEWER = {"sadir": ((6, 15), (6, 10)), "pcpu": ((7, 3), (6, 12, 13))}


class Case:
    def __init__(self, setup, name, passes, rule=None, live_rule=None, fixed=False, fill=None):
        self.setup, self.name, self.passes = setup, name, passes
        self.rule = rule
        self.live_rule = live_rule or rule
        self.fixed = fixed      # the finding's fix, run by the real ip, makes the ping pass
        # what the fix leaves to the user (its words in capitals: PREFIX, SPI, ALGO KEY...),
        # as this set-up's other end has it: the fix, so filled, is what ip runs
        self.fill = fill or {}

    @property
    def a(self):
        return os.path.join(SETUPS, self.setup, self.name + ".batch")

    @property
    def b(self):
        return os.path.join(SETUPS, self.setup, "b.batch")

    @property
    def base(self):
        return os.path.join(SETUPS, self.setup, "a.batch")

    @property
    def id(self):
        return "%s/%s" % (self.setup, self.name)


CASES = [
    Case("xfrmi", "a", True),
    Case("vti", "a", True),
    Case("policy", "a", True),
    Case("xfrmi", "ifid-orphan.a", False, "ifid-orphan", fixed=True),
    Case("xfrmi", "ifid-unused.a", False, "ifid-unused", fixed=True),
    Case("xfrmi", "ifid-mismatch.a", False, "ifid-mismatch", fixed=True),
    Case("xfrmi", "ifid-missing.a", False, "ifid-missing", fixed=True),
    Case("xfrmi", "link-down.a", False, "link-down", fixed=True),
    Case("policy", "tmpl-nosa.a", False, "tmpl-nosa", fixed=True),
    Case("policy", "tmpl-in-nopolicy.a", False, "tmpl-in-nopolicy", fixed=True),
    Case("policy", "tmpl-reqid0.a", False, "tmpl-nosa", fixed=True),
    Case("vti", "vti-okey.a", False, "vti-okey", fixed=True),
    Case("vti", "vti-ikey.a", False, "vti-ikey", fixed=True),
    Case("vti", "vti-ikey-sa.a", False, "vti-ikey", fixed=True),
    Case("vti", "in-sa-nomark.a", True),
    Case("vti", "vti-endpoints.a", False, "vti-endpoints", fixed=True),
    Case("vti", "vti-duplicate.a", False, "vti-duplicate", fixed=True),
    Case("policy", "mark-mismatch.a", False, "mark-mismatch", fixed=True),
    Case("vti", "mark-output.a", True, "mark-output"),
    Case("policy", "policy-shadowed.a", False, "policy-shadowed", fixed=True),
    Case("policy", "tie-block-older.a", False, "policy-shadowed", fixed=True),
    Case("policy", "tie-block-newer.a", True),
    Case("policy", "policy-duplicate.a", False, "policy-duplicate", "tmpl-in-nopolicy"),
    Case("xfrmi", "sa-esn-noreplay.a", False, "sa-esn-noreplay", "ifid-unused"),
    Case("xfrmi", "sa-replay-out.a", True, "sa-replay-out"),
    Case("xfrmi", "ifid-set.a", False, "ifid-unused", fixed=True),
    Case("vti", "vti-okey-set.a", False, "vti-okey", fixed=True),
    Case("vti", "vti-fwmark.a", False, "vti-okey", fixed=True),
    Case("xfrmi", "link-noroute.a", False, "link-noroute", fixed=True,
         fill={"PREFIX": "172.16.0.2"}),
    Case("policy", "fwd-not-in.a", False, "tmpl-in-nopolicy", fixed=True),
    Case("policy", "default-inout-block.a", True),
    Case("xfrmi6", "a", True),
    Case("xfrmi6", "ifid-missing.a", False, "ifid-missing", fixed=True),
    Case("xfrmi6", "tmpl-nosa.a", False, "tmpl-nosa", fixed=True),
    Case("xfrmi6", "sa-missing.a", False, "tmpl-nosa", fixed=True,     # b.batch's SA 0x6001
         fill={"SPI": "0x6001", "ALGO KEY...": "aead rfc4106(gcm(aes)) "
               "0x0102030405060708090a0b0c0d0e0f1011121314 128"}),
    Case("policy", "tmpl-spi-other.a", False, "tmpl-nosa", fixed=True),
    Case("policy", "tmpl-in-spi-other.a", False, "tmpl-in-nopolicy", fixed=True),
    Case("vti6", "a", True),
    Case("vti6", "vti-okey.a", False, "vti-okey", fixed=True),
    Case("vti6", "vti-endpoints.a", False, "vti-endpoints", fixed=True),
    Case("vti6", "vti-ikey-sa.a", False, "vti-ikey", fixed=True),
    Case("policy6", "a", True),
    Case("policy6", "fwd-not-in.a", False, "tmpl-in-nopolicy", fixed=True),
    Case("transport", "a", True),
    Case("transport", "no-in-policy.a", True),
    Case("transport", "default-block.a", False, "default-block", fixed=True),
    Case("fwd", "a", True),
    Case("fwd", "tmpl-fwd-nopolicy.a", False, "tmpl-fwd-nopolicy", fixed=True),
    Case("fwd", "default-block.a", False, "default-block", fixed=True),
]


# The SA's dir (XFRMA_SA_DIR: ip >= 6.11, Linux >= 6.10): applied by ip 6.15 on a kernel
# >= 6.10 (tests/kernel/test_check_sadir.py; the kernel tier's 6.1 skips them)
SADIR_CASES = [
    Case("sadir", "a", True),
    Case("sadir", "sa-dir-in.a", False, "sa-dir", fixed=True),
    Case("sadir", "sa-dir-out.a", False, "sa-dir", fixed=True),
    Case("sadir", "sa-dir-replay.a", False, "sa-dir", "ifid-unused"),
]
# Per-CPU SAs (XFRMA_SA_PCPU: ip >= 6.19, Linux >= 6.13 or 6.12.13): applied by ip 7.3 in the
# same module and boot as SADIR_CASES.  A set-up passes when the ping passes from every CPU
# (the module pings from each); the two refused lines stop ip -batch, so live only the
# consequence shows.
PCPU_CASES = [
    Case("pcpu", "a", True),
    Case("pcpu", "pcpu-nodir.a", False, "sa-dir", "ifid-unused"),
    Case("pcpu", "pcpu-big.a", False, "sa-dir", "ifid-unused"),
    # what CPU 0 sends passes, what the others send does not: it fails (on one CPU, skipped)
    Case("pcpu", "pcpu-alone.a", False, "pcpu-alone"),
]
ALL = CASES + SADIR_CASES + PCPU_CASES


def release_of(setup):
    """The release pyip follows to read a set-up's scripts: None for the default."""
    return NEWER.get(setup, (None,))[0]


# The error rules whose fix no traffic case applies, and why (tests/offline/test_claims.py:
# every other error rule has a case whose fix, run by the real ip, makes the ping pass).
UNFIXED = {
    "policy-duplicate": "the fix drops a line of the script (the kernel never held the "
                        "second policy)",
    "sa-esn-noreplay": "the fix is the refused line with a replay window, or without esn: "
                       "which one depends on the peer's SA, which check does not see (with "
                       "b's, without esn, the window alone still fails: claim sa-esn-replay)",
    "script-refused": "the fix is to correct the line, following ip's own message",
    "pcpu-alone": "the SA for every CPU needs a new SPI, which the peer's inbound SA must "
                  "have too (the fix names the SA at end a only)",
}


def commands(path):
    """The command lines of a -batch file (comments and blank lines dropped)."""
    with open(path) as f:
        return [l.split("#", 1)[0].strip() for l in f if l.split("#", 1)[0].strip()]
