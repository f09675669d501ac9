#!/usr/bin/env bash
# check_twin.sh TWINCERT TWIN RULES: a voyage with the gyro lost for 60 s is replayed into the
# reference twin and into two of its defective variants; their alerts become observations and
# `twincert check` must pass the correct twin (exit 0) and fail each defect (exit 1) on the
# rule that should catch it. A small mutation test of generator, replay, twin and rules together.
set -euo pipefail
twincert=$1
twin=$2
rules=$3
dir=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$dir"' EXIT
"$twincert" generate --scenario open-sea-transit --duration 200 --seed 4 --quiet --out "$dir/bundle" \
  --fault dropout:HE0001@60+60

observe() {  # observe NAME [TWIN ARGS...]: run one twin, write $dir/NAME.jsonl
  local name=$1
  shift
  "$twin" --clock stream --no-multicast --no-alerts --http 127.0.0.1:0 --tcp 127.0.0.1:0 \
    --ports-file "$dir/$name.json" --quiet "$@" &
  pids+=($!)
  for _ in $(seq 100); do [[ -s $dir/$name.json ]] && break; sleep 0.05; done
  local tcp http
  tcp=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['tcp'][0])" "$dir/$name.json")
  http=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['http'])" "$dir/$name.json")
  "$twincert" replay "$dir/bundle" --to "tcp://$tcp" --rate max --quiet
  python3 - "$http" "$dir/bundle/truth.jsonl" "$dir/$name.jsonl" <<'PY'
import json, sys, time, urllib.request
http, truth, out = sys.argv[1:4]
start = json.loads(open(truth).readline())["start_unix_s"]
lines = sum(1 for _ in open(truth.replace("truth.jsonl", "stream.nmea"), "rb"))
for _ in range(200):  # until the twin has taken in the whole stream
    if json.load(urllib.request.urlopen("http://" + http + "/metrics", timeout=2))["lines"] >= lines:
        break
    time.sleep(0.05)
a = json.load(urllib.request.urlopen("http://" + http + "/alerts", timeout=2))
with open(out, "w") as f:
    for x in a["history"] + a["active"]:
        f.write(json.dumps({"kind": "alert", "t": x["raised_unix_s"] - start, "condition": x["condition"],
                            "subject": x["subject"], "change": "raised"}) + "\n")
        if x["cleared_unix_s"] is not None:
            f.write(json.dumps({"kind": "alert", "t": x["cleared_unix_s"] - start, "condition": x["condition"],
                                "subject": x["subject"], "change": "cleared"}) + "\n")
PY
}

verdict() {  # verdict NAME EXPECTED_EXIT [RULE THAT MUST FAIL]
  local code=0
  "$twincert" check --truth "$dir/bundle" --observations "$dir/$1.jsonl" --rules "$rules" > "$dir/$1.out" || code=$?
  cat "$dir/$1.out"
  if [[ $code -ne $2 ]]; then echo "$1: expected exit $2, got $code"; exit 1; fi
  if [[ -n ${3:-} ]] && ! grep -Eq "^fail +$3 " "$dir/$1.out"; then echo "$1: rule $3 did not fail"; exit 1; fi
}

observe correct
observe never-stale --defect heading-never-stale
observe late --defect late-alerts
observe sticky --defect sticky-alerts
verdict correct 0
verdict never-stale 1 input-lost-alert
verdict late 1 input-lost-alert
verdict sticky 1 input-lost-recovery
echo "check: the correct twin passes, three defects are caught by the rule meant for them"
