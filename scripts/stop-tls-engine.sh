#!/usr/bin/env bash
# Undoes start-tls-engine.sh: stops the TLS engine (by its pid file) and removes its data, netns and bridge.
# The certificates in /var/lib/berth-tls/certs are kept, so contexts made from them stay valid. The main engine
# is not touched. Idempotent.
set -euo pipefail
sudo_cmd=""
[ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"

NAME=berth-tls
BRIDGE=berth-tls0
STATE_DIR=/var/lib/berth-tls
EXEC_ROOT=/run/berth-tls
PIDFILE=/run/berth-tls.pid

# A dead dockerd can linger as a zombie here (pid 1 reaps late): count it as gone.
alive() { ps -o stat= -p "$1" 2>/dev/null | grep -qv '^Z'; }
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

# A killed dockerd leaves its containers running, each with a containerd shim (which ignores SIGTERM). Kill the
# processes in the engine's cgroup parent, and the shims that serve this engine's containerd socket (no other
# engine's shims name that address).
for procs in /sys/fs/cgroup/pids/"$NAME"/*/cgroup.procs /sys/fs/cgroup/"$NAME"/*/cgroup.procs; do
  [ -f "$procs" ] || continue
  for p in $(cat "$procs"); do $sudo_cmd kill -KILL "$p" 2>/dev/null || true; done
done
for p in $(pgrep -f "^/usr/bin/containerd-shim[^ ]* .*-address $EXEC_ROOT/containerd/containerd.sock( |\$)" || true); do
  $sudo_cmd kill -KILL "$p" 2>/dev/null || true
done

# Anything still mounted on or under the engine's roots (dockerd bind-mounts its data root on itself and leaves
# that behind when killed) must go before the directories can; deepest first, repeated for stacked mounts.
for root in "$STATE_DIR/data" "$EXEC_ROOT"; do
  for _ in 1 2 3 4 5; do
    mounts=$(findmnt -rn -o TARGET | awk -v r="$root" '$0 == r || index($0, r "/") == 1' | sort -r)
    [ -n "$mounts" ] || break
    for m in $mounts; do $sudo_cmd umount -l "$m" 2>/dev/null || true; done
  done
done
$sudo_cmd rm -rf "$STATE_DIR/data" "$EXEC_ROOT"

# Deleting the netns deletes its end of the veth, and with it the host end.
if [ -e "/run/netns/$NAME" ]; then $sudo_cmd ip netns del "$NAME"; fi
$sudo_cmd ip link del "$NAME-h" 2>/dev/null || true
$sudo_cmd ip link del "$BRIDGE" 2>/dev/null || true

# The engine's cgroup parent and its containers' cgroups, in every hierarchy (removable once their processes are
# gone, which can take a moment after a kill).
for _ in 1 2 3 4 5 6; do
  dirs=$(find /sys/fs/cgroup/*/"$NAME" /sys/fs/cgroup/"$NAME" -depth -type d 2>/dev/null || true)
  [ -n "$dirs" ] || break
  for dir in $dirs; do $sudo_cmd rmdir "$dir" 2>/dev/null || true; done
  sleep 0.5
done
echo "stopped the TLS engine (certificates kept in $STATE_DIR/certs)"
