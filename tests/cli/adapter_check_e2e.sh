#!/usr/bin/env bash
# adapter_check_e2e.sh TWINCERT FIXTURES: `twincert adapter check` end to end. The reference
# twin's adapter: every mapping yields (exit 0); the same adapter with one pointer that matches
# nothing: that mapping named, exit 1; gpsd's profile (scripts/install-deps --tests installs
# gpsd): every mapping yields and no gpsd is left; a missing adapter or unknown scenario: exit 2.
set -euo pipefail
twincert=$1
fixtures=$2
dir=$(mktemp -d)
mark="twincert-adapter-check-$$-$RANDOM"
trap 'pkill -KILL -f "$mark" 2>/dev/null || true; rm -rf "$dir"' EXIT
fail() { echo "adapter_check_e2e: $*" >&2; [[ -f $dir/out.txt ]] && cat "$dir/out.txt" >&2; exit 1; }

check() {  # check WANT_EXIT ARGS...: runs adapter check, output in $dir/out.txt
  local want=$1 code=0
  shift
  TWINCERT_ADAPTER_CHECK_TEST=$mark "$twincert" adapter check "$@" > "$dir/out.txt" 2>&1 || code=$?
  [[ $code -eq $want ]] || fail "adapter check $*: exit $code, not $want"
}
has() { grep -Eq -- "$1" "$dir/out.txt" || fail "no line matching /$1/"; }

"$twincert" adapter check --help > "$dir/out.txt"
has "Exit status: 0 every mapping yielded something, 1 some found nothing"
has "--seconds"

check 0 "$fixtures/adapters/reference-twin.json" --seconds 20 --out "$dir/ref"
has '^ yes observe\.http\[0\]\.values\.lat\.value "/lat": a number in [1-9][0-9]* of '
has '^ yes observe\.alerts\.lists\[0\] "/active": a list in '
has '^ yes observe\.liveness: an answer in [1-9]'
has '^result: every mapping yielded something'
[[ -f $(echo "$dir"/ref/*/twin.log) ]] || fail "no twin log kept under --out"

sed 's#"value": "/lat"#"value": "/latitude"#' "$fixtures/adapters/reference-twin.json" \
  > "$dir/wrong.json"
check 1 "$dir/wrong.json" --seconds 20 --out "$dir/wrong"
has '^ NO  observe\.http\[0\]\.values\.lat\.value "/latitude": a number in 0 of [1-9][0-9]*; no such key in'
has '^ yes observe\.http\[0\]\.values\.lon\.value '
has '^result: 1 of [0-9]+ mappings found nothing'

[[ -x /usr/sbin/gpsd ]] || fail "/usr/sbin/gpsd is missing: run scripts/install-deps --tests"
check 0 "$fixtures/adapters/gpsd.json" --seconds 30 --out "$dir/gpsd"
for name in lat lon cog_deg; do has "^ yes observe\.json_lines\[0\]\.values\.$name\.value "; done
has '^ yes observe\.process: the process running in [1-9]'
for p in /proc/[0-9]*; do
  if { tr '\0' '\n' < "$p/environ"; } 2>/dev/null | grep -qx "TWINCERT_ADAPTER_CHECK_TEST=$mark"; then
    fail "left running after adapter check: $(tr '\0' ' ' < "$p/cmdline")"
  fi
done

check 2 /nonexistent/adapter.json
has "cannot read twin adapter /nonexistent/adapter.json"
check 2 "$fixtures/adapters/reference-twin.json" --scenario no-such-scenario --out "$dir/bad"
has 'scenario "no-such-scenario": neither a built-in scenario nor a file'
check 2 "$fixtures/adapters/reference-twin.json" --seconds 0 --out "$dir/bad"
has -- '--seconds: expected seconds of stream, > 0'
echo "adapter_check_e2e: reference twin, a wrong pointer, gpsd and usage errors as expected"
