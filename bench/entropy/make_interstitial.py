#!/usr/bin/python3
# tests/interstitial_start.extxyz for make_extra.py: bcc W 3x3x3 (a = 3.165 Angstrom) plus one atom on <111> next to
# atom 0 (a crowdion-like start), atom 0 pushed back 0.15 a along <111>; relaxed afterwards with the EAM.
import numpy as np
from ase import Atom
from ase.build import bulk
from ase.io import write
a = 3.165
s = bulk("W", "bcc", a=a, cubic=True).repeat((3, 3, 3))
d = np.array([1.0, 1.0, 1.0]) / np.sqrt(3)
p0 = s.positions[0].copy()
s.positions[0] = p0 - 0.15 * a * d
s.append(Atom("W", p0 + 0.35 * a * d))
s.wrap()
write("tests/interstitial_start.extxyz", s)
