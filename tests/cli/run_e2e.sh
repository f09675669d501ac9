#!/usr/bin/env bash
# run_e2e.sh TWINCERT FIXTURES: `twincert run` end to end as a user meets it — help, a small
# campaign against the reference twin (exit 0, results.json and junit.xml that parse), a mutant
# of the twin (exit 1, a JUnit failure that says what was expected), a bad campaign (exit 2), and
# a run killed midway and resumed without losing or repeating a finished case.
set -euo pipefail
twincert=$1
fixtures=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "run_e2e: $*" >&2; exit 1; }

"$twincert" run --help > "$dir/help.txt"
grep -q -- "--resume" "$dir/help.txt" || fail "--help does not mention --resume"
grep -q "Exit status: 0 every case passed" "$dir/help.txt" || fail "--help has no exit codes"

campaign() {  # campaign FILE MATRIX
  cat > "$1" <<JSON
{"schema": "twincert.campaign/1", "id": "e2e", "adapter": "$fixtures/adapters/reference-twin.json",
 "rules": "$fixtures/rules/vdr-twin.json", "requirements": "$fixtures/requirements/vdr-twin.json",
 "jobs": 2, "case_timeout_s": 60, "matrix": $2}
JSON
}
campaign "$dir/small.json" '[{"scenarios": ["open-sea-transit"], "duration_s": 300, "faults": [[], ["dropout:HE0001@60+60"]]}]'

"$twincert" run "$dir/small.json" --out "$dir/ok" > "$dir/ok.txt" 2>&1 || { cat "$dir/ok.txt"; fail "the reference twin did not pass"; }
grep -q "e2e: 2 cases, 2 passed, 0 failed, 0 errors" "$dir/ok.txt" || { cat "$dir/ok.txt"; fail "no summary line"; }
python3 - "$dir/ok" <<'PY'
import json, sys, xml.etree.ElementTree as ET
out = sys.argv[1]
r = json.load(open(out + "/results.json"))
assert r["schema"] == "twincert.results/1", r["schema"]
assert r["summary"]["verdict"] == "pass" and r["summary"]["cases"] == 2, r["summary"]
assert len(r["cases"]) == 2 and all(c["verdict"] == "pass" for c in r["cases"])
req = {q["id"]: q for q in r["requirements"]}
assert req["VDR-TWIN-010"]["verdict"] == "pass", req["VDR-TWIN-010"]
# open-sea-transit has no AIS traffic: the target rule has nothing to judge
assert req["VDR-TWIN-009"]["verdict"] == "not_verified", req["VDR-TWIN-009"]
suites = ET.parse(out + "/junit.xml").getroot()
assert suites.tag == "testsuites" and int(suites.get("tests")) > 20 and suites.get("failures") == "0"
names = {t.get("name") for t in suites.iter("testcase")}
assert "VDR-TWIN-010 Loss of an input" in names, names
PY

code=0
"$twincert" run "$dir/small.json" --out "$dir/late" --mutant late-alerts --quiet || code=$?
[[ $code -eq 1 ]] || fail "a late-alerts twin gave exit $code, not 1"
python3 - "$dir/late" <<'PY'
import sys, xml.etree.ElementTree as ET
failures = [f for f in ET.parse(sys.argv[1] + "/junit.xml").getroot().iter("failure")]
assert failures, "no JUnit failure"
text = " ".join((f.get("message") or "") + (f.text or "") for f in failures)
assert "input-lost-alert" in text and "expected input_lost about HE0001 raised by 70 s" in text, text
# The frames sent around the moment: the gyro's last HDT before it fell silent at t=60 s.
assert "input sent around then:" in text and "HEHDT" in text, text
PY

code=0
"$twincert" run /nonexistent/campaign.json > "$dir/bad.txt" 2>&1 || code=$?
[[ $code -eq 2 ]] || fail "a missing campaign gave exit $code, not 2"
grep -q "cannot read campaign /nonexistent/campaign.json" "$dir/bad.txt" || fail "no message naming the file"

# Kill the run after its first finished case, resume it, and find every case exactly once.
campaign "$dir/six.json" '[{"scenarios": ["open-sea-transit"], "duration_s": 600, "seeds": [1, 2, 3, 4, 5, 6]}]'
"$twincert" run "$dir/six.json" --out "$dir/six" --jobs 1 --quiet &
pid=$!
for _ in $(seq 600); do
  [[ -f $dir/six/journal.jsonl && $(wc -l < "$dir/six/journal.jsonl") -ge 2 ]] && break
  sleep 0.05
done
kill -9 "$pid"
wait "$pid" || true
[[ ! -f $dir/six/results.json ]] || fail "a killed run left results.json"
done_before=$(($(wc -l < "$dir/six/journal.jsonl") - 1))
[[ $done_before -ge 1 && $done_before -lt 6 ]] || fail "$done_before cases journaled before the kill"
"$twincert" run "$dir/six.json" --out "$dir/six" --resume --quiet || fail "the resumed run failed"
python3 - "$dir/six" "$done_before" <<'PY'
import json, sys
r = json.load(open(sys.argv[1] + "/results.json"))
ids = [c["id"] for c in r["cases"]]
assert len(ids) == 6 and len(set(ids)) == 6, ids
assert r["run"]["resumed_cases"] >= int(sys.argv[2]), r["run"]
lines = open(sys.argv[1] + "/journal.jsonl").read().splitlines()
assert len(lines) == 7, len(lines)  # the header and each case once
PY
echo "run_e2e: help, pass, mutant caught, bad campaign, kill and resume: all as expected"
