#!/usr/bin/env bash
# Stops the master and workers that up.sh started (by the pids it recorded; nothing else is touched).
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
run="${CRUCIBLE_SPARK_RUN:-$here/.run}"
for name in worker1 worker2 master; do
  pidfile="$run/$name.pid"
  [ -f "$pidfile" ] || continue
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2> /dev/null; then
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2> /dev/null && kill -9 "$pid"
  fi
  rm -f "$pidfile"
done
echo "spark standalone stopped ($run)"
