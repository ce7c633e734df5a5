#!/usr/bin/env bash
# Stops a podman service started by podman-start.sh and removes everything it held: containers, volumes,
# networks, images and the storage's mounts (so <dir> can be deleted). Its configuration file stays.
#   scripts/podman-stop.sh <dir>
set -euo pipefail

dir=${1:?usage: podman-stop.sh <dir>}
[ -d "$dir" ] || exit 0
dir=$(cd "$dir" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/podman-common.sh
. "$here/podman-common.sh"

if [ -f "$dir/podman.pid" ]; then
  pid=$(cat "$dir/podman.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$dir/podman.pid" "$dir/podman.sock"
fi
[ -f "$dir/runroot" ] || exit 0
runroot=$(cat "$dir/runroot")
set_podman_flags
podman_cli system reset -f >/dev/null 2>&1 || true
# Whatever podman left mounted (overlay layers, shm of containers).
for place in "$dir" "$runroot"; do
  { grep -o " $place/[^ ]*" /proc/self/mounts || true; } | sort -r | while read -r mount; do umount -l "$mount" 2>/dev/null || true; done
done
rm -rf "$runroot" "$dir/runroot"
