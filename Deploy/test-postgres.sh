#!/usr/bin/env bash
# A throwaway PostgreSQL for one test run: `start DIR` initialises a cluster in DIR (loopback only,
# a free port, trust authentication) and prints the URL; `stop DIR` stops it and removes DIR.
#   url=$(Deploy/test-postgres.sh start /tmp/kip-pg) && KIP_TEST_POSTGRES_URL=$url swift test; Deploy/test-postgres.sh stop /tmp/kip-pg
# Debian's `postgresql` package provides the binaries (Deploy/install-deps.sh installs it).
# initdb refuses to run as root, so as root the cluster belongs to the `postgres` user.
set -euo pipefail
# The server must not inherit the caller's descriptors beyond 0–2 (a test runner's pipes): the
# caller would wait for an end of file that never comes while the server runs.
for fd in /proc/$$/fd/*; do
  fd="${fd##*/}"
  if [ "$fd" -gt 2 ] 2>/dev/null; then eval "exec $fd>&-" 2>/dev/null || true; fi
done
command="${1:-}"
dir="${2:-}"
[ -n "$command" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

bindir=""
for candidate in /usr/lib/postgresql/*/bin; do [ -x "$candidate/initdb" ] && bindir="$candidate"; done
[ -n "$bindir" ] || { echo "$0: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  local port
  while true; do
    port=$((20000 + RANDOM % 40000))
    # Nothing answers there: free (pg_ctl start below fails, and we try again, if it was taken meanwhile).
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

case "$command" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" -ne 0 ] || chown postgres "$dir"
    as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    # A port taken between choosing and binding makes pg_ctl fail: try a few.
    for attempt in 1 2 3 4 5; do
      port=$(free_port)
      if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=500 -c shared_buffers=256MB" start >/dev/null; then
        echo "$port" >"$dir/port"
        echo "postgres://postgres@127.0.0.1:$port/postgres"
        exit 0
      fi
    done
    cat "$dir/server.log" >&2
    exit 1
    ;;
  start-tls)
    # The same, with TLS only, for the TLS tests: a private CA in DIR/tls (ca.pem), a server
    # certificate for the name `localhost` alone (so verify-full to 127.0.0.1 must fail), a
    # client certificate for the role `certuser` (authenticated by certificate), and another CA
    # (other-ca.pem) that signed nothing here. Plain connections are rejected.
    command -v openssl >/dev/null || { echo "$0: openssl is not installed" >&2; exit 1; }
    mkdir -p "$dir/tls"
    tls="$dir/tls"
    (
      cd "$tls"
      openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=KIP test CA" -keyout ca.key -out ca.pem >/dev/null 2>&1
      openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Another CA" -keyout other-ca.key -out other-ca.pem >/dev/null 2>&1
      openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr >/dev/null 2>&1
      printf 'subjectAltName=DNS:localhost\n' >server.ext
      openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext -out server.pem >/dev/null 2>&1
      openssl req -newkey rsa:2048 -nodes -subj "/CN=certuser" -keyout client.key -out client.csr >/dev/null 2>&1
      openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out client.pem >/dev/null 2>&1
      chmod 600 server.key client.key
    )
    [ "$(id -u)" -ne 0 ] || chown -R postgres "$dir"
    as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    cat >"$dir/data/pg_hba.conf" <<HBA
local   all  all                 trust
hostssl all  certuser 127.0.0.1/32 cert
hostssl all  all      127.0.0.1/32 trust
host    all  all      127.0.0.1/32 reject
HBA
    for attempt in 1 2 3 4 5; do
      port=$(free_port)
      if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c ssl=on -c ssl_cert_file=$tls/server.pem -c ssl_key_file=$tls/server.key -c ssl_ca_file=$tls/ca.pem" start >/dev/null; then
        echo "$port" >"$dir/port"
        as_owner "$bindir/psql" -h "$dir" -p "$port" -U postgres -d postgres -qc "CREATE ROLE certuser LOGIN SUPERUSER" >/dev/null
        echo "postgres://postgres@127.0.0.1:$port/postgres"
        exit 0
      fi
    done
    cat "$dir/server.log" >&2
    exit 1
    ;;
  stop)
    if [ -d "$dir/data" ]; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  restart)
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 -m fast restart >/dev/null
    ;;
  *)
    echo "usage: $0 start|start-tls|stop|restart DIR" >&2
    exit 2
    ;;
esac
