#!/usr/bin/env python3
"""A hostile twin for harness tests: python3 hostile_twin.py MODE PORT [ALERTS_PORT].

MODE: garbage (200 with a body that is not JSON), huge (a 64 MiB JSON answer), hang (accepts
connections, never answers), silent (answers /ready, and {} everywhere else: no state, no alerts),
reset (reads the request, then resets the connection), halfopen (half a status line, then
silence on an open connection), flood (well-formed empty answers, while datagrams of garbage and
sentences pour into ALERTS_PORT as fast as the host takes them).
Binds and sends to 127.0.0.1 only."""
import socket
import struct
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
        if mode == "reset":
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()  # RST instead of an answer
            return
        if mode == "halfopen":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Le")
            held.append(conn)  # the rest never comes
            return
        if mode == "flood" and path.startswith("/alerts"):
            body = b'{"active": [], "history": []}'
        elif mode in ("silent", "flood") or path == "/ready":
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


def flood(alerts_port):
    out = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    junk = [b"\x00\xff\xfe garbage \x07" * 20, b"$VRALF,1,1,0,,,,,,*00\r\n",
            b"UdPbC\x00\\s:VR0001*00\\$VRHBT,60,A,0*1D\r\n", b"$" + b"X" * 1400 + b"\r\n"]
    i = 0
    while True:
        try:
            out.sendto(junk[i % len(junk)], ("127.0.0.1", alerts_port))
        except OSError:
            pass
        i += 1


if mode == "flood":
    threading.Thread(target=flood, args=(int(sys.argv[3]),), daemon=True).start()

while True:
    c, _ = server.accept()
    threading.Thread(target=answer, args=(c,), daemon=True).start()
