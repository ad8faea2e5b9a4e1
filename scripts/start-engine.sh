#!/usr/bin/env bash
# Makes sure a Docker engine answers on /var/run/docker.sock and that the local test image busybox:1.36 exists.
# Installs Debian's docker.io and busybox-static when missing; there is no registry here, so the image is imported.
set -euo pipefail
sudo_cmd=""
[ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"

engine_answers() { curl -sf --max-time 2 --unix-socket /var/run/docker.sock http://docker/_ping >/dev/null 2>&1; }

if ! engine_answers; then
  if ! command -v dockerd >/dev/null 2>&1 || [ ! -x /bin/busybox ]; then
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq docker.io busybox-static curl >/dev/null
  fi
  if ! engine_answers; then
    echo "starting dockerd (log: /tmp/berth-dockerd.log)"
    $sudo_cmd sh -c 'nohup dockerd >/tmp/berth-dockerd.log 2>&1 &'
    for _ in $(seq 1 60); do engine_answers && break; sleep 0.5; done
  fi
fi
engine_answers || { echo "error: the Docker engine did not start; see /tmp/berth-dockerd.log" >&2; tail -20 /tmp/berth-dockerd.log >&2 || true; exit 1; }

if ! docker image inspect busybox:1.36 >/dev/null 2>&1; then
  [ -x /bin/busybox ] || DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq busybox-static >/dev/null
  root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/www" "$root/tmp" "$root/etc" "$root/data"
  cp /bin/busybox "$root/bin/busybox"
  for tool in $("$root/bin/busybox" --list); do [ "$tool" = busybox ] || ln -sf busybox "$root/bin/$tool"; done
  echo "hello-from-busybox" > "$root/www/index.html"
  echo "root:x:0:0:root:/root:/bin/sh" > "$root/etc/passwd"
  echo "root:x:0:" > "$root/etc/group"
  tar -C "$root" -c . | docker import --change 'CMD ["/bin/sh"]' - busybox:1.36 >/dev/null
  rm -rf "$root"
  echo "made the local image busybox:1.36 from Debian's busybox-static"
fi
