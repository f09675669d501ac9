#!/usr/bin/env bash
# shrink_e2e.sh TWINCERT: a mutant of the reference twin fails a case of the default campaign;
# `twincert shrink` makes that case small, the shrunk case still fails the same rule on the
# mutant and passes it on the correct twin, and its reproduce command does the same again.
set -euo pipefail
twincert=$1
case_id=${2:-open-sea-transit/dropout-HE0001/s3}
mutant=${3:-heading-never-stale}
rule=${4:-input-lost-alert}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

code=0
"$twincert" run --mutant "$mutant" --case "$case_id" --quiet --out "$out/m" || code=$?
[[ $code -eq 1 ]] || { echo "the mutant's run exited $code, expected 1 (a failed case)"; exit 1; }

"$twincert" shrink "$out/m" --case "$case_id" --rule "$rule" --budget 4m --quiet
folder=$(python3 -c 'import sys; print("".join(c if c.isalnum() or c in "-._" else "_" for c in sys.argv[1]))' "$case_id")
report="$out/m/shrink/$folder/shrink.json"
[[ -f $report ]] || { echo "no $report"; ls -R "$out/m/shrink" | head; exit 1; }

python3 - "$report" "$rule" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
rule = sys.argv[2]
print("shrink: %s %s, sentences %d -> %d, seconds %g -> %g, sources %d -> %d, %d trials, %.0f s" % (
    r["case"], r["status"], r["before"]["sentences"], r["after"]["sentences"],
    r["before"]["seconds"], r["after"]["seconds"], r["before"]["sources"], r["after"]["sources"],
    r["trials"], r["wall_s"]))
assert r["rule"] == rule, r["rule"]
assert r["status"] in ("minimal", "budget_spent"), r["status"]
assert r["shrunk_verdict"] == "fail", ("the shrunk case no longer fails", r["shrunk_verdict"])
assert r["correct_twin_verdict"] == "pass", ("the correct twin fails the shrunk case",
                                             r["correct_twin_verdict"])
before, after = r["before"]["sentences"], r["after"]["sentences"]
assert after <= max(50, before // 10), ("not small enough", before, after)
PY

# The reproduce command, as written, fails the same rule on the mutant.
reproduce=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["reproduce"])' "$report")
code=0
read -r -a words <<<"$reproduce"
[[ ${words[0]} == twincert ]] || { echo "reproduce does not start with twincert: $reproduce"; exit 1; }
"$twincert" "${words[@]:1}" --quiet || code=$?
[[ $code -eq 1 ]] || { echo "reproduce exited $code, expected 1: $reproduce"; exit 1; }
python3 - "$out/m/shrink/$folder/reproduce/results.json" "$rule" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
failed = {x["rule"] for c in r["cases"] for x in c["rules"] if x["verdict"] == "fail"}
assert sys.argv[2] in failed, ("reproduce did not fail the rule", failed)
PY
echo "shrink e2e: ok"
