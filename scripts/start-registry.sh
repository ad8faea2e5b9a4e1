#!/usr/bin/env bash
# Makes sure two local image registries (distribution 2.8, Debian's docker-registry) answer, for push/pull/login tests:
#   open: http://127.0.0.1:5000, no auth;
#   auth: http://127.0.0.1:5001, basic auth, user berth, password berth-secret (bcrypt htpasswd).
# The engine treats 127.0.0.0/8 as insecure registries, so plain HTTP needs no daemon option.
# A registry that already answers is left alone, so a second call is a no-op. Stop them with scripts/stop-registry.sh.
# State (config, htpasswd, storage, log, pid) is under BERTH_REGISTRY_HOME, default /var/lib/berth-registry: the
# sessions run as root, and /var/lib outlives /tmp cleaners and reboots, so pushed images stay for the next run.
set -euo pipefail
sudo_cmd=""
[ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
home=${BERTH_REGISTRY_HOME:-/var/lib/berth-registry}
wait_seconds=${BERTH_REGISTRY_WAIT:-30}

need=()
[ -x /usr/bin/docker-registry ] || need+=(docker-registry)
command -v htpasswd >/dev/null 2>&1 || need+=(apache2-utils)
command -v curl >/dev/null 2>&1 || need+=(curl)
if ((${#need[@]})); then
  echo "installing: ${need[*]}"
  $sudo_cmd apt-get update -qq
  # The package enables a systemd unit; there is no systemd here, so nothing starts on install and we run the binary.
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if [ ! -w "$home" ] && ! { mkdir -p "$home" 2>/dev/null && [ -w "$home" ]; }; then
  $sudo_cmd mkdir -p "$home" && $sudo_cmd chown "$(id -u):$(id -g)" "$home"
fi

# HTTP status of GET /v2/ (000 when nothing listens): 200 for the open registry, 401 for the one with auth.
v2_status() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$1/v2/" || true; }
# The pid of the registry serving DIR/config.yml, from DIR/pid if that is alive and is it (a pid file can outlive a
# reboot and its pid be reused), else found by its exact command line (the pid file was lost).
live_pid() {
  local pid want="/usr/bin/docker-registry serve $1/config.yml"
  pid=$(cat "$1/pid" 2>/dev/null || true)
  if [ -n "$pid" ] && [ "$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" = "$want " ]; then echo "$pid"; return 0; fi
  for pid in $(pgrep -x docker-registry || true); do
    if [ "$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" = "$want " ]; then echo "$pid" >"$1/pid"; echo "$pid"; return 0; fi
  done
  return 1
}

# start NAME PORT WANTED_STATUS: writes the config and starts the registry unless it already answers or is starting.
start() {
  local name=$1 port=$2 want=$3 dir=$home/$1 code
  code=$(v2_status "$port")
  [ "$code" = "$want" ] && return 0
  live_pid "$dir" >/dev/null && return 0
  if [ "$code" != 000 ]; then
    echo "error: 127.0.0.1:$port answers $code to /v2/ (wanted $want): something else holds the port" >&2
    exit 1
  fi
  mkdir -p "$dir/data"
  {
    echo "version: 0.1"
    echo "log: {level: info, fields: {service: berth-registry-$name}}"
    # delete lets tests remove manifests; a fixed secret avoids the random-secret warning on every start.
    echo "storage: {filesystem: {rootdirectory: $dir/data}, delete: {enabled: true}}"
    echo "http: {addr: 127.0.0.1:$port, secret: berth-registry-$name}"
    if [ "$want" = 401 ]; then echo "auth: {htpasswd: {realm: berth-registry, path: $dir/htpasswd}}"; fi
  } >"$dir/config.yml"
  if [ "$want" = 401 ]; then htpasswd -Bbc "$dir/htpasswd" berth berth-secret 2>/dev/null; fi
  nohup /usr/bin/docker-registry serve "$dir/config.yml" >>"$dir/registry.log" 2>&1 </dev/null &
  echo $! >"$dir/pid"
}

start open 5000 200
start auth 5001 401

deadline=$((SECONDS + wait_seconds))
for spec in open:5000:200 auth:5001:401; do
  IFS=: read -r name port want <<<"$spec"
  until [ "$(v2_status "$port")" = "$want" ]; do
    if ((SECONDS >= deadline)); then
      echo "error: the $name registry did not answer $want on 127.0.0.1:$port within ${wait_seconds}s; see $home/$name/registry.log" >&2
      tail -20 "$home/$name/registry.log" >&2 || true
      exit 1
    fi
    sleep 0.2
  done
  pid=$(live_pid "$home/$name" || echo "?")
  case $name in
    open) echo "registry open: http://127.0.0.1:$port (no auth; pid $pid; log $home/$name/registry.log)" ;;
    auth) echo "registry auth: http://127.0.0.1:$port (basic auth berth/berth-secret; pid $pid; log $home/$name/registry.log)" ;;
  esac
done
