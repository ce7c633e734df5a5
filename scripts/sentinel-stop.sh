#!/usr/bin/env bash
# Stops a setup started by sentinel-start.sh: the sentinels first (so they start no failover while the
# servers go down), then the replica and the master. The directory stays (start it again, or rm -rf it).
#   scripts/sentinel-stop.sh <dir>
set -euo pipefail

dir=${1:?usage: sentinel-stop.sh <dir>}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/redis-common.sh
. "$here/redis-common.sh"

for sdir in "$dir"/sentinel-*; do
  [ -d "$sdir" ] && stop_pidfile "$sdir/sentinel.pid" term
done
for node in replica master; do
  [ -d "$dir/$node" ] && "$here/redis-stop.sh" "$dir/$node" term
done
exit 0
