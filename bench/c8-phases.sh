#!/usr/bin/env bash
# Which carbon phases a C8 campaign found (docs/benchmarks.md, "Evolution with D-optimality: C8 Tersoff").
# Exports every cycle's explored pool (the model-relaxed structures), relaxes the finished ones with the campaign's
# Tersoff oracle (crucible relax, FIRE-free LBFGS to 0.01 eV/A) and classifies each by the oracle energy, the
# coordination (C-C bonds < 1.85 A) and spglib's space group of the relaxed cell (symprec 0.01 A):
#   graphite    3-coordinated, every bond in one plane (layers), E within 0.01 eV/atom of relaxed graphite (any stacking:
#               Tersoff has no interlayer term; 3-D sp2 nets such as K4 carbon, I4_132, are degenerate with it and excluded)
#   diamond     4-coordinated, Fd-3m (227)
#   lonsdaleite 4-coordinated, P6_3/mmc (194) with 4 atoms in the primitive cell (the 2H stacking)
# Usage: bench/c8-phases.sh CAMPAIGN_DIR   (prints one line per phase: found or not, first cycle, count)
# These oracle relaxations are an analysis, not part of the campaign's oracle single points.
set -euo pipefail
dir="$1"
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$here/bench/oracle-relax-pools.sh" "$dir" "$work" | awk '/^relaxations /{n += $3} END {print "model relaxations (all cycles): " n}'
/usr/bin/python3 - "$work" <<'PY'
import glob, os, re, sys
import numpy as np, spglib
from ase.io import read
from ase.neighborlist import neighbor_list
first, count, total, origins = {}, {}, 0, {}
for f in sorted(glob.glob(os.path.join(sys.argv[1], 'oracle-*.extxyz')), key=lambda p: int(re.findall(r'(\d+)', p)[-1])):
    c = int(re.findall(r'(\d+)', f)[-1])
    for a in read(f, ':'):
        total += 1
        e = a.get_potential_energy() / len(a)
        i, d = neighbor_list('iD', a, 1.85)
        coord = np.bincount(i, minlength=len(a))
        cell = (a.cell[:], a.get_scaled_positions(), a.numbers)
        sg = spglib.get_symmetry_dataset(cell, symprec=0.01)
        num = sg.number if hasattr(sg, 'number') else sg['number']
        prim = spglib.find_primitive(cell, symprec=0.01)
        nprim = len(prim[2]) if prim is not None else len(a)
        phase = None
        flat = len(d) > 0 and np.linalg.svd(d, compute_uv=False)[-1] < 0.05 * np.linalg.svd(d, compute_uv=False)[0]
        if np.all(coord == 3) and flat and abs(e - (-7.39319)) < 0.01:
            phase = 'graphite'
        elif np.all(coord == 4) and num == 227:
            phase = 'diamond'
        elif np.all(coord == 4) and num == 194 and nprim == 4:
            phase = 'lonsdaleite'
        if phase:
            first.setdefault(phase, c)
            count[phase] = count.get(phase, 0) + 1
            kind = str(a.info.get('origin', '?')).split()[0]
            origins.setdefault(phase, {}).setdefault(kind, 0)
            origins[phase][kind] += 1
print(f'oracle-relaxed {total} finished relaxations of the campaign pools')
for p in ('graphite', 'diamond', 'lonsdaleite'):
    print(f'{p}: ' + (f'found, first in cycle {first[p]}, {count[p]} structures by origin {origins[p]}' if p in first else 'not found'))
PY
