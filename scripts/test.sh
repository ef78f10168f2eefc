#!/usr/bin/env bash
# The whole test suite on a fresh machine: set-up, then vitest twice — the unit and consumers projects
# (vitest.config.ts, files in parallel), then the e2e project's rehearsal clusters one after the other (each boots
# a whole cluster; two at once would starve each other on two cores) — each phase timed, and a closing
# plain line `N passed, N failed` over both runs, printed last (after the timing lines).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
start=$(date +%s)
bash scripts/setup-test-env.sh || { echo "0 passed, 1 failed"; exit 1; }
echo "test.sh: set-up took $(($(date +%s) - start)) s" >&2

reports=()
status=0
suite() {
  local name=$1 began report
  shift
  report=$(mktemp --suffix=.json)
  reports+=("$report")
  began=$(date +%s)
  npx vitest run --reporter=default --reporter=json --outputFile="$report" "$@" || status=1
  echo "test.sh: $name took $(($(date +%s) - began)) s" >&2
}
suite "unit and consumer suites" --project unit --project consumers
suite "rehearsal clusters (test/e2e)" --project e2e --no-file-parallelism

# shellcheck disable=SC2016
summary=$(node -e '
let passed = 0, failed = 0, skipped = 0;
for (const file of process.argv.slice(1)) {
  let r;
  try { r = JSON.parse(require("fs").readFileSync(file, "utf8")); } catch { failed += 1; continue; }
  passed += r.numPassedTests; failed += r.numFailedTests + (r.success === false && r.numFailedTests === 0 ? 1 : 0);
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
}
if (skipped) console.log(`(${skipped} skipped)`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
' "${reports[@]}") || status=1
rm -f "${reports[@]}"
echo "test.sh: everything took $(($(date +%s) - start)) s" >&2
# the last line of all: N passed, N failed
printf '%s\n' "${summary:-0 passed, 1 failed}"
exit $status
