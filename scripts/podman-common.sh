# Shared by podman-start.sh and podman-stop.sh: podman with the storage and configuration of one
# throwaway instance under $dir.

# podman refuses a runroot longer than 50 characters: it lives in a short directory of /tmp named in
# $dir/runroot (made by podman-start.sh, removed by podman-stop.sh). Call once that file exists.
set_podman_flags() {
  PODMAN_FLAGS=(--root "$dir/root" --runroot "$(cat "$dir/runroot")" --tmpdir "$dir/tmp"
    --network-config-dir "$dir/net" --volumepath "$dir/vol")
}

podman_cli() {
  CONTAINERS_CONF="$dir/containers.conf" podman "${PODMAN_FLAGS[@]}" "$@"
}

answers_ping() {
  [ -S "$1" ] && curl -sf --max-time 2 --unix-socket "$1" http://d/_ping >/dev/null 2>&1
}
