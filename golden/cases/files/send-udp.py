# Send one UDP datagram from port 4500 to ADDR port 9 (to make the kernel ask for an SA: an
# acquire event).  A fixed source port keeps the event's selector the same from run to run.
import socket
import sys

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 4500))
s.setblocking(False)
try:
    s.sendto(b"x", (sys.argv[1], 9))
except OSError:
    pass
