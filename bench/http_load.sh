#!/usr/bin/env bash
# HTTP load test on loopback: `interdict serve` (release build) against the real lists, driven
# by wrk with single-query POST /v1/screen requests (names rotate over a fixed set of listed
# and unlisted names in several scripts). Bounded in time.
#
#   bash bench/http_load.sh                 # OFAC SDN + UN + EU + UK ConList, 20 s, 16 connections
#   LISTS=sample DURATION=5s bash bench/http_load.sh
#   ROUTE=match bash bench/http_load.sh     # the yente-compatible POST /match/default instead
#
# Rate limiting is switched off in the server's config for the run (a per-client token bucket
# would otherwise cap a single load generator). Requires wrk (apt-get install -y wrk).
set -euo pipefail
cd "$(dirname "$0")/.."

DATA="${DATA:-../shared/data/lists}"
DURATION="${DURATION:-20s}"
CONNECTIONS="${CONNECTIONS:-16}"
WRK_THREADS="${WRK_THREADS:-1}"
ROUTE="${ROUTE:-screen}"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)"; exit 1; }

cargo build -q --release -p interdict
BIN="${CARGO_TARGET_DIR:-target}/release/interdict"
DIR=$(mktemp -d)

if [ "${LISTS:-real}" = "sample" ]; then
  LIST_ARGS=()
else
  LIST_ARGS=(--lists "$DATA/ofac/sdn-2024-05-07.xml" "$DATA/un/consolidated-2024-05-15.xml"
             "$DATA/eu/fsf-2024-05-13.xml" "$DATA/uk/ofsi-conlist-2025-04-10.csv")
fi
cat >"$DIR/config.json" <<JSON
{"limits": {"rate_per_second": 0, "max_batch": 100}}
JSON

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
RUST_LOG=warn "$BIN" serve --bind "127.0.0.1:${PORT}" --config "$DIR/config.json" "${LIST_ARGS[@]}" \
  >"$DIR/server.log" 2>&1 &
SERVER=$!
trap 'kill -TERM $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$DIR"' EXIT
START=$(date +%s.%N)
for _ in $(seq 1 1200); do
  curl -fsS "http://127.0.0.1:${PORT}/readyz" >/dev/null 2>&1 && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$DIR/server.log"; exit 1; }
  sleep 0.1
done
echo "server ready after $(echo "$(date +%s.%N) - $START" | bc) s: $(curl -fsS "http://127.0.0.1:${PORT}/v1/lists" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["entities"], "entities from", len(d["lists"]), "lists")')"

cat >"$DIR/load.lua" <<'LUA'
local names = {
  "Zhao Guangzong", "NI Gaobin", "Yevgeniy Prigozhin", "John Smith", "Maria Garcia Lopez",
  "Muhammad Ali Hassan", "Пригожин Евгений", "Иван Петров", "محمد علي", "倪高彬",
  "Wuhan Xiaoruizhi Science and Technology", "Γιώργος Παπαδόπουλος", "Kim Jong Un",
  "Acme Trading LLC", "Hans Mueller", "Olga Ivanova", "Bank Melli Iran", "Rosneft",
  "Li Wei", "Ahmed Khan",
}
local route = os.getenv("ROUTE") or "screen"
local i = 0
request = function()
  i = i + 1
  local n = names[(i % #names) + 1]
  if route == "match" then
    return wrk.format("POST", "/match/default", {["Content-Type"] = "application/json"},
      '{"queries": {"q": {"schema": "Person", "properties": {"name": ["' .. n .. '"]}}}}')
  end
  return wrk.format("POST", "/v1/screen", {["Content-Type"] = "application/json"},
    '{"properties": {"name": ["' .. n .. '"]}}')
end
LUA

# Warm-up, then the measured run.
ROUTE="$ROUTE" wrk -t1 -c4 -d2s -s "$DIR/load.lua" "http://127.0.0.1:${PORT}" >/dev/null
echo "+ wrk -t${WRK_THREADS} -c${CONNECTIONS} -d${DURATION} --latency -s load.lua (ROUTE=${ROUTE})"
ROUTE="$ROUTE" wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$DIR/load.lua" \
  "http://127.0.0.1:${PORT}" | tee "$DIR/wrk.txt"
if grep -qE "Non-2xx|Socket errors" "$DIR/wrk.txt"; then
  echo "FAIL: errors during the load test"; exit 1
fi
echo "server RSS: $(ps -o rss= -p "$SERVER" | awk '{printf "%.0f MB", $1/1024}')"
