#!/usr/bin/env bash
# Installs and starts the real servers the redis and azure tests use, on loopback:
#   redis-server (Debian package) with AOF and fsync on every write, as the redis profile needs;
#   Azurite (npm package, installed into artifacts/tools) for the azure profile.
# Also installs Chromium (Debian package, /usr/bin/chromium), the browser the protocol page's
# tests drive; it runs only inside those tests.
# Usage: bash .ci/services.sh start   prints the export lines the tests read
#        bash .ci/services.sh stop
# .ci/run sources this; by hand: eval "$(bash .ci/services.sh start)" then dotnet test.
set -euo pipefail
cd "$(dirname "$0")/.."

state="$PWD/artifacts/services"
redis_port=${ORLEANSNODES_CI_REDIS_PORT:-6391}
blob_port=${ORLEANSNODES_CI_AZURITE_PORT:-10010}
queue_port=$((blob_port + 1))
table_port=$((blob_port + 2))
azurite_version=3.37.0

log() { echo "services: $*" >&2; }

wait_for_port() { # port, name
  for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  log "$2 did not listen on port $1 within 60 s; its log: $state/$2.log"
  tail -n 20 "$state/$2.log" >&2 || true
  return 1
}

install() {
  local packages=()
  command -v redis-server >/dev/null || packages+=(redis-server)
  # The protocol page's tests open it in Debian's Chromium: Playwright downloads no browser here.
  [ -x /usr/bin/chromium ] || packages+=(chromium)
  if [ ${#packages[@]} -gt 0 ]; then
    log "installing ${packages[*]} (apt)"
    local sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}" >&2
  fi
  if [ ! -x artifacts/tools/node_modules/.bin/azurite ]; then
    log "installing azurite@$azurite_version (npm)"
    mkdir -p artifacts/tools
    npm install --prefix artifacts/tools --no-audit --no-fund --loglevel=error "azurite@$azurite_version" >&2
  fi
}

start() {
  install
  stop 2>/dev/null || true
  mkdir -p "$state/redis" "$state/azurite"
  redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$state/redis" \
    --appendonly yes --appendfsync always --auto-aof-rewrite-min-size 256mb --save "" --daemonize no >"$state/redis.log" 2>&1 &
  echo $! >"$state/redis.pid"
  artifacts/tools/node_modules/.bin/azurite --silent --skipApiVersionCheck --loose --location "$state/azurite" \
    --blobHost 127.0.0.1 --blobPort "$blob_port" --queueHost 127.0.0.1 --queuePort "$queue_port" \
    --tableHost 127.0.0.1 --tablePort "$table_port" >"$state/azurite.log" 2>&1 &
  echo $! >"$state/azurite.pid"
  wait_for_port "$redis_port" redis
  wait_for_port "$table_port" azurite
  wait_for_port "$blob_port" azurite
  log "redis on 127.0.0.1:$redis_port, azurite on 127.0.0.1:$blob_port-$table_port"
  local key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
  echo "export ORLEANSNODES_TEST_REDIS=127.0.0.1:$redis_port"
  echo "export ORLEANSNODES_TEST_AZURITE='DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue_port/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1;'"
}

# SIGTERM, then SIGKILL after 5 s: Azurite closes its ports on the first signal but lingers.
stop() {
  for name in redis azurite; do
    if [ -f "$state/$name.pid" ]; then
      local pid
      pid=$(cat "$state/$name.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$state/$name.pid"
    fi
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: bash .ci/services.sh start|stop" >&2; exit 2 ;;
esac
