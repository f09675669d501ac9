#!/usr/bin/env bash
# replay_into_twin.sh TWINCERT TWIN: generate a short voyage with the gyro lost for 60 s, replay
# it with `twincert replay` over TCP (lossless, stream time) and over UDP (virtual pacing) into
# the reference twin, and require the twin to have raised and cleared input_lost for HE0001.
set -euo pipefail
twincert=$1
twin=$2
dir=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$dir"' EXIT
"$twincert" generate --scenario open-sea-transit --duration 200 --seed 4 --quiet --out "$dir/bundle" \
  --fault dropout:HE0001@60+60

start_twin() {  # start_twin NAME: a twin on free ports, its ports file in $dir/NAME.json
  "$twin" --clock stream --no-multicast --no-alerts --http 127.0.0.1:0 --udp 127.0.0.1:0 --tcp 127.0.0.1:0 \
    --ports-file "$dir/$1.json" --quiet &
  pids+=($!)
  for _ in $(seq 100); do [[ -s $dir/$1.json ]] && return 0; sleep 0.05; done
  echo "the twin did not start"; exit 1
}
field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); v=d[sys.argv[2]]; print(v[0] if isinstance(v,list) else v)" "$@"; }

check() {  # check NAME: input_lost for HE0001 raised about 60 s in, cleared about 120 s in
  local http; http=$(field "$dir/$1.json" http)
  for _ in $(seq 100); do
    if python3 - "$http" "$dir/bundle/truth.jsonl" <<'PY'
import json, sys, urllib.request
http, truth = sys.argv[1], sys.argv[2]
start = json.loads(open(truth).readline())["start_unix_s"]
a = json.load(urllib.request.urlopen("http://" + http + "/alerts", timeout=2))
lost = [x for x in a["history"] if x["condition"] == "input_lost" and x["subject"] == "HE0001"]
ok = len(lost) == 1 and 60 <= lost[0]["raised_unix_s"] - start <= 70 and 120 <= lost[0]["cleared_unix_s"] - start <= 130
others = [x for x in a["history"] + a["active"] if x["subject"] != "HE0001" and x["condition"] != "blackout"]
sys.exit(0 if ok and not others else 1)
PY
    then return 0; fi
    sleep 0.1
  done
  echo "$1: the twin did not conclude input_lost for HE0001 from 60 s to 120 s:"
  curl -s "http://$http/alerts" || true
  exit 1
}

start_twin tcp
"$twincert" replay "$dir/bundle" --to "tcp://$(field "$dir/tcp.json" tcp)" --rate max --quiet
check tcp
start_twin udp
"$twincert" replay "$dir/bundle" --to "udp://$(field "$dir/udp.json" udp)" --rate virtual:5000 --quiet
check udp
echo "replay into the reference twin: ok (tcp max, udp virtual)"
