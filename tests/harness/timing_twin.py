#!/usr/bin/env python3
"""A twin with exact timing, for the arrival clock's tests:
python3 timing_twin.py MODE HTTP_PORT INPUT_PORT OUT_PORT DELAY_S

It keeps its own (wall) time. DELAY_S seconds after the last datagram on INPUT_PORT it raises
input_lost: at that moment it sends "$TWTXT,01,01,01,INPUT LOST*hh" to OUT_PORT (UDP) and lists
the alert at GET /alerts, until the next datagram clears it.
MODE plain: {"active": [{"condition", "subject"}]}, no times.
MODE host-times: entries carry raised_unix_s and, once cleared (under "history"),
cleared_unix_s, on the host's clock; when the input comes back a momentary alert (input_gap,
2 ms, far shorter than a poll) appears in the history only.
GET /metrics: {"lines": datagrams taken}; GET /ready: {}. Binds 127.0.0.1 only."""
import http.server
import json
import socket
import sys
import threading
import time

mode, http_port, input_port, out_port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(
    sys.argv[4])
delay_s = float(sys.argv[5])

lock = threading.Condition()
state = {"last_rx": None, "count": 0, "raised": None, "history": []}


def sentence(body):
    checksum = 0
    for c in body.encode():
        checksum ^= c
    return ("$%s*%02X\r\n" % (body, checksum)).encode()


def receive(sock):
    while True:
        sock.recv(65536)
        now = time.monotonic()
        with lock:
            state["last_rx"] = now
            state["count"] += 1
            if state["raised"] is not None:
                cleared = time.time()
                state["history"].append({"condition": "input_lost", "subject": "HE0001",
                                         "raised_unix_s": state["raised"],
                                         "cleared_unix_s": cleared})
                state["history"].append({"condition": "input_gap", "subject": "HE0001",
                                         "raised_unix_s": cleared,
                                         "cleared_unix_s": cleared + 0.002})
                state["raised"] = None
            lock.notify_all()


def watch():
    out = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    with lock:
        while True:
            last = state["last_rx"]
            if last is None or state["raised"] is not None:
                lock.wait()
                continue
            left = last + delay_s - time.monotonic()
            if left > 0:
                lock.wait(left)
                continue
            out.sendto(sentence("TWTXT,01,01,01,INPUT LOST"), ("127.0.0.1", out_port))
            state["raised"] = time.time()


class Api(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with lock:
            if self.path == "/alerts":
                body = {"active": [], "history": []}
                if state["raised"] is not None:
                    entry = {"condition": "input_lost", "subject": "HE0001"}
                    if mode == "host-times":
                        entry["raised_unix_s"] = state["raised"]
                    body["active"].append(entry)
                if mode == "host-times":
                    body["history"] = list(state["history"])
            elif self.path == "/metrics":
                body = {"lines": state["count"]}
            else:
                body = {}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
listener.bind(("127.0.0.1", input_port))  # before the API answers: ready means listening
threading.Thread(target=receive, args=(listener,), daemon=True).start()
threading.Thread(target=watch, daemon=True).start()
http.server.ThreadingHTTPServer(("127.0.0.1", http_port), Api).serve_forever()
