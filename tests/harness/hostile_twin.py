#!/usr/bin/env python3
"""A hostile twin for harness tests: python3 hostile_twin.py MODE PORT.

MODE: garbage (200 with a body that is not JSON), huge (a 64 MiB JSON answer), hang (accepts
connections, never answers), silent (answers /ready, and {} everywhere else: no state, no alerts).
Binds 127.0.0.1 only."""
import socket
import sys
import threading

mode, port = sys.argv[1], int(sys.argv[2])
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", port))
server.listen(64)
held = []


def answer(conn):
    try:
        request = conn.recv(4096).decode("latin-1")
        path = request.split(" ")[1] if " " in request else "/"
        if mode == "hang":
            held.append(conn)  # never answer, never close
            return
        if mode == "silent" or path == "/ready":
            body = b"{}"
        elif mode == "garbage":
            body = b"\x00\xffthis is not json{{{"
        else:  # huge
            head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
            conn.sendall(head % (64 << 20))
            chunk = b"[" + b"1," * 32767 + b"1]"
            try:
                for _ in range((64 << 20) // len(chunk)):
                    conn.sendall(chunk)
            except OSError:
                pass
            conn.close()
            return
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
                     b"Connection: close\r\n\r\n" % len(body) + body)
        conn.close()
    except OSError:
        pass


while True:
    c, _ = server.accept()
    threading.Thread(target=answer, args=(c,), daemon=True).start()
