#!/usr/bin/env bash
# kill_harness.sh TWINCERT: twins end with the harness, however it ends. Runs a campaign of two
# real-time cases whose twins are each a shell wrapper with a helper process of its own and the
# reference twin, SIGKILLs twincert in the middle of them, and then expects no process it
# started to be left: not the twins, not their helpers, not its keeper. Then --resume on the
# same folder must run both cases to the end on fresh twins.
set -euo pipefail
twincert=$1
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
mark="twincert-kill-test-$$-$RANDOM"
trap 'pkill -KILL -f "$mark" 2>/dev/null || true; rm -rf "$out"' EXIT

# Processes that carry the mark in their environment: everything twincert started, and
# twincert itself (the mark is set for its command only, not for this script).
marked() {
  local pids=() p
  for p in /proc/[0-9]*; do
    if { tr '\0' '\n' < "$p/environ"; } 2>/dev/null | grep -qx "TWINCERT_KILL_TEST=$mark"; then
      pids+=("${p#/proc/}")
    fi
  done
  echo "${pids[@]:-}"
}
describe() {
  local p
  for p in $1; do echo "  $p: $({ tr '\0' ' ' < "/proc/$p/cmdline"; } 2>/dev/null)"; done
}

TWINCERT_KILL_TEST=$mark "$twincert" run "$here/kill/campaign.json" --out "$out/run" --quiet \
  > "$out/run.log" 2>&1 &
harness=$!

# Wait until both cases' twins are up (each a shell's helper and the reference twin).
twins_up() {
  local p n=0
  for p in $(marked); do
    { tr '\0' ' ' < "/proc/$p/cmdline"; } 2>/dev/null | grep -q reference-twin && n=$((n + 1))
  done
  ((n >= 2))
}
for _ in $(seq 1 300); do
  twins_up && break
  sleep 0.1
done
before=$(marked)
echo "running before the kill ($(echo "$before" | wc -w) processes):"
describe "$before"
twins_up || { echo "FAIL: the twins never came up"; cat "$out/run.log"; exit 1; }

kill -KILL "$harness"
wait "$harness" 2>/dev/null || true

left=""
for _ in $(seq 1 100); do  # the keeper gives SIGTERM half a second before SIGKILL
  left=$(marked)
  [[ -z $left ]] && break
  sleep 0.1
done
if [[ -n $left ]]; then
  echo "FAIL: left running after twincert was killed:"
  describe "$left"
  exit 1
fi
echo "no process left after SIGKILL"

# Exit 1 is verdicts that failed (this adapter observes too little for some rules); 2 or 3
# would be the harness failing.
code=0
TWINCERT_KILL_TEST=$mark "$twincert" run "$here/kill/campaign.json" --out "$out/run" --resume \
  --quiet > "$out/resume.log" 2>&1 || code=$?
((code <= 1)) || { echo "FAIL: --resume exited $code"; cat "$out/resume.log"; exit 1; }
python3 - "$out/run/results.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
cases = r["cases"]
assert len(cases) == 2, [c["id"] for c in cases]
for c in cases:
    assert c["status"] != "error", (c["id"], c["error"])
print("resumed: %d cases, %s" % (len(cases), r["summary"]["verdict"]))
PY
left=$(marked)
[[ -z $left ]] || { echo "FAIL: left running after a clean run:"; describe "$left"; exit 1; }
echo "PASS"
