"""An HTTPS server on loopback for the tls_config.server_name tests.

Serves GET /metrics (one gauge) and accepts POST /api/v1/write (204, body discarded), and logs
one line per request: "<method> <path> host=<Host header> sni=<server name the client sent>".
Usage: sni_server.py PORT CERT KEY LOG
"""
import http.server
import ssl
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def record(self):
        sni = getattr(self.connection, "sni", None)
        with open(self.server.log_path, "a") as log:
            log.write(f"{self.command} {self.path} host={self.headers.get('Host')} sni={sni}\n")

    def reply(self, code, body=b"", ctype="text/plain; version=0.0.4"):
        self.send_response(code)
        if body:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.record()
        if self.path.startswith("/metrics"):
            self.reply(200, b"# TYPE sni_test_gauge gauge\nsni_test_gauge 42\n")
        else:
            self.reply(404)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.record()
        self.reply(204)

    def log_message(self, *args):
        pass


def remember_sni(sock, name, _ctx):
    sock.sni = name


def main():
    port, cert, key, log_path = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    ctx.sni_callback = remember_sni
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    server.log_path = log_path
    server.serve_forever()


if __name__ == "__main__":
    main()
