#!/usr/bin/env bash
# hil_run_e2e.sh TWINCERT FIXTURES SCRIPTS: the whole HIL path as a lab runs it, on two
# simulated rigs (the reference twin reading a pty at 38400 baud, in real time):
#   software run (with a mutant, so it fails where the hardware will pass) -> hil plan ->
#   hil serve -> authentication refusals -> two agents, one killed mid-case with its rig ->
#   its lease expires and the case runs on the other rig, once -> results merged into the
#   campaign report with the disagreements flagged.
set -euo pipefail
twincert=$1
fixtures=$2
scripts=$3
dir=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -KILL -- "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null || true; done
  rm -rf "$dir"
}
trap cleanup EXIT
fail() {
  echo "hil_run_e2e: $*" >&2
  for f in "$dir"/*.log; do [[ -f $f ]] && { echo "--- $f"; tail -30 "$f"; } >&2; done
  exit 1
}
campaign=$fixtures/campaigns/hil-smoke.json
rigs=$fixtures/rigs/simulated.json

"$scripts/hil-pki" "$dir/pki" sim-a sim-b operator > /dev/null
"$scripts/hil-pki" "$dir/rogue" sim-a operator > /dev/null  # another lab's authority
pki=$dir/pki
tls() { echo --cert "$pki/$1.pem" --key "$pki/$1.key" --ca "$pki/ca.pem"; }

# Software first: with the late-alerts mutant the two fault cases fail.
set +e
"$twincert" run "$campaign" --mutant late-alerts --out "$dir/software" > "$dir/software.log" 2>&1
rc=$?
set -e
[[ $rc == 1 ]] || fail "software run: exit $rc, expected 1"

"$twincert" hil plan "$campaign" --rigs "$rigs" --budget 2h --link serial:38400 \
  --results "$dir/software" --out "$dir/plan" > "$dir/plan.log" 2>&1 || fail "hil plan failed"
grep -q "3 of 3 cases on hardware" "$dir/plan.log" || fail "plan: $(cat "$dir/plan.log")"

setsid "$twincert" hil serve "$dir/plan" $(tls coordinator) --listen 127.0.0.1:0 \
  --port-file "$dir/port" --out "$dir/hil" --lease-timeout 4s > "$dir/serve.out" 2> "$dir/serve.log" &
serve=$!
pids+=("$serve")
for _ in $(seq 100); do [[ -s $dir/port ]] && break; sleep 0.1; done
[[ -s $dir/port ]] || fail "the coordinator did not start"
at=127.0.0.1:$(cat "$dir/port")

# --- A command that does not authenticate reaches no rig.
set +e
"$twincert" hil status --coordinator "$at" --cert "$dir/rogue/operator.pem" \
  --key "$dir/rogue/operator.key" --ca "$pki/ca.pem" > "$dir/rogue.out" 2> "$dir/rogue.err"
rc=$?
[[ $rc == 4 ]] || fail "a certificate of another authority: exit $rc, expected 4"
grep -q "TLS refused" "$dir/rogue.err" || fail "no TLS refusal: $(cat "$dir/rogue.err")"
# A rig agent with another lab's certificate, and one whose certificate names another rig.
"$twincert" hil agent --rig "$rigs" --rig-id sim-a --coordinator "$at" \
  --cert "$dir/rogue/sim-a.pem" --key "$dir/rogue/sim-a.key" --ca "$pki/ca.pem" \
  --work "$dir/rogue-agent" --wait-timeout 5s > "$dir/rogue-agent.log" 2>&1
[[ $? == 4 ]] || fail "an agent of another authority was not refused"
"$twincert" hil agent --rig "$rigs" --rig-id sim-b --coordinator "$at" $(tls sim-a) \
  --work "$dir/wrong-rig" --wait-timeout 5s > "$dir/wrong-rig.log" 2>&1
[[ $? == 4 ]] || fail "a certificate for sim-a acting as sim-b was not refused"
grep -q 'may not act for rig "sim-b"' "$dir/wrong-rig.log" || fail "$(cat "$dir/wrong-rig.log")"
# An agent that does not trust the coordinator's certificate takes nothing from it.
"$twincert" hil agent --rig "$rigs" --rig-id sim-a --coordinator "$at" --cert "$pki/sim-a.pem" \
  --key "$pki/sim-a.key" --ca "$dir/rogue/ca.pem" --work "$dir/distrust" --wait-timeout 5s \
  > "$dir/distrust.log" 2>&1
[[ $? == 4 ]] || fail "an agent ran against a coordinator it cannot verify"
set -e
"$twincert" hil status --coordinator "$at" $(tls operator) --json > "$dir/status0.json"
python3 - "$dir/status0.json" <<'PY' || fail "the refused commands changed the queue"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["counts"] == {"pending": 3}, s["counts"]
assert all(c["attempts"] == [] for c in s["cases"])
PY
[[ ! -d $dir/rogue-agent/L1 && ! -d $dir/wrong-rig/L1 ]] || fail "a refused agent ran a case"

# --- Two agents; sim-a is killed (with its rig) a few seconds into its case.
setsid "$twincert" hil agent --rig "$rigs" --rig-id sim-a --coordinator "$at" $(tls sim-a) \
  --work "$dir/agent-a" --wait-timeout 2m > "$dir/agent-a.log" 2>&1 &
agent_a=$!
pids+=("$agent_a")
setsid "$twincert" hil agent --rig "$rigs" --rig-id sim-b --coordinator "$at" $(tls sim-b) \
  --work "$dir/agent-b" --wait-timeout 2m > "$dir/agent-b.log" 2>&1 &
agent_b=$!
pids+=("$agent_b")
killed_case=""
for _ in $(seq 100); do
  "$twincert" hil status --coordinator "$at" $(tls operator) --json > "$dir/status.json"
  killed_case=$(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
held = [c["id"] for c in s["cases"] if c["state"] == "leased" and c["attempts"][-1]["rig"] == "sim-a"]
print(held[0] if held else "")' "$dir/status.json")
  [[ -n $killed_case ]] && break
  sleep 0.2
done
[[ -n $killed_case ]] || fail "sim-a never leased a case"
"$twincert" hil status --coordinator "$at" $(tls operator) > "$dir/status.txt"
grep -q "sim-a  seen .* holds L" "$dir/status.txt" || fail "status: $(cat "$dir/status.txt")"
sleep 3
kill -KILL -- "-$agent_a"
echo "killed sim-a's agent during $killed_case" >&2

set +e
wait "$agent_b"
rc_b=$?
wait "$serve"
rc_serve=$?
set -e
[[ $rc_b == 0 ]] || fail "agent sim-b: exit $rc_b"
[[ $rc_serve == 0 ]] || fail "hil serve: exit $rc_serve (every case should pass on hardware)"

python3 - "$dir/hil/hil-results.json" "$killed_case" "$dir/hil" <<'PY' || fail "hil-results.json"
import hashlib, json, os, sys
r = json.load(open(sys.argv[1]))
killed = sys.argv[2]
assert r["schema"] == "twincert.hil-results/1" and r["finished"] is True
cases = {c["id"]: c for c in r["cases"]}
assert len(cases) == len(r["cases"]) == 3, "a case is in the results twice"
for c in r["cases"]:
    assert c["state"] == "done" and c["verdict"] == "pass", c
    completed = [a for a in c["attempts"] if a["outcome"] == "completed"]
    assert len(completed) == 1, ("run twice into the results", c["attempts"])
    # The uploaded files are there and match their digests.
    folder = os.path.join(sys.argv[3], "cases", c["id"].replace("/", "_"))
    for name, digest in c["files"].items():
        data = open(os.path.join(folder, name), "rb").read()
        assert hashlib.sha256(data).hexdigest() == digest, name
    assert "observations.jsonl" in c["files"], c["files"]
k = cases[killed]
assert [a["rig"] for a in k["attempts"]] == ["sim-a", "sim-b"], k["attempts"]
assert k["attempts"][0]["outcome"].startswith("lease expired: no heartbeat"), k["attempts"]
assert k["rig"] == "sim-b"
PY
grep -q "lease expired" "$dir/serve.log" || fail "the coordinator did not log the expiry"

# --- Merged into the campaign report: the two cases the mutant failed in software disagree.
set +e
"$twincert" report "$dir/software" --hil "$dir/hil" --out "$dir/merged" > "$dir/merged.log" 2>&1
rc=$?
set -e
[[ $rc == 1 ]] || fail "report --hil: exit $rc, expected 1 for disagreements"
grep -q "hardware: 3 cases, 2 disagree with software, 0 failed" "$dir/merged.log" ||
  fail "merged: $(cat "$dir/merged.log")"
grep -q "disagree  open-sea-transit/dropout-HE0001/s7: software fail, hardware pass" \
  "$dir/merged.log" || fail "the dropout case is not flagged"
grep -q '<section id="hil">' "$dir/merged/report.html" || fail "no HIL section in report.html"
[[ $(grep -o '<b>disagree</b>' "$dir/merged/report.html" | wc -l) == 2 ]] ||
  fail "report.html does not flag two disagreements"
grep -q "### Hardware in the loop" "$dir/merged/summary.md" || fail "no HIL section in summary.md"
# Without the mutant the software agrees with the hardware.
"$twincert" run "$campaign" --out "$dir/software-ok" > /dev/null 2>&1 || fail "software run failed"
"$twincert" report "$dir/software-ok" --hil "$dir/hil/hil-results.json" --out "$dir/merged-ok" \
  > "$dir/merged-ok.log" || fail "report --hil on agreeing runs: $(cat "$dir/merged-ok.log")"
echo "hil_run_e2e: ok (killed sim-a during $killed_case)"
