#!/usr/bin/env bash
# Replay top speed on loopback: `twincert replay --rate max` against `tcpreplay --topspeed` on the
# same IEC 61162-450 datagrams, in one run. Needs root (tcpreplay writes raw frames to lo).
#
#   bench/replay_vs_tcpreplay.sh [TWINCERT] [SECONDS_OF_VOYAGE]
#
# tcpreplay puts frames on `lo` below IP, so a socket on 127.0.0.1 only receives them with
# net.ipv4.conf.lo.route_localnet=1 and accept_local=1; this script sets both for the
# measurement and puts the old values back on exit. twincert itself needs no such change.
set -euo pipefail
cd "$(dirname "$0")/.."
twincert=${1:-build/bench/cli/twincert}
seconds=${2:-3600}
command -v tcpreplay >/dev/null || { apt-get update -qq && apt-get install -y -qq tcpreplay >/dev/null; }
work=$(mktemp -d)
old_route=$(sysctl -n net.ipv4.conf.lo.route_localnet)
old_accept=$(sysctl -n net.ipv4.conf.lo.accept_local)
restore() {
  sysctl -qw net.ipv4.conf.lo.route_localnet="$old_route" net.ipv4.conf.lo.accept_local="$old_accept"
  rm -rf "$work"
}
trap restore EXIT
port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

"$twincert" generate --scenario coastal-transit --seed 1 --duration "$seconds" --pcap --out "$work/voyage" >/dev/null
# The datagrams as captured go to the 450 groups from 10.61.0.1: rewrite them to 127.0.0.1:PORT.
tcprewrite --infile="$work/voyage/stream.pcap" --outfile="$work/lo.pcap" \
  --dstipmap=0.0.0.0/0:127.0.0.1/32 --srcipmap=0.0.0.0/0:127.0.0.2/32 \
  --portmap=60000-60017:"$port" --enet-dmac=00:00:00:00:00:00 --enet-smac=00:00:00:00:00:00 --fixcsum
sysctl -qw net.ipv4.conf.lo.route_localnet=1 net.ipv4.conf.lo.accept_local=1
frames=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["counts"]["sentences"])' "$work/voyage/manifest.json")

# A receiver counting datagrams (with a large buffer) beside each sender: the delivered share.
count() {  # count SECONDS_QUIET -> prints datagrams received until the line is quiet
  python3 - "$port" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:  # as root past net.core.rmem_max (SO_RCVBUFFORCE), so the counter is not the bottleneck
    s.setsockopt(socket.SOL_SOCKET, 33, 256 << 20)
except OSError:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 << 20)
s.bind(("127.0.0.1", int(sys.argv[1])))
print("ready", flush=True)
s.settimeout(10)
n = 0
try:
    s.recv(2048); n = 1
    s.settimeout(1)
    while True:
        s.recv(2048); n += 1
except socket.timeout:
    pass
print(n, flush=True)
PY
}
measure() {  # measure NAME COMMAND...
  local name=$1; shift
  coproc RX { count; }
  read -r _ <&"${RX[0]}"
  local start end
  start=$(date +%s.%N)
  "$@" > "$work/$name.out" 2>&1
  end=$(date +%s.%N)
  local got; read -r got <&"${RX[0]}"
  wait "$RX_PID" 2>/dev/null || true
  python3 -c "
frames, got, t = $frames, $got, $end - $start
print('%-10s %9d datagrams in %6.3f s: %9.0f datagrams/s sent, %5.1f %% received' % ('$name', frames, t, frames / t, 100.0 * got / frames))"
}
echo "coastal-transit, $seconds s of voyage, seed 1: $frames IEC 61162-450 datagrams (one per sentence) to 127.0.0.1:$port"
measure tcpreplay tcpreplay --topspeed --intf1=lo "$work/lo.pcap"
measure twincert "$twincert" replay "$work/voyage" --to "udp://127.0.0.1:$port?format=450" --rate max
grep -E "Rated|Actual" "$work/tcpreplay.out" | sed 's/^/  tcpreplay: /'
tail -1 "$work/twincert.out" | sed 's/^/  twincert: /'
