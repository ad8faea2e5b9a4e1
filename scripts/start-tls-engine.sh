#!/usr/bin/env bash
# Starts a second Docker engine that only answers over TLS with client certificates, for tests of
# DOCKER_HOST=tcp://..., DOCKER_TLS_VERIFY/DOCKER_CERT_PATH and docker contexts. The main engine is not touched.
# It runs in its own network namespace (as in shared/engine-api.md 4.6), reached from the host through a bridge,
# so its ports, bridge and iptables rules cannot clash with the main engine's. Undo with stop-tls-engine.sh.
# Client files for DOCKER_CERT_PATH: $CERT_DIR/{ca,cert,key}.pem.
set -euo pipefail
sudo_cmd=""
[ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
# shellcheck source=engine-lib.sh
. "$(dirname "$0")/engine-lib.sh"

NAME=berth-tls
ADDR=10.214.0.11
GATEWAY=10.214.0.1
PORT=2376
BRIDGE=berth-tls0
STATE_DIR=/var/lib/berth-tls
CERT_DIR=$STATE_DIR/certs
EXEC_ROOT=/run/berth-tls            # short: containerd's sockets live under it
SOCK=$EXEC_ROOT/docker.sock         # for local admin without TLS (the host sees it, whatever the netns)
PIDFILE=/run/berth-tls.pid
LOG=/tmp/berth-tls-dockerd.log
ENDPOINT=tcp://$ADDR:$PORT

# 1. Certificates, made once: a CA, a server certificate for the address (plus localhost, for use inside the netns)
#    and a client certificate. They outlive stop-tls-engine.sh so that contexts made from them stay valid.
if [ ! -s "$CERT_DIR/key.pem" ]; then
  $sudo_cmd mkdir -p "$CERT_DIR"
  tmp=$(mktemp -d)
  (
    cd "$tmp"
    openssl genrsa -out ca-key.pem 2048 2>/dev/null
    openssl req -x509 -new -key ca-key.pem -sha256 -days 3650 -subj "/CN=Berth test CA" -out ca.pem
    openssl genrsa -out server-key.pem 2048 2>/dev/null
    openssl req -new -key server-key.pem -subj "/CN=$ADDR" -out server.csr
    printf 'subjectAltName=IP:%s,IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' "$ADDR" > server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 3650 -sha256 \
      -extfile server.ext -out server-cert.pem 2>/dev/null
    openssl genrsa -out key.pem 2048 2>/dev/null
    openssl req -new -key key.pem -subj "/CN=berth-client" -out client.csr
    printf 'extendedKeyUsage=clientAuth\n' > client.ext
    openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 3650 -sha256 \
      -extfile client.ext -out cert.pem 2>/dev/null
    chmod 0644 ca.pem cert.pem server-cert.pem
    chmod 0600 ca-key.pem key.pem server-key.pem
    # key.pem last: its presence marks a complete set.
    $sudo_cmd cp -p ca.pem ca-key.pem cert.pem server-cert.pem server-key.pem "$CERT_DIR/"
    $sudo_cmd cp -p key.pem "$CERT_DIR/"
  )
  rm -rf "$tmp"
  echo "made the CA, server and client certificates in $CERT_DIR"
fi

tls_answers() {
  curl -sf --max-time 2 --cacert "$CERT_DIR/ca.pem" --cert "$CERT_DIR/cert.pem" --key "$CERT_DIR/key.pem" \
    "https://$ADDR:$PORT/_ping" >/dev/null 2>&1
}
engine_running() { [ -s "$PIDFILE" ] && alive "$(cat "$PIDFILE")"; }

if ! tls_answers; then
  # 2. Network: a bridge on the host and a netns with a veth into it. `ip` calls are guarded so that a rerun
  #    after a partial start completes what is missing.
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    $sudo_cmd ip link add "$BRIDGE" type bridge
    $sudo_cmd ip addr add "$GATEWAY/24" dev "$BRIDGE"
  fi
  $sudo_cmd ip link set "$BRIDGE" up
  netns_veth "$NAME" "$ADDR" "$GATEWAY" "$BRIDGE" "$NAME-h" "$NAME-n"

  # 3. The engine. nsenter, not `ip netns exec` (which remounts /sys and breaks dockerd's cgroup detection);
  #    its own UTS namespace so `docker info` names it berth-tls; its own roots, pid file, cgroup parent and
  #    containerd namespaces so nothing is shared with the main engine. It keeps a default bridge of its own
  #    (inside the netns it cannot clash with the host's docker0), so containers there get networking.
  if ! engine_running; then
    # After a killed engine: dockerd refuses to start over a pid file whose process (maybe a zombie) exists, and
    # reuses a containerd from its pid file without checking it answers. Its containerd dies with it (pdeathsig),
    # so one still alive is a stray: stop it.
    ctrd_pidfile=$EXEC_ROOT/containerd/containerd.pid
    if [ -s "$ctrd_pidfile" ] && alive "$(cat "$ctrd_pidfile")"; then
      $sudo_cmd kill "$(cat "$ctrd_pidfile")" 2>/dev/null || true
      sleep 1
    fi
    $sudo_cmd rm -f "$PIDFILE" "$ctrd_pidfile"
    $sudo_cmd mkdir -p "$STATE_DIR/data" "$EXEC_ROOT"
    echo "starting the TLS engine (log: $LOG)"
    $sudo_cmd setsid nsenter --net="/run/netns/$NAME" unshare --uts sh -c "hostname $NAME; exec dockerd \
      --data-root $STATE_DIR/data --exec-root $EXEC_ROOT --pidfile $PIDFILE \
      -H unix://$SOCK -H tcp://0.0.0.0:$PORT \
      --tlsverify --tlscacert $CERT_DIR/ca.pem --tlscert $CERT_DIR/server-cert.pem --tlskey $CERT_DIR/server-key.pem \
      --cgroup-parent /$NAME --containerd-namespace $NAME --containerd-plugins-namespace $NAME-plugins" \
      </dev/null >"$LOG" 2>&1 &
    started=$!   # setsid, nsenter, unshare and sh all exec: this is dockerd's pid
  fi
  for _ in $(seq 1 60); do
    tls_answers && break
    # Stop waiting as soon as the dockerd just started has died.
    [ -z "${started:-}" ] || alive "$started" || break
    sleep 0.5
  done
fi
tls_answers || { echo "error: the TLS engine does not answer at $ENDPOINT; see $LOG" >&2; tail -20 "$LOG" >&2 || true; exit 1; }

# 4. There is no registry: give the TLS engine the main engine's busybox:1.36 (made by start-engine.sh), reloading
#    it when the main engine's copy changed.
if main_id=$(docker image inspect -f '{{.Id}}' busybox:1.36 2>/dev/null); then
  if [ "$(docker -H "unix://$SOCK" image inspect -f '{{.Id}}' busybox:1.36 2>/dev/null)" != "$main_id" ]; then
    docker save busybox:1.36 | docker -H "unix://$SOCK" load >/dev/null
    echo "copied busybox:1.36 into the TLS engine"
  fi
fi

echo "TLS engine: DOCKER_HOST=$ENDPOINT DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=$CERT_DIR"
