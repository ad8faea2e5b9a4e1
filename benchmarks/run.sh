#!/usr/bin/env bash
# Benchmarks for BENCHMARKS.md. Needs a release build, hyperfine and Debian's docker-compose (1.29.2):
#   apt-get install -y hyperfine docker-compose && swift build -c release && bash benchmarks/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/release
out=$(mktemp -d)
for n in 1000 2000 10000; do "$bin/berth-bench" generate $n "$out/stack-$n.yaml"; done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(uname -r), swift $(swift --version 2>&1 | grep -o 'version [0-9.]*')"
echo "## berth config vs raw libyaml events vs docker-compose 1.29.2 (2,000 services)"
hyperfine -N --warmup 1 --runs 5 --export-markdown "$out/config.md" \
  "$bin/berth-bench events $out/stack-2000.yaml" \
  "$bin/berth config -q --no-color -f $out/stack-2000.yaml" \
  "docker-compose -f $out/stack-2000.yaml config -q" 2>/dev/null || \
hyperfine -N --warmup 1 --runs 5 --export-markdown "$out/config.md" \
  "$bin/berth-bench events $out/stack-2000.yaml" \
  "$bin/berth config -q --no-color -f $out/stack-2000.yaml"
cat "$out/config.md"
for n in 1000 10000; do
  echo "## berth check vs berth config vs naive all-pairs ($n services)"
  hyperfine -N -i --warmup 1 --runs 5 --export-markdown "$out/check-$n.md" \
    "$bin/berth config -q --no-color -f $out/stack-$n.yaml" \
    "$bin/berth check --no-engine --no-host-scan --format json -f $out/stack-$n.yaml" \
    "$bin/berth-bench naive-check $out/stack-$n.yaml"
  cat "$out/check-$n.md"
done
