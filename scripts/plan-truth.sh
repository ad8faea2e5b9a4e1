#!/usr/bin/env bash
# The long run of the plan-truth property test (Tests/BerthRuntimeTests/PlanTruthTests.swift): random edits of a
# stack on the real engine; before each `up -d --remove-orphans`, `plan --format json` for the same options, compared
# with what happened (container IDs and start times). The suite runs 2 seeds x 20 edits; this runs SEEDS x EDITS.
#   bash scripts/plan-truth.sh              # 10 seeds x 25 edits = 250 edits
#   SEEDS=1,2,3 EDITS=100 bash scripts/plan-truth.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/start-engine.sh
seeds=${SEEDS:-1,2,3,4,5,6,7,8,9,10}
edits=${EDITS:-25}
swift build --build-tests
BERTH_PLAN_TRUTH_SEEDS=$seeds BERTH_PLAN_TRUTH_EDITS=$edits swift test --skip-build --filter PlanTruthTests 2>&1 | tee /tmp/berth-plan-truth.log |
  grep -E "plan-truth:|✘|Test run"
