#!/usr/bin/env bash
# Whole-process lint speed and memory: `twincert lint` against gpsd's `gpsdecode` (Debian package
# gpsd-clients, the tool a user would otherwise run over a capture) on the same file of about a
# million lines, in one run. The file repeats every text capture of ../shared/corpus (receiver
# logs with their binary stretches, AIS streams, tag blocks) until it holds LINES lines.
#
#   bench/lint_vs_gpsdecode.sh [TWINCERT] [LINES] [RUNS]
#
# Prints, per tool, the median wall time of RUNS runs, lines per second and peak resident memory;
# twincert once on one thread and once on every core (a large file is linted in segments).
# gpsdecode decodes (it prints JSON for what it understands); twincert lint frames, validates
# and decodes every sentence and AIS message. Absolute times depend on the machine: compare the
# two columns of one run.
set -euo pipefail
cd "$(dirname "$0")/.."
twincert=${1:-build/release/cli/twincert}
lines=${2:-1000000}
runs=${3:-5}
corpus=../shared/corpus
command -v gpsdecode >/dev/null ||
  { apt-get update -qq && apt-get install -y -qq gpsd-clients >/dev/null; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mapfile -t captures < <(find "$corpus" -type f \( -name '*.log' -o -name '*.txt' -o -name '*.ais' \
  -o -name '*.nmea' -o -name '*.aivdm' -o -name 'ais_test_messages' \) ! -name 'LICENSE*' \
  ! -name 'NOTICE*' ! -name 'MISSING.txt' | sort)
cat "${captures[@]}" >"$work/once.txt"
: >"$work/capture.txt"
while (($(wc -l <"$work/capture.txt") < lines)); do cat "$work/once.txt" >>"$work/capture.txt"; done
total=$(wc -l <"$work/capture.txt")
bytes=$(stat -c %s "$work/capture.txt")

measure() {  # measure NAME COMMAND... -> one line: name, median s, lines/s, peak RSS
  local name=$1
  shift
  local times=() rss=0
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>&1 || true
    read -r t m < <(tail -n 1 "$work/time")
    times+=("$t")
    ((m > rss)) && rss=$m
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  awk -v n="$name" -v t="$median" -v l="$total" -v r="$rss" \
    'BEGIN {printf "%-20s %8.3f s %10.2f M lines/s %8.1f MB peak RSS\n", n, t, (t > 0 ? l / t / 1e6 : 0), r / 1024}'
}

echo "capture: $total lines, $((bytes / 1024 / 1024)) MiB, from ${#captures[@]} corpus files; median of $runs runs"
echo
measure "twincert lint -j1" "$twincert" lint --jobs 1 --show 0 "$work/capture.txt"
measure "twincert lint -j$(nproc)" "$twincert" lint --jobs "$(nproc)" --show 0 "$work/capture.txt"
measure "gpsdecode" sh -c "gpsdecode < '$work/capture.txt'"
