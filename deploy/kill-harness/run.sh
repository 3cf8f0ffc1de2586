#!/usr/bin/env bash
# Long runs of the campaign kill harness (docs/reliability.md): an uninterrupted reference run of CONFIG, then the
# same campaign SIGKILLed N_KILLS times at seeded moments of every loop step and of store compactions, resumed each
# time, then the final store and the oracle-call ledger compared with the reference. Exit 0 when nothing was lost,
# duplicated or paid twice.
#
#   deploy/kill-harness/run.sh N_KILLS [--second-writer] [--seed S] [--config FILE] [--dir DIR] [other bench options]
#
# Defaults: CONFIG deploy/kill-harness/si8-sw.yaml, DIR kill-harness-runs/<date>-<kills>, report DIR/report.json.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if [ $# -lt 1 ] || ! [[ "$1" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 N_KILLS [--second-writer] [--seed S] [--config FILE] [--dir DIR] ..." >&2
  exit 2
fi
kills="$1"; shift
config="$here/si8-sw.yaml"
dir="kill-harness-runs/$(date -u +%Y%m%dT%H%M%S)-$kills"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --config) config="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
mkdir -p "$(dirname "$dir")"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
start=$(date +%s)
set +e
"$root/crucible" bench kill-harness --config "$config" --kills "$kills" --dir "$dir" --json "$dir.json" "${args[@]}"
code=$?
set -e
echo "wall time: $(( $(date +%s) - start )) s; report $dir.json; runs in $dir"
exit $code
