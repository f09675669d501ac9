#!/usr/bin/env bash
# port_in_use.sh TWIN: a second twin on the first one's HTTP port must refuse to start (exit 2).
set -uo pipefail
twin=$1
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
"$twin" --no-multicast --no-alerts --http 127.0.0.1:0 --ports-file "$dir/ports.json" --quiet &
pid=$!
for _ in $(seq 100); do [[ -s $dir/ports.json ]] && break; sleep 0.05; done
http=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['http'])" "$dir/ports.json")
"$twin" --no-multicast --no-alerts --http "$http"
