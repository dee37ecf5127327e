#!/bin/bash
# Starts the silo ("$@", e.g. dotnet /app/orleansnodes-silo.dll --storage redis).
#
# Orleans advertises an IP address, not a host name, to the other silos and to clients
# (HostSettings.AdvertisedAddress). On Kubernetes the pod IP comes from the downward API
# (ORLEANSNODES__KUBERNETES=true). Elsewhere a container does not know its address up front
# (docker compose, Azure Container Apps replicas), so when a clustered profile runs without
# ORLEANSNODES__ADVERTISEDADDRESS this looks up the container's own host name, which the
# runtime writes into /etc/hosts with the container's IP (what `hostname -i` would print:
# the image has getent, from libc, but not necessarily the hostname tool).
set -euo pipefail

storage="${ORLEANSNODES__STORAGE:-embedded}"
kubernetes="${ORLEANSNODES__KUBERNETES:-false}"

if [[ -z "${ORLEANSNODES__ADVERTISEDADDRESS:-}" && "${storage,,}" != "embedded" && "${kubernetes,,}" != "true" ]]; then
  name="${HOSTNAME:-$(</proc/sys/kernel/hostname)}"
  address=""
  # ahostsv4 lists each address once per socket type; the first non-loopback one wins.
  while read -r candidate _; do
    if [[ "$candidate" != 127.* ]]; then
      address="$candidate"
      break
    fi
  done < <(getent ahostsv4 "$name" || true)
  if [[ -z "$address" ]]; then
    echo "error: cannot find a non-loopback IPv4 address for host name '$name'; set ORLEANSNODES__ADVERTISEDADDRESS to the IP other silos reach this one at" >&2
    exit 2
  fi
  export ORLEANSNODES__ADVERTISEDADDRESS="$address"
  echo "advertising $address (host name '$name'); set ORLEANSNODES__ADVERTISEDADDRESS to override" >&2
fi

exec "$@"
