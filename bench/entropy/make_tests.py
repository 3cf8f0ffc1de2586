#!/usr/bin/python3
# Held-out W test sets (unlabelled; labelled afterwards by `crucible calc --calculator eam:W_zhou.eam.alloy`).
import numpy as np
from ase.build import bulk
from ase.io import write
rng = np.random.default_rng(11)
a = 3.165
base = bulk("W", "bcc", a=a, cubic=True).repeat((3, 3, 3))  # 54 atoms
def rattled(s, sigma):
    s = s.copy(); s.positions += rng.normal(0, sigma, s.positions.shape); return s
frames = [rattled(base, 0.1) for _ in range(10)]
write("tests/bcc_rattled.extxyz", frames)
strained = []
for _ in range(10):
    s = base.copy()
    e = rng.uniform(-0.03, 0.03, (3, 3)); e = 0.5 * (e + e.T)
    s.set_cell(s.cell[:] @ (np.eye(3) + e), scale_atoms=True)
    strained.append(rattled(s, 0.03))
write("tests/bcc_strained.extxyz", strained)
vac = base.copy(); del vac[0]
write("tests/vacancy.extxyz", [rattled(vac, 0.05) for _ in range(10)])
write("tests/bcc54.extxyz", base)
