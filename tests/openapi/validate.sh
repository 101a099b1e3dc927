#!/usr/bin/env bash
# Prints the OpenAPI document generated from the server code (`interdict serve --openapi`),
# cross-checks it against the one a running server serves at /openapi.json, and validates it
# with openapi-spec-validator. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1 python3 -m pip install -q openapi-spec-validator

cargo build -q -p interdict
BIN="${CARGO_TARGET_DIR:-target}/debug/interdict"
DIR=$(mktemp -d)
"$BIN" serve --openapi >"$DIR/cli.json"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
RUST_LOG=warn "$BIN" serve --bind "127.0.0.1:${PORT}" >"$DIR/server.log" 2>&1 &
SERVER=$!
trap 'kill -TERM $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$DIR"' EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:${PORT}/openapi.json" -o "$DIR/served.json" 2>/dev/null && break
  sleep 0.1
done
test -s "$DIR/served.json" || { echo "server did not answer:"; cat "$DIR/server.log"; exit 1; }

python3 - "$DIR/cli.json" "$DIR/served.json" <<'PY'
import json, sys
from openapi_spec_validator import validate
cli, served = (json.load(open(p)) for p in sys.argv[1:3])
assert cli == served, "served /openapi.json differs from `interdict serve --openapi`"
validate(served)
paths = served["paths"]
for p in ["/v1/screen", "/v1/entities/{id}", "/v1/lists", "/v1/admin/reload", "/healthz",
          "/readyz", "/metrics", "/match/{dataset}", "/search/{dataset}", "/entities/{id}",
          "/catalog", "/algorithms"]:
    assert p in paths, f"{p} missing"
print(f"OpenAPI {served['openapi']} document valid: {len(paths)} paths, "
      f"{len(served.get('components', {}).get('schemas', {}))} schemas")
PY
