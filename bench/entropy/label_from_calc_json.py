#!/usr/bin/python3
# Usage: /usr/bin/python3 label_from_calc_json.py IN.extxyz IN.json OUT.extxyz  (IN.json from `crucible calc IN.extxyz --calculator eam:FILE --json`)
# Adds EAM labels from `crucible calc --json` (one JSON line per frame) to the frames of an extxyz file.
import json, sys
import numpy as np
from ase.io import read, write
from ase.calculators.singlepoint import SinglePointCalculator
src, js, dst = sys.argv[1:4]
frames = read(src, ':')
rows = [json.loads(l) for l in open(js) if l.strip().startswith('{')]
assert len(rows) == len(frames), (len(rows), len(frames))
out = []
for a, r in zip(frames, rows):
    b = a.copy()
    b.info = {}
    for k in list(b.arrays):
        if k not in ('numbers', 'positions'): del b.arrays[k]
    b.calc = SinglePointCalculator(b, energy=r['energy_eV'], forces=np.array(r['forces_eV_per_A']))
    b.wrap()
    out.append(b)
write(dst, out)
