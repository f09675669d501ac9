#!/usr/bin/env bash
# report_e2e.sh TWINCERT FIXTURES SCHEMA: the assurance evidence of `twincert run` as a
# certifier meets it — report.html, summary.md, junit.xml and a results.json that its JSON
# Schema accepts; `verify` that names a file with one flipped byte; keygen, sign and verify
# with the right and a wrong key; `report --baseline` that marks a new failure; `run --case`
# that reproduces one case; and clear errors for a folder that is not a results folder.
set -euo pipefail
twincert=$1
fixtures=$2
schema=$3
py=/usr/bin/python3  # Debian's, where python3-jsonschema is
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "report_e2e: $*" >&2; exit 1; }
expect_exit() {  # expect_exit CODE COMMAND...: runs it, output in $dir/out.txt
  local want=$1 code=0
  shift
  "$@" > "$dir/out.txt" 2>&1 || code=$?
  [[ $code -eq $want ]] || { cat "$dir/out.txt"; fail "$* gave exit $code, not $want"; }
}

cat > "$dir/small.json" <<JSON
{"schema": "twincert.campaign/1", "id": "report-e2e", "adapter": "$fixtures/adapters/reference-twin.json",
 "rules": "$fixtures/rules/vdr-twin.json", "requirements": "$fixtures/requirements/vdr-twin.json",
 "jobs": 2, "case_timeout_s": 60,
 "matrix": [{"scenarios": ["open-sea-transit"], "duration_s": 240, "faults": [[], ["dropout:HE0001@60+60"]]}]}
JSON

expect_exit 0 "$twincert" run "$dir/small.json" --out "$dir/ok" --quiet
expect_exit 1 "$twincert" run "$dir/small.json" --out "$dir/late" --mutant late-alerts --quiet
for f in report.html summary.md junit.xml results.json manifest.json; do
  [[ -s $dir/ok/$f ]] || fail "twincert run wrote no $f"
done
grep -q "^## twincert: report-e2e — PASS" "$dir/ok/summary.md" || fail "summary.md: $(head -1 "$dir/ok/summary.md")"
grep -q "^## twincert: report-e2e — \*\*FAIL\*\*" "$dir/late/summary.md" || fail "late summary.md does not fail"
grep -q "input-lost-alert (fail)" "$dir/late/summary.md" || fail "late summary.md does not name the rule"

"$py" - "$schema" "$dir/ok/results.json" "$dir/late/results.json" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
for path in sys.argv[2:]:
    jsonschema.validate(json.load(open(path)), schema, cls=jsonschema.Draft202012Validator)
# The schema can fail: a case without its verdict is refused.
broken = json.load(open(sys.argv[2]))
del broken["cases"][0]["verdict"]
try:
    jsonschema.validate(broken, schema, cls=jsonschema.Draft202012Validator)
    sys.exit("the schema accepted a case without a verdict")
except jsonschema.ValidationError:
    pass
PY

# The manifest: holds as written; one flipped byte in a case's observations is named.
expect_exit 0 "$twincert" verify "$dir/ok"
grep -q "^holds: [0-9]* files and [0-9]* inputs checked" "$dir/out.txt" || fail "verify: $(cat "$dir/out.txt")"
obs=$(cd "$dir/ok" && ls cases/*/observations.jsonl | head -1)
cp "$dir/ok/$obs" "$dir/saved"
printf '\x01' | dd of="$dir/ok/$obs" bs=1 seek=10 conv=notrunc status=none
expect_exit 1 "$twincert" verify "$dir/ok"
grep -q "^BROKEN  $obs: changed" "$dir/out.txt" || { cat "$dir/out.txt"; fail "verify did not name $obs"; }
cp "$dir/saved" "$dir/ok/$obs"
expect_exit 0 "$twincert" verify "$dir/ok"

# Signatures.
expect_exit 0 "$twincert" keygen --out "$dir/cert.key"
[[ $(stat -c %a "$dir/cert.key") == 600 ]] || fail "the secret key is readable by others"
expect_exit 2 "$twincert" keygen --out "$dir/cert.key"
grep -q "exists" "$dir/out.txt" || fail "keygen overwrote a key"
expect_exit 0 "$twincert" keygen --out "$dir/other.key"
expect_exit 0 "$twincert" sign "$dir/ok" --key "$dir/cert.key"
expect_exit 0 "$twincert" verify "$dir/ok" --pubkey "$dir/cert.key.pub"
grep -q "^signature: good" "$dir/out.txt" || fail "no good signature: $(cat "$dir/out.txt")"
expect_exit 1 "$twincert" verify "$dir/ok" --pubkey "$dir/other.key.pub"
grep -q "signature: the signature does not hold" "$dir/out.txt" || fail "a wrong key passed"
expect_exit 2 "$twincert" report "$dir/ok"  # would break the signature
grep -q "is signed" "$dir/out.txt" || fail "report wrote into a signed folder"
sed -i 's/"tool": "/"tool": "x/' "$dir/ok/manifest.json"
expect_exit 1 "$twincert" verify "$dir/ok" --pubkey "$dir/cert.key.pub"
printf 'x' >> "$dir/late/junit.xml"
expect_exit 1 "$twincert" sign "$dir/late" --key "$dir/cert.key"  # it no longer matches
[[ ! -f $dir/late/manifest.sig ]] || fail "signed a folder that does not match its manifest"

# Written again from results.json alone, the JUnit and JSON are the run's to the byte, and the
# JUnit is XML with a testcase per case and requirement.
expect_exit 0 "$twincert" report "$dir/ok" --format junit,json --out "$dir/again"
cmp "$dir/ok/junit.xml" "$dir/again/junit.xml" || fail "junit.xml differs when written again"
cmp "$dir/ok/results.json" "$dir/again/results.json" || fail "results.json differs when written again"
"$py" - "$dir/again/junit.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites" and len(root.findall("testsuite")) == 2, root.attrib
assert all(len(s.findall("testcase")) >= 20 for s in root.findall("testsuite"))
PY

# Against a baseline: the late-alerts twin newly fails the dropout case.
expect_exit 1 "$twincert" report "$dir/late" --baseline "$dir/ok" --out "$dir/cmp"
grep -q 'New failures\*\* (1): `open-sea-transit/dropout-HE0001/s1` (was pass)' "$dir/cmp/summary.md" ||
  { cat "$dir/cmp/summary.md"; fail "no new failure against the baseline"; }
grep -q 'id="baseline"' "$dir/cmp/report.html" || fail "the HTML has no baseline section"
expect_exit 0 "$twincert" report "$dir/late" --format md,junit --out "$dir/md"
[[ -f $dir/md/summary.md && -f $dir/md/junit.xml && ! -f $dir/md/report.html ]] || fail "--format ignored"
expect_exit 2 "$twincert" report "$dir/late" --format pdf
grep -q 'unknown report format "pdf"' "$dir/out.txt" || fail "no message for a bad format"
expect_exit 2 "$twincert" report "$dir/nothing"
grep -q "no results folder or file at $dir/nothing" "$dir/out.txt" || fail "no message for a missing folder"
echo '{"schema": "twincert.results/1", "cases": 3}' > "$dir/bogus.json"
expect_exit 2 "$twincert" report "$dir/bogus.json" --out "$dir/bogus"
expect_exit 1 "$twincert" verify "$dir/cmp"  # no manifest there
grep -q "manifest.json: missing" "$dir/out.txt" || fail "verify without a manifest: $(cat "$dir/out.txt")"

# The reproduce command of the HTML runs exactly that case.
grep -q -- "--case &apos;open-sea-transit/dropout-HE0001/s1&apos; --mutant &apos;late-alerts&apos;" "$dir/late/report.html" ||
  fail "the HTML has no reproduce command"
expect_exit 1 "$twincert" run "$dir/small.json" --case open-sea-transit/dropout-HE0001/s1 \
  --mutant late-alerts --out "$dir/repro" --quiet
"$py" -c "import json,sys; r=json.load(open(sys.argv[1])); assert [c['id'] for c in r['cases']] == ['open-sea-transit/dropout-HE0001/s1'], r['cases']" \
  "$dir/repro/results.json"
expect_exit 2 "$twincert" run "$dir/small.json" --case no/such/case --out "$dir/none"
grep -q 'has no case "no/such/case"' "$dir/out.txt" || fail "no message for an unknown case"
echo "report_e2e: ok"
