"""rtnl_talk's reading of acks (lib/libnetlink.c __rtnl_talk_iov, nl_dump_ext_ack): an error
raises ip's text; a success ack that carries a kernel message prints it as a warning, and one
that carries none prints nothing."""
import io
import struct

import pytest

from pyip import netlink, out

NLMSG_ERROR, NLM_F_CAPPED, NLM_F_ACK_TLVS = 2, 0x100, 0x200


def ack(seq, error, message=None, offset=False):
    """An NLMSG_ERROR as the kernel builds it for a capped ack, with extended-ack TLVs."""
    body = struct.pack("=i", -error) + struct.pack("=IHHII", 16, 0x13, 5, seq, 0)
    flags = NLM_F_CAPPED
    if message is not None:
        body += netlink.attr(1, message.encode() + b"\0")
        flags |= NLM_F_ACK_TLVS
    if offset:
        body += netlink.attr(2, struct.pack("=I", 20))
        flags |= NLM_F_ACK_TLVS
    return struct.pack("=IHHII", 16 + len(body), NLMSG_ERROR, flags, seq, 0) + body


class OneAnswer:
    def __init__(self, answer):
        self.answer, self.sent = answer, []

    def send(self, data):
        self.sent.append(data)

    def recv(self):
        seq = struct.unpack_from("=I", self.sent[-1], 8)[0]
        return self.answer(seq)


@pytest.fixture
def stderr(monkeypatch):
    err = io.BytesIO()
    monkeypatch.setattr(out, "_err", err)
    return err


@pytest.fixture
def talk(monkeypatch, stderr):
    def run(answer):
        monkeypatch.setattr(netlink, "open_transport", lambda proto: OneAnswer(answer))
        return netlink.Netlink(6).talk(0x13, 0, b"", answer=False)
    return run


def test_a_plain_ack_prints_nothing(talk, stderr):
    assert talk(lambda seq: ack(seq, 0)) is None
    assert stderr.getvalue() == b""


def test_an_ack_with_a_kernel_message_prints_it_as_a_warning(talk, stderr):
    assert talk(lambda seq: ack(seq, 0, "policy is odd")) is None
    assert stderr.getvalue() == b"Warning: policy is odd.\n"


def test_an_ack_with_only_an_offset_prints_nothing(talk, stderr):
    assert talk(lambda seq: ack(seq, 0, offset=True)) is None
    assert stderr.getvalue() == b""


def test_an_error_with_a_kernel_message_is_ips_error_line(talk):
    with pytest.raises(netlink.KernelError) as e:
        talk(lambda seq: ack(seq, 22, "Invalid policy"))
    assert (e.value.errno, e.value.message, e.value.code) == (22, "Error: Invalid policy.\n", 2)


def test_an_error_without_one_is_rtnetlink_answers(talk):
    with pytest.raises(netlink.KernelError) as e:
        talk(lambda seq: ack(seq, 17))
    assert e.value.message == "RTNETLINK answers: File exists\n"


def test_answers_to_other_requests_in_the_datagram_are_skipped(talk, stderr):
    assert talk(lambda seq: ack(seq + 5, 17, "not ours") + ack(seq, 0)) is None
    assert stderr.getvalue() == b""


def test_a_datagram_of_other_answers_only_waits_for_the_next(talk):
    seen = []

    def answer(seq):
        seen.append(seq)
        return ack(seq - 1, 17) if len(seen) == 1 else ack(seq, 22)
    with pytest.raises(netlink.KernelError) as e:
        talk(answer)
    assert (e.value.errno, len(seen)) == (22, 2)


def test_a_message_longer_than_its_datagram_is_malformed(talk):
    from pyip.errors import IpExit
    with pytest.raises(IpExit) as e:
        talk(lambda seq: ack(seq, 0)[:-4])
    assert (e.value.message, e.value.code) == ("!!!malformed message: len=36\n", 1)
