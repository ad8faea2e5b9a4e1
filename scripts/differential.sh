#!/usr/bin/env bash
# The long run of the differential test (Tests/BerthRuntimeTests/DifferentialTests.swift): random stacks, with host
# processes and other containers holding ports, checked with `berth check` and brought up with `up --no-check` on the
# real engine; check must report an error exactly when up fails. The suite runs seeds 1001-1028; this runs SEEDS.
#   bash scripts/differential.sh                 # seeds 1-200
#   SEEDS=1-50,900 bash scripts/differential.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/start-engine.sh
seeds=${SEEDS:-1-200}
swift build --build-tests
# The run uses copies of the binaries, so that the tree can be rebuilt while it runs.
copy=$(mktemp -d)
cp .build/debug/berth .build/debug/BerthPackageTests.xctest "$copy/"
start=$(date +%s)
BERTH_TEST_BINARY=$copy/berth BERTH_DIFFERENTIAL_SEEDS=$seeds "$copy/BerthPackageTests.xctest" --testing-library swift-testing \
  --filter DifferentialTests > /tmp/berth-differential.log 2>&1 || status=$?
rm -rf "$copy"
grep -E "^differential:|seed [0-9]+:|✘" /tmp/berth-differential.log | grep -v "holders up\|foreign up\|: checked\|up done" || true
echo "differential: seeds $seeds in $(( $(date +%s) - start )) s; full log in /tmp/berth-differential.log"
exit "${status:-0}"
