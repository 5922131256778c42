#!/usr/bin/env bash
# Starts the three services on one SQLite log and prints where to look; Ctrl-C stops them all.
set -euo pipefail
bin=${1:-.build/debug}
root=$(cd "$(dirname "$0")/.." && pwd)
export KIP_DATA_DIR=${KIP_DATA_DIR:-$PWD/var}
export KIP_EVENT_LOG=${KIP_EVENT_LOG:-sqlite://$KIP_DATA_DIR/events.sqlite}
export KIP_HOST=${KIP_HOST:-127.0.0.1}
mkdir -p "$KIP_DATA_DIR/logs"
# Demo data (users with printed passwords, then each service's data); a second run adds nothing.
seeded=$("$bin/kipctl" demo seed --building-catalogue "$root/Deploy/building/catalogue.json") || { echo "kipctl demo seed failed"; exit 1; }
pids=()
stop() { kill -TERM "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true; echo "stopped"; }
trap stop EXIT INT TERM
declare -A ports=([kip-building]=8081 [kip-succession]=8082 [kip-deposits]=8083)
for service in kip-building kip-succession kip-deposits; do
  KIP_PORT=${ports[$service]} "$bin/$service" >"$KIP_DATA_DIR/logs/$service.out" 2>"$KIP_DATA_DIR/logs/$service.log" &
  pids+=($!)
done
for service in kip-building kip-succession kip-deposits; do
  url="http://$KIP_HOST:${ports[$service]}"
  for _ in $(seq 1 100); do
    curl -fsS "$url/health" >/dev/null 2>&1 && break
    sleep 0.1
  done
  if curl -fsS "$url/health" >/dev/null 2>&1; then
    echo "$service  $url/  (pages; API: $url/openapi.json, $url/health, $url/metrics)"
  else
    echo "$service did not start; see $KIP_DATA_DIR/logs/$service.log"; tail -5 "$KIP_DATA_DIR/logs/$service.log"; exit 1
  fi
done
echo "front desk http://$KIP_HOST:${ports[kip-building]}/desk  (sign in as desk / kip-demo-desk: the booking grid, customers, 日計表)"
# The read models are built from the log at first start; say so while they are.
ready=0
for _ in $(seq 1 600); do
  if curl -fsS "http://$KIP_HOST:${ports[kip-building]}/health/ready" >/dev/null 2>&1; then ready=1; break; fi
  [ "$_" = 1 ] && echo "           (building the read models from the log; the desk answers in a moment)"
  sleep 0.1
done
[ "$ready" = 1 ] && echo "           read models ready"
echo "event log  $KIP_EVENT_LOG   (kipctl events read --log $KIP_EVENT_LOG)"
echo "logs       $KIP_DATA_DIR/logs/"
echo "$seeded"
echo "Ctrl-C stops every service."
wait
