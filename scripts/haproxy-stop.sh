#!/usr/bin/env bash
# Stops an haproxy started by haproxy-start.sh (SIGTERM: open connections are closed at once) and waits
# until it has exited, so its ports are free again.
#   scripts/haproxy-stop.sh <dir>
set -euo pipefail

dir=${1:?usage: haproxy-stop.sh <dir>}
pidfile=$dir/haproxy.pid

# A zombie counts as gone: nothing on this machine may reap a daemon's process.
alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ $stat != Z* ]]
}

[ -f "$pidfile" ] || exit 0
pid=$(cat "$pidfile")
if alive "$pid"; then
  kill -TERM "$pid"
  for _ in $(seq 1 500); do
    alive "$pid" || break
    sleep 0.02
  done
  if alive "$pid"; then
    echo "haproxy-stop: haproxy ($pid) did not exit within 10 s" >&2
    exit 1
  fi
fi
rm -f "$pidfile"
