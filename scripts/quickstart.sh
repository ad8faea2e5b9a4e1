#!/usr/bin/env bash
# Sets everything up on a fresh Debian/Ubuntu machine, builds Berth, and runs its main job on the host-network demo:
# `berth check` finds that app3 and app2 both bind port 80 on the host, before anything is launched.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh || exit 1
# The Swift runtime is linked in: one binary that starts in half the time.
swift build -c release --static-swift-stdlib 2>&1 | grep -E "error|Compiling|Build complete" | tail -3
echo "\$ berth check   (in samples/host-network-demo)"
(cd samples/host-network-demo && ../../.build/release/berth check --no-engine)
echo "(exit code $? : 1 means berth found a conflict, as it should here)"
