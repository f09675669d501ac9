#!/usr/bin/env bash
# lint_large.sh TWINCERT: lint reads a capture in chunks, yet names the right line of a finding
# far into a file, of a garbage run that began megabytes before it was reported (re-read from
# the file), and from a pipe, where an old line cannot be known, says so by leaving it out; a
# directory is a usage error naming it.
set -euo pipefail
twincert=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 - "$dir" <<'PY'
import sys
d = sys.argv[1]
good = "$GPHDT,274.07,T*03\r\n"
bad = "$GPHDT,274.07,T*00\r\n"
with open(f"{d}/long.nmea", "w") as f:  # 60,000 lines, about 1.2 MB: a chunk and more
    for i in range(1, 60001):
        f.write(bad if i == 40000 else good)
with open(f"{d}/garbage.nmea", "w") as f:  # 3 MiB of garbage on line 6, reported at its end
    f.write(good * 5 + "x" * (3 << 20) + "\n" + good * 5)
PY
fail() {
  echo "FAIL: $*"
  exit 1
}
out=$("$twincert" lint "$dir/long.nmea" 2>&1) && fail "a bad checksum passed"
grep -q "long.nmea:40000: error: BadChecksum" <<<"$out" || fail "line 40000 not named: $out"
grep -q "sentences: 60000," <<<"$out" || fail "not every sentence counted: $out"
out=$("$twincert" lint "$dir/garbage.nmea" 2>&1) && fail "garbage passed"
grep -q "garbage.nmea:6: error: Garbage: 3145729 bytes dropped at byte 100" <<<"$out" ||
  fail "the garbage run's line not named: $out"
grep -q "HDT .* 10 .* 10 " <<<"$out" || fail "sentences after the garbage lost: $out"
out=$("$twincert" lint - <"$dir/garbage.nmea" 2>&1) && fail "garbage from a pipe passed"
out=$(cat "$dir/garbage.nmea" | "$twincert" lint - 2>&1) && fail "garbage from a pipe passed"
grep -q "^-: error: Garbage: 3145729 bytes dropped at byte 100" <<<"$out" ||
  fail "from a pipe: $out"
code=0
out=$("$twincert" lint "$dir" 2>&1) || code=$?
((code == 2)) || fail "a directory gave exit $code"
grep -q "cannot read $dir" <<<"$out" || fail "the directory not named: $out"
echo "lint_large: ok"
