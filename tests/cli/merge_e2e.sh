#!/usr/bin/env bash
# merge_e2e.sh TWINCERT: a campaign run whole and in three shards; merging the shards — at once,
# or two first (--partial) and then the rest — gives the same cases and verdicts as the whole
# run, a manifest `verify` accepts, and a journal that merges again. Incomplete, overlapping and
# foreign inputs are refused with the shard, case or folder named.
set -euo pipefail
twincert=$1
campaign=$(cd "$(dirname "$0")/merge" && pwd)/campaign.json
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() {
  echo "FAIL: $*"
  exit 1
}
expect_code() {  # expect_code CODE PATTERN COMMAND...
  local want=$1 pattern=$2 code=0
  shift 2
  out=$("$@" 2>&1) || code=$?
  ((code == want)) || fail "exit $code (not $want) from $*: $out"
  tr "\n" " " <<<"$out" | grep -qE -- "$pattern" || fail "no /$pattern/ from $*: $out"
}
"$twincert" run "$campaign" --out whole --quiet || fail "the whole run failed"
for i in 1 2 3; do
  "$twincert" run "$campaign" --shard "$i/3" --out "s$i" --quiet || fail "shard $i"
  # Where `run --mutants` puts a mutant's run: one mutant is enough to see the score merged.
  code=0
  "$twincert" run "$campaign" --shard "$i/3" --mutant heartbeat-period \
    --out "s$i/mutants/heartbeat-period" --quiet || code=$?
  ((code <= 1)) || fail "mutant run of shard $i: exit $code"
done

expect_code 1 "missing shards: 3/3" "$twincert" merge s1 s2 --out incomplete
# The mutant shows only in shard 3's case (gnss-outage): survived in this part, exit 1.
expect_code 1 "merged 2 runs \(shards 1\+2/3\).*mutation score 0/1" "$twincert" merge s1 s2 \
  --out half --partial
expect_code 0 "merged 2 runs \(shards 1/1\): 5 cases, 5 passed.*mutation score 1/1" \
  "$twincert" merge half s3 --out stepwise
expect_code 0 "merged 3 runs \(shards 1/1\): 5 cases" "$twincert" merge s3 s1 s2 --out at-once
grep -q "mutation score 1/1" <<<"$out" || fail "the mutant's score not merged: $out"
expect_code 0 "" "$twincert" verify stepwise
expect_code 0 "" "$twincert" verify at-once

expect_code 2 "shard 1/3 is in two inputs|is in both" "$twincert" merge s1 s1 --out twice
expect_code 2 "shard 2 of 3|shards of one split" "$twincert" merge s1 whole --out mixed
cp -r s3 s3-foreign
sed -i '1s/"campaign_sha256":"[0-9a-f]*"/"campaign_sha256":"00"/' s3-foreign/journal.jsonl
expect_code 2 "s3-foreign is a run of campaign .* with another file" "$twincert" merge s1 s2 \
  s3-foreign --out foreign
expect_code 2 "holds no journal.jsonl" "$twincert" merge s1 "$work" --out nothing
expect_code 2 "is a run against mutant" "$twincert" merge s2/mutants/heartbeat-period --out m

python3 - <<'PY'
import json
def verdicts(d):
    r = json.load(open(f"{d}/results.json"))
    return {c["id"]: (c["verdict"], sorted((x["rule"], x["verdict"]) for x in c["rules"]))
            for c in r["cases"]}, r["summary"]
whole, ws = verdicts("whole")
for d in ("stepwise", "at-once"):
    got, s = verdicts(d)
    assert got.keys() == whole.keys(), (d, sorted(got), sorted(whole))
    assert got == whole, f"{d}: verdicts differ from the whole run"
    assert s["cases"] == ws["cases"] == 5, s
    r = json.load(open(f"{d}/results.json"))
    assert r["run"]["shard"] == "1/1", r["run"]
    for c in r["cases"]:
        assert c["dir"].startswith(d + "/cases/"), c["dir"]
m = json.load(open("at-once/results.json"))["mutation"]
assert m["total"] == 1 and m["killed"] == 1, m
lines = open("stepwise/journal.jsonl").read().splitlines()
assert json.loads(lines[0])["shard"] == "1/1" and len(lines) == 6, lines[0]
print("merge: ok")
PY
