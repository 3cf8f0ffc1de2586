#!/usr/bin/env bash
# Stops what deploy/local-slurm/up.sh started (sshd, slurmd, slurmctld), by the pid files in state/.
# Idempotent. Leaves munged running (other software may use it) unless --all is given; keeps state/ (keys,
# profile) so a later up.sh reuses the same port and keys. `down.sh --purge` also deletes state/.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
state="$here/state"
say() { echo "local-slurm: $*"; }

stop() {
  local name="$1" pidfile="$2"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    local pid; pid="$(cat "$pidfile")"
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    say "$name: stopped (pid $pid)"
  else
    say "$name: not running"
  fi
  rm -f "$pidfile"
}

stop sshd "$state/run/sshd.pid"
stop slurmd "$state/run/slurmd.pid"
stop slurmctld "$state/run/slurmctld.pid"
for arg in "$@"; do
  case "$arg" in
    --all)
      if pid="$(pgrep -x munged)"; then kill $pid; say "munged: stopped"; else say "munged: not running"; fi ;;
    --purge)
      rm -rf "$state"; say "state: removed" ;;
    *) echo "usage: down.sh [--all] [--purge]" >&2; exit 2 ;;
  esac
done
