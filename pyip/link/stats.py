"""Device counters as ip -s / -s -s prints them (ipaddress.c print_stats64, print_num)."""
from pyip.opts import opts

# (JSON key, counter) in the order ip writes them; the -s -s ones after
RX_JSON = (("bytes", "rx_bytes"), ("packets", "rx_packets"), ("errors", "rx_errors"),
           ("dropped", "rx_dropped"), ("over_errors", "rx_over_errors"),
           ("multicast", "multicast"))
RX_JSON_2 = (("length_errors", "rx_length_errors"), ("crc_errors", "rx_crc_errors"),
             ("frame_errors", "rx_frame_errors"), ("fifo_errors", "rx_fifo_errors"),
             ("missed_errors", "rx_missed_errors"))
TX_JSON = (("bytes", "tx_bytes"), ("packets", "tx_packets"), ("errors", "tx_errors"),
           ("dropped", "tx_dropped"), ("carrier_errors", "tx_carrier_errors"),
           ("collisions", "collisions"))
TX_JSON_2 = (("aborted_errors", "tx_aborted_errors"), ("fifo_errors", "tx_fifo_errors"),
             ("window_errors", "tx_window_errors"),
             ("heartbeat_errors", "tx_heartbeat_errors"))


def print_num(width, count):
    """print_num(): "%*llu ", or with -h a scaled figure ("1.5M", with -iec "1.5Mi")."""
    base = 1024 if opts.iec else 1000
    if not opts.human or count < base:
        return "%*d " % (width, count)
    prefix = "kMGTPE"
    k = 0
    powi = 1
    while True:
        powi *= base
        if count // base < powi:
            break
        if k + 1 >= len(prefix):
            break
        k += 1
    precision = 2
    powj = 1
    while precision > 0:
        powj *= 10
        if count // powi < powj:
            break
        precision -= 1
    text = "%.*f%s%s" % (precision, count / powi, prefix[k], "i" if opts.iec else "")
    return "%*s " % (width, text)


def _size(cols, values):
    """size_columns(): widen each column to its widest figure (not with -h)."""
    if opts.human:
        return
    for i, v in enumerate(values):
        n = len(str(v))
        if n > cols[i]:
            cols[i] = n


def _nums(o, cols, s, fields, first):
    """One row of counters, the i-th field in column first+i."""
    for i, field in enumerate(fields, first):
        o.append(print_num(cols[i], s[field]))


def print_stats64(p, s, carrier_changes, what):
    level = opts.show_stats
    if p.jw is not None:
        p.open_object(what)
        p.open_object("rx")
        for key, field in RX_JSON:
            p.jnum(key, s[field])
        if s["rx_compressed"]:
            p.jnum("compressed", s["rx_compressed"])
        if level > 1:
            for key, field in RX_JSON_2:
                p.jnum(key, s[field])
            if s["rx_nohandler"]:
                p.jnum("nohandler", s["rx_nohandler"])
            if s["rx_otherhost_dropped"]:
                p.jnum("otherhost", s["rx_otherhost_dropped"])
        p.close_object()
        p.open_object("tx")
        for key, field in TX_JSON:
            p.jnum(key, s[field])
        if s["tx_compressed"]:
            p.jnum("compressed", s["tx_compressed"])
        if level > 1:
            for key, field in TX_JSON_2:
                p.jnum(key, s[field])
            if carrier_changes is not None:
                p.jnum("carrier_changes", carrier_changes)
        p.close_object()
        p.close_object()
        return
    sl = opts.SL
    cols = [10, 7, 6, 7, 7, 7, 10, 9]
    _size(cols, (s["rx_bytes"], s["rx_packets"], s["rx_errors"], s["rx_dropped"],
                 s["rx_missed_errors"], s["multicast"], s["rx_compressed"], 0))
    if level > 1:
        _size(cols, (0, s["rx_length_errors"], s["rx_crc_errors"], s["rx_frame_errors"],
                     s["rx_fifo_errors"], s["rx_over_errors"], s["rx_nohandler"],
                     s["rx_otherhost_dropped"]))
    _size(cols, (s["tx_bytes"], s["tx_packets"], s["tx_errors"], s["tx_dropped"],
                 s["tx_carrier_errors"], s["collisions"], s["tx_compressed"], 0))
    if level > 1:
        _size(cols, (0, 0, s["tx_aborted_errors"], s["tx_fifo_errors"],
                     s["tx_window_errors"], s["tx_heartbeat_errors"],
                     carrier_changes or 0, 0))
    o = []
    o.append("    RX: %*s %*s %*s %*s %*s %*s %*s%s" % (
        cols[0] - 4, "bytes", cols[1], "packets", cols[2], "errors", cols[3], "dropped",
        cols[4], "missed", cols[5], "mcast", cols[6],
        "compressed" if s["rx_compressed"] else "", sl))
    o.append("    ")
    _nums(o, cols, s, ("rx_bytes", "rx_packets", "rx_errors", "rx_dropped",
                       "rx_missed_errors", "multicast"), 0)
    if s["rx_compressed"]:
        o.append(print_num(cols[6], s["rx_compressed"]))
    if level > 1:
        nohandler, otherhost = s["rx_nohandler"], s["rx_otherhost_dropped"]
        o.append(sl)
        o.append("    RX errors:%*s %*s %*s %*s %*s %*s%*s%*s%s" % (
            cols[0] - 10, "", cols[1], "length", cols[2], "crc", cols[3], "frame",
            cols[4], "fifo", cols[5], "overrun",
            cols[6] + 1 if nohandler else 0, " nohandler" if nohandler else "",
            cols[7] + 1 if otherhost else 0, " otherhost" if otherhost else "", sl))
        o.append("%*s" % (cols[0] + 5, ""))
        _nums(o, cols, s, ("rx_length_errors", "rx_crc_errors", "rx_frame_errors",
                           "rx_fifo_errors", "rx_over_errors"), 1)
        if nohandler:
            o.append(print_num(cols[6], nohandler))
        if otherhost:
            o.append(print_num(cols[7], otherhost))
    o.append(sl)
    o.append("    TX: %*s %*s %*s %*s %*s %*s %*s%s" % (
        cols[0] - 4, "bytes", cols[1], "packets", cols[2], "errors", cols[3], "dropped",
        cols[4], "carrier", cols[5], "collsns", cols[6],
        "compressed" if s["tx_compressed"] else "", sl))
    o.append("    ")
    _nums(o, cols, s, ("tx_bytes", "tx_packets", "tx_errors", "tx_dropped",
                       "tx_carrier_errors", "collisions"), 0)
    if s["tx_compressed"]:
        o.append(print_num(cols[6], s["tx_compressed"]))
    if level > 1:
        o.append(sl)
        o.append("    TX errors:%*s %*s %*s %*s %*s %*s%s" % (
            cols[0] - 10, "", cols[1], "aborted", cols[2], "fifo", cols[3], "window",
            cols[4], "heartbt", cols[5], "transns" if carrier_changes is not None else "", sl))
        o.append("%*s" % (cols[0] + 5, ""))
        _nums(o, cols, s, ("tx_aborted_errors", "tx_fifo_errors", "tx_window_errors",
                           "tx_heartbeat_errors"), 1)
        if carrier_changes is not None:
            o.append(print_num(cols[5], carrier_changes))
    p.out.append("".join(o))
