#!/usr/bin/env bash
# Starts a throwaway Redis Sentinel setup for tests: a master, one replica and three sentinels (quorum 2,
# down-after 1000 ms, failover-timeout 5000 ms), all on free ports of 127.0.0.1, and prints on one line
#   sentinels=127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3 master=mymaster master_addr=127.0.0.1:PM
# where master_addr is the master the sentinels name now. It returns once that master has a replica in
# sync and every sentinel knows the replica and the two other sentinels, so a failover can happen at once.
#   scripts/sentinel-start.sh <dir> [master-name]
# Layout: <dir>/master and <dir>/replica are redis-start.sh directories (kill and restart them with
# redis-stop.sh/redis-start.sh); <dir>/sentinel-N holds a sentinel's config (which it rewrites), pidfile
# and log; <dir>/ports lists the five ports. Running it again on the same <dir> restarts what is stopped,
# on the same ports. Installs redis-sentinel with apt when it is missing and we are root.
set -euo pipefail

dir=${1:?usage: sentinel-start.sh <dir> [master-name]}
name=${2:-mymaster}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/redis-common.sh
. "$here/redis-common.sh"

install_redis_package redis-server redis-server
install_redis_package redis-sentinel redis-sentinel || true

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

# Ports: chosen once, in one go, and kept for restarts.
[ -f "$dir/ports" ] || free_port 5 | paste -sd' ' - >"$dir/ports"
read -r master_port replica_port sentinel_port_1 sentinel_port_2 sentinel_port_3 <"$dir/ports"
sentinel_ports=("$sentinel_port_1" "$sentinel_port_2" "$sentinel_port_3")

"$here/redis-start.sh" "$dir/master" "$master_port" >/dev/null
"$here/redis-start.sh" "$dir/replica" "$replica_port" --replicaof 127.0.0.1 "$master_port" >/dev/null

random_id() {
  head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n'
}

# Sentinels find each other through hello messages every 2 s; the first config already holds what they
# would learn (their ids, the other sentinels, the replica), which saves that wait. Sentinel rewrites the
# file with what it learns later (a new master after a failover, for instance).
write_sentinel_config() {
  local n=$1 sdir=$2 other
  cat <<CONFIG
port ${sentinel_ports[n]}
bind 127.0.0.1
daemonize yes
pidfile $sdir/sentinel.pid
logfile $sdir/sentinel.log
dir $sdir
sentinel myid ${sentinel_ids[n]}
sentinel monitor $name 127.0.0.1 $master_port 2
sentinel down-after-milliseconds $name 1000
sentinel failover-timeout $name 5000
sentinel parallel-syncs $name 1
sentinel known-replica $name 127.0.0.1 $replica_port
CONFIG
  for other in 0 1 2; do
    [ "$other" = "$n" ] || echo "sentinel known-sentinel $name 127.0.0.1 ${sentinel_ports[other]} ${sentinel_ids[other]}"
  done
}

start_sentinel() {
  local n=$1 sdir=$dir/sentinel-$(($1 + 1))
  mkdir -p "$sdir"
  refuse_standard_port "${sentinel_ports[n]}" 26379 sentinel-start
  [ -f "$sdir/sentinel.conf" ] || write_sentinel_config "$n" "$sdir" >"$sdir/sentinel.conf"
  running "$sdir/sentinel.pid" && return 0
  if command -v redis-sentinel >/dev/null 2>&1; then
    redis-sentinel "$sdir/sentinel.conf" >>"$sdir/sentinel.log" 2>&1
  else
    # redis-sentinel is the same program as redis-server, started in sentinel mode.
    redis-server "$sdir/sentinel.conf" --sentinel >>"$sdir/sentinel.log" 2>&1
  fi
  wait_for_ping "${sentinel_ports[n]}" "$sdir/sentinel.log" sentinel-start
}

sentinel_ids=("$(random_id)" "$(random_id)" "$(random_id)")
for n in 0 1 2; do start_sentinel "$n"; done

current_master() {
  redis-cli -h 127.0.0.1 -p "${sentinel_ports[0]}" sentinel get-master-addr-by-name "$name" 2>/dev/null | paste -sd: -
}

# The value that follows `field` in the flat reply of SENTINEL MASTER.
sentinel_field() {
  local port=$1 field=$2
  redis-cli -h 127.0.0.1 -p "$port" sentinel master "$name" 2>/dev/null | awk -v f="$field" 'prev == f { print; exit } { prev = $0 }'
}

# Ready: the master the sentinels name (after a failover, the instance in <dir>/replica) has a replica in
# sync, and every sentinel knows a replica and the two other sentinels.
ready() {
  local master port
  master=$(current_master)
  redis-cli -h 127.0.0.1 -p "${master##*:}" info replication 2>/dev/null | grep -q '^slave0:.*state=online' || return 1
  for port in "${sentinel_ports[@]}"; do
    [ "$(sentinel_field "$port" num-slaves)" -ge 1 ] 2>/dev/null || return 1
    [ "$(sentinel_field "$port" num-other-sentinels)" -ge 2 ] 2>/dev/null || return 1
  done
}

for _ in $(seq 1 300); do
  ready && break
  sleep 0.1
done
if ! ready; then
  echo "sentinel-start: the master has no replica in sync, or the sentinels do not know each other, after 30 s; see $dir/*/*.log" >&2
  exit 1
fi

addresses=$(printf '127.0.0.1:%s,' "${sentinel_ports[@]}")
echo "sentinels=${addresses%,} master=$name master_addr=$(current_master)"
