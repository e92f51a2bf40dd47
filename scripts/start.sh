#!/usr/bin/env bash
# README command 1: install what is missing, prepare the embedded defaults (the local ACS emulator
# and its certificate, the PGlite database and its migrations) and serve the app on :3000.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1
bash scripts/ensure-tools.sh
exec pnpm turbo run dev --filter=@acs-stack/web --filter=@acs-stack/acs-emulator
