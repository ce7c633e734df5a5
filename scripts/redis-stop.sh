#!/usr/bin/env bash
# Stops a redis-server started by redis-start.sh. Its directory stays (start it again, or rm -rf it).
#   scripts/redis-stop.sh <dir> [term|kill]
# `term` (the default) is a clean shutdown; `kill` is SIGKILL, a crash that clients see as a dead connection.
set -euo pipefail

dir=${1:?usage: redis-stop.sh <dir> [term|kill]}
mode=${2:-term}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/redis-common.sh
. "$here/redis-common.sh"

stop_pidfile "$dir/redis.pid" "$mode"
