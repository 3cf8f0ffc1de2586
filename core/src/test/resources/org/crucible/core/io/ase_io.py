"""Reference side of Crucible's ASE round-trip tests (run with Debian's /usr/bin/python3 and python3-ase).

  ase_io.py dump FILE FORMAT      read every frame with ASE and print it
  ase_io.py make-extxyz FILE      build labelled frames with ASE, write them as extended XYZ, print them
  ase_io.py make FILE FORMAT      build one periodic structure, write it in FORMAT (vasp, cif), print it

Printed form, one item per line, floats with repr() (exact): 'frame K', 'symbols ...', 'positions ...',
'cell ...' (rows), 'pbc T T F', 'energy X|none', 'forces ...|none', 'stress xx yy zz yz xz xy|none',
'info KEY JSON', 'array NAME KIND WIDTH values...'.
"""
import json
import sys

import numpy as np
import ase.io
from ase import Atoms
from ase.calculators.singlepoint import SinglePointCalculator


def flat(a):
    return ' '.join(repr(float(x)) for x in np.asarray(a, dtype=float).ravel())


def dump(frames):
    for k, atoms in enumerate(frames):
        print('frame', k)
        print('symbols', ' '.join(atoms.get_chemical_symbols()))
        print('positions', flat(atoms.positions))
        print('cell', flat(atoms.cell[:]))
        print('pbc', ' '.join('T' if p else 'F' for p in atoms.pbc))
        calc = atoms.calc
        res = calc.results if calc is not None else {}
        print('energy', repr(float(res['energy'])) if 'energy' in res else 'none')
        print('forces', flat(res['forces']) if 'forces' in res else 'none')
        print('stress', flat(res['stress']) if 'stress' in res else 'none')
        for key, val in atoms.info.items():
            if isinstance(val, np.ndarray):
                val = val.tolist()
            elif isinstance(val, np.generic):
                val = val.item()
            print('info', key, json.dumps(val))
        for name, arr in atoms.arrays.items():
            if name in ('numbers', 'positions'):
                continue
            width = 1 if arr.ndim == 1 else arr.shape[1]
            vals = ' '.join(('T' if x else 'F') if arr.dtype.kind == 'b' else repr(x.item()) if arr.dtype.kind in 'if' else str(x)
                            for x in arr.ravel())
            print('array', name, arr.dtype.kind, width, vals)


def labelled(atoms, rng, stress=True):
    n = len(atoms)
    results = {'energy': float(rng.normal(-5 * n, 1)), 'forces': rng.normal(size=(n, 3))}
    if stress:
        results['stress'] = rng.normal(scale=0.01, size=6)
    atoms.calc = SinglePointCalculator(atoms, **results)
    return atoms


def main():
    mode, path = sys.argv[1], sys.argv[2]
    rng = np.random.default_rng(20261122)
    if mode == 'dump':
        dump(ase.io.read(path, index=':', format=sys.argv[3]))
    elif mode == 'make-extxyz':
        frames = []
        for k in range(3):
            cell = np.diag([5.431, 5.431, 5.431]) + rng.normal(scale=0.3, size=(3, 3))
            atoms = Atoms('Si6C2', scaled_positions=rng.random((8, 3)), cell=cell, pbc=True)
            atoms.info['config_type'] = 'random bulk'
            atoms.info['step'] = k
            atoms.info['temperature'] = 300.0 + 0.123456789 * k
            atoms.set_tags(np.arange(8) % 3)
            atoms.new_array('magmoms_custom', rng.normal(size=(8, 3)))
            frames.append(labelled(atoms, rng))
        slab = Atoms('Si4', positions=rng.random((4, 3)) * 3, cell=[4.0, 4.5, 20.0], pbc=[True, True, False])
        frames.append(labelled(slab, rng))
        water = Atoms('OH2', positions=[[0, 0, 0.119262], [0, 0.763239, -0.477047], [0, -0.763239, -0.477047]])
        frames.append(labelled(water, rng, stress=False))
        ase.io.write(path, frames, format='extxyz')
        dump(frames)
    elif mode == 'make':
        cell = [[5.2, 0.1, 0.0], [0.6, 4.9, 0.2], [-0.3, 0.4, 6.1]]
        atoms = Atoms('Si3O6', scaled_positions=rng.random((9, 3)), cell=cell, pbc=True)
        ase.io.write(path, atoms, format=sys.argv[3])
        dump([atoms])
    else:
        raise SystemExit('unknown mode ' + mode)


if __name__ == '__main__':
    main()
