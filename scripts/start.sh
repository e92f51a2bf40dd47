#!/usr/bin/env bash
# README command 1: install what is missing, start the embedded defaults — the local ACS emulator
# (its CA and certificate are created on first start) and the PGlite database (migrated when the
# app boots) — and serve the app at http://localhost:3000. All state lives in ./.data.
set -euo pipefail
cd "$(dirname "$0")/.."
# Everything started from here runs on Node 24 (installed into .tools/node when the machine's is older).
source scripts/node-env.sh
ROOT=$(pwd)
export NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1
bash scripts/ensure-tools.sh

# Local data (sessions' secret, the database, the emulator's keys and journal of every message) is
# the owner's alone: files created from here on are 0600/0700, and an older .data is closed too.
umask 077
mkdir -p .data
chmod 700 .data
export PGLITE_DATA_DIR="${PGLITE_DATA_DIR:-$ROOT/.data/pglite}"
export ACS_EMULATOR_DATA_DIR="${ACS_EMULATOR_DATA_DIR:-$ROOT/.data/acs-emulator}"
export AUTH_DEV_SECRET_FILE="${AUTH_DEV_SECRET_FILE:-$ROOT/.data/auth-secret}"

emulator_pid=""
acs_configured="${ACS_CONNECTION_STRING:-}${ACS_ENDPOINT:-}"
if [ -z "$acs_configured" ]; then
  port="${ACS_EMULATOR_PORT:-10443}"
  if node -e "fetch('http://127.0.0.1:$port/emulator/info',{signal:AbortSignal.timeout(1000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then
    echo "› reusing the ACS emulator already running on port $port"
  else
    echo "› starting the local ACS emulator (data in $ACS_EMULATOR_DATA_DIR)"
    node packages/acs-emulator/bin/acs-emulator.mjs start --port "$port" \
      --data-dir "$ACS_EMULATOR_DATA_DIR" --json > .data/acs-emulator.out 2> .data/acs-emulator.log &
    emulator_pid=$!
    trap '[ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null || true' EXIT INT TERM
    for _ in $(seq 1 100); do
      [ -s .data/acs-emulator.out ] && break
      kill -0 "$emulator_pid" 2>/dev/null || { cat .data/acs-emulator.log; exit 1; }
      sleep 0.2
    done
  fi
fi

cat <<MSG

  acs-stack is starting
  ─────────────────────
  App        http://localhost:3000   (sign up, then open /chat)
  ACS        ${ACS_ENDPOINT:-${acs_configured:+configured by ACS_CONNECTION_STRING}}${acs_configured:-local emulator https://127.0.0.1:${ACS_EMULATOR_PORT:-10443}/ (CA: $ACS_EMULATOR_DATA_DIR/ca.pem)}
  Database   ${DATABASE_URL:+PostgreSQL (DATABASE_URL)}${DATABASE_URL:-PGlite in $PGLITE_DATA_DIR}

MSG
pnpm --filter @acs-stack/web dev
