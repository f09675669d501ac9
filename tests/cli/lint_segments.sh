#!/usr/bin/env bash
# lint_segments.sh TWINCERT: a large file is linted in segments on several threads, and the
# output is byte for byte what one pass gives: the table, --json, --per-file, and the findings
# in order with the lines they name. Segments as small as a few hundred bytes cut between the
# fragments of multi-sentence AIS messages, inside garbage runs' lines and tag-block groups:
# the join must carry a segment's linter over the next when it holds fragments.
set -euo pipefail
twincert=$1
corpus=$(cd "$(dirname "$0")/../../.." && pwd)/shared/corpus
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() {
  echo "FAIL: $*"
  exit 1
}
mapfile -t captures < <(find "$corpus" -type f \( -name '*.log' -o -name '*.txt' -o -name '*.ais' \
  -o -name '*.nmea' -o -name '*.aivdm' -o -name 'ais_test_messages' \) ! -name 'LICENSE*' \
  ! -name 'NOTICE*' ! -name 'MISSING.txt' | sort)
((${#captures[@]} > 20)) || fail "corpus not found at $corpus"
cat "${captures[@]}" >"$dir/a.txt"
# Multi-fragment AIS messages back to back, so that small segments begin between fragments.
grep -a -E '^!AIVDM,[23],' "$dir/a.txt" >"$dir/b.txt" || true
(($(wc -l <"$dir/b.txt") > 100)) || fail "too few multi-fragment AIS lines in the corpus"

one_pass() { "$twincert" lint --jobs 1 "$@" 2>&1 || true; }
segmented() { "$twincert" lint "$@" 2>&1 || true; }
for file in a b; do
  for view in "--show 200 --warnings" "--json --show 0" "--show 5"; do
    # shellcheck disable=SC2086
    expected=$(one_pass $view "$dir/$file.txt")
    for cut in "--jobs 2" "--jobs 3 --segment-bytes 4096" "--jobs 2 --segment-bytes 333"; do
      # shellcheck disable=SC2086
      got=$(segmented $cut $view "$dir/$file.txt")
      [[ "$got" == "$expected" ]] || {
        diff <(echo "$expected") <(echo "$got") | head -20
        fail "$file.txt with $cut $view differs from one pass"
      }
    done
  done
done
expected=$(one_pass --per-file --show 50 "$dir/a.txt" "$dir/b.txt")
got=$(segmented --per-file --show 50 --jobs 4 --segment-bytes 1000 "$dir/a.txt" "$dir/b.txt")
[[ "$got" == "$expected" ]] || fail "--per-file over two files differs from one pass"
# From a pipe there are no segments: the same output as the file.
expected=$(one_pass --show 20 "$dir/a.txt" | sed "s|$dir/a.txt|-|")
got=$(segmented --show 20 --jobs 2 --segment-bytes 4096 - <"$dir/a.txt")
[[ "$got" == "$expected" ]] || fail "standard input differs from the file"
code=0
"$twincert" lint --jobs 0 "$dir/a.txt" >/dev/null 2>&1 || code=$?
((code == 2)) || fail "--jobs 0 gave exit $code"
echo "lint_segments: ok"
