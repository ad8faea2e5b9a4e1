#!/usr/bin/env bash
# up/down on the real engine, in one run: berth, docker-compose 1.29.2 (Debian's) and the engine's floor (the same
# containers created and started straight through the API, each as soon as its dependencies allow).
#   bash scripts/start-engine.sh && apt-get install -y hyperfine docker-compose && swift build -c release && bash benchmarks/up-down.sh
# Every measured command starts from an engine where none of the other contenders' containers run (each prepare step
# removes them all), so no contender pays for another's containers.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(pwd)/.build/release
out=$(mktemp -d)
"$bin/berth-bench" generate-tiers 30 "$out/tiers.yaml"
"$bin/berth-bench" generate-chain 5 "$out/chain.yaml"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(uname -r), $(docker version --format 'engine {{.Server.Version}}')"
runs=${RUNS:-5}
# Fresh project names for each run of this script, so state left by an earlier run cannot interfere.
s=$$
# SECTIONS picks parts to run again (default: all three).
sections=${SECTIONS:-"up down chain"}
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
if [[ $sections == *up* ]]; then
  echo "## up -d: 30 services in three dependency levels"
  hyperfine -N --runs "$runs" --prepare "$reset" --export-markdown "$out/up.md" \
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
    --prepare "bash $out/prepare-floor.sh" "$bin/berth-bench floor-down floor$s" \
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
