#!/usr/bin/env bash
# Throughput of two builds of OrleansNodes with the replicas spread over three silos, interleaved
# on the same machine: three silo processes on a fresh Redis (redis-server on the PATH), waited
# for until each replica runs on its own silo and a leader is elected, then the same put load
# (`kv load --mix put=100 --clients 32 --keys 16`) through all three gateways, ROUNDS times in turn.
# Prints one line per run: build, puts/s, p50 ms, p99 ms, unknown outcomes.
# Usage: benchmarks/scripts/compare-builds-spread.sh OLD_REPO NEW_REPO [ROUNDS] [SECONDS]
# (each repo built with `dotnet build silo -c Release && dotnet build client -c Release`).
set -euo pipefail
old=$1 new=$2 rounds=${3:-2} seconds=${4:-20}
run() {
  local repo=$1 label=$2 data redis id base pids=()
  data=$(mktemp -d)
  redis=$((6500 + RANDOM % 400)) id="bench$RANDOM" base=$((30000 + RANDOM % 1000))
  redis-server --port "$redis" --dir "$data" --appendonly yes --appendfsync always --save "" --daemonize yes --logfile "$data/redis.log"
  until redis-cli -p "$redis" ping >/dev/null 2>&1; do sleep 0.2; done
  for i in 0 1 2; do
    dotnet "$repo/silo/bin/Release/net10.0/orleansnodes-silo.dll" --storage redis --redis "127.0.0.1:$redis" \
      --cluster-id "$id" --service-id "$id" --silo-port $((base + 10 + i)) --gateway-port $((base + 20 + i)) \
      --url "http://127.0.0.1:$((base + 30 + i))" --data "$data/d$i" >"$data/silo$i.log" 2>&1 &
    pids+=($!)
  done
  until curl -sf "http://127.0.0.1:$((base + 30))/status/kv" 2>/dev/null | python3 -c '
import json, sys
nodes = json.load(sys.stdin)["nodes"]
sys.exit(0 if len({n["silo"] for n in nodes}) == 3 and all(n["running"] for n in nodes) and any(n["state"].startswith("Leader") for n in nodes) else 1)' 2>/dev/null; do
    sleep 0.5
  done
  dotnet "$repo/client/bin/Release/net10.0/orleansnodes.dll" kv load \
    --gateway "127.0.0.1:$((base + 20)),127.0.0.1:$((base + 21)),127.0.0.1:$((base + 22))" --cluster-id "$id" --service-id "$id" \
    --mix put=100 --clients 32 --keys 16 --duration "$seconds" --json 2>"$data/load.err" |
    python3 -c 'import json, sys; d = json.loads([l for l in sys.stdin.read().splitlines() if l.startswith("{")][-1]); print(sys.argv[1], d["putsPerSecond"], d["latencyMsP50"], d["latencyMsP99"], d["unknown"])' "$label"
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  redis-cli -p "$redis" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$data"
}
for round in $(seq 1 "$rounds"); do
  run "$old" old
  run "$new" new
done
