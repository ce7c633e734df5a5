#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 cluster for tests and benchmarks, and prints its URL.
#   scripts/postgres-start.sh <dir> [port]
# <dir> holds the data directory, the socket and the log; an existing cluster there is restarted, so a
# test can stop and start the same instance. Without a port, a free one is picked. fsync is off: the data
# is disposable. Installs postgresql-15 with apt when it is missing and we are root.
set -euo pipefail

dir=${1:?usage: postgres-start.sh <dir> [port]}
port=${2:-}
pgbin=/usr/lib/postgresql/15/bin

if [ ! -x "$pgbin/initdb" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "postgres-start: PostgreSQL 15 is not installed and we are not root to install it" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends postgresql-15 >&2
fi

# initdb refuses to run as root; the cluster belongs to the postgres user.
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"

if [ ! -f "$dir/data/PG_VERSION" ]; then
  as_postgres "$pgbin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-sync >"$dir/initdb.log"
fi

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
if [ -z "$port" ]; then
  # A restarted instance keeps its port, so URLs handed out before stay valid.
  if [ -f "$dir/port" ]; then port=$(cat "$dir/port"); else port=$(free_port); fi
fi
if [ "$port" = 5432 ]; then
  echo "postgres-start: refusing port 5432 (the machine's own PostgreSQL)" >&2
  exit 1
fi
echo "$port" >"$dir/port"

if as_postgres "$pgbin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
  echo "postgres://postgres@127.0.0.1:$port/postgres"
  exit 0
fi

as_postgres "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 30 \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all" \
  start >/dev/null

echo "postgres://postgres@127.0.0.1:$port/postgres"
