# Shell functions shared by the scripts that run extra engines in network namespaces (start-tls-engine.sh,
# stop-tls-engine.sh, swarm-lab.sh). Source it; it expects $sudo_cmd to be set ("" or "sudo").

# A killed dockerd stays a zombie for a while here (pid 1 reaps late), so `kill -0` alone is not enough.
alive() { ps -o stat= -p "$1" 2>/dev/null | grep -qv '^Z'; }

# netns_veth NETNS ADDR GATEWAY BRIDGE HOST_IF NS_IF: a network namespace with a veth into BRIDGE, ADDR/24 on its
# eth0, lo up and a default route via GATEWAY. Guarded, so that a rerun completes what is missing.
netns_veth() {
  local netns=$1 addr=$2 gateway=$3 bridge=$4 host_if=$5 ns_if=$6
  [ -e "/run/netns/$netns" ] || $sudo_cmd ip netns add "$netns"
  if ! $sudo_cmd ip netns exec "$netns" ip link show eth0 >/dev/null 2>&1; then
    $sudo_cmd ip link del "$host_if" 2>/dev/null || true
    $sudo_cmd ip link add "$host_if" type veth peer name "$ns_if"
    $sudo_cmd ip link set "$ns_if" netns "$netns"
    $sudo_cmd ip netns exec "$netns" ip link set "$ns_if" name eth0
    $sudo_cmd ip netns exec "$netns" ip addr add "$addr/24" dev eth0
    $sudo_cmd ip netns exec "$netns" ip link set eth0 up
    $sudo_cmd ip netns exec "$netns" ip link set lo up
    $sudo_cmd ip netns exec "$netns" ip route add default via "$gateway"
  fi
  $sudo_cmd ip link set "$host_if" master "$bridge" up   # again, in case the bridge was remade
}

# reap_engine NAME EXEC_ROOT DATA_ROOT: after its dockerd has stopped (or was killed), what it may leave behind: the
# processes in its cgroup parent /NAME and the containerd shims serving its containerd socket, the mounts under its
# roots (deepest first, repeated for stacked mounts), the roots, and its cgroups.
reap_engine() {
  local name=$1 exec_root=$2 data_root=$3
  for procs in /sys/fs/cgroup/pids/"$name"/*/cgroup.procs /sys/fs/cgroup/"$name"/*/cgroup.procs; do
    [ -f "$procs" ] || continue
    for p in $(cat "$procs"); do $sudo_cmd kill -KILL "$p" 2>/dev/null || true; done
  done
  for p in $(pgrep -f "^/usr/bin/containerd-shim[^ ]* .*-address $exec_root/containerd/containerd.sock( |\$)" || true); do
    $sudo_cmd kill -KILL "$p" 2>/dev/null || true
  done
  for root in "$data_root" "$exec_root"; do
    for _ in 1 2 3 4 5; do
      mounts=$(findmnt -rn -o TARGET | awk -v r="$root" '$0 == r || index($0, r "/") == 1' | sort -r)
      [ -n "$mounts" ] || break
      for m in $mounts; do $sudo_cmd umount -l "$m" 2>/dev/null || true; done
    done
  done
  $sudo_cmd rm -rf "$data_root" "$exec_root"
  for _ in 1 2 3 4 5 6; do
    dirs=$(find /sys/fs/cgroup/*/"$name" /sys/fs/cgroup/"$name" -depth -type d 2>/dev/null || true)
    [ -n "$dirs" ] || break
    for dir in $dirs; do $sudo_cmd rmdir "$dir" 2>/dev/null || true; done
    sleep 0.5
  done
}
