#!/usr/bin/env bash
# Load benchmark of dossier submission (POST /api/v1/dossiers): motcua against bare actix-web
# handlers doing one INSERT and nothing else (bench/bare), on SQLite and on PostgreSQL, with wrk
# and submit.lua. Every request is a valid submission (201; a new row each time). Baselines:
#   bare-dossier  (PostgreSQL) the very INSERT a submission sends: its dossier row and audit
#                 row in one statement, filled from the request instead of by the engine
#   bare-slim     a slim row (code, procedure, channel, body, time) of a table of its own
# The motcua/bare column is motcua's requests/s over that baseline's.
#
#   bench/submit.sh                      # both backends
#   BACKENDS=sqlite bench/submit.sh      # only SQLite
#
# Environment: CARGO_TARGET_DIR (default: the workspace target/), DURATION (15s), WARMUP (3s),
# THREADS (1: wrk threads, keep 1-2 on a 2-core machine), CONNECTIONS (8),
# PG_URL (postgres://postgres@127.0.0.1:5432, where fresh databases are created and dropped),
# MOTCUA_PORT (18080), BARE_PORT (18090), SKIP_BUILD=1 (use the binaries already built). Everything binds 127.0.0.1 and stops by itself.
# Target (acceptance): motcua reaches >= 70 % of the requests/s of the bare handler doing the
# same INSERT (bare-dossier on PostgreSQL; on SQLite, where that statement is not one, bare-slim).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-3s}
THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-8}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
MOTCUA_PORT=${MOTCUA_PORT:-18080}
BARE_PORT=${BARE_PORT:-18090}
BACKENDS=${BACKENDS:-sqlite postgres}
LUA="$ROOT/bench/submit.lua"

if ! command -v wrk >/dev/null; then
    echo "installing wrk" >&2
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    echo "building motcua and motcua-bench-bare (release, target $TARGET)" >&2
    (cd "$ROOT" && CARGO_TARGET_DIR="$TARGET" cargo build --release --quiet -p motcua -p motcua-bench-bare)
fi
MOTCUA="$TARGET/release/motcua"
BARE="$TARGET/release/motcua-bench-bare"

TMP=$(mktemp -d -t motcua-bench.XXXXXX)
SERVER_PID=""
PG_DBS=()
cleanup() {
    stop_server
    for db in "${PG_DBS[@]}"; do psql "$PG_URL/postgres" -q -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true; done
    rm -rf "$TMP"
}
stop_server() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_port PORT: until something accepts on 127.0.0.1:PORT (60 s at most).
wait_port() {
    for _ in $(seq 600); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then echo "server exited; log:" >&2; cat "$TMP"/*.log >&2; exit 1; fi
        sleep 0.1
    done
    echo "nothing listens on port $1" >&2; exit 1
}

# cpu_ticks PID…: user + system CPU ticks the processes used so far.
cpu_ticks() {
    local total=0 pid
    for pid in "$@"; do
        [ -r "/proc/$pid/stat" ] || continue
        # Fields after the command name, which may hold spaces: utime is the 12th, stime the 13th.
        total=$((total + $(sed 's/^.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }')))
    done
    echo "$total"
}

# measure PORT: warm-up, then the timed run; prints the RESULT line with the CPU time the
# server and PostgreSQL's processes spent per request (µs), which the shared machine's noise
# moves less than the throughput.
measure() {
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$LUA" "http://127.0.0.1:$1/api/v1/dossiers" >/dev/null
    local out pg_pids server0 pg0 server1 pg1 requests tick
    pg_pids=$(pgrep -u postgres postgres || true)
    server0=$(cpu_ticks "$SERVER_PID"); pg0=$(cpu_ticks $pg_pids)
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$LUA" "http://127.0.0.1:$1/api/v1/dossiers")
    server1=$(cpu_ticks "$SERVER_PID"); pg1=$(cpu_ticks $pg_pids)
    grep '^FIRST_NON201' <<<"$out" >&2 || true
    requests=$(sed -n 's/^RESULT requests=\([0-9]*\).*/\1/p' <<<"$out")
    tick=$(getconf CLK_TCK)
    echo "$(grep '^RESULT' <<<"$out") $(awk -v s=$((server1 - server0)) -v p=$((pg1 - pg0)) -v n="$requests" -v t="$tick" \
        'BEGIN { printf "server_us=%.0f pg_us=%.0f", s * 1e6 / t / n, p * 1e6 / t / n }')"
}

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }

ROWS=()
for backend in $BACKENDS; do
    case $backend in
        sqlite)
            motcua_url="sqlite://$TMP/motcua.db?mode=rwc"
            bare_url="sqlite://$TMP/bare.db?mode=rwc" ;;
        postgres)
            base="motcua_bench_$$"
            for db in "${base}_m" "${base}_b"; do
                PG_DBS+=("$db")
                psql "$PG_URL/postgres" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $db" >/dev/null
            done
            # Loopback: no TLS for either server (sqlx would otherwise negotiate it).
            motcua_url="$PG_URL/${base}_m?sslmode=disable"
            bare_url="$PG_URL/${base}_b?sslmode=disable" ;;
        *) echo "unknown backend $backend" >&2; exit 2 ;;
    esac

    echo "[$backend] motcua serve" >&2
    (cd "$ROOT" && exec "$MOTCUA" serve --bind "127.0.0.1:$MOTCUA_PORT" --database-url "$motcua_url") \
        >"$TMP/motcua-$backend.log" 2>&1 &
    SERVER_PID=$!
    wait_port "$MOTCUA_PORT"
    MOTCUA_TOKEN=$(cd "$ROOT" && "$MOTCUA" token create --role client --name bench --database-url "$motcua_url")
    export MOTCUA_TOKEN
    motcua_result=$(measure "$MOTCUA_PORT")
    stop_server

    ROWS+=("$backend motcua $motcua_result ratio=-")
    rows=slim; [ "$backend" = postgres ] && rows="dossier slim"
    for row in $rows; do
        echo "[$backend] bare handler, $row row" >&2
        "$BARE" --bind "127.0.0.1:$BARE_PORT" --database-url "$bare_url" --row "$row" >"$TMP/bare-$backend-$row.log" 2>&1 &
        SERVER_PID=$!
        wait_port "$BARE_PORT"
        bare_result=$(measure "$BARE_PORT")
        stop_server
        ratio=$(awk -v m="$(field rps "$motcua_result")" -v b="$(field rps "$bare_result")" 'BEGIN { printf "%.0f %%", 100 * m / b }')
        ROWS+=("$backend bare-$row $bare_result ratio=$ratio")
    done
done

echo
echo "wrk $THREADS thread(s), $CONNECTIONS connections, $DURATION after $WARMUP warm-up; $(nproc) CPUs"
printf '%-9s %-12s %10s %9s %9s %8s %13s %13s %9s\n' backend server "req/s" "p50 ms" "p99 ms" non-201 "motcua/bare" \
    "server µs/req" "PG µs/req"
status=0
for row in "${ROWS[@]}"; do
    read -r backend server rest <<<"$row"
    non=$(field non201 " $rest"); sock=$(field socket_errors " $rest")
    pg_us=$(field pg_us " $rest"); [ "$backend" = postgres ] || pg_us=-
    printf '%-9s %-12s %10s %9s %9s %8s %13s %13s %9s\n' "$backend" "$server" "$(field rps " $rest")" \
        "$(field p50_ms " $rest")" "$(field p99_ms " $rest")" "$non" "${rest##*ratio=}" "$(field server_us " $rest")" "$pg_us"
    if [ "$non" != 0 ] || [ "$sock" != 0 ]; then status=1; echo "  ^ $non non-201 responses, $sock socket errors" >&2; fi
done
exit $status
