#!/usr/bin/env bash
# Installs what Berth needs on Debian or Ubuntu: libyaml (the YAML parser), and for the tests and samples a Docker
# engine (Debian's docker.io), busybox-static (the local test image), tmux (terminal tests) and Python's jsonschema (schema tests).
set -euo pipefail
sudo_cmd=""
[ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
need=()
pkg-config --exists yaml-0.1 2>/dev/null || need+=(libyaml-dev pkg-config)
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
[ -x /bin/busybox ] || need+=(busybox-static)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v tmux >/dev/null 2>&1 || need+=(tmux)
if ((${#need[@]})); then
  echo "installing: ${need[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi
python3 -c 'import jsonschema, yaml' 2>/dev/null || python3 -m pip install -q jsonschema pyyaml 2>/dev/null || \
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq python3-jsonschema python3-yaml >/dev/null || true
