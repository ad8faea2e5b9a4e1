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

# The local busybox:1.36 holds what the public image holds, as docs/busybox-image.md writes it down from
# docker-library/busybox's builder and buildroot's skeleton: the busybox binary and its applets, buildroot's users and
# groups, the directories of its device table and of the users' homes, and nothing more. Samples and tests give
# containers their content through the Compose file, so they behave the same where the real image is pulled. The label
# marks this layout; an older local image without it is replaced.
layout=3
if [ "$(docker image inspect -f '{{index .Config.Labels "dev.berth.test-image"}}' busybox:1.36 2>/dev/null)" != "$layout" ]; then
  [ -x /bin/busybox ] || DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq busybox-static >/dev/null
  root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/dev" "$root/tmp" "$root/etc" "$root/root" "$root/home" "$root/var/www" "$root/var/spool/mail" \
    "$root/usr/sbin" "$root/usr/bin" "$root/etc/network/if-up.d" "$root/etc/network/if-pre-up.d" "$root/etc/network/if-down.d" \
    "$root/etc/network/if-post-down.d"
  chmod 1777 "$root/tmp"
  chmod 700 "$root/root"
  chown 33:33 "$root/var/www"
  cp /bin/busybox "$root/bin/busybox"
  for tool in $("$root/bin/busybox" --list); do [ "$tool" = busybox ] || ln -sf busybox "$root/bin/$tool"; done
  ln -s ../../bin/env "$root/usr/bin/env"
  cat > "$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
bin:x:2:2:bin:/bin:/bin/false
sys:x:3:3:sys:/dev:/bin/false
sync:x:4:100:sync:/bin:/bin/sync
mail:x:8:8:mail:/var/spool/mail:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
operator:x:37:37:Operator:/var:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
PASSWD
  printf '%s\n' root:x:0: daemon:x:1: bin:x:2: sys:x:3: adm:x:4: tty:x:5: disk:x:6: lp:x:7: mail:x:8: kmem:x:9: wheel:x:10:root \
    cdrom:x:11: dialout:x:18: floppy:x:19: video:x:28: audio:x:29: tape:x:32: www-data:x:33: operator:x:37: utmp:x:43: \
    plugdev:x:46: staff:x:50: lock:x:54: netdev:x:82: users:x:100: nobody:x:65534: > "$root/etc/group"
  awk -F: '{ print $1 ":*:::::::" }' "$root/etc/passwd" > "$root/etc/shadow"
  chmod 600 "$root/etc/shadow"
  printf 'hosts: files dns\nnetworks: files\n' > "$root/etc/nsswitch.conf"
  [ -e /usr/share/zoneinfo/UTC ] && cp /usr/share/zoneinfo/UTC "$root/etc/localtime"
  docker image rm -f busybox:1.36 >/dev/null 2>&1 || true
  tar -C "$root" --numeric-owner -c . | docker import --change 'CMD ["sh"]' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' --change "LABEL dev.berth.test-image=$layout" - busybox:1.36 >/dev/null
  rm -rf "$root"
  echo "made the local image busybox:1.36 from Debian's busybox-static (what the public image holds, no more)"
fi
