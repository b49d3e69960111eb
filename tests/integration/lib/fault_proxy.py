#!/usr/bin/env python3
"""A fault-injecting HTTP/1.1 proxy for integration tests (Python 3 stdlib only).

    fault_proxy.py --listen 127.0.0.1:PORT --upstream 127.0.0.1:PORT --rules FILE --log FILE

Forwards each request of each client connection to the upstream (one upstream connection per
client connection, kept alive), byte for byte except that `Expect: 100-continue` is answered by
the proxy itself (so a fault can be injected before the body is forwarded). Every request is
matched against the rules in FILE, which is re-read whenever it changes, so a test can switch
faults on and off while the proxy runs. One rule per line, `#` comments:

    ACTION [every=N] [match=REGEX] [limit=N]

REGEX is searched in "METHOD /path?query". A rule counts the requests it matches; it fires on
every Nth one (every=1: all; default 1) and at most `limit` times (default unlimited). The
first rule that fires decides. Counters restart when the file changes. Actions:

    500           read the request, answer 500 InternalError (S3 XML), keep the connection
    503           read the request, answer 503 SlowDown (S3 XML), keep the connection
    reset         reset the connection (SO_LINGER 0) right after the request head
    reset_body    read half of the request body, then reset (an upload cut mid-body)
    reset_reply   forward the request (the upstream acts on it), then send half of the
                  response (head and body bytes) and reset: a lost / cut reply
    delay=SECS    forward the request after SECS seconds

Each request is logged as one JSON line to --log: {"n", "conn", "request", "action",
"status"}, where action is "forward" or the injected fault and status is the upstream's status
(absent when the request never reached it), so a test can assert that faults happened.
"""
import argparse
import json
import os
import re
import socket
import struct
import sys
import threading
import time

S3_ERRORS = {
    "500": (500, "Internal Server Error", "InternalError", "injected by fault_proxy"),
    "503": (503, "Slow Down", "SlowDown", "Please reduce your request rate (fault_proxy)"),
}


class Rules:
    def __init__(self, path):
        self.path = path
        self.mtime = None
        self.rules = []
        self.lock = threading.Lock()

    def _load(self):
        try:
            st = os.stat(self.path)
            stamp = (st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            stamp = None
        if stamp == self.mtime:
            return
        self.mtime = stamp
        rules = []
        if stamp is not None:
            with open(self.path) as f:
                for line in f:
                    line = line.split("#", 1)[0].strip()
                    if not line:
                        continue
                    parts = line.split()
                    rule = {"action": parts[0], "every": 1, "match": None, "limit": None,
                            "seen": 0, "fired": 0}
                    for p in parts[1:]:
                        k, v = p.split("=", 1)
                        if k == "every":
                            rule["every"] = max(1, int(v))
                        elif k == "limit":
                            rule["limit"] = int(v)
                        elif k == "match":
                            rule["match"] = re.compile(v)
                        else:
                            raise ValueError(f"unknown rule key {k!r} in {line!r}")
                    rules.append(rule)
        self.rules = rules

    def decide(self, request_line):
        with self.lock:
            self._load()
            for r in self.rules:
                if r["match"] is not None and not r["match"].search(request_line):
                    continue
                if r["limit"] is not None and r["fired"] >= r["limit"]:
                    continue
                r["seen"] += 1
                if r["seen"] % r["every"] == 0:
                    r["fired"] += 1
                    return r["action"]
            return "forward"


class Log:
    def __init__(self, path):
        self.f = open(path, "a", buffering=1)
        self.lock = threading.Lock()
        self.n = 0

    def next_id(self):
        with self.lock:
            self.n += 1
            return self.n

    def write(self, **entry):
        entry["t"] = round(time.time(), 3)
        with self.lock:
            self.f.write(json.dumps(entry) + "\n")


class Closed(Exception):
    pass


class Reader:
    """Buffered reads from a socket: lines, exact byte counts."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise Closed()
        self.buf += data

    def head(self):
        while b"\r\n\r\n" not in self.buf:
            if len(self.buf) > 1 << 20:
                raise Closed()
            self._fill()
        i = self.buf.index(b"\r\n\r\n") + 4
        h, self.buf = self.buf[:i], self.buf[i:]
        return h

    def exactly(self, n):
        while len(self.buf) < n:
            self._fill()
        b, self.buf = self.buf[:n], self.buf[n:]
        return b

    def line(self):
        while b"\r\n" not in self.buf:
            self._fill()
        i = self.buf.index(b"\r\n") + 2
        b, self.buf = self.buf[:i], self.buf[i:]
        return b


def parse_head(raw):
    lines = raw.decode("latin-1").split("\r\n")
    first = lines[0]
    headers = []
    for ln in lines[1:]:
        if ln:
            k, _, v = ln.partition(":")
            headers.append((k.strip(), v.strip()))
    return first, headers


def header(headers, name):
    for k, v in headers:
        if k.lower() == name:
            return v
    return None


def read_body(reader, headers, has_body=True):
    """The message body's raw bytes (Content-Length or chunked, as sent)."""
    if not has_body:
        return b""
    te = header(headers, "transfer-encoding")
    if te and "chunked" in te.lower():
        out = b""
        while True:
            size_line = reader.line()
            out += size_line
            size = int(size_line.split(b";")[0].strip(), 16)
            if size == 0:
                while True:  # trailers up to the empty line
                    ln = reader.line()
                    out += ln
                    if ln == b"\r\n":
                        return out
            out += reader.exactly(size + 2)
    n = header(headers, "content-length")
    return reader.exactly(int(n)) if n else b""


def reset(sock):
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    sock.close()


def build_head(first, headers):
    return (first + "\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n").encode(
        "latin-1")


def serve(client, upstream_addr, rules, log):
    conn_id = log.next_id()
    reader = Reader(client)
    up = None
    up_reader = None
    try:
        while True:
            try:
                raw = reader.head()
            except (Closed, OSError):
                return
            first, headers = parse_head(raw)
            method = first.split(" ", 1)[0]
            target = first.split(" ")[1] if " " in first else ""
            n = log.next_id()
            action = rules.decide(f"{method} {target}")
            entry = {"n": n, "conn": conn_id, "request": f"{method} {target}", "action": action}
            if action == "reset":
                log.write(**entry)
                reset(client)
                return
            expect = header(headers, "expect")
            if expect and expect.lower() == "100-continue":
                headers = [(k, v) for k, v in headers if k.lower() != "expect"]
                client.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            if action == "reset_body":
                length = int(header(headers, "content-length") or 0)
                if length > 1:
                    reader.exactly(length // 2)
                log.write(**entry)
                reset(client)
                return
            body = read_body(reader, headers)
            if action in S3_ERRORS:
                status, reason, code, message = S3_ERRORS[action]
                xml = (f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code>'
                       f"<Message>{message}</Message><RequestId>fault-{n}</RequestId></Error>"
                       ).encode()
                client.sendall(
                    f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/xml\r\n"
                    f"Content-Length: {len(xml)}\r\n\r\n".encode() + (b"" if method == "HEAD"
                                                                      else xml))
                log.write(**entry)
                continue
            if action.startswith("delay="):
                time.sleep(float(action.split("=", 1)[1]))
            # Forward.
            for attempt in range(2):
                if up is None:
                    try:
                        up = socket.create_connection(upstream_addr, timeout=120)
                    except OSError as e:
                        entry["error"] = f"upstream: {e}"
                        log.write(**entry)
                        reset(client)  # as the client would see a dead server: a reset
                        return
                    up_reader = Reader(up)
                try:
                    up.sendall(build_head(first, headers) + body)
                    resp_raw = up_reader.head()
                    break
                except (Closed, OSError):
                    up.close()
                    up = None
                    if attempt == 1:
                        entry["error"] = "upstream closed"
                        log.write(**entry)
                        reset(client)
                        return
            while True:
                status_line, resp_headers = parse_head(resp_raw)
                status = int(status_line.split(" ")[1])
                if status != 100:
                    break
                resp_raw = up_reader.head()  # swallow an interim 100 Continue
            no_body = method == "HEAD" or status in (204, 304) or status < 200
            resp_body = read_body(up_reader, resp_headers, not no_body)
            entry["status"] = status
            out = resp_raw + resp_body
            if action == "reset_reply":
                client.sendall(out[: len(out) // 2])
                log.write(**entry)
                reset(client)
                return
            client.sendall(out)
            log.write(**entry)
            conn_hdr = (header(resp_headers, "connection") or "").lower()
            if conn_hdr == "close":
                client.close()
                return
    except (Closed, OSError) as e:
        try:
            log.write(n=0, conn=conn_id, request="", action="connection_error", error=str(e))
        except Exception:
            pass
    finally:
        if up is not None:
            up.close()
        try:
            client.close()
        except OSError:
            pass


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--listen", required=True)
    ap.add_argument("--upstream", required=True)
    ap.add_argument("--rules", required=True)
    ap.add_argument("--log", required=True)
    a = ap.parse_args()
    lh, lp = a.listen.rsplit(":", 1)
    uh, upt = a.upstream.rsplit(":", 1)
    rules = Rules(a.rules)
    log = Log(a.log)
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((lh, int(lp)))
    srv.listen(128)
    print(f"fault_proxy: {a.listen} -> {a.upstream}", file=sys.stderr, flush=True)
    while True:
        c, _ = srv.accept()
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=serve, args=(c, (uh, int(upt)), rules, log), daemon=True).start()


if __name__ == "__main__":
    main()
