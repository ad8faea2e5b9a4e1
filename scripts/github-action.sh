#!/usr/bin/env bash
# The script of the composite GitHub Action (action.yml): builds Berth from the action's own checkout, then runs one
# `berth check` that prints workflow annotations (with a step summary) and writes SARIF for code scanning.
# Inputs come as INPUT_* variables; BERTH_BIN skips the build (the tests use it). It needs no runner to run:
# GITHUB_WORKSPACE, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY are used when set.
set -euo pipefail
action_path=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
berth=${BERTH_BIN:-}
if [ -z "$berth" ]; then
  if ! pkg-config --exists yaml-0.1 2>/dev/null; then
    sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq libyaml-dev pkg-config >/dev/null
  fi
  echo "::group::Build Berth"
  swift build -c release --package-path "$action_path" --product berth
  echo "::endgroup::"
  berth="$action_path/.build/release/berth"
fi

cd "${INPUT_WORKING_DIRECTORY:-.}"
args=()
for file in ${INPUT_FILES:-}; do args+=(-f "$file"); done
for profile in ${INPUT_PROFILES:-}; do args+=(--profile "$profile"); done
[ "${INPUT_STRICT:-false}" = "true" ] && args+=(--strict)
[ "${INPUT_ENGINE:-false}" = "true" ] || args+=(--no-engine --no-host-scan)
sarif=${INPUT_SARIF_FILE:-berth.sarif}
case "$sarif" in /*) ;; *) sarif="$(pwd)/$sarif" ;; esac
# Rule help links point at this action's docs/rules.md, at the ref the workflow uses.
if [ -n "${GITHUB_ACTION_REPOSITORY:-}" ] && [ -n "${GITHUB_ACTION_REF:-}" ]; then
  export BERTH_HELP_BASE_URI="${GITHUB_SERVER_URL:-https://github.com}/$GITHUB_ACTION_REPOSITORY/blob/$GITHUB_ACTION_REF/docs/rules.md#"
fi
[ -n "${GITHUB_OUTPUT:-}" ] && echo "sarif-file=$sarif" >> "$GITHUB_OUTPUT"
status=0
"$berth" check "${args[@]}" --format github --sarif-output "$sarif" || status=$?
exit "$status"
