#!/usr/bin/env bash
# Undoes start-tls-engine.sh: stops the TLS engine (by its pid file) and removes its data, netns and bridge.
# The certificates in /var/lib/berth-tls/certs are kept, so contexts made from them stay valid. The main engine
# is not touched. Idempotent.
set -euo pipefail
sudo_cmd=""
[ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
# shellcheck source=engine-lib.sh
. "$(dirname "$0")/engine-lib.sh"

NAME=berth-tls
BRIDGE=berth-tls0
STATE_DIR=/var/lib/berth-tls
EXEC_ROOT=/run/berth-tls
PIDFILE=/run/berth-tls.pid

if [ -s "$PIDFILE" ] && pid=$(cat "$PIDFILE") && alive "$pid"; then
  # Kill the containers first: dockerd would give each one its stop timeout (10 s for a `sleep` as pid 1).
  ids=$(docker -H "unix://$EXEC_ROOT/docker.sock" ps -q 2>/dev/null || true)
  [ -z "$ids" ] || docker -H "unix://$EXEC_ROOT/docker.sock" kill $ids >/dev/null 2>&1 || true
  # SIGTERM lets dockerd stop its containerd and unmount its layers (about 2.5 s); wait up to 30 s.
  $sudo_cmd kill -TERM "$pid"
  for _ in $(seq 1 60); do alive "$pid" || break; sleep 0.5; done
  if alive "$pid"; then
    echo "warning: dockerd $pid did not stop within 30 s; killing it" >&2
    $sudo_cmd kill -KILL "$pid" 2>/dev/null || true
    sleep 1
  fi
fi
$sudo_cmd rm -f "$PIDFILE"

# What a stopped or killed dockerd leaves: processes in its cgroup parent, its shims, mounts under its roots, the
# roots and its cgroups.
reap_engine "$NAME" "$EXEC_ROOT" "$STATE_DIR/data"

# Deleting the netns deletes its end of the veth, and with it the host end.
if [ -e "/run/netns/$NAME" ]; then $sudo_cmd ip netns del "$NAME"; fi
$sudo_cmd ip link del "$NAME-h" 2>/dev/null || true
$sudo_cmd ip link del "$BRIDGE" 2>/dev/null || true

echo "stopped the TLS engine (certificates kept in $STATE_DIR/certs)"
