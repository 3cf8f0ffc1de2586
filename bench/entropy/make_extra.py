#!/usr/bin/python3
# Interstitial and (110) surface test sets for docs/benchmarks.md (issue 18). Run from the benchmark directory after
# `crucible relax tests/interstitial_start.extxyz tests/interstitial_relaxed.extxyz --calculator eam:W_zhou... --fixed-cell`
# (interstitial_start: bcc 3x3x3 + one atom on <111> next to atom 0, which is pushed back 0.15 a along <111>).
import numpy as np
from ase.build import bcc110
from ase.io import read, write
rng = np.random.default_rng(12)
a = 3.165
def rattled(s, sigma):
    s = s.copy(); s.positions += rng.normal(0, sigma, s.positions.shape); return s
relaxed = read("tests/interstitial_relaxed.extxyz")
relaxed.calc = None
write("tests/interstitial.extxyz", [rattled(relaxed, 0.05) for _ in range(10)])
slab = bcc110("W", size=(3, 3, 6), a=a, vacuum=5.0, periodic=True)  # 54 atoms, 6 (110) layers, 10 A vacuum
slab.info = {}
write("tests/surface110.extxyz", [rattled(slab, 0.05) for _ in range(10)])
