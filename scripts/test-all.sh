#!/usr/bin/env bash
# README command 2: install what is missing, then lint, typecheck, unit/integration tests and the
# browser end-to-end tests. Ends with one line "N passed, N failed" totalled over every suite.
set -uo pipefail
cd "$(dirname "$0")/.."
# Everything started from here runs on Node 24 (installed into .tools/node when the machine's is older).
source scripts/node-env.sh || { echo "0 passed, 1 failed"; exit 1; }
export NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1

bash scripts/ensure-tools.sh --test || { echo "0 passed, 1 failed"; exit 1; }
echo "› node $(node -v) ($(command -v node))"

# Stale reports would be counted again.
rm -rf apps/*/.reports packages/*/.reports

status=0
step() {
  echo; echo "━━ $1"; shift
  "$@" || { echo "✗ step failed: $*"; status=1; }
}
step "lint" pnpm turbo run lint --output-logs=errors-only
step "formatting" pnpm exec prettier --check . --log-level warn
step "typecheck" pnpm turbo run typecheck --output-logs=errors-only
step "unit and integration tests" pnpm turbo run test --concurrency=1 --continue
step "production build" pnpm turbo run build --output-logs=errors-only
step "end-to-end tests (Chromium) and the production smoke suite" pnpm turbo run e2e e2e:prod --concurrency=1 --continue

echo
node scripts/sum-reports.mjs || status=1
exit $status
