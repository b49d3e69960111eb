#!/usr/bin/env python3
"""Slow clients for slowloris.sh, one thread, one epoll loop (standard library only).

    slowloris.py loris HOST:PORT N SECONDS HEADER_TIMEOUT_S
        Keeps N connections open for SECONDS, each sending a request head one byte per
        second (a slow-loris attack); a connection the server ends is replaced by a new one.
        Per connection it records the time from its first byte to the server's answer (the
        first byte of a response) or close. Prints one JSON summary line and exits 1 when a
        connection was held longer than HEADER_TIMEOUT_S + 3 s, or got an answer other than
        408 (or a plain close), or no connection was ended by the server at all.

    slowloris.py hold HOST:PORT N SECONDS
        Opens N idle connections (not a byte sent), prints "held N", and keeps them until it
        is killed, or SECONDS passed.
"""

import errno
import json
import selectors
import socket
import sys
import time

HEAD = (b"POST /api/v1/write HTTP/1.1\r\nHost: loris\r\nContent-Type: application/x-protobuf\r\n"
        b"Content-Encoding: snappy\r\nX-Slow: " + b"a" * 4096 + b"\r\n\r\n")


class Loris:
    def __init__(self, addr, now):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setblocking(False)
        err = self.sock.connect_ex(addr)
        if err not in (0, errno.EINPROGRESS):
            raise OSError(err, "connect")
        self.sent = 0
        self.first_byte_at = None
        self.next_send = now
        self.answer = b""


def percentile(values, p):
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def loris(addr, n, seconds, header_timeout):
    sel = selectors.DefaultSelector()
    start = time.monotonic()
    live = {}
    opened = ended = connect_failures = 0
    lifetimes, statuses = [], {}

    def open_one(now):
        nonlocal opened, connect_failures
        try:
            c = Loris(addr, now)
        except OSError:
            connect_failures += 1
            return
        opened += 1
        live[c.sock.fileno()] = c
        sel.register(c.sock, selectors.EVENT_READ, c)

    def end(c, now, answer):
        nonlocal ended
        ended += 1
        if c.first_byte_at is not None:
            lifetimes.append(now - c.first_byte_at)
        status = "closed"
        if answer.startswith(b"HTTP/1.1 "):
            status = answer[9:12].decode("ascii", "replace")
        elif answer:
            status = "garbage"
        statuses[status] = statuses.get(status, 0) + 1
        sel.unregister(c.sock)
        del live[c.sock.fileno()]
        c.sock.close()

    # Stagger the first connections over a second, so replacements do not come in waves.
    for i in range(n):
        open_one(start + i / n)
    while True:
        now = time.monotonic()
        if now - start >= seconds:
            break
        for key, _ in sel.select(timeout=0.05):
            c = key.data
            try:
                data = c.sock.recv(65536)
            except OSError:
                data = b""
                end(c, time.monotonic(), c.answer)
                continue
            c.answer += data
            if not data or b"\r\n\r\n" in c.answer:
                end(c, time.monotonic(), c.answer)
        now = time.monotonic()
        for c in list(live.values()):
            if now >= c.next_send and c.sent < len(HEAD):
                try:
                    c.sock.send(HEAD[c.sent:c.sent + 1])
                except BlockingIOError:
                    continue  # still connecting
                except OSError:
                    end(c, now, c.answer)
                    continue
                if c.first_byte_at is None:
                    c.first_byte_at = now
                c.sent += 1
                c.next_send = now + 1.0
        while len(live) < n:
            open_one(now)
    held_now = [now - c.first_byte_at for c in live.values() if c.first_byte_at is not None]
    longest = max(lifetimes + held_now) if lifetimes or held_now else 0.0
    summary = {
        "connections": n, "seconds": seconds, "opened": opened, "ended_by_server": ended,
        "connect_failures": connect_failures, "answers": statuses,
        "held_p50_s": round(percentile(lifetimes, 0.5), 2),
        "held_max_s": round(max(lifetimes) if lifetimes else 0.0, 2),
        "open_at_end_longest_s": round(max(held_now) if held_now else 0.0, 2),
    }
    print(json.dumps(summary))
    problems = []
    if not ended:
        problems.append("the server ended no slow connection")
    if longest > header_timeout + 3:
        problems.append("a slow connection was held %.1f s (read_header_timeout %g s)"
                        % (longest, header_timeout))
    other = {k: v for k, v in statuses.items() if k not in ("408", "closed")}
    if other:
        problems.append("answers other than 408: %s" % other)
    for p in problems:
        print("slowloris: " + p, file=sys.stderr)
    return 1 if problems else 0


def hold(addr, n, seconds):
    socks = [socket.create_connection(addr, timeout=5) for _ in range(n)]
    print("held %d" % len(socks), flush=True)
    time.sleep(seconds)  # until killed
    return 0


def main(argv):
    if len(argv) >= 4:
        host, port = argv[2].rsplit(":", 1)
        addr = (host, int(port))
        if argv[1] == "loris" and len(argv) == 6:
            return loris(addr, int(argv[3]), float(argv[4]), float(argv[5]))
        if argv[1] == "hold" and len(argv) == 5:
            return hold(addr, int(argv[3]), float(argv[4]))
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
