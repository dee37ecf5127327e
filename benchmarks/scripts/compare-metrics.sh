#!/usr/bin/env bash
# The cost of metrics: the same put load (`kv load --mix put=100 --clients 32 --keys 16`) against
# a fresh embedded silo with metrics exported (the default) and with `ORLEANSNODES__METRICS=false`,
# ROUNDS times in turn (alternating which goes first), with /metrics scraped once a second while metrics are on (as Prometheus would).
# Usage: benchmarks/scripts/compare-metrics.sh [REPO] [ROUNDS] [SECONDS]   (repo built in Release)
set -euo pipefail
repo=${1:-.} rounds=${2:-3} seconds=${3:-20}
run() {
  local metrics=$1 data port scraper=""
  data=$(mktemp -d)
  port=$((31000 + RANDOM % 2000))
  ORLEANSNODES__METRICS=$metrics dotnet "$repo/silo/bin/Release/net10.0/orleansnodes-silo.dll" --data "$data" --tick-ms 20 \
    --silo-port $((port + 2000)) --gateway-port "$port" --url "http://127.0.0.1:$((port + 4000))" >"$data/silo.log" 2>&1 &
  local silo=$!
  until curl -sf "http://127.0.0.1:$((port + 4000))/status/kv" >/dev/null; do sleep 0.5; done
  if [ "$metrics" = true ]; then
    (while true; do curl -sf "http://127.0.0.1:$((port + 4000))/metrics" >/dev/null || true; sleep 1; done) &
    scraper=$!
  fi
  local console="dotnet $repo/client/bin/Release/net10.0/orleansnodes.dll"
  $console kv load --gateway "127.0.0.1:$port" --mix put=100 --clients 32 --keys 16 --duration 3 --json >/dev/null 2>&1
  $console kv load --gateway "127.0.0.1:$port" --mix put=100 --clients 32 --keys 16 --duration "$seconds" --json 2>/dev/null |
    grep -o '"putsPerSecond":[0-9.]*' | cut -d: -f2
  [ -n "$scraper" ] && kill "$scraper" 2>/dev/null
  kill "$silo"; wait "$silo" 2>/dev/null || true
  rm -rf "$data"
}
echo "round off on on/off"
for round in $(seq "$rounds"); do
  # Alternate which goes first, so that whatever drifts over a pair (the machine's neighbours,
  # the disk) does not always fall on the same side.
  if [ $((round % 2)) -eq 1 ]; then off=$(run false); on=$(run true); else on=$(run true); off=$(run false); fi
  echo "$round $off $on $(awk "BEGIN {printf \"%.2f\", $on / $off}")"
done
