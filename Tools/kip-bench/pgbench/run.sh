#!/usr/bin/env bash
# The raw PostgreSQL baseline beside `kip-bench log --log postgres://…`, on the same server:
#   Tools/kip-bench/pgbench/run.sh postgres://postgres@127.0.0.1:PORT/DB [SECONDS]
# Prints pgbench's tps for 1 and 16 clients inserting one row per transaction, and for 1 client
# inserting 100 rows per transaction (tps × 100 = rows/s). The database gets a bench_events table.
set -euo pipefail
url="$1"
seconds="${2:-10}"
here="$(cd "$(dirname "$0")" && pwd)"
pgbench=""
for candidate in /usr/lib/postgresql/*/bin/pgbench; do [ -x "$candidate" ] && pgbench="$candidate"; done
[ -n "$pgbench" ] || { echo "pgbench not found (apt-get install postgresql)" >&2; exit 1; }
PGOPTIONS="-c client_min_messages=warning" psql "$url" -q -v ON_ERROR_STOP=1 -f "$here/schema.sql"
run() { # label clients script
  local tps
  tps=$("$pgbench" -n -c "$2" -j "$(( $2 < 2 ? 1 : 2 ))" -T "$seconds" -f "$here/$3" "$url" 2>/dev/null | awk '/^tps/ {print $3; exit}')
  echo "$1 $tps tps"
}
run "pgbench-insert1-c1" 1 insert1.sql
run "pgbench-insert1-c16" 16 insert1.sql
run "pgbench-batch100-c1" 1 batch100.sql
