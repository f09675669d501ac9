#!/usr/bin/env bash
# mutation_score.sh TWINCERT: the default campaign against every mutant of the reference twin.
# The correct twin must pass every case, and every mutant must be killed by a rule named for it,
# differentially: the rule fails on the mutant in a case where it passes on the correct twin (a
# rule failing on both is a false alarm, no kill). Known survivors are listed with the reason; a
# known survivor that is killed again is reported, so the list shrinks. The score is printed for
# the record.
set -euo pipefail
twincert=$1
# None: with observation in step with stream time the accuracy rules judge every second again.
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
assert m["scoring"] == "differential", m.get("scoring")
print("mutation score %d/%d (differential), %d false alarms" % (m["killed"], m["total"],
                                                                 m["false_alarms"]))
survived = {x["name"] for x in m["mutants"] if not x["killed"]}
for x in m["mutants"]:
    print("  %-26s %-8s caught by %s; %d kills, %d false alarms; failed: %s" % (
        x["name"], "killed" if x["killed"] else "SURVIVED", ",".join(x["caught_by"]),
        x["kills"], x["false_alarms"], ",".join(x["failed_rules"]) or "-"))
    for f in x["failures"]:
        assert f["kill"] == (f["correct_verdict"] == "pass"), f
for name in sorted(known - survived):
    print("note: known survivor %s is killed now: drop it from known_survivors" % name)
assert survived <= known, "survivors %s, expected at most %s" % (sorted(survived), sorted(known))
PY
