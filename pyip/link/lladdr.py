"""ll_addr_a2n() (iproute2's lib/ll_addr.c): a link-layer address as ip reads it, for the
device's address and broadcast, a bond's ad_actor_system, a bridge's group_address and
macvlan's macaddr."""

# ll_addr_a2n() of 7.3's binary (not in iproute2's git up to 2026-06-28, after 7.1: whether
# 7.2 has it no binary here proves, so 7.3): each part whole hex (an optional 0x), more
# parts than the address holds refused, its message naming the whole word, which it no
# longer cuts at its ":"s
LL_ADDR_WHOLE_SINCE = (7, 3)
HEX = frozenset("0123456789abcdefABCDEF")


def ll_addr_a2n(text, size):
    """ll_addr_a2n() as the run's release has it: (its bytes, or None where ip returns -1;
    the message ip printed then, or ""; the word as ip's argv holds it afterwards).  Hex
    bytes separated by ":", or a dotted quad (4 bytes).  A word of fewer parts gives fewer
    bytes, silently."""
    from pyip._tables import INVALID
    from pyip.release import since
    refused = INVALID["LLADDR.LLADDR"]
    if "." in text:
        from pyip.addr import AF_INET, get_addr_1
        p = get_addr_1(text, AF_INET)
        if p is None:
            return None, refused % text, text
        return p.data[:4], "", text
    parts = text.split(":")
    if since(LL_ADDR_WHOLE_SINCE):
        if len(parts) > size:
            return None, refused % text, text
        got = bytearray()
        for part in parts:
            digits = part[2:] if part[:2] in ("0x", "0X") and part[:1] in HEX else part
            if not part or part[0] not in HEX or not digits or not set(digits) <= HEX \
                    or int(digits, 16) > 255:
                return None, refused % text, text
            got.append(int(digits, 16))
        return bytes(got), "", text
    # up to 7.2: sscanf("%x") of each part, the word cut at each ":" it passes
    cut = parts[0]
    got = bytearray()
    for i, part in enumerate(parts):
        if i == size:
            return bytes(got) + b"\0", "", cut     # ip returns i + 1: len + 1
        n = _scan_hex(part)
        if n is None or not 0 <= n <= 255:
            return None, refused % part, cut
        got.append(n)
    return bytes(got), "", cut


def _scan_hex(text):
    """sscanf(text, "%x"): leading space, a sign, an optional 0x, hex digits; None if none."""
    s = text.lstrip(" \t\n\v\f\r")
    neg = s[:1] == "-"
    if s[:1] in "+-" and s:
        s = s[1:]
    if s[:2] in ("0x", "0X") and s[2:3] and s[2] in "0123456789abcdefABCDEF":
        s = s[2:]
    k = 0
    while k < len(s) and s[k] in "0123456789abcdefABCDEF":
        k += 1
    if not k:
        return None
    n = int(s[:k], 16) & 0xffffffff               # into an int: wraps as C's does
    if neg:
        n = -n & 0xffffffff
    return n - (1 << 32) if n >= 1 << 31 else n
