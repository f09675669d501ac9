#!/usr/bin/env bash
# mutation_score.sh TWINCERT: the default campaign against every mutant of the reference twin.
# The correct twin must pass every case, and every mutant must be killed by a rule named for it
# — except known survivors (none now; list them here with the reason, so that a fix is noticed
# and the list shrinks). The score is printed for the record.
set -euo pipefail
twincert=$1
known_survivors=""
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
code=0
"$twincert" run --mutants --quiet --out "$out/m" || code=$?
[[ $code -le 1 ]] || { echo "twincert run --mutants exited $code"; exit 1; }
python3 - "$out/m/results.json" "$known_survivors" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
known = set(sys.argv[2].split())
assert r["summary"]["verdict"] == "pass", ("the correct twin failed", r["summary"])
m = r["mutation"]
print("mutation score %d/%d" % (m["killed"], m["total"]))
survived = {x["name"] for x in m["mutants"] if not x["killed"]}
for x in m["mutants"]:
    print("  %-26s %-8s caught by %s; failed: %s" % (
        x["name"], "killed" if x["killed"] else "SURVIVED", ",".join(x["caught_by"]),
        ",".join(x["failed_rules"]) or "-"))
assert survived == known, "survivors %s, expected %s" % (sorted(survived), sorted(known))
PY
