#!/usr/bin/env bash
# up/down on the real engine, in one run: berth, docker-compose 1.29.2 (Debian's) and the engine's floor (the same
# containers created, started, stopped and removed straight through the API by berth-bench).
#   bash scripts/start-engine.sh && apt-get install -y hyperfine docker-compose && bash benchmarks/up-down.sh
# The binaries are release builds with the Swift runtime linked in (--static-swift-stdlib), as shipped.
# The floor is the fastest parallelism its harness reaches: each floor is measured at several limits (N containers in
# flight at once) and berth is compared with the fastest of them. Removal without a limit is left out: on engine 20.10
# it leaves the network with a stale endpoint count that only a dockerd restart clears (seen here, 2026-11-25).
# Every measured up/down starts from an engine where none of the other contenders' containers run (each prepare step
# removes them all), so no contender pays for another's containers.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --static-swift-stdlib --scratch-path .build-static >/dev/null
bin=$(pwd)/.build-static/release
out=$(mktemp -d)
"$bin/berth-bench" generate-tiers 30 "$out/tiers.yaml"
"$bin/berth-bench" generate-chain 5 "$out/chain.yaml"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(uname -r), $(docker version --format 'engine {{.Server.Version}}'), $(hyperfine --version)"
runs=${RUNS:-10}
# Fresh project names for each run of this script, so state left by an earlier run cannot interfere.
s=$$
# SECTIONS picks parts to run again (default: all four).
sections=${SECTIONS:-"noop up down chain"}
cat > "$out/reset.sh" <<RESET
"$bin/berth-bench" floor-down floor$s
"$bin/berth-bench" floor-down chainf$s
"$bin/berth" down -p berth$s -f "$out/tiers.yaml"
"$bin/berth" down -p berthc$s -f "$out/tiers.yaml"
"$bin/berth" down -p chainb$s -f "$out/chain.yaml"
docker-compose -p peer$s -f "$out/tiers.yaml" down
RESET
reset="bash $out/reset.sh"
quiet() { "$@" >/dev/null 2>&1 || true; }
if [[ $sections == *noop* ]]; then
  echo "## no-op up -d and plan on a running copy of the 30-service stack (warm), next to docker-compose and process start"
  quiet bash "$out/reset.sh"
  "$bin/berth" up -d --progress quiet -p noop$s -f "$out/tiers.yaml"
  docker-compose -p noopq$s -f "$out/tiers.yaml" up -d 2>/dev/null
  hyperfine -N --warmup 1 --runs "$((runs * 3))" --export-markdown "$out/noop.md" \
    "$bin/berth --version" \
    "$bin/berth -p noop$s -f $out/tiers.yaml up -d" \
    "$bin/berth -p noop$s -f $out/tiers.yaml plan" \
    "docker-compose -p noopq$s -f $out/tiers.yaml up -d"
  cat "$out/noop.md"
  quiet "$bin/berth" down -p noop$s -f "$out/tiers.yaml"
  quiet docker-compose -p noopq$s -f "$out/tiers.yaml" down
fi
if [[ $sections == *up* ]]; then
  echo "## up -d: 30 services in three dependency levels"
  hyperfine -N --runs "$runs" --prepare "$reset" --export-markdown "$out/up.md" \
    "$bin/berth-bench floor-up $out/tiers.yaml floor$s 4" \
    "$bin/berth-bench floor-up $out/tiers.yaml floor$s 8" \
    "$bin/berth-bench floor-up $out/tiers.yaml floor$s" \
    "$bin/berth up -d --no-check -p berth$s -f $out/tiers.yaml" \
    "$bin/berth up -d -p berthc$s -f $out/tiers.yaml" \
    "docker-compose -p peer$s -f $out/tiers.yaml up -d"
  cat "$out/up.md"
fi
if [[ $sections == *down* ]]; then
  echo "## down: the same 30 containers and their network"
  # docker-compose 1.29.2 sometimes fails to remove the network ("has active endpoints": the engine releases them a
  # moment after the containers go); -i keeps its timing instead of aborting the run.
  for tool in floor berth peer; do
    case $tool in
      floor) up="$bin/berth-bench floor-up $out/tiers.yaml floor$s" ;;
      berth) up="$bin/berth up -d --no-check -p berth$s -f $out/tiers.yaml" ;;
      peer) up="docker-compose -p peer$s -f $out/tiers.yaml up -d" ;;
    esac
    printf '%s\n%s\n' "$reset" "$up" > "$out/prepare-$tool.sh"
  done
  hyperfine -N -i --runs "$runs" --export-markdown "$out/down.md" \
    --prepare "bash $out/prepare-floor.sh" "$bin/berth-bench floor-down floor$s 2" \
    --prepare "bash $out/prepare-floor.sh" "$bin/berth-bench floor-down floor$s 4" \
    --prepare "bash $out/prepare-floor.sh" "$bin/berth-bench floor-down floor$s 8" \
    --prepare "bash $out/prepare-berth.sh" "$bin/berth down -p berth$s -f $out/tiers.yaml" \
    --prepare "bash $out/prepare-peer.sh" "docker-compose -p peer$s -f $out/tiers.yaml down"
  cat "$out/down.md"
fi
if [[ $sections == *chain* ]]; then
  echo "## up to all healthy: a chain of 5 services, each waiting for the previous one's service_healthy (interval 1s)"
  hyperfine -N --runs "$runs" --prepare "$reset" --export-markdown "$out/chain.md" \
    "$bin/berth-bench floor-up $out/chain.yaml chainf$s" \
    "$bin/berth up -d --wait --no-check -p chainb$s -f $out/chain.yaml"
  cat "$out/chain.md"
fi
quiet bash "$out/reset.sh"
