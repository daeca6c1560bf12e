"""Set an SA's current lifetime (bytes, packets, add and use times) as the kernel keeps it,
for a golden case to record how ip prints times localtime() cannot tell (ip 6.15's
`invalid-time`, iproute2 55446264).  No ip command can: the kernel sets add_time itself; an
XFRM_MSG_NEWAE with NLM_F_REPLACE and XFRMA_LTIME_VAL replaces it (xfrm_new_ae() ->
xfrm_update_ae_params()).  A setup line's tool ("$ python3 -m golden.sa_times ..."), run in
the case's namespace; never part of pyip.

    python3 -m golden.sa_times DST SPI PROTO ADD_TIME [USE_TIME]     (IPv4 SAs)
"""
import errno
import socket
import struct
import sys

NETLINK_XFRM = 6
XFRM_MSG_NEWAE = 30
XFRMA_LTIME_VAL = 9
NLM_F_REQUEST, NLM_F_ACK, NLM_F_REPLACE = 1, 4, 0x100
PROTOS = {"esp": 50, "ah": 51, "comp": 108}


def main(argv):
    dst, spi, proto, add = argv[0], int(argv[1], 0), PROTOS[argv[2]], int(argv[3], 0)
    use = int(argv[4], 0) if len(argv) > 4 else 0
    # struct xfrm_aevent_id: sa_id (daddr, spi, family, proto), saddr, flags, reqid
    sa_id = socket.inet_aton(dst) + bytes(12) + struct.pack(">I", spi) + \
        struct.pack("=HBx", socket.AF_INET, proto)
    body = sa_id + bytes(16) + struct.pack("=II", 0, 0)
    ltime = struct.pack("=QQQQ", 0, 0, add, use)
    attr = struct.pack("=HH", 4 + len(ltime), XFRMA_LTIME_VAL) + ltime
    msg = body + attr
    hdr = struct.pack("=IHHII", 16 + len(msg), XFRM_MSG_NEWAE,
                      NLM_F_REQUEST | NLM_F_ACK | NLM_F_REPLACE, 1, 0)
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_XFRM)
    s.bind((0, 0))
    s.send(hdr + msg)
    reply = s.recv(65536)
    err = struct.unpack_from("=i", reply, 16)[0]
    if err:
        sys.stderr.write("NEWAE: %s\n" % errno.errorcode.get(-err, err))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
