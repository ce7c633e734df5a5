#!/usr/bin/env bash
# Starts Debian's haproxy in the background with a given configuration, for tests and benchmarks.
#   scripts/haproxy-start.sh <dir> <config-file>
# The configuration is checked first (`haproxy -c`, errors printed); haproxy then runs as a daemon with its
# pidfile in <dir> (startup messages in <dir>/haproxy.log). Prints `pid=<pid>`, followed by
# ` socket=<path>` when the configuration has a `stats socket` (read backend states from it).
# An haproxy already running from <dir> is stopped first, so calling it again applies a changed
# configuration. Installs haproxy with apt when it is missing and we are root.
set -euo pipefail

dir=${1:?usage: haproxy-start.sh <dir> <config-file>}
config=${2:?usage: haproxy-start.sh <dir> <config-file>}
here=$(cd "$(dirname "$0")" && pwd)

if ! command -v haproxy >/dev/null 2>&1 && [ ! -x /usr/sbin/haproxy ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "haproxy-start: haproxy is not installed and we are not root to install it" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends haproxy >&2
fi
PATH=$PATH:/usr/sbin

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
[ -f "$config" ] || { echo "haproxy-start: no configuration file $config" >&2; exit 1; }

if ! haproxy -c -f "$config" >"$dir/check.log" 2>&1; then
  echo "haproxy-start: $config is not a valid configuration:" >&2
  cat "$dir/check.log" >&2
  exit 1
fi

"$here/haproxy-stop.sh" "$dir"
if ! haproxy -D -f "$config" -p "$dir/haproxy.pid" >>"$dir/haproxy.log" 2>&1; then
  echo "haproxy-start: haproxy failed to start; the end of $dir/haproxy.log:" >&2
  tail -n 20 "$dir/haproxy.log" >&2
  exit 1
fi

# With -D the command returns once the listeners are bound and the pidfile is written.
pid=$(cat "$dir/haproxy.pid")
socket=$(awk '$1 == "stats" && $2 == "socket" { print $3; exit }' "$config")
if [ -n "$socket" ] && [[ $socket != *@* ]]; then
  echo "pid=$pid socket=$socket"
else
  echo "pid=$pid"
fi
