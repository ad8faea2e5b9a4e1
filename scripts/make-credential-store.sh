#!/usr/bin/env bash
# Usage: scripts/make-credential-store.sh DIR
# Makes, in DIR, a Docker credential store that goes through a real credential helper (docker-credential-pass from
# Debian's golang-docker-credential-helpers, over `pass` and GnuPG), for tests of credsStore / credHelpers:
#   DIR/gnupg           GNUPGHOME with a batch-made key that has no passphrase, so nothing ever prompts;
#   DIR/password-store  PASSWORD_STORE_DIR, `pass init` to that key;
#   DIR/docker          DOCKER_CONFIG whose config.json is {"credsStore": "pass"};
# then stores berth / berth-secret for 127.0.0.1:5001 (the auth registry of scripts/start-registry.sh) through the
# helper's own protocol, and prints `export` lines for the three variables (eval "$(scripts/make-credential-store.sh DIR)").
# Running it again on the same DIR reuses the key and the store. Keep DIR short: gpg-agent's socket lives in DIR/gnupg
# when /run/user/UID does not exist, and a unix socket path may not be longer than 107 bytes.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
sudo_cmd=""
[ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"

need=()
command -v docker-credential-pass >/dev/null 2>&1 || need+=(golang-docker-credential-helpers)
command -v pass >/dev/null 2>&1 || need+=(pass)
command -v gpg >/dev/null 2>&1 || need+=(gnupg)
if ((${#need[@]})); then
  echo "installing: ${need[*]}" >&2
  $sudo_cmd apt-get update -qq
  # No recommends: pass would bring git, qrencode and the X/Wayland clipboard tools, none of which the helper uses.
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

mkdir -p "$1"
dir=$(cd "$1" && pwd)
export GNUPGHOME=$dir/gnupg PASSWORD_STORE_DIR=$dir/password-store DOCKER_CONFIG=$dir/docker
mkdir -p "$GNUPGHOME" "$DOCKER_CONFIG"
chmod 700 "$GNUPGHOME"  # gpg warns about unsafe permissions otherwise

key_fpr() { gpg --batch --list-secret-keys --with-colons 2>/dev/null | awk -F: '$1 == "fpr" { print $10; exit }'; }
if [ -z "$(key_fpr)" ]; then
  # ed25519/cv25519 is made at once (RSA can wait on entropy); %no-protection means no passphrase, so no pinentry.
  gpg --batch --quiet --gen-key 2>/dev/null <<'EOF'
%no-protection
Key-Type: EDDSA
Key-Curve: ed25519
Key-Usage: sign
Subkey-Type: ECDH
Subkey-Curve: cv25519
Subkey-Usage: encrypt
Name-Real: Berth test credentials
Name-Email: berth-test@localhost
Expire-Date: 0
%commit
EOF
fi
fpr=$(key_fpr)
[ -n "$fpr" ] || { echo "error: gpg made no key in $GNUPGHOME" >&2; exit 1; }
[ -f "$PASSWORD_STORE_DIR/.gpg-id" ] || pass init "$fpr" >/dev/null
printf '{"credsStore": "pass"}\n' >"$DOCKER_CONFIG/config.json"

printf '{"ServerURL":"127.0.0.1:5001","Username":"berth","Secret":"berth-secret"}' | docker-credential-pass store
# Read it back through the helper, as the docker CLI will: this proves gpg decrypts without a prompt.
got=$(printf '127.0.0.1:5001' | docker-credential-pass get)
case $got in
  *'"Secret":"berth-secret"'*) ;;
  *) echo "error: docker-credential-pass get did not return the stored secret: $got" >&2; exit 1 ;;
esac
# The agent that gpg started is not needed between calls (gpg starts it again on demand); leave no process behind.
gpgconf --kill gpg-agent 2>/dev/null || true

printf 'export GNUPGHOME=%q\nexport PASSWORD_STORE_DIR=%q\nexport DOCKER_CONFIG=%q\n' "$GNUPGHOME" "$PASSWORD_STORE_DIR" "$DOCKER_CONFIG"
