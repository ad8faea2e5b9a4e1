#!/usr/bin/env bash
# The whole test suite: installs what is missing, starts a Docker engine, builds (warnings in Berth's own code fail
# the build), and runs every test, the real-engine integration tests included.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/start-engine.sh
bash scripts/start-registry.sh      # 127.0.0.1:5000 open, 127.0.0.1:5001 with basic auth
bash scripts/start-tls-engine.sh    # a second engine at tcp://10.214.0.11:2376, TLS with client certificates
bash scripts/swarm-lab.sh up 3      # a three-node swarm, each node an engine in its own network namespace
log=$(mktemp)
swift build --build-tests 2>&1 | tee "$log"
if grep -E "^$(pwd)/(Sources|Tests)/.*: warning:" "$log" >/dev/null; then
  echo "error: the build has warnings in Berth's own code (CI treats them as errors):" >&2
  grep -E "^$(pwd)/(Sources|Tests)/.*: warning:" "$log" | sort -u >&2
  exit 1
fi
swift test --skip-build --no-parallel 2>&1 | tee "$log"
grep -E "^(interpolation|ports|merge|corpus|yaml-test-suite|peer|schema|integration|plan-truth|differential):" "$log" || true
# The loader's and checker's tests again, under AddressSanitizer, in the small separate package asan/.
bash scripts/asan-tests.sh
# A bounded fuzz run (loader, checker and rendering under libFuzzer and AddressSanitizer); longer runs: scripts/fuzz.sh N.
bash scripts/fuzz.sh 60
