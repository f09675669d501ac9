#!/usr/bin/env bash
# gpsd_e2e.sh TWINCERT FIXTURES MODE: Debian's gpsd certified by configuration alone
# (fixtures/adapters/gpsd.json; scripts/install-deps --tests installs it). twincert starts each
# gpsd itself on free loopback ports and must stop it: after each run no gpsd it started may be
# left (found by a mark in their environment, as kill_harness.sh does).
#   campaign  fixtures/campaigns/gpsd.json twice in a row: exit 0 both times, every case passed,
#             position and course requirements passed on enough evidence
#   stream    gpsd's JSON stream read through observe.json_lines in 10 runs in a row: no crash
#             (exit 139 was issue 20's SIGSEGV), a results.json each time, TPV values taken
set -euo pipefail
twincert=$1
fixtures=$2
mode=$3
out=$(mktemp -d)
mark="twincert-gpsd-test-$$-$RANDOM"
keep=false
trap 'pkill -KILL -f "$mark" 2>/dev/null || true; $keep || rm -rf "$out"' EXIT
# On a failure the runs' folders are kept for a look at the cases (twin.log, observations).
fail() { echo "gpsd_e2e: $* (runs kept in $out)" >&2; keep=true; exit 1; }
# What went wrong in a run: each case that did not pass, its error and its rules not passed.
explain() {
  python3 - "$1" <<'PY' >&2 || true
import json, sys
r = json.load(open(sys.argv[1] + "/results.json"))
for c in r["cases"]:
    if c["verdict"] == "pass":
        continue
    print(c["id"], c["verdict"], c.get("error", ""))
    for x in c["rules"]:
        if x["verdict"] != "pass":
            print("  ", x["rule"], x["verdict"], x["message"][:300])
PY
}

[[ -x /usr/sbin/gpsd ]] || fail "/usr/sbin/gpsd is missing: run scripts/install-deps --tests"

# gpsd processes that carry the mark in their environment (started by the runs of this test).
left_over() {
  local p
  for p in /proc/[0-9]*; do
    [[ $({ tr '\0' ' ' < "$p/cmdline"; } 2>/dev/null) == *gpsd* ]] || continue
    if { tr '\0' '\n' < "$p/environ"; } 2>/dev/null | grep -qx "TWINCERT_GPSD_TEST=$mark"; then
      echo "${p#/proc/}: $(tr '\0' ' ' < "$p/cmdline")"
    fi
  done
}

run() {  # run CAMPAIGN OUT: twincert run; its exit code
  local code=0
  TWINCERT_GPSD_TEST=$mark "$twincert" run "$1" --out "$2" --quiet > "$2.log" 2>&1 || code=$?
  local left
  left=$(left_over)
  [[ -z $left ]] || fail "gpsd left running after the run: $left"
  return "$code"
}

case $mode in
  campaign)
    for i in 1 2; do
      code=0
      run "$fixtures/campaigns/gpsd.json" "$out/run$i" || code=$?
      [[ $code -eq 0 ]] || { cat "$out/run$i.log"; explain "$out/run$i"; fail "run $i: exit $code, not 0"; }
      python3 - "$out/run$i" <<'PY' || fail "run $i: results not as expected"
import json, sys
r = json.load(open(sys.argv[1] + "/results.json"))
s = r["summary"]
assert s["verdict"] == "pass" and s["cases"] >= 10 and s["passed"] == s["cases"], s
req = {q["id"]: q["verdict"] for q in r["requirements"]}
assert all(req[k] == "pass" for k in ("GPSD-001", "GPSD-002", "GPSD-004", "GPSD-005")), req
assert req["GPSD-003"] == "not_verified", req  # speed: observed, not yet judged (rules file)
# every position and course rule of a case without a GNSS fault judged on enough evidence
for c in r["cases"]:
    if c["faults"]:
        continue
    for x in c["rules"]:
        if x["rule"] != "liveness":
            assert x["verdict"] == "pass", (c["id"], x["rule"], x["message"])
            assert x["coverage"]["fraction"] >= 0.9, (c["id"], x["coverage"])
PY
    done
    echo "gpsd_e2e: the gpsd campaign passed twice, no gpsd left"
    ;;
  stream)
    cat > "$out/one.json" <<JSON
{"schema": "twincert.campaign/1", "id": "gpsd-stream", "adapter": "$fixtures/adapters/gpsd.json",
 "rules": "$fixtures/rules/gpsd.json", "requirements": "$fixtures/requirements/gpsd.json",
 "jobs": 1, "case_timeout_s": 60,
 "matrix": [{"scenarios": ["open-sea-transit"], "duration_s": 40, "seeds": [1]}]}
JSON
    for i in $(seq 1 10); do
      code=0
      run "$out/one.json" "$out/s$i" || code=$?
      ((code != 139)) || fail "try $i: twincert crashed (exit 139)"
      [[ $code -eq 0 ]] || { cat "$out/s$i.log"; fail "try $i: exit $code, not 0"; }
      [[ -f $out/s$i/results.json ]] || fail "try $i: no results.json"
      obs=$out/s$i/cases/open-sea-transit_normal_s1/observations.jsonl
      n=$(grep -c '"name":"lat"' "$obs" || true)
      ((n >= 30)) || fail "try $i: $n lat values from gpsd's TPV stream in 40 s"
    done
    echo "gpsd_e2e: gpsd's JSON stream observed 10 times in a row, no crash, no gpsd left"
    ;;
  *) fail "mode $mode: expected campaign or stream" ;;
esac
