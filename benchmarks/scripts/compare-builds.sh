#!/usr/bin/env bash
# Empty-store throughput of two builds of OrleansNodes, interleaved on the same machine: the same
# put load (`kv load --mix put=100 --clients 32 --keys 16`, default short values, which both
# builds' consoles take) against a fresh embedded silo of each build, ROUNDS times in turn.
# Usage: benchmarks/scripts/compare-builds.sh OLD_REPO NEW_REPO [ROUNDS] [SECONDS]
# (each repo built with `dotnet build silo -c Release && dotnet build client -c Release`).
set -euo pipefail
old=$1 new=$2 rounds=${3:-3} seconds=${4:-20}
run() {
  local repo=$1 data port
  data=$(mktemp -d)
  port=$((31000 + RANDOM % 2000))
  dotnet "$repo/silo/bin/Release/net10.0/orleansnodes-silo.dll" --data "$data" --tick-ms 20 \
    --silo-port $((port + 2000)) --gateway-port "$port" --url "http://127.0.0.1:$((port + 4000))" >"$data/silo.log" 2>&1 &
  local silo=$!
  until curl -sf "http://127.0.0.1:$((port + 4000))/status/kv" >/dev/null; do sleep 0.5; done
  local console="dotnet $repo/client/bin/Release/net10.0/orleansnodes.dll"
  $console kv load --gateway "127.0.0.1:$port" --mix put=100 --clients 32 --keys 16 --duration 3 --json >/dev/null
  $console kv load --gateway "127.0.0.1:$port" --mix put=100 --clients 32 --keys 16 --duration "$seconds" --json |
    grep -o '"putsPerSecond":[0-9.]*' | cut -d: -f2
  kill "$silo"; wait "$silo" 2>/dev/null || true
  rm -rf "$data"
}
echo "round old new new/old"
for round in $(seq "$rounds"); do
  o=$(run "$old"); n=$(run "$new")
  echo "$round $o $n $(awk "BEGIN {printf \"%.2f\", $n / $o}")"
done
