#!/usr/bin/env python3
"""A small twin unlike the reference twin, certified by adapter configuration alone:
python3 twin.py HTTP_PORT INPUT_PORT [DROP_AFTER] [--alr OUT_PORT] [--defect NAME]

It takes IEC 61162-450 datagrams (or plain sentences) on INPUT_PORT (UDP) and keeps the stream's
time from their tag blocks (c: and r:). It answers in its own shapes, words and SI units, the way
an open marine data server does:

GET /self: navigation values, each {"value", "timestamp" (ISO 8601 UTC)}: position as one object
  {"latitude", "longitude"} (degrees), speedOverGround (m/s), courseOverGroundTrue and headingTrue
  (radians); environment.depth.belowTransducer (m) and transducerToKeel (m): the depth under the
  keel is their difference.
GET /vessels: AIS targets as an object keyed by "urn:mrn:imo:mmsi:<MMSI>" (and the own ship under
  a key without an MMSI), each with navigation.position {"value": {...}, "timestamp"}.
GET /notifications: {"active": {"groups": [{"severity", "items": [ALERT, ...]}]}, "history":
  [ALERT, ...]}: alerts in lists within lists. ALERT: {"code": "sensor-lost", "sensors": [NAME,
  ...], "since": ISO, "until": ISO (history only)}: one alert about every sensor found silent at
  the same moment (several subjects), named in its own words (gyro, gnss, echo-sounder).
GET /signalk/v1/stream (WebSocket): after the client's subscribe message, every change of the
  values of /self as a Signal K delta {"updates": [{"timestamp", "values": [{"path", "value"}]}]},
  path "navigation.speedOverGround" and so on; with DROP_AFTER the twin drops each WebSocket
  subscriber after that many deltas (a twin that loses its subscribers: the observer reconnects).
GET /signalk/v1/events (server-sent events): the same deltas, one event each.
GET /metrics: {"datagrams": n}; GET /ready: {}. Binds 127.0.0.1 only. Standard library only.

With --alr OUT_PORT its alerts are not in /notifications (always empty then) but only on the
wire, as a legacy alarm system sends them: one ALR per sensor (alarm 001 gyro, 002 gnss, 003
echo sounder; condition A while lost, V once back; text "GYRO LOST" ...), and a heartbeat HBT
every 10 s of stream time announcing that period, each a UDP datagram to 127.0.0.1:OUT_PORT with
a tag block whose c: is the stream time in milliseconds. It also emits its heading as HDT and its
speed over ground as VTG (in km/h only) as it takes them in.

--defect NAME plants a bug (what the mutants of adapter-alr.json name): speed-unit (speed in
km/h where m/s is due, in m/s where km/h is due), heading-offset (heading 2 degrees off),
late-alert (a sensor counts as lost after 14 s instead of 3 s), never-cleared (a loss alert is
never cleared), heartbeat-stops (no HBT after 60 s of stream), wrong-subject (the gyro's loss
alarm carries the echo sounder's number)."""
import base64
import datetime
import hashlib
import http.server
import queue
import json
import math
import socket
import sys
import threading

def options(argv):
    positional, named = [], {}
    i = 0
    while i < len(argv):
        if argv[i].startswith("--"):
            named[argv[i][2:]] = argv[i + 1]
            i += 2
        else:
            positional.append(argv[i])
            i += 1
    return positional, named


POSITIONAL, OPTIONS = options(sys.argv[1:])
http_port, input_port = int(POSITIONAL[0]), int(POSITIONAL[1])
DROP_AFTER = int(POSITIONAL[2]) if len(POSITIONAL) > 2 else 0
DEFECT = OPTIONS.get("defect", "")
DEFECTS = ("speed-unit", "heading-offset", "late-alert", "never-cleared", "heartbeat-stops",
           "wrong-subject")
if DEFECT and DEFECT not in DEFECTS:
    sys.exit("unknown defect %s (known: %s)" % (DEFECT, ", ".join(DEFECTS)))
ALR_PORT = int(OPTIONS["alr"]) if "alr" in OPTIONS else 0
SILENT_S = 14.0 if DEFECT == "late-alert" else 3.0  # a sensor silent this long (stream s) is lost
WATCHED = {"HE0001": "gyro", "GP0001": "gnss", "SD0001": "echo-sounder"}
ALARM_NUMBER = {"HE0001": "001", "GP0001": "002", "SD0001": "003"}
if DEFECT == "wrong-subject":
    ALARM_NUMBER["HE0001"] = "003"
HEARTBEAT_S = 10
KMH_PER_MS = 3.6

lock = threading.Lock()
state = {"datagrams": 0, "now": None, "self": {}, "vessels": {}, "last_heard": {},
         "episodes": [], "history": [], "alarms": {}, "next_heartbeat": None, "heartbeat": 0}
subscribers = []  # one queue of deltas per stream client
wire = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)


def checksum(body):
    total = 0
    for ch in body:
        total ^= ord(ch)
    return "%02X" % total


def emit(sentence, t):
    """One sentence to the harness (--alr), its tag block's c: the stream time in ms."""
    if not ALR_PORT:
        return
    tag = "c:%d" % int(round(t * 1000))
    body = sentence[1:]
    line = "\\%s*%s\\%s*%s\r\n" % (tag, checksum(tag), sentence, checksum(body))
    wire.sendto(line.encode("ascii"), ("127.0.0.1", ALR_PORT))


def hhmmss(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%H%M%S.%f")[:9]


def alarms(t):
    """ALR for each sensor whose loss began or ended; HBT every HEARTBEAT_S of stream time."""
    if not ALR_PORT:
        return
    lost = {s for e in state["episodes"] for s in e["sources"]}
    for source in WATCHED:
        was = state["alarms"].get(source, False)
        now = source in lost or (was and DEFECT == "never-cleared")
        if now != was:
            state["alarms"][source] = now
            emit("$VRALR,%s,%s,%s,V,%s LOST" % (hhmmss(t), ALARM_NUMBER[source],
                                               "A" if now else "V",
                                               WATCHED[source].upper()), t)
    if state["next_heartbeat"] is None:
        state["next_heartbeat"] = t
    if t >= state["next_heartbeat"]:
        state["next_heartbeat"] += HEARTBEAT_S
        if DEFECT != "heartbeat-stops" or t - start_t() < 60:
            emit("$VRHBT,%d,A,%d" % (HEARTBEAT_S, state["heartbeat"]), t)
            state["heartbeat"] = (state["heartbeat"] + 1) % 10


def start_t():
    if "start" not in state:
        state["start"] = state["now"]
    return state["start"]


def publish(path, value, t):
    """A changed value of /self, as a delta to every stream client (under the lock)."""
    delta = {"updates": [{"timestamp": iso(t), "values": [{"path": path, "value": value}]}]}
    for q in subscribers:
        q.put(delta)


def put(group, name, path, value, t):
    group[name] = {"value": value, "timestamp": iso(t)}
    publish(path, value, t)


def iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S.%fZ")


def degrees(text, hemisphere, width):
    if not text:
        return None
    value = float(text[:width]) + float(text[width:]) / 60.0
    return -value if hemisphere in ("S", "W") else value


def sixbits(payload):
    bits = []
    for ch in payload:
        v = ord(ch) - 48
        if v > 40:
            v -= 8
        bits.append(format(v, "06b"))
    return "".join(bits)


def signed(bits, start, n):
    v = int(bits[start:start + n], 2)
    return v - (1 << n) if v & (1 << (n - 1)) else v


def ais(fields, t):
    if len(fields) < 7 or fields[1] != "1":  # single-fragment position reports only
        return
    bits = sixbits(fields[5])
    if len(bits) < 168:
        return
    kind = int(bits[0:6], 2)
    if kind in (1, 2, 3):
        lon, lat = signed(bits, 61, 28), signed(bits, 89, 27)
    elif kind == 18:
        lon, lat = signed(bits, 57, 28), signed(bits, 85, 27)
    else:
        return
    if abs(lon) >= 181 * 600000 or abs(lat) >= 91 * 600000:
        return  # not available
    mmsi = int(bits[8:38], 2)
    state["vessels"]["urn:mrn:imo:mmsi:%09d" % mmsi] = {
        "mmsi": "%09d" % mmsi,
        "navigation": {"position": {"value": {"latitude": lat / 600000.0,
                                              "longitude": lon / 600000.0},
                                    "timestamp": iso(t)}}}


def take(sentence, source, t):
    body = sentence.split("*")[0]
    fields = body[1:].split(",")
    kind = fields[0][2:]
    nav = state["self"].setdefault("navigation", {})
    if body.startswith("!") and kind == "VDM":
        ais(fields, t)
    elif kind == "RMC" and len(fields) > 8 and fields[2] == "A":
        lat, lon = degrees(fields[3], fields[4], 2), degrees(fields[5], fields[6], 3)
        if lat is not None and lon is not None:
            put(nav, "position", "navigation.position", {"latitude": lat, "longitude": lon}, t)
        if fields[7]:
            speed = float(fields[7]) * 1852.0 / 3600.0  # m/s
            put(nav, "speedOverGround", "navigation.speedOverGround",
                speed * KMH_PER_MS if DEFECT == "speed-unit" else speed, t)
            kmh = speed if DEFECT == "speed-unit" else speed * KMH_PER_MS
            emit("$VRVTG,,T,,M,,N,%.2f,K,A" % kmh, t)
        if fields[8]:
            put(nav, "courseOverGroundTrue", "navigation.courseOverGroundTrue",
                math.radians(float(fields[8])), t)
    elif kind == "HDT" and len(fields) > 1 and fields[1]:
        heading = (float(fields[1]) + (2.0 if DEFECT == "heading-offset" else 0.0)) % 360.0
        put(nav, "headingTrue", "navigation.headingTrue", math.radians(heading), t)
        emit("$VRHDT,%.2f,T" % heading, t)
    elif kind == "DPT" and len(fields) > 2 and fields[1] and fields[2]:
        offset = float(fields[2])  # + transducer to waterline, - transducer to keel
        depth = state["self"].setdefault("environment", {}).setdefault("depth", {})
        depth["belowTransducer"] = {"value": float(fields[1]), "timestamp": iso(t)}
        depth["transducerToKeel"] = {"value": -offset if offset < 0 else 0.0, "timestamp": iso(t)}


def watch(t):
    """Raises one alert for the sensors found silent together; clears each as it returns."""
    lost_now = [s for s, heard in state["last_heard"].items()
                if s in WATCHED and t - heard > SILENT_S
                and not any(s in e["sources"] for e in state["episodes"])]
    if lost_now:
        state["episodes"].append({"sources": sorted(lost_now), "since": t})


def heard(source, t):
    state["last_heard"][source] = t
    for e in state["episodes"]:
        if source in e["sources"]:
            e["sources"].remove(source)
            state["history"].append({"code": "sensor-lost", "sensors": [WATCHED[source]],
                                     "since": iso(e["since"]), "until": iso(t)})
    state["episodes"] = [e for e in state["episodes"] if e["sources"]]


def line(text):
    if not text.startswith("\\"):
        return
    close = text.find("\\", 1)
    if close < 0:
        return
    tags = dict(f.split(":", 1) for f in text[1:close].split("*")[0].split(",") if ":" in f)
    if "c" not in tags:
        return
    c = int(tags["c"])
    r = int(tags.get("r", "0"))
    t = c - r // 1000 + r / 1000.0  # c: is whole seconds; r: milliseconds since the start
    source = tags.get("s", "")
    with lock:
        state["now"] = t if state["now"] is None else max(state["now"], t)
        heard(source, t)
        take(text[close + 1:], source, t)
        watch(state["now"])
        alarms(state["now"])


def receive(sock):
    while True:
        data = sock.recv(65536)
        if data.startswith(b"UdPbC\0"):
            data = data[6:]
        with lock:
            state["datagrams"] += 1
        for raw in data.decode("ascii", "replace").split("\n"):
            raw = raw.strip()
            if raw:
                line(raw)


def websocket_frame(text):
    data = text.encode()
    n = len(data)
    if n < 126:
        head = bytes([0x81, n])
    elif n < 65536:
        head = bytes([0x81, 126]) + n.to_bytes(2, "big")
    else:
        head = bytes([0x81, 127]) + n.to_bytes(8, "big")
    return head + data


def read_client_frame(rfile):
    """One masked frame from the client: its payload."""
    head = rfile.read(2)
    if len(head) < 2:
        return None
    n = head[1] & 0x7F
    if n == 126:
        n = int.from_bytes(rfile.read(2), "big")
    elif n == 127:
        n = int.from_bytes(rfile.read(8), "big")
    mask = rfile.read(4)
    payload = rfile.read(n)
    return bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


class Api(http.server.BaseHTTPRequestHandler):
    def stream(self, send):
        q = queue.Queue()
        with lock:
            subscribers.append(q)
        try:
            sent = 0
            while True:
                send(json.dumps(q.get()))
                sent += 1
                if send == self.ws_send and sent == DROP_AFTER:
                    return  # drop the subscriber: it must come back
        except OSError:
            return
        finally:
            with lock:
                subscribers.remove(q)

    def ws_send(self, text):
        self.wfile.write(websocket_frame(text))
        self.wfile.flush()

    def sse_send(self, text):
        self.wfile.write(("data: " + text + "\n\n").encode())
        self.wfile.flush()

    def do_GET(self):
        if self.path.startswith("/signalk/v1/stream"):
            key = self.headers.get("Sec-WebSocket-Key", "")
            accept = base64.b64encode(hashlib.sha1(
                (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()).decode()
            self.protocol_version = "HTTP/1.1"  # a WebSocket upgrade is HTTP/1.1
            self.send_response(101)
            self.send_header("Upgrade", "websocket")
            self.send_header("Connection", "Upgrade")
            self.send_header("Sec-WebSocket-Accept", accept)
            self.end_headers()
            self.wfile.flush()
            self.close_connection = True  # when the stream ends, so does the connection
            if read_client_frame(self.rfile) is None:  # the subscribe message
                return
            self.stream(self.ws_send)
            return
        if self.path.startswith("/signalk/v1/events"):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            self.wfile.write(b": deltas of /self follow\n\n")
            self.stream(self.sse_send)
            return
        with lock:
            if self.path == "/self":
                body = state["self"]
            elif self.path == "/vessels":
                body = dict(state["vessels"])
                body["urn:mrn:signalk:uuid:c0d79334-4e25-4245-8892-54e8ccc8021d"] = {
                    "name": "own ship"}
            elif self.path == "/notifications":
                active = [{"code": "sensor-lost", "sensors": [WATCHED[s] for s in e["sources"]],
                           "since": iso(e["since"])} for e in state["episodes"]]
                history = list(state["history"])
                if ALR_PORT:  # alerts only on the wire
                    active, history = [], []
                body = {"active": {"groups": [{"severity": "alarm", "items": active},
                                              {"severity": "warning", "items": []}]},
                        "history": history}
            elif self.path == "/metrics":
                body = {"datagrams": state["datagrams"]}
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
listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
listener.bind(("127.0.0.1", input_port))  # before the API answers: ready means listening
threading.Thread(target=receive, args=(listener,), daemon=True).start()
http.server.ThreadingHTTPServer(("127.0.0.1", http_port), Api).serve_forever()
