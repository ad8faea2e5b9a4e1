#!/usr/bin/env bash
# Installs what Berth needs on Debian or Ubuntu: libyaml (the YAML parser), and for the tests and samples a Docker
# engine (Debian's docker.io), busybox-static (the local test image), tmux (terminal tests), Graphviz (pictures), Node.js
# with mermaid.js from PyPI's mermaidx (the mermaid grammar check), pre-commit (the hook test) and Python's jsonschema
# with rfc3987 (schema tests, URI format checks).
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
command -v dot >/dev/null 2>&1 || need+=(graphviz)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v git >/dev/null 2>&1 || need+=(git)
# The registry tests: Debian's distribution registry, htpasswd for its auth instance, and a real credential helper
# (docker-credential-pass over pass and GnuPG), without recommends (pass would bring X clipboard tools).
lean=()
[ -x /usr/bin/docker-registry ] || lean+=(docker-registry)
command -v htpasswd >/dev/null 2>&1 || lean+=(apache2-utils)
command -v docker-credential-pass >/dev/null 2>&1 || lean+=(golang-docker-credential-helpers)
command -v pass >/dev/null 2>&1 || lean+=(pass)
command -v gpg >/dev/null 2>&1 || lean+=(gnupg)
command -v openssl >/dev/null 2>&1 || lean+=(openssl)
if ((${#need[@]} + ${#lean[@]})); then
  echo "installing: ${need[*]} ${lean[*]}"
  $sudo_cmd apt-get update -qq
  ((${#need[@]})) && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
  ((${#lean[@]})) && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${lean[@]}" >/dev/null
fi
pip=(python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore)
python3 -c 'import jsonschema, yaml, referencing, rfc3987' 2>/dev/null || "${pip[@]}" jsonschema pyyaml rfc3987 2>/dev/null || \
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq python3-jsonschema python3-yaml python3-rfc3987 >/dev/null || true
command -v pre-commit >/dev/null 2>&1 || "${pip[@]}" pre-commit 2>/dev/null || \
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq pre-commit >/dev/null || true
# mermaid.js 11.16 (the real parser, run under node by scripts/mermaid-check.py), from the mermaidx wheel.
mermaid_dir=${BERTH_MERMAID_HOME:-/var/cache/berth-mermaid}
[ -f "$mermaid_dir/mermaidx-0.10.1.dist-info/METADATA" ] || \
  $sudo_cmd "${pip[@]}" --no-deps --upgrade --target "$mermaid_dir" mermaidx==0.10.1 || true
