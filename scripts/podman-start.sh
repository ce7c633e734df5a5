#!/usr/bin/env bash
# Starts podman's Docker-compatible API as a throwaway service for tests and benchmarks, and prints its
# DOCKER_HOST (unix://<dir>/podman.sock).
#   scripts/podman-start.sh <dir>
# <dir> holds podman's storage, its containers.conf, the socket, the pidfile and the log; a service already
# running there is reused. Also imports local/busybox:latest, an image made from Debian's busybox-static
# (no image registry is reachable here), also tagged busybox:1.36 and busybox:latest, and
# hangar-test/git:latest (busybox and the host's git) for clone steps. Installs podman, runc and busybox-static with apt when they are
# missing and we are root.
#
# The settings are those research/feasibility.md §4 measured on these machines: runc (crun rejects the
# hybrid cgroup layout), explicit ulimits (podman's defaults are above the hard limit), storage relocated by
# command-line flags (CONTAINERS_STORAGE_CONF makes every container stall 20 s on exit).
set -euo pipefail

dir=${1:?usage: podman-start.sh <dir>}

missing=()
for package in podman runc busybox-static; do dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package"); done
if ((${#missing[@]})); then
  if [ "$(id -u)" -ne 0 ]; then
    echo "podman-start: ${missing[*]} not installed and we are not root to install them" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # podman needs its recommends (catatonit for --init, netavark).
  apt-get install -y -qq "${missing[@]}" >&2
fi

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/podman-common.sh
. "$here/podman-common.sh"

[ -f "$dir/runroot" ] && [ -d "$(cat "$dir/runroot")" ] || mktemp -d /tmp/podman-run.XXXXXX >"$dir/runroot"
set_podman_flags

if [ ! -f "$dir/containers.conf" ]; then
  cat >"$dir/containers.conf" <<'CONF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
fi

if ! podman_cli image exists local/busybox:latest; then
  image="$dir/busybox-image"
  rm -rf "$image"
  mkdir -p "$image"/{bin,etc,tmp,proc,sys,dev,root}
  cp /bin/busybox "$image/bin/"
  # Skip the applet `busybox` itself, or the link would overwrite the binary.
  for applet in $("$image/bin/busybox" --list); do [ "$applet" = busybox ] || ln -s busybox "$image/bin/$applet"; done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$image/etc/passwd"
  echo 'root:x:0:' >"$image/etc/group"
  chmod 1777 "$image/tmp"
  tar -C "$image" -cf "$dir/busybox.tar" .
  podman_cli import --quiet --change 'CMD ["/bin/sh"]' --change 'ENV PATH=/bin:/sbin' "$dir/busybox.tar" local/busybox:latest >/dev/null
  rm -rf "$image" "$dir/busybox.tar"
  # Also under the names pipelines use (docker.io/library/busybox), so `image: busybox:1.36` needs no pull.
  podman_cli tag local/busybox:latest docker.io/library/busybox:1.36 docker.io/library/busybox:latest
fi

# A clone image for tests: busybox with the host's git (and the libraries it links), tagged
# hangar-test/git. The docker runner brings the clone script itself, so sh and git are all it needs.
if ! podman_cli image exists docker.io/hangar-test/git:latest; then
  image="$dir/git-image"
  rm -rf "$image"
  mkdir -p "$image"/{bin,etc,tmp,root,usr/bin,usr/lib/git-core}
  cp /bin/busybox "$image/bin/"
  for applet in $("$image/bin/busybox" --list); do [ "$applet" = busybox ] || ln -s busybox "$image/bin/$applet"; done
  cp /usr/bin/git "$image/usr/bin/git"
  ln -s ../../bin/git "$image/usr/lib/git-core/git"
  for command in upload-pack receive-pack; do ln -s ../../bin/git "$image/usr/lib/git-core/git-$command"; done
  for library in $(ldd /usr/bin/git | grep -o '/[^ ]*'); do
    mkdir -p "$image$(dirname "$library")"
    cp -L "$library" "$image$library"
  done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$image/etc/passwd"
  echo 'root:x:0:' >"$image/etc/group"
  chmod 1777 "$image/tmp"
  tar -C "$image" -cf "$dir/git.tar" .
  podman_cli import --quiet --change 'CMD ["/bin/sh"]' --change 'ENV PATH=/usr/bin:/bin' "$dir/git.tar" docker.io/hangar-test/git:latest >/dev/null
  rm -rf "$image" "$dir/git.tar"
fi

socket="$dir/podman.sock"
if [ -f "$dir/podman.pid" ] && kill -0 "$(cat "$dir/podman.pid")" 2>/dev/null && answers_ping "$socket"; then
  echo "unix://$socket"
  exit 0
fi
rm -f "$socket"
# Not through podman_cli: $! must be podman's own pid (podman-stop.sh signals it), not a subshell's.
CONTAINERS_CONF="$dir/containers.conf" podman "${PODMAN_FLAGS[@]}" system service --time=0 "unix://$socket" >>"$dir/service.log" 2>&1 &
echo $! >"$dir/podman.pid"
for _ in $(seq 1 200); do
  if answers_ping "$socket"; then
    echo "unix://$socket"
    exit 0
  fi
  sleep 0.05
done
echo "podman-start: the service did not answer on $socket; the end of $dir/service.log:" >&2
tail -n 20 "$dir/service.log" >&2
exit 1
