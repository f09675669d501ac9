#!/usr/bin/env bash
# hil_plan_e2e.sh TWINCERT FIXTURES: `twincert hil plan` as a lab meets it — the default
# campaign on the sample rigs: a plan within the budget, each assignment with its reason, the
# mandated case first, streams too fast for 4800 baud left out with the reason, clear errors.
set -euo pipefail
twincert=$1
fixtures=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "hil_plan_e2e: $*" >&2; exit 1; }

"$twincert" hil plan --help | grep -q -- "--budget" || fail "--help has no --budget"
"$twincert" hil plan "$fixtures/campaigns/default.json" --rigs "$fixtures/rigs/two-rigs.json" \
  --budget 3h --link serial:38400 --mandate gnss-outage/normal/s1 --out "$dir/plan" > "$dir/out.txt" ||
  { cat "$dir/out.txt"; fail "hil plan failed"; }
grep -q "^default: [0-9]* of 47 cases on hardware" "$dir/out.txt" || fail "no summary: $(cat "$dir/out.txt")"
python3 - "$dir/plan/plan.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
assert p["schema"] == "twincert.hil-plan/1"
a = p["assignments"]
assert a and p["planned_s"] <= 3 * 3600, (len(a), p["planned_s"])
assert a[0]["case"] == "gnss-outage/normal/s1" and "mandated" in a[0]["reason"], a[0]
assert all(x["rig"] == "bench-a" for x in a), "only bench-a has a 38400 baud line"
assert len(a) + len(p["left_out"]) == 47
flood = [l for l in p["left_out"] if l["case"] == "open-sea-transit/flood-GP0001/s5"]
assert flood and "over the 3840 characters/s of 38400 baud" in flood[0]["reason"], flood
# The Gantt view: a bar per assignment, titled with its case and reason.
html = open(sys.argv[1].replace("plan.json", "plan.html"), encoding="utf-8").read()
assert html.count('<rect class="job') == len(a), (html.count('<rect class="job'), len(a))
assert "gnss-outage/normal/s1: risk 1" in html
PY
code=0
"$twincert" hil plan "$fixtures/campaigns/default.json" --rigs /nonexistent.json --out "$dir/x" > "$dir/bad.txt" 2>&1 || code=$?
[[ $code -eq 2 ]] && grep -q "cannot read rig inventory /nonexistent.json" "$dir/bad.txt" || fail "bad rigs: exit $code"
code=0
"$twincert" hil plan "$fixtures/campaigns/default.json" --rigs "$fixtures/rigs/two-rigs.json" --link usb \
  --out "$dir/x" > "$dir/bad.txt" 2>&1 || code=$?
[[ $code -eq 2 ]] && grep -q 'expected net450 or serial:BAUD' "$dir/bad.txt" || fail "bad link: exit $code"
echo "hil_plan_e2e: ok"
