#!/usr/bin/env bash
# The loader's and checker's tests (BerthYAMLTests, BerthSpecTests, BerthPlanTests) under AddressSanitizer, in the
# small separate package `asan/` (symlinks to the real sources; no NIO, no engine). Its build lives in asan/.build.
# LeakSanitizer is off: it reports the Swift runtime's and Foundation's process-lifetime allocations.
set -euo pipefail
cd "$(dirname "$0")/../asan"
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:halt_on_error=1
swift build --build-tests --sanitize=address 2>&1 | grep -Ev "^\[|Compiling|Building|Write|Emitting" || true
swift test --skip-build --sanitize=address 2>&1 | tee /tmp/berth-asan.log | grep -E "✘|Test run|AddressSanitizer|SUMMARY" || true
grep -q "AddressSanitizer" /tmp/berth-asan.log && { echo "asan: AddressSanitizer reported an error (/tmp/berth-asan.log)"; exit 1; }
grep -qE "Test run with [0-9]+ tests? in [0-9]+ suites? passed" /tmp/berth-asan.log || { echo "asan: tests failed (/tmp/berth-asan.log)"; exit 1; }
echo "asan: loader and checker tests passed under AddressSanitizer"
