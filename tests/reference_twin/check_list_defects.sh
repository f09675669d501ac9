#!/usr/bin/env bash
# check_list_defects.sh TWIN README: --list-defects prints at least 12 lines "name  description",
# each name is accepted by --defect (the twin starts and stops cleanly with it), and the twin's
# README documents every one.
set -euo pipefail
twin=$1
readme=$2
mapfile -t lines < <("$twin" --list-defects)
if ((${#lines[@]} < 12)); then
  echo "only ${#lines[@]} defects listed"
  exit 1
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
status=0
pattern='^([a-z0-9-]+)  [^ ].{10,}$'
for line in "${lines[@]}"; do
  if [[ ! $line =~ $pattern ]]; then
    echo "not 'name  description': $line"
    status=1
    continue
  fi
  name=${BASH_REMATCH[1]}
  if ! grep -q -- "\`$name\`" "$readme"; then
    echo "README does not document $name"
    status=1
  fi
  rm -f "$dir/ports.json"
  "$twin" --no-multicast --http 127.0.0.1:0 --no-alerts --quiet --defect "$name" \
    --ports-file "$dir/ports.json" &
  pid=$!
  # Started means listening, which the twin says by writing its ports: wait for that, not a time.
  for _ in $(seq 250); do
    if [[ -s $dir/ports.json ]] || ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.02
  done
  if [[ ! -s $dir/ports.json ]] || ! kill -TERM "$pid" 2>/dev/null; then
    echo "the twin did not start with --defect $name"
    status=1
  fi
  wait "$pid" || { echo "the twin with --defect $name did not stop cleanly"; status=1; }
done
exit $status
