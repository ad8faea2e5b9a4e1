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

# The local busybox:1.36 holds what the public image holds (the busybox binary, its applets, /etc/passwd and /etc/group)
# and nothing more: samples and tests give containers their content through the Compose file, so they behave the same
# where the real image is pulled. The label marks this layout; an older local image without it is replaced.
layout=2
if [ "$(docker image inspect -f '{{index .Config.Labels "dev.berth.test-image"}}' busybox:1.36 2>/dev/null)" != "$layout" ]; then
  [ -x /bin/busybox ] || DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq busybox-static >/dev/null
  root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/root" "$root/home" "$root/var" "$root/usr/sbin"
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  for tool in $("$root/bin/busybox" --list); do [ "$tool" = busybox ] || ln -sf busybox "$root/bin/$tool"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n' > "$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
  docker image rm -f busybox:1.36 >/dev/null 2>&1 || true
  tar -C "$root" -c . | docker import --change 'CMD ["sh"]' --change "LABEL dev.berth.test-image=$layout" - busybox:1.36 >/dev/null
  rm -rf "$root"
  echo "made the local image busybox:1.36 from Debian's busybox-static (what the public image holds, no more)"
fi
