#!/usr/bin/env bash
# si_twin_e2e.sh TWINCERT KIT: a twin unlike the reference twin (tests/harness/si_twin) certified
# through `twincert run` by its adapter alone, with the kit copied to a folder of its own and run
# from yet another working directory: ${adapter_dir} finds the twin beside its adapter. A copy
# whose program is missing stops before any case with exit 2, naming the file and the key.
set -euo pipefail
twincert=$1
kit=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "si_twin_e2e: $*" >&2; exit 1; }

cp -r "$kit" "$dir/kit"
mkdir "$dir/elsewhere"
cd "$dir/elsewhere"
"$twincert" run ../kit/campaign.json --out "$dir/out" > "$dir/run.txt" 2>&1 ||
  { cat "$dir/run.txt"; fail "the SI twin did not pass by configuration alone"; }
grep -q "si-twin: 2 cases, 2 passed, 0 failed, 0 errors" "$dir/run.txt" || { cat "$dir/run.txt"; fail "no summary line"; }

sed -i 's|${adapter_dir}/twin.py|${adapter_dir}/gone.py|; s|${env.TWINCERT_PYTHON:-python3}|${adapter_dir}/bin/python-for-twin|' \
  "$dir/kit/adapter.json"
status=0
"$twincert" run ../kit/campaign.json --out "$dir/missing" > "$dir/missing.txt" 2>&1 || status=$?
[[ $status == 2 ]] || { cat "$dir/missing.txt"; fail "a missing program: exit $status, expected 2"; }
grep -q "kit/adapter.json: start.command\[0\]: the program $dir/kit/bin/python-for-twin does not exist" \
  "$dir/missing.txt" || { cat "$dir/missing.txt"; fail "the error does not name the program and key"; }
[[ ! -d "$dir/missing/cases" ]] || fail "cases ran with a missing program"
echo "si_twin_e2e: ok"
