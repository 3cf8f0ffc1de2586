#!/usr/bin/env bash
# Which Si-C phases a variable-composition campaign found (docs/benchmarks.md, "Variable-composition SiC"): every
# finished model relaxation of every cycle's explored pool is relaxed with the Tersoff oracle (bench/oracle-relax-pools.sh)
# and, per composition class, the lowest oracle energy per atom is reported with spglib's space group (symprec 0.01 A)
# and the first cycle it appeared. Formation enthalpies are against the LAMMPS references of SiC.tersoff (Si diamond
# -4.628873, C graphite -7.393187 eV/atom). "zincblende-like 1:1" = Si_n C_n within 0.01 eV/atom of relaxed zincblende
# (-6.163788 eV/atom; wurtzite and other tetrahedral polytypes are degenerate with it under Tersoff, which has no
# third-neighbour term).
# Usage: bench/sic-phases.sh CAMPAIGN_DIR
# These oracle relaxations are an analysis, not part of the campaign's oracle single points.
set -euo pipefail
dir="$1"
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$here/bench/oracle-relax-pools.sh" "$dir" "$work" | awk '/^relaxations /{n += $3} END {print "model relaxations (all cycles): " n}'
/usr/bin/python3 - "$work" <<'PY'
import glob, os, re, sys
import spglib
from ase.io import read
E_SI, E_C, E_ZB = -4.628873, -7.393187, -6.163788
best, first_zb, total, zb = {}, None, 0, 0
for f in sorted(glob.glob(os.path.join(sys.argv[1], 'oracle-*.extxyz')), key=lambda p: int(re.findall(r'(\d+)', p)[-1])):
    c = int(re.findall(r'(\d+)', f)[-1])
    for a in read(f, ':'):
        total += 1
        n = len(a)
        nc = sum(1 for s in a.get_chemical_symbols() if s == 'C')
        x = nc / n
        e = a.get_potential_energy() / n
        cls = 'Si' if nc == 0 else 'C' if nc == n else '1:1' if 2 * nc == n else 'other'
        sg = spglib.get_spacegroup((a.cell[:], a.get_scaled_positions(), a.numbers), symprec=0.01) or '?'
        hf = e - (1 - x) * E_SI - x * E_C
        key = hf if cls == 'other' else e   # compositions differ within 'other': compare formation enthalpies
        if cls not in best or key < best[cls][0]:
            best[cls] = (key, e, hf, a.get_chemical_formula(), sg, c)
        if cls == '1:1' and abs(e - E_ZB) < 0.01:
            zb += 1
            first_zb = c if first_zb is None else first_zb
print(f'oracle-relaxed {total} finished relaxations of the campaign pools')
for cls in ('Si', 'C', '1:1', 'other'):
    if cls in best:
        _, e, hf, f, sg, c = best[cls]
        print(f'best {cls}: {f} {sg} {e:.4f} eV/atom, H_f {hf:.4f} eV/atom (first in cycle {c})')
print('zincblende-like 1:1: ' + (f'found, first in cycle {first_zb}, {zb} structures' if zb else 'not found'))
PY
