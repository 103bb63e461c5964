#!/usr/bin/env bash
# The archive at scale, SQLite against PostgreSQL, side by side:
#  1. N documents (default 100,000): the corpus replicated, each copy with its document
#     numbers and years changed (so numbers do not repeat N/114 times);
#  2. indexed by 2 concurrent `vanban index` processes (each over half the copies, -j 1)
#     into one archive, SQLite then PostgreSQL: wall time, rate, peak memory of each;
#  3. search p50/p95 of `vanban bench`'s queries on both, with each query's first hit;
#  4. the ingest queue: Q files (default 2,000) worked by 1, 2 and 4 `vanban work`
#     processes (files/s), then a worker killed mid-run and its file processed once.
# PostgreSQL runs in a temporary folder on 127.0.0.1 (Debian's postgresql package, as
# .ci/run installs it), synchronous_commit=off (SQLite runs WAL with synchronous=NORMAL:
# neither flushes every commit).
# Usage: bench/archive-pg.sh [N] [Q]     (as root, from anywhere; KEEP=1 keeps the folder)
set -euo pipefail
cd "$(dirname "$0")/.."
docs=${1:-100000}
queued=${2:-2000}
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
cargo build --release --locked --quiet
bin="$(pwd)/${CARGO_TARGET_DIR:-target}/release/vanban"
work=$(mktemp -d /var/tmp/vanban-bench.XXXXXX)
chmod 755 "$work"
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
cleanup() {
    runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg" -m fast stop >/dev/null 2>&1 || true
    [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

echo "== $docs documents from fixtures/corpus/texts"
texts=fixtures/corpus/texts
per_copy=$(ls "$texts"/*.txt | wc -l)
copies=$(( (docs + per_copy - 1) / per_copy ))
mkdir -p "$work/kho"
for i in $(seq 0 $((copies - 1))); do
    mkdir -p "$work/kho/$i"
    # Copy i: each document number (digits before /XX or -XX) + 7i, each year + i mod 15.
    perl -CSD -pe "s{\\b(\\d{1,4})(?=[/-]\\p{Lu})}{(\$1 + 7 * $i) % 10000}ge; s{\\b((?:19|20)\\d\\d)\\b}{\$1 + $i % 15}ge" \
        -i $(for f in "$texts"/*.txt; do cp "$f" "$work/kho/$i/"; echo "$work/kho/$i/$(basename "$f")"; done)
done
n=$(find "$work/kho" -type f | wc -l)
echo "$n files, $(( $(du -sb "$work/kho" | cut -f1) / 1000000 )) MB"
half=$((copies / 2))
first=$(seq -f "$work/kho/%g" 0 $((half - 1)))
second=$(seq -f "$work/kho/%g" "$half" $((copies - 1)))

echo "== PostgreSQL"
mkdir -p "$work/pg" && chown postgres "$work/pg" "$work"
runuser -u postgres -- "$pgbin/initdb" -D "$work/pg" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
port=55499
runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w \
    -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c synchronous_commit=off -c shared_buffers=512MB -c max_wal_size=4GB -c maintenance_work_mem=256MB" start >/dev/null
"$pgbin/psql" -h 127.0.0.1 -p $port -U postgres -qc "CREATE DATABASE kho" postgres
"$pgbin/psql" -h 127.0.0.1 -p $port -U postgres -qc "CREATE DATABASE queue" postgres
pg="postgres://postgres@127.0.0.1:$port/kho"

index_two() {  # DB LABEL: two concurrent index runs, then a third that must store nothing
    local db=$1 label=$2 start end
    start=$(date +%s.%N)
    /usr/bin/time -f "%M" -o "$work/$label-a.rss" "$bin" index -q -j 1 --db "$db" $first 2>"$work/$label-a.log" &
    local a=$!
    /usr/bin/time -f "%M" -o "$work/$label-b.rss" "$bin" index -q -j 1 --db "$db" $second 2>"$work/$label-b.log" &
    local b=$!
    wait $a; wait $b
    end=$(date +%s.%N)
    tail -1 "$work/$label-a.log"; tail -1 "$work/$label-b.log"
    local wall
    wall=$(echo "$end - $start" | bc)
    printf '%-10s index %d docs, 2 processes: wall %.1f s, %.1f docs/s, peak RSS %s KB / %s KB\n' \
        "$label" "$n" "$wall" "$(echo "$n / $wall" | bc -l)" "$(tail -1 "$work/$label-a.rss")" "$(tail -1 "$work/$label-b.rss")"
    "$bin" index -q --db "$db" "$work/kho" 2>&1 | tail -1
}
echo "== index"
index_two "$work/kho.db" sqlite
index_two "$pg" postgres
echo "== search"
for db in "$work/kho.db" "$pg"; do
    /usr/bin/time -f "peak RSS %M KB" "$bin" bench --seconds 0.05 --db "$db" 2>&1 | sed -n '/^search over/,$p'
done
"$pgbin/psql" -h 127.0.0.1 -p $port -U postgres -Atc "SELECT 'postgres database size: ' || pg_size_pretty(pg_database_size('kho'))" postgres
echo "sqlite file size: $(( $(stat -c %s "$work/kho.db") / 1000000 )) MB"

echo "== queue: $queued files, 1, 2 and 4 workers"
qdb="postgres://postgres@127.0.0.1:$port/queue"
qfiles=$(find "$work/kho" -type f | sort | head -n "$queued")
psqlq() { "$pgbin/psql" -h 127.0.0.1 -p $port -U postgres -Atc "$1" queue; }
for workers in 1 2 4; do
    psqlq "DROP TABLE IF EXISTS queue, citations, dates, obligations, documents, vanban_schema CASCADE" >/dev/null
    # shellcheck disable=SC2086
    "$bin" queue add --db "$qdb" $qfiles 2>/dev/null
    start=$(date +%s.%N)
    pids=()
    for _ in $(seq 1 "$workers"); do "$bin" work -q --db "$qdb" 2>/dev/null & pids+=($!); done
    for p in "${pids[@]}"; do wait "$p"; done
    wall=$(echo "$(date +%s.%N) - $start" | bc)
    printf 'queue %d workers: %d files in %.1f s, %.1f files/s; documents %s\n' "$workers" "$queued" "$wall" \
        "$(echo "$queued / $wall" | bc -l)" "$(psqlq "SELECT count(*) FROM documents")"
done
echo "== queue: a worker killed mid-run"
psqlq "DROP TABLE IF EXISTS queue, citations, dates, obligations, documents, vanban_schema CASCADE" >/dev/null
# shellcheck disable=SC2086
"$bin" queue add --db "$qdb" $qfiles 2>/dev/null
"$bin" work -q --db "$qdb" --lease 5 2>/dev/null & victim=$!
"$bin" work -q --db "$qdb" --lease 5 2>/dev/null & other=$!
sleep 3
kill -9 "$victim"
held=$(psqlq "SELECT string_agg(id::text, ',') FROM queue WHERE state = 'pending' AND claimed_by LIKE '%:$victim'")
wait "$other" || true
echo "killed worker $victim holding item(s) ${held:-none}; after the survivor:"
psqlq "SELECT 'documents ' || count(*) || ', distinct keys ' || count(DISTINCT key) FROM documents"
psqlq "SELECT 'queue done ' || count(*) FILTER (WHERE state = 'done') || ' of ' || count(*) FROM queue"
[ -z "$held" ] || psqlq "SELECT 'item ' || id || ': ' || state || ' after ' || attempts || ' claims' FROM queue WHERE id IN ($held)"
"$bin" queue status --db "$qdb"
