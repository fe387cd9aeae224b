#!/bin/sh
# Starts a Docker engine on a machine that has none running (as root): no bridge and no iptables
# rules, so the host's network stays as it is; containers use the host's network. Waits until the
# engine answers.
set -eu
if docker info >/dev/null 2>&1; then
  exit 0
fi
log=${DOCKERD_LOG:-/var/log/reshape-dockerd.log}
nohup dockerd --bridge=none --iptables=false >"$log" 2>&1 &
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    exit 0
  fi
  sleep 1
done
echo "dockerd did not answer within 60 s; its log ($log) ends with:" >&2
tail -n 20 "$log" >&2
exit 1
