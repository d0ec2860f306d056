#!/usr/bin/env python3
"""A loopback HTTP(S) server for IVRLive tests: webhook answers of every kind
(good, slow, failing, malformed, oversize) and an events sink.

    test_http_server.py [--cert CERT.pem --key KEY.pem]

Listens on 127.0.0.1 on a free port and prints "PORT <n>" on the first line.
Routes:
  GET/POST /json             200 {"tier":"gold","name":{"first":"Ada"}}
  GET/POST /echo             200 {"method":..., "contentType":..., "body":<the JSON received or null>}
  GET      /slow?ms=N        waits N ms, then 200 {"slow":true}
  GET      /status/N         status N with a JSON body
  GET      /malformed        200 '{"tier": gold'
  GET      /array            200 [1,2,3]
  GET      /empty            204, no body
  GET      /big              200, a 2 MiB JSON object with Content-Length
  GET      /big-chunked      200, a 2 MiB JSON object, chunked (no length)
  GET      /hangup           closes the connection without answering
  GET      /redirect         302 to /json
  GET      /forever          200, a chunked body that never ends
  POST     /events/NAME?fail=K&delay=MS
                             fails (503) the first K posts to NAME, delays each
                             by MS, else 200 and keeps the body
  GET      /received/NAME    200 [bodies kept for NAME, in arrival order]
  GET      /attempts/NAME    200 {"attempts": posts to NAME so far}
"""
import json
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

lock = threading.Lock()
received = {}
attempts = {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", content_type="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def route(self, method):
        url = urlparse(self.path)
        query = parse_qs(url.query)
        path = url.path
        data = self.body()
        if path == "/json":
            self.reply(200, b'{"tier":"gold","name":{"first":"Ada"}}')
        elif path == "/echo":
            try:
                parsed = json.loads(data) if data else None
            except ValueError:
                parsed = "<not json>"
            out = {"method": method, "contentType": self.headers.get("Content-Type"), "body": parsed}
            self.reply(200, json.dumps(out).encode())
        elif path == "/slow":
            time.sleep(int(query.get("ms", ["1000"])[0]) / 1000)
            self.reply(200, b'{"slow":true}')
        elif path.startswith("/status/"):
            self.reply(int(path.split("/")[2]), b'{"error":"as requested"}')
        elif path == "/malformed":
            self.reply(200, b'{"tier": gold')
        elif path == "/array":
            self.reply(200, b"[1,2,3]")
        elif path == "/empty":
            self.send_response(204)
            self.end_headers()
        elif path == "/big":
            self.reply(200, b'{"pad":"' + b"x" * (2 << 20) + b'"}')
        elif path == "/big-chunked":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            try:
                for chunk in [b'{"pad":"'] + [b"x" * 65536] * 32 + [b'"}']:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/json")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/forever":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            try:
                self.wfile.write(b"1\r\n{\r\n")
                while True:
                    self.wfile.write(b"1\r\n \r\n")
                    self.wfile.flush()
                    time.sleep(0.05)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/hangup":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
        elif path.startswith("/events/") and method == "POST":
            name = path.split("/")[2]
            with lock:
                attempts[name] = attempts.get(name, 0) + 1
                n = attempts[name]
            time.sleep(int(query.get("delay", ["0"])[0]) / 1000)
            if n <= int(query.get("fail", ["0"])[0]):
                self.reply(503, b'{"error":"try again"}')
                return
            with lock:
                received.setdefault(name, []).append(json.loads(data))
            self.reply(200, b"{}")
        elif path.startswith("/received/"):
            with lock:
                self.reply(200, json.dumps(received.get(path.split("/")[2], [])).encode())
        elif path.startswith("/attempts/"):
            with lock:
                self.reply(200, json.dumps({"attempts": attempts.get(path.split("/")[2], 0)}).encode())
        else:
            self.reply(404, b'{"error":"no such route"}')


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if "--cert" in sys.argv:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[sys.argv.index("--cert") + 1], sys.argv[sys.argv.index("--key") + 1])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print("PORT %d" % server.server_address[1], flush=True)
    # Stop when the test closes our standard input (or dies).
    threading.Thread(target=lambda: (sys.stdin.read(), server.shutdown()), daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
