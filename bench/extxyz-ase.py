#!/usr/bin/python3
"""ASE 3.22 reference for extended-XYZ read and write time per atom (Debian's /usr/bin/python3 has python3-ase).

Usage: bench/extxyz-ase.py FILE [REPEATS]
FILE is written by org.crucible.core.bench.ExtendedXyzBenchmark's main (100 frames of 1,000 Si atoms with energy,
stress and forces). Reads every frame with ase.io.read(FILE, ':'), writes them back with ase.io.write(..., format=
'extxyz') into an in-memory buffer, REPEATS times (default 3), and prints the median and best microseconds per atom
of each, wall clock (time.perf_counter) and process CPU (time.process_time).
"""
import io
import statistics
import sys
import time

import ase.io

path = sys.argv[1]
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
frames = ase.io.read(path, ':')
atoms = sum(len(a) for a in frames)
res = {"read": [], "write": []}
for _ in range(repeats):
    w0, c0 = time.perf_counter(), time.process_time()
    frames = ase.io.read(path, ':')
    res["read"].append((time.perf_counter() - w0, time.process_time() - c0))
    buf = io.StringIO()
    w0, c0 = time.perf_counter(), time.process_time()
    ase.io.write(buf, frames, format='extxyz')
    res["write"].append((time.perf_counter() - w0, time.process_time() - c0))
print(f"ASE {ase.__version__}: {len(frames)} frames, {atoms} atoms, {repeats} repeats")
for what, runs in res.items():
    wall = [w / atoms * 1e6 for w, _ in runs]
    cpu = [c / atoms * 1e6 for _, c in runs]
    print(f"{what:5s} us/atom wall median {statistics.median(wall):.3f} best {min(wall):.3f}; "
          f"cpu median {statistics.median(cpu):.3f} best {min(cpu):.3f}")
