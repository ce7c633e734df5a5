#!/usr/bin/env bash
# Stops a cluster started by postgres-start.sh. The data directory stays (start it again, or rm -rf it).
#   scripts/postgres-stop.sh <dir> [fast|immediate]
set -euo pipefail

dir=${1:?usage: postgres-stop.sh <dir> [fast|immediate]}
mode=${2:-fast}
pgbin=/usr/lib/postgresql/15/bin

[ -f "$dir/data/postmaster.pid" ] || exit 0
if [ "$(id -u)" -eq 0 ]; then
  runuser -u postgres -- "$pgbin/pg_ctl" -D "$dir/data" -m "$mode" -w stop >/dev/null
else
  "$pgbin/pg_ctl" -D "$dir/data" -m "$mode" -w stop >/dev/null
fi
