#!/usr/bin/env bash
# Load benchmark of a runaway rule: does a published rule that runs away on some data hold up
# everyone else? Starts `motcua serve` on a fresh SQLite database, publishes through the admin
# API a version 2 of procedure 1.004227 whose eligibility rule, when the change text is
# RUNAWAY_TRIGGER, compares two 2,000-entry maps forever (every operation costly: without a
# time budget it runs for seconds), then measures normal requests with wrk:
#   (a) alone, and
#   (b) while other connections keep sending the triggering submission, each of which must be
#       answered 422 `rule_budget_exceeded` (counted).
# Normal requests are valid submissions of the same procedure (bench/submit.lua, 201 each) and
# GETs of the public catalogue (bench/catalogue.lua, 200 each). Prints both runs side by side
# and the ratio (b)/(a).
#
# Environment: CARGO_TARGET_DIR (default: the workspace target/), DURATION (10s), WARMUP (3s),
# CONNECTIONS (4, normal load), RUNAWAY_CONNECTIONS (4), MOTCUA_PORT (18081), SKIP_BUILD=1 (use the
# binary already built), MOTCUA (the binary; default $CARGO_TARGET_DIR/release/motcua).
# Everything binds 127.0.0.1 and stops by itself; about a minute in all.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
CONNECTIONS=${CONNECTIONS:-4}
RUNAWAY_CONNECTIONS=${RUNAWAY_CONNECTIONS:-4}
MOTCUA_PORT=${MOTCUA_PORT:-18081}
MOTCUA=${MOTCUA:-$TARGET/release/motcua}
export RUNAWAY_TRIGGER="Treo máy chủ"
URL="http://127.0.0.1:$MOTCUA_PORT"

if ! command -v wrk >/dev/null; then
    echo "installing wrk" >&2
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    echo "building motcua (release, target $TARGET)" >&2
    (cd "$ROOT" && CARGO_TARGET_DIR="$TARGET" cargo build --release --quiet -p motcua)
fi

TMP=$(mktemp -d -t motcua-runaway.XXXXXX)
SERVER_PID=""
LOAD_PID=""
cleanup() {
    for pid in "$LOAD_PID" "$SERVER_PID"; do
        if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    done
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

DB="sqlite://$TMP/motcua.db?mode=rwc"
echo "motcua serve on $URL" >&2
(cd "$ROOT" && exec "$MOTCUA" serve --bind "127.0.0.1:$MOTCUA_PORT" --database-url "$DB") >"$TMP/motcua.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 600); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$MOTCUA_PORT") 2>/dev/null; then break; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then echo "server exited; log:" >&2; cat "$TMP/motcua.log" >&2; exit 1; fi
    sleep 0.1
done
token() { (cd "$ROOT" && "$MOTCUA" token create --role "$1" --name "bench $1" --database-url "$DB"); }
ADMIN=$(token admin)
MOTCUA_TOKEN=$(token client)
export MOTCUA_TOKEN

# Version 2: the shipped definition with the runaway branch first in its eligibility rule.
cat >"$TMP/branch.txt" <<RULE
  if form.don_dang_ky.noi_dung_thay_doi == "$RUNAWAY_TRIGGER" {
    let m = #{};
    for i in 0..1999 { m[\`k\${i}\`] = i; }
    let n = m;
    loop { if m != n { break; } }
  }
RULE
sed -e 's/^version: 1$/version: 2/' -e "/^eligibility: |$/r $TMP/branch.txt" \
    "$ROOT/procedures/1.004227-dang-ky-bien-dong-thay-doi-thong-tin.yaml" >"$TMP/v2.yaml"
api() { curl -sS --max-time 30 -o "$TMP/body" -w '%{http_code}' -H "Authorization: Bearer $ADMIN" "$@"; }
status=$(api -X PUT -H 'Content-Type: application/yaml' --data-binary "@$TMP/v2.yaml" "$URL/api/v1/procedures/1.004227/draft")
[ "$status" = 200 ] || { echo "draft refused ($status):" >&2; cat "$TMP/body" >&2; exit 1; }
status=$(api -X POST "$URL/api/v1/procedures/1.004227/publish")
[ "$status" = 200 ] || { echo "publish refused ($status):" >&2; cat "$TMP/body" >&2; exit 1; }

echo "one triggering submission:" >&2
curl -sS --max-time 30 -i -H "Authorization: Bearer $MOTCUA_TOKEN" -H 'Content-Type: application/json' \
    --data-binary "{\"procedure\":\"1.004227\",\"channel\":\"online\",\"form\":{\"don_dang_ky\":{\"doi_tuong\":\"ca_nhan\",\"loai_thay_doi\":\"ho_ten\",\"nguoi_nop\":{\"ho_ten\":\"Nguyễn Văn An\",\"ngay_sinh\":\"1990-05-01\",\"so_dinh_danh\":\"064090001234\"},\"thua_dat\":{\"so_thua\":125,\"to_ban_do\":14,\"dia_chi\":\"Phường Hội Thương, Pleiku\",\"so_giay_chung_nhan\":\"CS 123456\"},\"noi_dung_thay_doi\":\"$RUNAWAY_TRIGGER\"}},\"documents\":[\"don\",\"gcn\",\"giay_to_thay_doi\"],\"applicant\":{\"name\":\"Nguyễn Văn An\"}}" \
    "$URL/api/v1/dossiers" | sed -e 's/\r$//' -e '/^$/d' | grep -iv '^\(date\|content-length\|vary\):' >&2
echo >&2

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $2"; }
normal() { wrk -t1 -c"$CONNECTIONS" -d"$1" -s "$ROOT/bench/$2.lua" "$URL$3" | grep '^RESULT'; }

ROWS=()
for load in submit catalogue; do
    case $load in
        submit) path=/api/v1/dossiers ;;
        catalogue) path=/api/v1/procedures ;;
    esac
    echo "[$load] warm-up, then alone" >&2
    normal "$WARMUP" "$load" "$path" >/dev/null
    alone=$(normal "$DURATION" "$load" "$path")
    echo "[$load] with $RUNAWAY_CONNECTIONS connections sending the runaway submission" >&2
    # The runaway load starts first and ends after the measured run.
    wrk -t1 -c"$RUNAWAY_CONNECTIONS" -d"$(( ${DURATION%s} + 3 ))s" -s "$ROOT/bench/runaway.lua" \
        "$URL/api/v1/dossiers" >"$TMP/runaway-$load.out" &
    LOAD_PID=$!
    sleep 1
    loaded=$(normal "$DURATION" "$load" "$path")
    wait "$LOAD_PID"; LOAD_PID=""
    grep '^FIRST_OTHER' "$TMP/runaway-$load.out" >&2 || true
    runaway=$(grep '^RESULT' "$TMP/runaway-$load.out")
    ROWS+=("$load|$alone|$loaded|$runaway")
done

echo
echo "normal load: wrk 1 thread, $CONNECTIONS connections, $DURATION; runaway load: $RUNAWAY_CONNECTIONS connections; $(nproc) CPUs"
printf '%-10s %-13s %9s %8s %8s %6s   %s\n' load run "req/s" "p50 ms" "p99 ms" bad "runaway submissions (stopped 422 / other)"
status=0
ratio() { awk -v b="$1" -v a="$2" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "-" }'; }
for row in "${ROWS[@]}"; do
    IFS='|' read -r load alone loaded runaway <<<"$row"
    bad() { local n; n=$(field non201 "$1"); [ -n "$n" ] || n=$(field non200 "$1"); echo $(( n + $(field socket_errors "$1") )); }
    printf '%-10s %-13s %9s %8s %8s %6s\n' "$load" "(a) alone" "$(field rps "$alone")" "$(field p50_ms "$alone")" \
        "$(field p99_ms "$alone")" "$(bad "$alone")"
    printf '%-10s %-13s %9s %8s %8s %6s   %s / %s in %s s, p50 %s ms\n' "$load" "(b) runaway" "$(field rps "$loaded")" \
        "$(field p50_ms "$loaded")" "$(field p99_ms "$loaded")" "$(bad "$loaded")" "$(field stopped "$runaway")" \
        "$(field other "$runaway")" "$(( ${DURATION%s} + 3 ))" "$(field p50_ms "$runaway")"
    printf '%-10s %-13s %9s %8s %8s\n' "$load" "ratio (b)/(a)" "$(ratio "$(field rps "$loaded")" "$(field rps "$alone")")" \
        "$(ratio "$(field p50_ms "$loaded")" "$(field p50_ms "$alone")")" \
        "$(ratio "$(field p99_ms "$loaded")" "$(field p99_ms "$alone")")"
    if [ "$(bad "$alone")" != 0 ] || [ "$(bad "$loaded")" != 0 ] || [ "$(field other "$runaway")" != 0 ] \
        || [ "$(field stopped "$runaway")" = 0 ]; then
        status=1; echo "  ^ unexpected answers (see above)" >&2
    fi
done
exit $status
