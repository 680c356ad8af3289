#!/usr/bin/env bash
# Load benchmark of the portal's public pages against the JSON API serving the same data, in one
# run on one server (SQLite): the catalogue page (`/`) against `GET /api/v1/procedures`, and the
# tracking page (`/tra-cuu?ma=…&khoa=…`) against `GET /api/v1/dossiers/{code}?key=…`, with wrk.
# The page/API column is the page's requests/s over the API's.
#
# Environment: CARGO_TARGET_DIR (default: the workspace target/), DURATION (10s), THREADS (1),
# CONNECTIONS (8), PORT (18081), SKIP_BUILD=1 (use the binary already built). Everything binds
# 127.0.0.1 and stops by itself.
# Target (acceptance): each page reaches at least half the requests/s of its API twin.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
DURATION=${DURATION:-10s}
THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-8}
PORT=${PORT:-18081}
BASE="http://127.0.0.1:$PORT"

if ! command -v wrk >/dev/null; then
    echo "installing wrk" >&2
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    echo "building motcua (release, target $TARGET)" >&2
    (cd "$ROOT" && CARGO_TARGET_DIR="$TARGET" cargo build --release --quiet -p motcua)
fi
MOTCUA="$TARGET/release/motcua"

TMP=$(mktemp -d -t motcua-portal-bench.XXXXXX)
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

DB="sqlite://$TMP/bench.db?mode=rwc"
cd "$ROOT"
# Lookups are rate-limited per address against guessing keys; the load generator is one address.
"$MOTCUA" serve --bind "127.0.0.1:$PORT" --database-url "$DB" --lookups-per-minute 1000000000 >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 600); do
    if curl -sf "$BASE/health" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then echo "server exited; log:" >&2; cat "$TMP/server.log" >&2; exit 1; fi
    sleep 0.1
done
TOKEN=$("$MOTCUA" token create --role client --name "bench" --database-url "$DB" 2>/dev/null)
curl -sf -X POST "$BASE/api/v1/dossiers" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d @examples/land-change-submission.json >"$TMP/dossier.json"
CODE=$(grep -o '"code":"[^"]*"' "$TMP/dossier.json" | head -1 | cut -d'"' -f4)
KEY=$(grep -o '"lookup_key":"[^"]*"' "$TMP/dossier.json" | head -1 | cut -d'"' -f4)

# rate URL: requests/s wrk reaches on URL (after checking it answers 200).
rate() {
    local status
    status=$(curl -s -o /dev/null -w '%{http_code}' "$1")
    [ "$status" = 200 ] || { echo "$1 answered $status" >&2; exit 1; }
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "$1" | awk '/Requests\/sec/ { print $2 }'
}

echo "wrk $THREADS thread(s), $CONNECTIONS connections, $DURATION each; $(nproc) CPUs"
printf '%-10s %-40s %10s %10s\n' what url 'req/s' 'page/API'
pair() {
    local name=$1 api=$2 page=$3 api_rate page_rate
    api_rate=$(rate "$BASE$api")
    page_rate=$(rate "$BASE$page")
    printf '%-10s %-40s %10s %10s\n' "$name" "${api:0:40}" "$api_rate" -
    printf '%-10s %-40s %10s %9s%%\n' "$name" "${page:0:40}" "$page_rate" \
        "$(awk -v p="$page_rate" -v a="$api_rate" 'BEGIN { printf "%.0f", 100 * p / a }')"
}
pair catalogue "/api/v1/procedures" "/"
pair tracking "/api/v1/dossiers/$CODE?key=$KEY" "/tra-cuu?ma=$CODE&khoa=$KEY"
