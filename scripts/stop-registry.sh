#!/usr/bin/env bash
# Stops the registries started by scripts/start-registry.sh. With --purge also deletes their state (configs, htpasswd,
# pushed images, logs). Stopping registries that are not running is not an error.
set -euo pipefail
home=${BERTH_REGISTRY_HOME:-/var/lib/berth-registry}
purge=false
[ "${1:-}" = --purge ] && purge=true

for name in open auth; do
  dir=$home/$name
  want="/usr/bin/docker-registry serve $dir/config.yml"
  # Only processes whose command line is exactly ours: a stale pid file may name a pid that now belongs to something
  # else, and a lost pid file must not leave the registry running.
  for pid in $(cat "$dir/pid" 2>/dev/null || true) $(pgrep -x docker-registry || true); do
    [ "$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" = "$want " ] || continue
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; fi
    echo "stopped registry $name (pid $pid)"
  done
  rm -f "$dir/pid"
done
if $purge; then rm -rf "$home"; echo "removed $home"; fi
