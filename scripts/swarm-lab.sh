#!/usr/bin/env bash
# A Docker Swarm of N nodes on this machine, for the stack tests (shared/engine-api.md 4.6): each node is an engine
# in its own network namespace, with its own hostname (unshare --uts), roots, cgroup parent and containerd
# namespaces, reached from the host through one bridge. Node 1 is the manager, the others join as workers, and each
# gets busybox:1.36 from the main engine (there is no public registry).
#
#   scripts/swarm-lab.sh up N     make (or complete) an N-node swarm and print each node's DOCKER_HOST
#   scripts/swarm-lab.sh env      print the DOCKER_HOST lines of a running lab
#   scripts/swarm-lab.sh down     remove everything `up` made: engines, data, netns, bridge, iptables rule
#
# Both `up` and `down` are safe to run twice. The main engine and the TLS engine are not touched.
set -euo pipefail
sudo_cmd=""
[ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
# shellcheck source=engine-lib.sh
. "$(dirname "$0")/engine-lib.sh"

BRIDGE=berth-swarm0
NET=10.213.0
GATEWAY=$NET.1
STATE_DIR=/var/lib/berth-swarm
RUN_DIR=/run/berth-swarm
NODES_FILE=$STATE_DIR/nodes

node_name() { echo "berth-node$1"; }
node_addr() { echo "$NET.$((10 + $1))"; }
node_sock() { echo "$RUN_DIR/$(node_name "$1")/docker.sock"; }
node_pidfile() { echo "$RUN_DIR/$(node_name "$1").pid"; }
node_log() { echo "/tmp/berth-swarm-$(node_name "$1").log"; }
dock() { local n=$1; shift; docker -H "unix://$(node_sock "$n")" "$@"; }
answers() { dock "$1" version --format '{{.Server.Version}}' >/dev/null 2>&1; }

print_env() {
  local count=$1
  for i in $(seq 1 "$count"); do
    local role=worker
    [ "$i" -eq 1 ] && role=manager
    echo "$(node_name "$i") ($role, $(node_addr "$i")): DOCKER_HOST=unix://$(node_sock "$i")"
  done
}

start_node() {
  local i=$1 name addr
  name=$(node_name "$i")
  addr=$(node_addr "$i")
  netns_veth "$name" "$addr" "$GATEWAY" "$BRIDGE" "bsw$i-h" "bsw$i-n"
  answers "$i" && return 0
  # The engine: nsenter, not `ip netns exec` (which remounts /sys and breaks dockerd's cgroup detection); its own
  # hostname; no default bridge (swarm tasks use overlay networks and docker_gwbridge).
  local pidfile exec_root started
  pidfile=$(node_pidfile "$i")
  exec_root=$RUN_DIR/$name
  if [ -s "$pidfile" ] && alive "$(cat "$pidfile")"; then
    started=$(cat "$pidfile")
  else
    local ctrd_pidfile=$exec_root/containerd/containerd.pid
    if [ -s "$ctrd_pidfile" ] && alive "$(cat "$ctrd_pidfile")"; then
      $sudo_cmd kill "$(cat "$ctrd_pidfile")" 2>/dev/null || true
      sleep 1
    fi
    $sudo_cmd rm -f "$pidfile" "$ctrd_pidfile"
    $sudo_cmd mkdir -p "$STATE_DIR/$name" "$exec_root"
    $sudo_cmd setsid nsenter --net="/run/netns/$name" unshare --uts sh -c "hostname $name; exec dockerd \
      --data-root $STATE_DIR/$name --exec-root $exec_root --pidfile $pidfile -H unix://$exec_root/docker.sock \
      --bridge=none --cgroup-parent /$name --containerd-namespace $name --containerd-plugins-namespace $name-plugins" \
      </dev/null >"$(node_log "$i")" 2>&1 &
    started=$!   # setsid, nsenter, unshare and sh all exec: this is dockerd's pid
  fi
  for _ in $(seq 1 60); do
    answers "$i" && return 0
    alive "$started" || break
    sleep 0.5
  done
  echo "error: $name does not answer; see $(node_log "$i")" >&2
  tail -20 "$(node_log "$i")" >&2 || true
  return 1
}

up() {
  local count=${1:-3}
  [[ "$count" =~ ^[1-9][0-9]?$ ]] || { echo "usage: swarm-lab.sh up N (1-99 nodes)" >&2; exit 64; }
  if [ -s "$NODES_FILE" ] && [ "$(cat "$NODES_FILE")" -gt "$count" ]; then
    echo "a lab of $(cat "$NODES_FILE") nodes is up; 'swarm-lab.sh down' first to make a smaller one" >&2
    exit 1
  fi
  command -v dockerd >/dev/null || { echo "error: dockerd is missing (scripts/install-deps.sh)" >&2; exit 1; }
  $sudo_cmd mkdir -p "$STATE_DIR" "$RUN_DIR"
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    $sudo_cmd ip link add "$BRIDGE" type bridge
    $sudo_cmd ip addr add "$GATEWAY/24" dev "$BRIDGE"
  fi
  $sudo_cmd ip link set "$BRIDGE" up
  # Docker sets FORWARD to DROP with br_netfilter on: traffic between the nodes' veths needs this rule.
  $sudo_cmd iptables -C FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT 2>/dev/null \
    || $sudo_cmd iptables -I FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT
  echo "$count" | $sudo_cmd tee "$NODES_FILE" >/dev/null
  for i in $(seq 1 "$count"); do start_node "$i"; done

  # busybox:1.36 on every node, reloaded when the main engine's copy changed.
  if main_id=$(docker image inspect -f '{{.Id}}' busybox:1.36 2>/dev/null); then
    for i in $(seq 1 "$count"); do
      if [ "$(dock "$i" image inspect -f '{{.Id}}' busybox:1.36 2>/dev/null)" != "$main_id" ]; then
        docker save busybox:1.36 | dock "$i" load >/dev/null
      fi
    done
  fi

  # The swarm: node 1 manages, the rest join as workers.
  if [ "$(dock 1 info --format '{{.Swarm.LocalNodeState}}')" != "active" ]; then
    dock 1 swarm init --advertise-addr "$(node_addr 1)" >/dev/null
  fi
  local token
  token=$(dock 1 swarm join-token -q worker)
  for i in $(seq 2 "$count"); do
    if [ "$(dock "$i" info --format '{{.Swarm.LocalNodeState}}')" != "active" ]; then
      dock "$i" swarm join --token "$token" --advertise-addr "$(node_addr "$i")" "$(node_addr 1):2377" >/dev/null
    fi
  done
  for _ in $(seq 1 60); do
    ready=$(dock 1 node ls --format '{{.Status}}' 2>/dev/null | grep -c '^Ready$' || true)
    [ "$ready" -ge "$count" ] && break
    sleep 0.5
  done
  [ "${ready:-0}" -ge "$count" ] || { echo "error: only ${ready:-0} of $count nodes are Ready" >&2; exit 1; }
  print_env "$count"
}

stop_node() {
  local i=$1 name pidfile exec_root pid
  name=$(node_name "$i")
  pidfile=$(node_pidfile "$i")
  exec_root=$RUN_DIR/$name
  if [ -s "$pidfile" ] && pid=$(cat "$pidfile") && alive "$pid"; then
    dock "$i" swarm leave --force >/dev/null 2>&1 || true
    ids=$(dock "$i" ps -q 2>/dev/null || true)
    [ -z "$ids" ] || dock "$i" kill $ids >/dev/null 2>&1 || true
    $sudo_cmd kill -TERM "$pid"
    for _ in $(seq 1 60); do alive "$pid" || break; sleep 0.5; done
    alive "$pid" && { $sudo_cmd kill -KILL "$pid" 2>/dev/null || true; sleep 1; }
  fi
  $sudo_cmd rm -f "$pidfile"
  reap_engine "$name" "$exec_root" "$STATE_DIR/$name"
  # Named network namespaces the node's engine made (overlay sandboxes) live under its exec root, gone above.
  if [ -e "/run/netns/$name" ]; then $sudo_cmd ip netns del "$name"; fi
  $sudo_cmd ip link del "bsw$i-h" 2>/dev/null || true
}

down() {
  # Every node this lab may have made: those the nodes file names, and any other netns or pid file of ours.
  local count=0
  [ -s "$NODES_FILE" ] && count=$(cat "$NODES_FILE")
  for netns in /run/netns/berth-node*; do
    [ -e "$netns" ] || continue
    n=${netns##*/berth-node}
    [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -gt "$count" ] && count=$n
  done
  for i in $(seq "$count" -1 1); do stop_node "$i"; done
  $sudo_cmd ip link del "$BRIDGE" 2>/dev/null || true
  while $sudo_cmd iptables -C FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT 2>/dev/null; do
    $sudo_cmd iptables -D FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT
  done
  $sudo_cmd rm -rf "$STATE_DIR" "$RUN_DIR"
  echo "swarm lab removed"
}

case "${1:-}" in
  up) up "${2:-3}" ;;
  down) down ;;
  env) [ -s "$NODES_FILE" ] || { echo "no swarm lab is up" >&2; exit 1; }; print_env "$(cat "$NODES_FILE")" ;;
  *) echo "usage: swarm-lab.sh up N | env | down" >&2; exit 64 ;;
esac
