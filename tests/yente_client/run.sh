#!/usr/bin/env bash
# Starts `interdict serve` (bundled sample list) on a free loopback port with API keys,
# waits for /readyz, runs the yente-client tests against it, then stops the server.
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1 python3 -m pip install -q yente-client pytest

cargo build -q -p interdict
BIN="${CARGO_TARGET_DIR:-target}/debug/interdict"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
export INTERDICT_URL="http://127.0.0.1:${PORT}"
export INTERDICT_SCREEN_KEY="screen-$RANDOM$RANDOM"
export INTERDICT_ADMIN_KEY="admin-$RANDOM$RANDOM"
LOG=$(mktemp)

INTERDICT_API_KEYS="${INTERDICT_SCREEN_KEY}:screen,${INTERDICT_ADMIN_KEY}:admin" \
RUST_LOG=warn "$BIN" serve --bind "127.0.0.1:${PORT}" >"$LOG" 2>&1 &
SERVER=$!
cleanup() {
  kill -TERM "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  rm -f "$LOG"
}
trap cleanup EXIT

for _ in $(seq 1 200); do
  if curl -fsS "${INTERDICT_URL}/readyz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVER" 2>/dev/null; then echo "server exited:"; cat "$LOG"; exit 1; fi
  sleep 0.1
done
curl -fsS "${INTERDICT_URL}/readyz" >/dev/null || { echo "server not ready:"; cat "$LOG"; exit 1; }

python3 -m pytest -q tests/yente_client/test_yente_client.py
