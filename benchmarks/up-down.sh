#!/usr/bin/env bash
# up/down on the real engine, in one run: berth, docker-compose 1.29.2 (Debian's) and the engine's floor (the same
# containers created and started straight through the API, each as soon as its dependencies allow).
#   bash scripts/start-engine.sh && apt-get install -y hyperfine docker-compose && swift build -c release && bash benchmarks/up-down.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(pwd)/.build/release
out=$(mktemp -d)
"$bin/berth-bench" generate-tiers 30 "$out/tiers.yaml"
"$bin/berth-bench" generate-chain 5 "$out/chain.yaml"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(uname -r), $(docker version --format 'engine {{.Server.Version}}')"
runs=${RUNS:-5}
# Fresh project names for each run of this script, so state left by an earlier run cannot interfere.
suffix=$$
echo "## up -d: 30 services in three dependency levels"
hyperfine -N --runs "$runs" --export-markdown "$out/up.md" \
  --prepare "$bin/berth-bench floor-down floor$suffix" "$bin/berth-bench floor-up $out/tiers.yaml floor$suffix" \
  --prepare "$bin/berth down -p berthb$suffix -f $out/tiers.yaml" "$bin/berth up -d --no-check -p berthb$suffix -f $out/tiers.yaml" \
  --prepare "$bin/berth down -p berthc$suffix -f $out/tiers.yaml" "$bin/berth up -d -p berthc$suffix -f $out/tiers.yaml" \
  --prepare "docker-compose -p peer$suffix -f $out/tiers.yaml down" "docker-compose -p peer$suffix -f $out/tiers.yaml up -d"
cat "$out/up.md"
cleanup() {
  "$bin/berth-bench" floor-down floor$suffix >/dev/null 2>&1 || true
  "$bin/berth-bench" floor-down chainf$suffix >/dev/null 2>&1 || true
  for p in berthb berthc; do "$bin/berth" down -p $p$suffix -f "$out/tiers.yaml" >/dev/null 2>&1 || true; done
  "$bin/berth" down -p chainb$suffix -f "$out/chain.yaml" >/dev/null 2>&1 || true
  docker-compose -p peer$suffix -f "$out/tiers.yaml" down >/dev/null 2>&1 || true
}
cleanup
echo "## down: the same 30 containers and their network"
hyperfine -N --runs "$runs" --export-markdown "$out/down.md" \
  --prepare "$bin/berth-bench floor-up $out/tiers.yaml floor$suffix" "$bin/berth-bench floor-down floor$suffix" \
  --prepare "$bin/berth up -d --no-check -p berthb$suffix -f $out/tiers.yaml" "$bin/berth down -p berthb$suffix -f $out/tiers.yaml" \
  --prepare "docker-compose -p peer$suffix -f $out/tiers.yaml up -d" "docker-compose -p peer$suffix -f $out/tiers.yaml down"
cat "$out/down.md"
cleanup
echo "## up to all healthy: a chain of 5 services, each waiting for the previous one's service_healthy (interval 1s)"
hyperfine -N --runs "$runs" --export-markdown "$out/chain.md" \
  --prepare "$bin/berth-bench floor-down chainf$suffix" "$bin/berth-bench floor-up $out/chain.yaml chainf$suffix" \
  --prepare "$bin/berth down -p chainb$suffix -f $out/chain.yaml" "$bin/berth up -d --wait --no-check -p chainb$suffix -f $out/chain.yaml"
cat "$out/chain.md"
cleanup
