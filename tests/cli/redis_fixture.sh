# Sourced by the work queue's tests: start_redis [ARGS...] starts Debian's redis-server on a
# free loopback port with AOF on and no snapshots, in a folder of its own under $work, and
# waits until it answers; stop_redis stops it (SIGTERM: it writes its AOF out first). The
# caller's EXIT trap must call stop_redis, so no server outlives a failing test.
# Sets redis_port, redis_dir, redis_pid.
redis_pid=""
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
redis_up() {  # redis_up [redis-cli ARGS...]: the server answers PING (or NOAUTH: it is up)
  local answer
  answer=$(redis-cli -h 127.0.0.1 -p "$redis_port" "$@" ping 2>&1) || return 1
  [[ $answer == PONG || $answer == *NOAUTH* ]]
}
start_redis() {
  command -v redis-server >/dev/null ||
    { echo "FAIL: redis-server missing (scripts/install-deps --tests)"; exit 1; }
  redis_port=${redis_port:-$(free_port)}
  redis_dir=${redis_dir:-$work/redis-$redis_port}
  mkdir -p "$redis_dir"
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly yes \
    --dir "$redis_dir" --daemonize no --logfile "$redis_dir/redis.log" "$@" &
  redis_pid=$!
  for _ in $(seq 1 200); do
    redis_up && return 0
    kill -0 "$redis_pid" 2>/dev/null || break
    sleep 0.05
  done
  echo "FAIL: redis-server did not come up on port $redis_port"
  cat "$redis_dir/redis.log"
  exit 1
}
stop_redis() {
  [[ -n $redis_pid ]] || return 0
  kill -TERM "$redis_pid" 2>/dev/null || true
  wait "$redis_pid" 2>/dev/null || true
  redis_pid=""
}
