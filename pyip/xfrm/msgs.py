"""XFRM netlink message types and layouts (include/uapi/linux/xfrm.h), as tables."""
from struct import Struct

# message types
XFRM_MSG_NEWSA, XFRM_MSG_DELSA, XFRM_MSG_GETSA = 0x10, 0x11, 0x12
XFRM_MSG_NEWPOLICY, XFRM_MSG_DELPOLICY, XFRM_MSG_GETPOLICY = 0x13, 0x14, 0x15
XFRM_MSG_ALLOCSPI, XFRM_MSG_ACQUIRE, XFRM_MSG_EXPIRE = 0x16, 0x17, 0x18
XFRM_MSG_UPDPOLICY, XFRM_MSG_UPDSA, XFRM_MSG_POLEXPIRE = 0x19, 0x1a, 0x1b
XFRM_MSG_FLUSHSA, XFRM_MSG_FLUSHPOLICY = 0x1c, 0x1d
XFRM_MSG_NEWAE, XFRM_MSG_GETAE, XFRM_MSG_REPORT, XFRM_MSG_MIGRATE = 0x1e, 0x1f, 0x20, 0x21
XFRM_MSG_NEWSADINFO, XFRM_MSG_GETSADINFO = 0x22, 0x23
XFRM_MSG_NEWSPDINFO, XFRM_MSG_GETSPDINFO = 0x24, 0x25
XFRM_MSG_MAPPING, XFRM_MSG_SETDEFAULT, XFRM_MSG_GETDEFAULT = 0x26, 0x27, 0x28

# XFRM_MSG_GETSADINFO / GETSPDINFO: a u32 of flags, then these attributes
U32 = Struct("=I")
XFRMA_SAD_CNT, XFRMA_SAD_HINFO = 1, 2
SADHINFO = Struct("=II")                    # sadhcnt, sadhmcnt
XFRMA_SPD_INFO, XFRMA_SPD_HINFO = 1, 2
XFRMA_SPD_IPV4_HTHRESH, XFRMA_SPD_IPV6_HTHRESH = 3, 4
SPDINFO = Struct("=iiiiii")                 # in, out, fwd, in-sock, out-sock, fwd-sock (%d)
SPDHINFO = Struct("=ii")                    # spdhcnt, spdhmcnt
SPDHTHRESH = Struct("=BB")                  # lbits, rbits
