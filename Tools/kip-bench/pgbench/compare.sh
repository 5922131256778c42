#!/usr/bin/env bash
# kip-bench on PostgreSQL against pgbench, interleaved (the disk's flush rate swings within
# minutes, so only figures taken back to back are compared), on one server:
#   Tools/kip-bench/pgbench/compare.sh postgres://postgres@127.0.0.1:PORT ROUNDS SECONDS [KIP_BENCH]
# Each round: kip-bench log (16 writers, one round) on a new database, and pgbench with 16
# clients running insert1.sql and 1 client running batch100.sql, in alternating order. Prints
# each round's figures and ratios: append-concurrent / pgbench-insert1-c16 tps, and
# batch100 / (pgbench-batch100-c1 tps × 100).
set -euo pipefail
server="${1%/}"
rounds="${2:-5}"
seconds="${3:-5}"
bench="${4:-.build-release/release/kip-bench}"
here="$(cd "$(dirname "$0")" && pwd)"
pgbench=""
for candidate in /usr/lib/postgresql/*/bin/pgbench; do [ -x "$candidate" ] && pgbench="$candidate"; done
[ -n "$pgbench" ] || { echo "pgbench not found (apt-get install postgresql)" >&2; exit 1; }
export PGOPTIONS="-c client_min_messages=warning"
psql "$server/postgres" -qc "DROP DATABASE IF EXISTS kip_compare_baseline" -c "CREATE DATABASE kip_compare_baseline"
psql "$server/kip_compare_baseline" -q -v ON_ERROR_STOP=1 -f "$here/schema.sql"
tps() { awk '/^tps/ {print $3; exit}'; }
for round in $(seq 1 "$rounds"); do
  db="kip_compare_$round"
  psql "$server/postgres" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  ours() {
    "$bench" log --log "$server/$db?pool=24" --writers 16 --rounds 1 --seconds "$seconds" --events 10000 2>/dev/null >"/tmp/kip-compare-$round.txt"
  }
  theirs() {
    c16=$("$pgbench" -n -c 16 -j 2 -T "$seconds" -f "$here/insert1.sql" "$server/kip_compare_baseline" 2>/dev/null | tps)
    b100=$("$pgbench" -n -c 1 -T "$seconds" -f "$here/batch100.sql" "$server/kip_compare_baseline" 2>/dev/null | tps)
  }
  if [ $((round % 2)) -eq 1 ]; then ours; theirs; else theirs; ours; fi
  concurrent=$(awk '$1 == "append-concurrent" {print $2}' "/tmp/kip-compare-$round.txt")
  batch=$(awk '$1 == "batch100" {print $2}' "/tmp/kip-compare-$round.txt")
  append1=$(awk '$1 == "append1" {print $2}' "/tmp/kip-compare-$round.txt")
  awk -v r="$round" -v c="$concurrent" -v p="$c16" -v b="$batch" -v q="$b100" -v a="$append1" 'BEGIN {
    printf "round %d: append-concurrent %d vs pgbench-c16 %d tps (%.2fx); batch100 %d vs pgbench-batch100 %d rows/s (%.2fx); append1 %d\n",
      r, c, p, c / p, b, q * 100, b / (q * 100), a }'
  rm -f "/tmp/kip-compare-$round.txt"
  psql "$server/postgres" -qc "DROP DATABASE $db"
done
