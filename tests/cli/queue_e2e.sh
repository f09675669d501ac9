#!/usr/bin/env bash
# queue_e2e.sh TWINCERT MODE: the Redis Streams work queue against a real redis-server started
# on a free loopback port (redis_fixture.sh) and stopped after, whatever happens.
#   crash:    3 workers, one SIGKILLed mid-case and one started late -> every case exactly once,
#             verdicts identical to a local run of the same campaign, a manifest verify accepts,
#             no keys left in Redis
#   restart:  Redis stopped and started again mid-run (AOF on) -> the campaign completes
#   collector: the collector SIGKILLed mid-run and started again with --resume -> every case
#             once (those finished while it was away included)
#   poison:   a case whose workers keep dying ends as `error` after --max-attempts deliveries
#   security: non-loopback, rediss:// and credentials in the URL refused; an ACL user's password
#             from the environment or a file works, and shows in no log
set -euo pipefail
twincert=$1
mode=$2
campaign=$(cd "$(dirname "$0")/queue" && pwd)/campaign.json
work=$(mktemp -d)
workers=()
cleanup() {
  local p
  for p in "${workers[@]}" ${collector:-}; do kill -KILL "$p" 2>/dev/null || true; done
  stop_redis
  rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source=redis_fixture.sh
source "$(dirname "$0")/redis_fixture.sh"
cd "$work"
fail() {
  echo "FAIL: $*"
  for f in "$work"/*.log; do [[ -f $f ]] && { echo "--- $f"; tail -n 30 "$f"; }; done
  exit 1
}
# eventually SECONDS COMMAND...: polls COMMAND until it succeeds.
eventually() {
  local limit=$1 i
  shift
  for ((i = 0; i < limit * 10; i++)); do
    "$@" && return 0
    sleep 0.1
  done
  fail "not within ${limit}s: $*"
}
expect_code() {  # expect_code CODE PATTERN COMMAND...
  local want=$1 pattern=$2 code=0
  shift 2
  out=$("$@" 2>&1) || code=$?
  ((code == want)) || fail "exit $code (not $want) from $*: $out"
  tr "\n" " " <<<"$out" | grep -qE -- "$pattern" || fail "no /$pattern/ from $*: $out"
}
start_worker() {  # start_worker NAME ARGS...: a worker in the background, its log in NAME.log
  local name=$1
  shift
  "$twincert" worker --queue "$url" --name "$name" --visibility-timeout 3s "$@" \
    > "$name.log" 2>&1 &
  workers+=($!)
  last_worker=$!
}
gone() {  # gone PID: the process ended (reaped, or a zombie waiting for `wait`)
  [[ ! -e /proc/$1 || $(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) == Z ]]
}
start_collector() {  # start_collector OUT ARGS...
  local out=$1
  shift
  "$twincert" run "$campaign" --out "$out" --queue "$url" "$@" > collector.log 2>&1 &
  collector=$!
}
wait_collector() {  # the collector's exit code, which must be 0 or 1 (all passed / some failed)
  local code=0
  eventually 300 gone "$collector"
  wait "$collector" || code=$?
  collector=""
  ((code <= 1)) || fail "the collector exited with $code"
  collector_code=$code
}
cases_in_journal() { echo $(($(wc -l < "$1/journal.jsonl") - 1)); }
journal_has() { [[ -f $1/journal.jsonl ]] && (($(cases_in_journal "$1") >= $2)); }
stop_workers() {
  local p code
  for p in "${workers[@]}"; do
    kill -0 "$p" 2>/dev/null || continue
    kill -TERM "$p"
    code=0
    wait "$p" || code=$?
    ((code == 0)) || fail "worker $p exited with $code after SIGTERM"
  done
  workers=()
}
# Every case of the campaign exactly once in the journal.
exactly_once() {
  python3 - "$1" <<'PY'
import json, sys
lines = open(f"{sys.argv[1]}/journal.jsonl").read().splitlines()[1:]
ids = [json.loads(l)["id"] for l in lines]
assert len(ids) == len(set(ids)) == 6, ids
PY
}
# A twin that only says it started and then hangs: a worker running it is mid-case for sure
# when the test kills it (the real cases take a fraction of a second).
cat > hanging-twin <<'SH'
#!/bin/sh
echo "$$" >> "$(dirname "$0")/hanging-twin.pids"
exec sleep 600
SH
chmod +x hanging-twin
hanging_started() { [[ -f hanging-twin.pids ]] && (($(wc -l < hanging-twin.pids) >= $1)); }
no_hanging_twin_left() {
  local p
  for p in $(cat hanging-twin.pids); do
    if kill -0 "$p" 2>/dev/null; then return 1; fi
  done
}
no_keys_left() {
  local keys
  keys=$(redis-cli -h 127.0.0.1 -p "$redis_port" "$@" --scan --pattern 'twincert:*')
  [[ -z $keys ]] || fail "keys left in Redis: $keys"
}

case $mode in
crash)
  code=0
  "$twincert" run "$campaign" --out local --quiet > local.log 2>&1 || code=$?
  ((code <= 1)) || fail "the local run exited with $code"
  start_redis
  url=redis://127.0.0.1:$redis_port
  start_collector queued
  eventually 60 grep -q "enqueued 6 cases" collector.log
  start_worker doomed --reference-twin "$work/hanging-twin"
  doomed=$last_worker
  eventually 60 hanging_started 1
  killed_case=$(sed -n 's/.*running case \([^ ]*\) .*/\1/p' doomed.log | head -n 1)
  kill -KILL "$doomed"
  wait "$doomed" 2>/dev/null || true
  echo "killed the worker running $killed_case"
  eventually 30 no_hanging_twin_left
  start_worker a
  start_worker b
  eventually 300 journal_has queued 2
  start_worker late
  eventually 60 grep -q "joined run" late.log
  wait_collector
  stop_workers
  exactly_once queued
  grep -h "claimed case $killed_case " a.log b.log late.log ||
    fail "nobody claimed $killed_case, the killed worker's case"
  "$twincert" verify queued > verify.log 2>&1 || fail "verify refused the queued run's manifest"
  no_keys_left
  python3 - <<'PY'
import json, os
def verdicts(d):
    r = json.load(open(f"{d}/results.json"))
    return {c["id"]: (c["verdict"], sorted((x["rule"], x["verdict"]) for x in c["rules"]))
            for c in r["cases"]}
local, queued = verdicts("local"), verdicts("queued")
assert local.keys() == queued.keys(), (sorted(local), sorted(queued))
for case in local:
    assert local[case] == queued[case], f"{case}: local {local[case]} queued {queued[case]}"
for c in json.load(open("queued/results.json"))["cases"]:
    assert c["dir"].startswith("queued/cases/"), c["dir"]
    assert os.path.isfile(os.path.join(c["dir"], "observations.jsonl")), c["dir"]
    assert json.load(open(os.path.join(c["dir"], "case.json")))["dir"] == c["dir"], c["dir"]
print("queue crash: verdicts identical to the local run for", len(local), "cases")
PY
  ;;
restart)
  start_redis
  url=redis://127.0.0.1:$redis_port
  start_collector restarted
  start_worker a --jobs 2
  eventually 300 journal_has restarted 1
  stop_redis
  echo "redis stopped with $(cases_in_journal restarted) cases in the journal"
  start_redis  # the same port and folder: it reads its AOF back
  wait_collector
  stop_workers
  exactly_once restarted
  grep -q "connected again" a.log || fail "the worker never lost Redis: nothing was tested"
  no_keys_left
  ;;
collector)
  start_redis
  url=redis://127.0.0.1:$redis_port
  start_collector resumed
  eventually 60 grep -q "enqueued 6 cases" collector.log
  start_worker a --reference-twin "$work/hanging-twin"  # holds one case until it is stopped
  eventually 60 hanging_started 1
  kill -KILL "$collector"
  wait "$collector" 2>/dev/null || true
  collector=""
  [[ $(cases_in_journal resumed) == 0 ]] || fail "the journal has cases before any was run"
  start_worker b  # finishes the other five while no collector runs
  eventually 120 bash -c "[[ \$(redis-cli -p $redis_port hlen \$(redis-cli -p $redis_port \
    smembers twincert:runs):results) == 5 ]]"
  kill -KILL "$last_worker"  # b stops; a's case goes to c after the visibility timeout
  kill -KILL "${workers[0]}"
  start_collector resumed --resume
  start_worker c
  wait_collector
  grep -q "resuming run" collector.log || fail "the second collector did not take up the run"
  stop_workers
  exactly_once resumed
  no_keys_left
  ;;
poison)
  start_redis
  url=redis://127.0.0.1:$redis_port
  start_collector poisoned --case open-sea-transit/normal/s1
  for i in 1 2; do
    start_worker "killed$i" --max-attempts 2 --reference-twin "$work/hanging-twin"
    eventually 60 hanging_started "$i"
    kill -KILL "$last_worker"
    wait "$last_worker" 2>/dev/null || true
  done
  start_worker survivor --max-attempts 2
  wait_collector
  stop_workers
  ((collector_code == 1)) || fail "a run with a case in error exited with $collector_code"
  grep -q "recorded as an error" survivor.log || fail "the survivor did not give the case up"
  python3 - <<'PY'
import json
r = json.load(open("poisoned/results.json"))
[c] = r["cases"]
assert c["verdict"] == "error" and "given up after 2 attempts" in c["error"], c
assert all(x["verdict"] == "error" for x in r["cases"][0]["rules"]), c["rules"]
print("queue poison:", c["error"])
PY
  ;;
security)
  expect_code 2 "not on this host.*--allow-external" "$twincert" worker \
    --queue redis://192.0.2.1:6379
  expect_code 2 "not on this host" "$twincert" run "$campaign" --out x \
    --queue redis://192.0.2.1:6379
  expect_code 2 "hiredis >= 1.0.*hiredis_ssl.*Debian 12" "$twincert" worker \
    --queue rediss://127.0.0.1:6379
  expect_code 2 "credentials do not go into the URL" "$twincert" worker \
    --queue redis://twincert:pw@127.0.0.1:6379
  password=s3cret-$RANDOM-pw
  start_redis --user default off --user twincert on ">$password" '~*' '&*' '+@all'
  url=redis://127.0.0.1:$redis_port
  expect_code 2 "wants credentials.*TWINCERT_REDIS_PASSWORD" "$twincert" worker --queue "$url"
  expect_code 2 "refused the credentials" env TWINCERT_REDIS_USER=twincert \
    TWINCERT_REDIS_PASSWORD=wrong "$twincert" worker --queue "$url"
  printf '%s\n' "$password" > password
  chmod 600 password
  TWINCERT_REDIS_USER=twincert TWINCERT_REDIS_PASSWORD=$password \
    "$twincert" run "$campaign" --out authed --queue "$url" --case at-anchor/normal/s1 \
    > collector.log 2>&1 &
  collector=$!
  TWINCERT_REDIS_USER=twincert start_worker w --password-file password
  wait_collector
  stop_workers
  [[ $(cases_in_journal authed) == 1 ]] || fail "the authenticated run did not finish its case"
  if grep -rqF -- "$password" ./*.log authed/*.json authed/*.jsonl authed/*.md; then
    fail "the password shows in a log or output"
  fi
  no_keys_left --user twincert --pass "$password" --no-auth-warning
  ;;
*)
  fail "unknown mode $mode"
  ;;
esac
echo "queue $mode: ok"
