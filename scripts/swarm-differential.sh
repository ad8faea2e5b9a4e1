#!/usr/bin/env bash
# The swarm differential at length: N random stacks (default 40) from seed FIRST (default 1000), each checked with
# `berth check --stack`, deployed with `docker stack deploy` on the three-node lab and compared once the tasks settle.
# Needs the lab (scripts/swarm-lab.sh up 3). About a minute per stack. Usage: scripts/swarm-differential.sh [N] [FIRST]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-40}
first=${2:-1000}
bash scripts/swarm-lab.sh up 3 >/dev/null
swift build --build-tests >/dev/null
log=$(mktemp)
BERTH_SWARM_DIFF_SEEDS="$first:$count" swift test --skip-build --filter SwarmDifferentialTests 2>&1 | tee "$log" | grep -E "^swarm-differential:|✘|passed|failed"
grep -q "Test checkStackAgainstTheScheduler() passed" "$log"
