#!/usr/bin/env bash
# Compares ways to order positions (docs/architecture.md), 16 clients each, on one server:
#   Tools/kip-bench/pgbench/ordering/run.sh postgres://postgres@127.0.0.1:PORT/DB [SECONDS] [CLIENTS]
set -euo pipefail
url="$1"
seconds="${2:-10}"
clients="${3:-16}"
here="$(cd "$(dirname "$0")" && pwd)"
pgbench=""
for candidate in /usr/lib/postgresql/*/bin/pgbench; do [ -x "$candidate" ] && pgbench="$candidate"; done
[ -n "$pgbench" ] || { echo "pgbench not found (apt-get install postgresql)" >&2; exit 1; }
PGOPTIONS="-c client_min_messages=warning" psql "$url" -q -v ON_ERROR_STOP=1 -f "$here/schema.sql"
PGOPTIONS="-c client_min_messages=warning" psql "$url" -q -v ON_ERROR_STOP=1 -f "$here/../schema.sql"
tps() { awk '/^tps/ {print $3; exit}'; }
for script in table-lock advisory-lock xid-high-water sealer-appender; do
  echo "$script $("$pgbench" -n -c "$clients" -j 2 -T "$seconds" -f "$here/$script.sql" "$url" 2>/dev/null | tps) tps"
done
# The xid reader's cost while writers run: writers and one reader together.
echo "xid-high-water+reader $("$pgbench" -n -c "$clients" -j 2 -T "$seconds" -f "$here/xid-high-water.sql@9" -f "$here/xid-reader.sql@1" "$url" 2>/dev/null | tps) tps (9 writes : 1 read)"
