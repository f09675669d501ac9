#!/usr/bin/env bash
# Campaign throughput over the Redis work queue against the same campaign run locally, the
# queue's overhead per case, and `twincert merge` of 10,000 cases.
#
#   bench/queue_throughput.sh [TWINCERT] [CAMPAIGN]
#
# Throughput: CAMPAIGN (default bench/queue/campaign.json, twelve one-minute cases against the
# reference twin) run locally with --jobs 1, 2, 4, and through a redis-server started here on a
# free loopback port (AOF on, as the docs advise) with 1, 2 and 4 workers of one job each;
# wall time from start to the collector's exit, in cases per minute. Overhead per case: (queue
# with 1 worker - local with --jobs 1) / cases, i.e. enqueue, take, store evidence, collect
# and write back, plus a worker's start. Merge: a campaign of 10,000 seeds of one scenario whose
# four shard folders are synthesised from one real case result (journal lines and case folders),
# then joined by the real `twincert merge` (checks, journal, reports, manifest).
# The numbers depend on the machine and on what else runs on it: say which with the figures.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
twincert=$(realpath "${1:-$here/../build/ci/cli/twincert}")
campaign=$(realpath "${2:-$here/queue/campaign.json}")
work=$(mktemp -d)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  stop_redis
  rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source=../tests/cli/redis_fixture.sh
source "$here/../tests/cli/redis_fixture.sh"
cd "$work"
now() { date +%s.%N; }
cases=$(python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))
n = 0
for m in c["matrix"]:
    n += len(m["scenarios"]) * len(m.get("faults", [[]])) * len(m.get("seeds", [1]))
print(n * c.get("repetitions", 1))' "$campaign")
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) at start; $cases cases"
printf '%-22s %10s %12s\n' "run" "wall s" "cases/min"
report() { printf '%-22s %10.1f %12.1f\n' "$1" "$2" "$(echo "$cases * 60 / $2" | bc -l)"; }

declare -A wall
for jobs in 1 2 4; do
  t0=$(now)
  "$twincert" run "$campaign" --out "local$jobs" --jobs "$jobs" --quiet > /dev/null 2>&1 || true
  wall[local$jobs]=$(echo "$(now) - $t0" | bc -l)
  report "local --jobs $jobs" "${wall[local$jobs]}"
done

start_redis
url=redis://127.0.0.1:$redis_port
for workers in 1 2 4; do
  t0=$(now)
  "$twincert" run "$campaign" --out "queue$workers" --queue "$url" --quiet > /dev/null 2>&1 &
  collector=$!
  started=()
  for ((w = 0; w < workers; w++)); do
    "$twincert" worker --queue "$url" --quiet > "worker$workers-$w.log" 2>&1 &
    started+=($!)
    pids+=($!)
  done
  wait "$collector" || true
  wall[queue$workers]=$(echo "$(now) - $t0" | bc -l)
  for p in "${started[@]}"; do kill -TERM "$p"; wait "$p" || true; done
  report "queue, $workers workers" "${wall[queue$workers]}"
  [[ $(($(wc -l < "queue$workers/journal.jsonl") - 1)) == "$cases" ]] ||
    { echo "queue run with $workers workers is missing cases"; exit 1; }
done
printf 'queue overhead per case: %.0f ms (queue with 1 worker - local --jobs 1, / %d cases)\n' \
  "$(echo "(${wall[queue1]} - ${wall[local1]}) * 1000 / $cases" | bc -l)" "$cases"

# Merge of 10,000 cases: a campaign of 10,000 seeds, four shards synthesised from one real case.
python3 - "$campaign" "$work/local1/journal.jsonl" <<'PY'
import hashlib, json, os, re, sys
src = json.load(open(sys.argv[1]))
base = os.path.dirname(sys.argv[1])
n = 10000
c = {"schema": "twincert.campaign/1", "id": "merge-10k", "title": "10,000 cases to merge",
     "adapter": os.path.join(base, src["adapter"]), "rules": os.path.join(base, src["rules"]),
     "requirements": os.path.join(base, src["requirements"]),
     "matrix": [{"scenarios": ["open-sea-transit"], "duration_s": 60,
                 "seeds": list(range(1, n + 1))}]}
open("merge10k.json", "w").write(json.dumps(c, indent=1))
digest = hashlib.sha256(open("merge10k.json", "rb").read()).hexdigest()
lines = open(sys.argv[2]).read().splitlines()
template = next(json.loads(l) for l in lines[1:]
                if json.loads(l)["id"].startswith("open-sea-transit/normal/"))
ids = sorted(f"open-sea-transit/normal/s{s}" for s in range(1, n + 1))
for shard in range(1, 5):
    out = f"shard{shard}"
    os.makedirs(f"{out}/cases", exist_ok=True)
    with open(f"{out}/journal.jsonl", "w") as j:
        j.write(json.dumps({"kind": "campaign", "campaign": "merge-10k", "campaign_sha256": digest,
                            "shard": f"{shard}/4", "mutant": ""}) + "\n")
        for i in range(shard - 1, n, 4):
            r = dict(template)
            r["id"] = ids[i]
            r["seed"] = int(ids[i].rsplit("s", 1)[1])
            folder = re.sub(r"[^A-Za-z0-9.+@-]", "_", ids[i])
            r["dir"] = f"{out}/cases/{folder}"
            os.makedirs(r["dir"], exist_ok=True)
            open(f"{r['dir']}/case.json", "w").write(json.dumps(r, indent=2) + "\n")
            j.write(json.dumps(r) + "\n")
PY
t0=$(now)
code=0
"$twincert" merge shard1 shard2 shard3 shard4 --campaign merge10k.json --out merged > merge.log 2>&1 || code=$?
t=$(echo "$(now) - $t0" | bc -l)
((code <= 1)) || { echo "merge failed ($code):"; cat merge.log; exit 1; }
printf 'merge of 10000 cases (4 shards): %.1f s (%s)\n' "$t" "$(grep -o 'merged.*cases' merge.log | head -1)"
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
