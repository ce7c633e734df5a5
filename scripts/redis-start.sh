#!/usr/bin/env bash
# Starts a throwaway redis-server for tests and benchmarks, and prints its URL.
#   scripts/redis-start.sh <dir> [port] [--option value ...]
# <dir> holds redis.conf, the pidfile and the log. An instance already set up there is restarted with its
# port and configuration, so URLs handed out before stay valid (Sentinel may have rewritten redis.conf, as
# it does on a real server). Options after the port (redis-server's command-line form, e.g.
# `--replicaof 127.0.0.1 6380`) go into redis.conf when it is created; pass "" as the port to pick a free
# one. Nothing is persisted: no RDB, no AOF. Installs redis-server with apt when it is missing and we are root.
set -euo pipefail

dir=${1:?usage: redis-start.sh <dir> [port] [--option value ...]}
port=${2:-}
shift $(($# < 2 ? $# : 2))
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/redis-common.sh
. "$here/redis-common.sh"

install_redis_package redis-server redis-server

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

if [ -z "$port" ]; then
  # A restarted instance keeps its port, so URLs handed out before stay valid.
  if [ -f "$dir/port" ]; then port=$(cat "$dir/port"); else port=$(free_port); fi
fi
refuse_standard_port "$port" 6379 redis-start
echo "$port" >"$dir/port"

if [ ! -f "$dir/redis.conf" ]; then
  {
    echo "bind 127.0.0.1"
    echo "protected-mode no"
    echo 'save ""'
    echo "appendonly no"
    # A replica gets its first sync at once instead of after the default 5 s wait for more replicas.
    echo "repl-diskless-sync-delay 0"
    echo "daemonize yes"
    echo "pidfile $dir/redis.pid"
    echo "logfile $dir/redis.log"
    echo "dir $dir"
    options_as_config_lines "$@"
  } >"$dir/redis.conf"
fi

if running "$dir/redis.pid" && answers_ping "$port"; then
  echo "redis://127.0.0.1:$port"
  exit 0
fi

# The port on the command line wins over redis.conf, and Sentinel's CONFIG REWRITE keeps it there.
if ! redis-server "$dir/redis.conf" --port "$port" >>"$dir/redis.log" 2>&1; then
  echo "redis-start: redis-server failed to start; the end of $dir/redis.log:" >&2
  tail -n 20 "$dir/redis.log" >&2
  exit 1
fi
wait_for_ping "$port" "$dir/redis.log" redis-start

echo "redis://127.0.0.1:$port"
