#!/usr/bin/env bash
# End to end: every built-in scenario generates a bundle that lints clean in strict mode, the
# manifest's hashes match the files, the same seed reproduces the bytes, and bad input is refused
# with exit 2 and a message naming the file and JSON path.
set -euo pipefail
twincert=${1:?usage: generate_e2e.sh TWINCERT}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

mapfile -t scenarios < <("$twincert" scenarios | awk '{print $1}')
((${#scenarios[@]} >= 4)) || fail "expected at least 4 built-in scenarios, got ${#scenarios[@]}"

for s in "${scenarios[@]}"; do
  "$twincert" generate --scenario "$s" --seed 11 --duration 3m --out "$work/$s" --quiet
  for f in stream.nmea truth.jsonl manifest.json; do
    [[ -s "$work/$s/$f" ]] || fail "$s: $f missing or empty"
  done
  ls "$work/$s" | grep -q partial && fail "$s: a .partial file was left behind"
  "$twincert" lint --strict --show 3 "$work/$s/stream.nmea" > "$work/$s/lint.txt" ||
    { cat "$work/$s/lint.txt"; fail "$s: strict lint found errors"; }
  python3 - "$work/$s" <<'PY' || fail "$s: manifest does not match the files"
import hashlib, json, sys, os
d = sys.argv[1]
m = json.load(open(os.path.join(d, "manifest.json")))
assert m["schema"] == "twincert.manifest/1" and m["seed"] == 11, m
for name, info in m["files"].items():
    data = open(os.path.join(d, name), "rb").read()
    assert hashlib.sha256(data).hexdigest() == info["sha256"], name
    assert len(data) == info["bytes"], name
lines = open(os.path.join(d, "stream.nmea"), "rb").read().split(b"\r\n")
assert lines[-1] == b"" and len(lines) - 1 == m["counts"]["sentences"], "count"
truth = [json.loads(l) for l in open(os.path.join(d, "truth.jsonl"))]
assert truth[0]["kind"] == "header" and truth[0]["schema"] == "twincert.truth/1"
states = [t for t in truth if t["kind"] == "state"]
assert len(states) == 181 and states[-1]["t"] == 180.0, len(states)
PY
  echo "ok: $s"
done

# The scenarios the generators issue asks for, whole: each abnormal one carries the conclusions a
# correct twin must reach, lints clean (the GNSS outage's faults are in values, not syntax), and
# the normal ones carry none (a correct twin raises no alarm: the door at anchor is in harbour
# mode).
declare -A expects=(
  [open-sea-transit]="" [coastal-transit]="close_quarters" [port-approach]="" [at-anchor]=""
  [heavy-weather]="" [shallow-water-approach]="shallow_water" [close-quarters]="close_quarters"
  [blackout-recovery]="blackout engine_failure" [steering-failure]="steering_failure"
  [engine-failure]="engine_failure" [fire-doors-open]="fire door_open_at_sea water_ingress"
  [gnss-outage]="input_invalid position_jump")
for s in "${!expects[@]}"; do
  "$twincert" generate --scenario "$s" --seed 5 --out "$work/whole-$s" --quiet ||
    fail "$s: not a built-in scenario or failed to generate"
  "$twincert" lint --strict --show 3 "$work/whole-$s/stream.nmea" > "$work/whole-$s/lint.txt" ||
    { cat "$work/whole-$s/lint.txt"; fail "$s: strict lint found errors"; }
  got=$({ grep -o '"condition":"[a-z_]*"' "$work/whole-$s/truth.jsonl" || true; } |
    cut -d'"' -f4 | sort -u | xargs)
  want=$(tr ' ' '\n' <<<"${expects[$s]}" | sort -u | xargs)
  [[ "$got" == "$want" ]] || fail "$s: expected conclusions '$want', truth has '$got'"
done
grep -q 'FRALF,2,1,[0-9],[0-9.]*,B,A,V,TWC,10003' "$work/whole-fire-doors-open/stream.nmea" ||
  fail "fire-doors-open: no fire alarm ALF"
grep -q 'HDDOR,E,[0-9.]*,HD,MD,001,002,O,C' "$work/whole-fire-doors-open/stream.nmea" ||
  fail "fire-doors-open: no door-open event"
grep -q 'HDDOR,E,[0-9.]*,HD,MD,001,004,O,O' "$work/whole-at-anchor/stream.nmea" ||
  fail "at-anchor: no door-open event in harbour mode"
echo "ok: every scenario whole, with its conclusions"

# --pcap: the wire view, listed and hashed in the manifest, a little-endian pcap of Ethernet
# frames with one frame per line.
"$twincert" generate --scenario coastal-transit --seed 2 --duration 2m --out "$work/wire" --pcap --quiet
python3 - "$work/wire" <<'PY' || fail "--pcap: stream.pcap missing, unhashed or malformed"
import hashlib, json, os, struct, sys
d = sys.argv[1]
m = json.load(open(os.path.join(d, "manifest.json")))
data = open(os.path.join(d, "stream.pcap"), "rb").read()
assert m["files"]["stream.pcap"]["sha256"] == hashlib.sha256(data).hexdigest()
magic, _, _, _, _, _, linktype = struct.unpack("<IHHiIII", data[:24])
assert magic == 0xA1B2C3D4 and linktype == 1, (hex(magic), linktype)
frames, at = 0, 24
while at < len(data):
    _, _, caplen, _ = struct.unpack("<IIII", data[at:at + 16])
    frame = data[at + 16:at + 16 + caplen]
    assert frame[42:48] == b"UdPbC\0", frame[42:48]
    frames, at = frames + 1, at + 16 + caplen
assert frames == m["counts"]["sentences"], (frames, m["counts"]["sentences"])
PY
echo "ok: --pcap"

# 'twincert faults' lists every kind with its level, one per line.
"$twincert" faults > "$work/faults.txt"
(($(wc -l < "$work/faults.txt") == 26)) || fail "twincert faults: $(wc -l < "$work/faults.txt") kinds"
grep -Eq '^range +sentence +probability .*=> input_invalid$' "$work/faults.txt" || fail "faults: no range line"
grep -Eq '^delay +network +delay_ms jitter_ms ' "$work/faults.txt" || fail "faults: no delay line"

# Same seed, same bytes; another seed, other bytes.
"$twincert" generate --scenario open-sea-transit --seed 11 --duration 3m --out "$work/again" --quiet
cmp -s "$work/open-sea-transit/stream.nmea" "$work/again/stream.nmea" || fail "same seed gave other bytes"
"$twincert" generate --scenario open-sea-transit --seed 12 --duration 3m --out "$work/other" --quiet
cmp -s "$work/open-sea-transit/stream.nmea" "$work/other/stream.nmea" && fail "another seed gave the same bytes"

# Bad input: exit 2 with the file, the JSON path and what was expected.
printf '{"name":"x","start_utc":"2025-11-22T09:00:00Z","vessel":"container-feeder","route":[{"lat":54,"lon":6},{"lat":"north","lon":6.1}],"rpm_order":80,"sensors":"standard"}' > "$work/bad.json"
set +e
msg=$("$twincert" generate --scenario "$work/bad.json" --out "$work/bad" 2>&1); code=$?
set -e
((code == 2)) || fail "bad scenario: exit $code, expected 2"
grep -q "bad.json: /route/1/lat: expected a number, got a string" <<<"$msg" || fail "bad scenario message: $msg"
set +e
msg=$("$twincert" generate --scenario open-sea-transit --duration fortnight 2>&1); code=$?
set -e
((code == 2)) || fail "bad duration: exit $code"
# Faults: recorded in the truth with the conclusion a twin must reach; bad specs refused.
"$twincert" generate --scenario open-sea-transit --seed 3 --duration 3m --out "$work/faulty" --quiet \
  --fault dropout:HE0001@60+30 --fault checksum:GP0001@100+20
grep -q '"condition":"input_lost".*"source":"HE0001"' "$work/faulty/truth.jsonl" || fail "no input_lost expectation"
grep -q '"status":"missing"' "$work/faulty/truth.jsonl" || fail "no missing health span"
set +e
"$twincert" lint --show 0 "$work/faulty/stream.nmea" > "$work/faulty/lint.txt"; code=$?
set -e
((code == 1)) || fail "lint of a stream with checksum faults exited $code, expected 1"
grep -Eq 'BadChecksum 20' "$work/faulty/lint.txt" || fail "expected 20 bad checksums: $(cat "$work/faulty/lint.txt")"
set +e
msg=$("$twincert" generate --scenario open-sea-transit --fault dropout:XX0001@1+1 2>&1); code=$?
set -e
((code == 2)) || fail "fault on unknown source: exit $code"
grep -q "no sensor with source XX0001" <<<"$msg" || fail "unknown source message: $msg"
echo "generate e2e: all passed"
