# Shared helpers of redis-*.sh and sentinel-*.sh (sourced, not run).

# Installs a Debian package when its binary is missing: only as root, like postgres-start.sh.
install_redis_package() {
  local binary=$1 package=$2
  command -v "$binary" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "$binary is not installed and we are not root to install $package" >&2
    return 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "$package" >&2
}

# Prints N (default 1) distinct free ports of 127.0.0.1, one a line (one node start: they take ~0.5 s here).
free_port() {
  node -e '
    const net = require("net");
    const servers = Array.from({ length: Number(process.argv[1]) }, () => net.createServer());
    Promise.all(servers.map((s) => new Promise((resolve) => s.listen(0, "127.0.0.1", () => resolve(s.address().port)))))
      .then((ports) => { console.log(ports.join("\n")); servers.forEach((s) => s.close()); });
  ' "${1:-1}"
}

# The machine's own services keep their standard ports.
refuse_standard_port() {
  local port=$1 standard=$2 who=$3
  if [ "$port" = "$standard" ]; then
    echo "$who: refusing port $standard (the machine's own service)" >&2
    exit 1
  fi
}

# `--name value...` pairs from a command line, as redis.conf lines `name value...`.
options_as_config_lines() {
  local line=''
  for arg in "$@"; do
    if [[ $arg == --* ]]; then
      [ -n "$line" ] && echo "$line"
      line=${arg#--}
    elif [ -z "$arg" ]; then
      line="$line \"\""
    else
      line="$line $arg"
    fi
  done
  [ -n "$line" ] && echo "$line"
  return 0
}

# True while the process in the pidfile exists; a zombie counts as gone (nothing here may reap it).
pid_alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ $stat != Z* ]]
}

running() {
  local pidfile=$1
  [ -f "$pidfile" ] && pid_alive "$(cat "$pidfile")"
}

answers_ping() {
  [ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" = PONG ]
}

wait_for_ping() {
  local port=$1 log=$2 who=$3
  for _ in $(seq 1 500); do
    answers_ping "$port" && return 0
    sleep 0.02
  done
  echo "$who: nothing answers PING on port $port after 10 s; the end of $log:" >&2
  tail -n 20 "$log" >&2
  exit 1
}

wait_for_exit() {
  local pid=$1
  for _ in $(seq 1 500); do
    pid_alive "$pid" || return 0
    sleep 0.02
  done
  echo "process $pid did not exit within 10 s" >&2
  return 1
}

# Stops the redis-server or redis-sentinel whose pidfile is given: `term` lets it shut down (no save:
# nothing is persisted), `kill` is a crash (SIGKILL).
stop_pidfile() {
  local pidfile=$1 mode=$2 pid
  running "$pidfile" || { rm -f "$pidfile"; return 0; }
  pid=$(cat "$pidfile")
  case $mode in
    term) kill -TERM "$pid" ;;
    kill) kill -KILL "$pid" ;;
    *) echo "unknown stop mode '$mode' (term or kill)" >&2; return 1 ;;
  esac
  wait_for_exit "$pid"
  rm -f "$pidfile"
}
