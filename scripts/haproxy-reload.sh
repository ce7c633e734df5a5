#!/usr/bin/env bash
# Reloads an haproxy started by haproxy-start.sh with a (possibly changed) configuration, the seamless way:
# a new process takes over the listening sockets from the old one (`-x <stats socket>`, which needs
# `expose-fd listeners` on that socket; without it the new process binds anew), and the old one (`-sf`)
# stops accepting, finishes the connections it holds (long polls, event streams) and exits.
#   scripts/haproxy-reload.sh <dir> <config-file>
# Prints `pid=<new pid>`; <dir>/haproxy.pid names the new process.
set -euo pipefail

dir=${1:?usage: haproxy-reload.sh <dir> <config-file>}
config=${2:?usage: haproxy-reload.sh <dir> <config-file>}
PATH=$PATH:/usr/sbin

dir=$(cd "$dir" && pwd)
pidfile=$dir/haproxy.pid
[ -f "$pidfile" ] || { echo "haproxy-reload: no haproxy running from $dir (no pidfile)" >&2; exit 1; }
old=$(cat "$pidfile")

if ! haproxy -c -f "$config" >"$dir/check.log" 2>&1; then
  echo "haproxy-reload: $config is not a valid configuration:" >&2
  cat "$dir/check.log" >&2
  exit 1
fi

transfer=()
socket=$(awk '$1 == "stats" && $2 == "socket" && /expose-fd listeners/ { print $3; exit }' "$config")
if [ -n "$socket" ] && [ -S "$socket" ]; then transfer=(-x "$socket"); fi

if ! haproxy -D -f "$config" -p "$pidfile" "${transfer[@]}" -sf "$old" >>"$dir/haproxy.log" 2>&1; then
  echo "haproxy-reload: the new haproxy failed to start (the old one, $old, still runs); the end of $dir/haproxy.log:" >&2
  tail -n 20 "$dir/haproxy.log" >&2
  exit 1
fi
echo "pid=$(cat "$pidfile")"
