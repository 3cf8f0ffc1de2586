#!/usr/bin/env bash
# Shared step of the phase-analysis scripts (bench/c8-phases.sh, bench/sic-phases.sh): exports every cycle's explored
# pool (the model-relaxed structures) of a campaign, keeps the finished relaxations (status converged, max_steps or
# patience), and relaxes them with the Tersoff oracle of LAMMPS' SiC.tersoff (crucible relax, LBFGS, 2,000 steps at
# most). Writes WORK/oracle-CYCLE.extxyz (oracle-relaxed, the model frame's info kept) and prints the number of model
# relaxations per cycle (every explored row except the extra 'marked' configurations) as "relaxations CYCLE N".
# Usage: bench/oracle-relax-pools.sh CAMPAIGN_DIR WORK_DIR
# These oracle relaxations are an analysis, not part of the campaign's oracle single points.
set -euo pipefail
dir="$1"
work="$2"
here="$(cd "$(dirname "$0")/.." && pwd)"
cycles=$(ls -d "$dir"/pools/cycle=* | sed 's/.*cycle=//' | sort -n)
for c in $cycles; do
  [ "$c" = 0 ] && continue
  [ -d "$dir/pools/cycle=$c/stage=relaxed" ] || continue
  "$here/crucible" pool export "$dir" --cycle "$c" --stage relaxed -o "$work/relaxed-$c.extxyz" -q
  /usr/bin/python3 - "$work/relaxed-$c.extxyz" "$work/finished-$c.extxyz" "$c" <<'PY'
import sys
from ase.io import read, write
frames = read(sys.argv[1], ':')
print(f"relaxations {sys.argv[3]} {sum(1 for a in frames if a.info.get('status') != 'marked')}")
frames = [a for a in frames if a.info.get('status') in ('converged', 'max_steps', 'patience')]
write(sys.argv[2], frames, format='extxyz') if frames else open(sys.argv[2], 'w').close()
PY
  if [ -s "$work/finished-$c.extxyz" ]; then
    "$here/crucible" relax --calculator=tersoff:/usr/share/lammps/potentials/SiC.tersoff --max-steps 2000 "$work/finished-$c.extxyz" "$work/oracle-$c.extxyz" -q
  fi
done
