#!/usr/bin/env bash
# Fuzzes load -> check -> config rendering with libFuzzer and AddressSanitizer: scripts/fuzz.sh [SECONDS] (default 60).
# The loader and the checker (YAML, Spec, Graph, Plan and the hash; no HTTP, no NIO) are compiled as one module with
# `-sanitize=fuzzer,address` into .build-fuzz/berth-fuzz. Every file in fuzz/regressions (each an input that once
# crashed or trapped) is run first; then libFuzzer runs for SECONDS on the saved corpus in $BERTH_FUZZ_CORPUS (default
# /var/cache/berth-fuzz/corpus), seeded from the samples and ../shared/corpus, so later runs resume where earlier ones
# stopped. A crash is written to fuzz/crashes/ and fails the run: add it to fuzz/regressions with its fix.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
build=.build-fuzz
corpus=${BERTH_FUZZ_CORPUS:-/var/cache/berth-fuzz/corpus}
mkdir -p "$build/src" "$corpus" fuzz/crashes
# One module: the intra-project imports are dropped; CLibYAML comes from its module map.
rm -f "$build"/src/*.swift
for module in BerthDiagnostics BerthHashing BerthYAML BerthSpec BerthGraph BerthPlan; do
  for file in Sources/$module/*.swift; do
    sed -E '/^import Berth[A-Za-z]+$/d' "$file" > "$build/src/${module}_$(basename "$file")"
  done
done
cp fuzz/FuzzTarget.swift "$build/src/"
# Rebuilt only when a source (not its fresh copy) is newer than the binary.
stale=yes
if [ -x "$build/berth-fuzz" ]; then
  stale=$(find Sources/BerthDiagnostics Sources/BerthHashing Sources/BerthYAML Sources/BerthSpec Sources/BerthGraph Sources/BerthPlan \
    fuzz/FuzzTarget.swift -name '*.swift' -newer "$build/berth-fuzz" -print -quit)
fi
if [ -n "$stale" ]; then
  echo "fuzz: building $build/berth-fuzz (libFuzzer + AddressSanitizer)"
  swiftc -sanitize=fuzzer,address -parse-as-library -module-name BerthFuzz -I Sources/CLibYAML -lyaml -O \
    "$build"/src/*.swift -o "$build/berth-fuzz"
fi
if [ -z "$(ls -A "$corpus" 2>/dev/null)" ]; then
  cp samples/*/compose.yaml "$corpus/" 2>/dev/null || true
  if [ -d ../shared/corpus ]; then
    find ../shared/corpus/awesome-compose ../shared/corpus/compose-go ../shared/corpus/real-stacks -name '*.y*ml' -size -64k 2>/dev/null |
      while read -r file; do cp "$file" "$corpus/seed-$(echo "$file" | sha256sum | cut -c1-16).yaml"; done
  fi
fi
# LeakSanitizer reports the Swift runtime's and Foundation's process-lifetime allocations; leaks are not what this hunts.
export ASAN_OPTIONS=detect_leaks=0
echo "fuzz: regressions"
./"$build"/berth-fuzz -runs=1 fuzz/regressions/*.yaml >/dev/null 2>&1 || { echo "fuzz: a regression input crashes again" >&2; exit 1; }
echo "fuzz: ${seconds}s on $corpus ($(ls "$corpus" | wc -l) inputs)"
log=$(mktemp)
if ! ./"$build"/berth-fuzz -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -artifact_prefix=fuzz/crashes/ "$corpus" >"$log" 2>&1; then
  tail -40 "$log" >&2
  echo "fuzz: crash found; the input is in fuzz/crashes/" >&2
  exit 1
fi
grep -E '^Done [0-9]+ runs' "$log" | sed "s/^/fuzz: /"
echo "fuzz: corpus now $(ls "$corpus" | wc -l) inputs"
