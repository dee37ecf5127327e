#!/bin/bash
# Docker HEALTHCHECK for the silo: GET /healthz/live on the silo's own HTTP port, healthy when
# the answer is 200. The runtime images ship neither curl nor wget, so the request is written
# by hand over bash's /dev/tcp. The port is taken from ORLEANSNODES__URL (plain http only).
set -uo pipefail

url="${ORLEANSNODES__URL:-http://localhost:8080}"
path="${1:-/healthz/live}"
if [[ "$url" =~ ^http://[^/:]+:([0-9]+)/?$ ]]; then
  port="${BASH_REMATCH[1]}"
elif [[ "$url" =~ ^http://[^/:]+/?$ ]]; then
  port=80
else
  echo "unhealthy: cannot check '$url' (only http://HOST[:PORT] URLs are supported)" >&2
  exit 1
fi

if ! { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
  echo "unhealthy: nothing listens on 127.0.0.1:$port" >&2
  exit 1
fi
printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
if ! IFS= read -r -t 4 status <&3; then
  echo "unhealthy: no answer from 127.0.0.1:$port$path" >&2
  exit 1
fi
status="${status%$'\r'}"
if [[ "$status" =~ ^HTTP/1\.[01]\ 200( |$) ]]; then
  exit 0
fi
echo "unhealthy: $path answered '$status'" >&2
exit 1
