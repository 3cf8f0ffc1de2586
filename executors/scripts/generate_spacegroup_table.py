#!/usr/bin/python3
"""Writes Crucible's space-group table (executors/src/main/resources/org/crucible/executors/symmetry/spacegroups.txt).

Facts only: the symmetry operations of the standard setting of each of the 230 space-group types come from
spglib's database (the first Hall setting of each type, hexagonal axes for R groups, origin choice 1 where
there are two). Wyckoff positions are DERIVED here from those operations, not copied: every point of a
1/24 fractional grid gets its site-symmetry group S (the operations, with their lattice shifts, that fix it);
each distinct S defines the affine subspace Fix(S) of points it fixes (dimension = degrees of freedom) and the
multiplicity |G|/|S| in the conventional cell; subspaces mapped onto each other by an operation of G (and a
lattice translation) are one Wyckoff position. Letters are then asked of spglib itself (it names the site of a
test structure), so they follow the International Tables.

Run with Debian's interpreter:  /usr/bin/python3 executors/scripts/generate_spacegroup_table.py > table
"""
import sys
import numpy as np
import spglib
import sympy

DEN = 24  # every translation and every zero-dimensional Wyckoff coordinate is a multiple of 1/24
EPS = 1e-6


def crystal_system(n):
    for upper, name in ((2, "triclinic"), (15, "monoclinic"), (74, "orthorhombic"), (142, "tetragonal"),
                        (167, "trigonal"), (194, "hexagonal"), (230, "cubic")):
        if n <= upper:
            return name


def standard_halls():
    first = {}
    for h in range(1, 531):
        t = spglib.get_spacegroup_type(h)
        first.setdefault(t["number"], (h, t))
    return first


def stabilisers(rots, trans, pts):
    """For each point (rows of pts), the frozenset of (op index, shift) with R x + t + shift = x."""
    out = [[] for _ in range(len(pts))]
    for k, (r, t) in enumerate(zip(rots, trans)):
        img = pts @ r.T + t
        d = pts - img
        sh = np.rint(d)
        ok = np.all(np.abs(d - sh) < EPS, axis=1)
        for i in np.nonzero(ok)[0]:
            out[i].append((k, tuple(int(v) for v in sh[i])))
    return [frozenset(s) for s in out]


def fix_space(rots, trans, stab):
    """Exact affine subspace {x : R x + t + n = x for (R, t, n) in stab}: (point, integer basis rows)."""
    rows, rhs = [], []
    for k, n in stab:
        a = sympy.Matrix(rots[k]) - sympy.eye(3)
        b = -(sympy.Matrix([sympy.Rational(round(v * DEN), DEN) for v in trans[k]]) + sympy.Matrix(n))
        for i in range(3):
            rows.append(list(a.row(i)))
            rhs.append(b[i])
    a = sympy.Matrix(rows)
    b = sympy.Matrix(rhs)
    sol, params = a.gauss_jordan_solve(b)
    basis = []
    for v in a.nullspace():
        den = sympy.ilcm(*[sympy.fraction(e)[1] for e in v])
        iv = [int(e * den) for e in v]
        g = int(np.gcd.reduce(np.abs(iv)))
        basis.append([x // g for x in iv])
    return basis


def orbit_equivalent(rots, trans, x, stab2):
    """True when some g in G maps the generic point x onto the subspace fixed by stab2 (up to a lattice vector)."""
    shifts = np.array([[i, j, k] for i in range(-2, 3) for j in range(-2, 3) for k in range(-2, 3)], float)
    for r, t in zip(rots, trans):
        y = r @ x + t
        cand = y + shifts
        ok = np.ones(len(cand), bool)
        for k, n in stab2:
            img = cand @ rots[k].T + trans[k] + np.array(n, float)
            ok &= np.all(np.abs(img - cand) < 1e-7, axis=1)
            if not ok.any():
                break
        if ok.any():
            return True
    return False


def spglib_letter(number, rots, trans, lattice, point, rng):
    """Wyckoff letter of the orbit of `point` as spglib names it (the orbit plus a general-position marker)."""
    def orbit(x):
        pts = []
        for r, t in zip(rots, trans):
            y = (r @ x + t) % 1.0
            if not any(np.linalg.norm(((y - p) + 0.5) % 1.0 - 0.5) < 1e-5 for p in pts):
                pts.append(y)
        return pts
    a = orbit(np.array(point))
    for _ in range(10):
        g = orbit(rng.random(3))
        pos = a + g
        nums = [14] * len(a) + [6] * len(g)
        ds = spglib.get_symmetry_dataset((lattice, pos, nums), symprec=1e-4)
        if ds is not None and ds["number"] == number:
            return ds["wyckoffs"][0]
    return "?"


def lattice_for(system, rng):
    if system == "cubic":
        return np.eye(3) * 5.0
    if system in ("hexagonal", "trigonal"):
        return np.array([[5.0, 0, 0], [-2.5, 2.5 * np.sqrt(3), 0], [0, 0, 6.3]])
    if system == "tetragonal":
        return np.diag([5.0, 5.0, 6.3])
    if system == "orthorhombic":
        return np.diag([4.4, 5.3, 6.7])
    if system == "monoclinic":
        b = np.radians(101.3)
        return np.array([[4.4, 0, 0], [0, 5.3, 0], [6.7 * np.cos(b), 0, 6.7 * np.sin(b)]])
    return np.array([[4.4, 0, 0], [0.9, 5.3, 0], [1.1, 1.3, 6.7]])


def main():
    rng = np.random.default_rng(20261122)
    grid1 = np.arange(DEN) / DEN
    grid = np.array(np.meshgrid(grid1, grid1, grid1, indexing="ij")).reshape(3, -1).T
    out = sys.stdout
    out.write("# Crucible space-group table, format 1. Written by executors/scripts/generate_spacegroup_table.py\n")
    out.write("# from the spglib %s database (standard settings; facts of the International Tables, vol. A).\n" % spglib.__version__)
    out.write("# group NUMBER HALL SYMBOL FULL_SYMBOL(~ for spaces) SCHOENFLIES POINTGROUP SYSTEM CHOICE\n")
    out.write("# op R11 R12 R13 R21 R22 R23 R31 R32 R33 T1 T2 T3   (x' = R x + T/24, fractional, conventional cell)\n")
    out.write("# wyckoff LETTER MULTIPLICITY SITE_ORDER DOF P1 P2 P3 (point in 24ths) [basis vectors, 3 ints each]\n")
    total = 0
    for number, (hall, t) in sorted(standard_halls().items()):
        sym = spglib.get_symmetry_from_database(hall)
        rots = [np.array(r, int) for r in sym["rotations"]]
        trans = [np.array(v, float) % 1.0 for v in sym["translations"]]
        for v in trans:
            assert np.allclose(v * DEN, np.rint(v * DEN)), (number, v)
        system = crystal_system(number)
        out.write("group %d %d %s %s %s %s %s %s\n" % (
            number, hall, t["international_short"], t["international_full"].replace(" ", "~"),
            t["schoenflies"], t["pointgroup_international"], system, t["choice"] or "-"))
        for r, v in zip(rots, trans):
            out.write("op " + " ".join(str(int(e)) for e in r.reshape(-1)) + " "
                      + " ".join(str(int(round(e * DEN)) % DEN) for e in v) + "\n")
        stabs = stabilisers(rots, trans, grid)
        first_point = {}
        for i, s in enumerate(stabs):
            first_point.setdefault(s, grid[i])
        nops = len(rots)
        spaces = []
        for s, p in first_point.items():
            basis = fix_space(rots, trans, s) if len(s) > 1 else [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
            spaces.append((nops // len(s), len(s), len(basis), s, p, basis))
        spaces.sort(key=lambda e: (e[0], -e[1], e[2], tuple(e[4])))
        reps = []
        for sp in spaces:
            mult, order, dof, s, p, basis = sp
            x = p + sum(rng.uniform(0.05, 0.95) * 0.37 * np.array(b, float) for b in basis) if dof else p
            if len(stabilisers(rots, trans, np.array([x]))[0]) != order:
                raise SystemExit("group %d: generic point of %s has a larger stabiliser" % (number, p))
            if any(r[0] == mult and r[2] == dof and orbit_equivalent(rots, trans, x, r[3]) for r in reps):
                continue
            reps.append(sp)
        lattice = lattice_for(system, rng)
        for mult, order, dof, s, p, basis in reps:
            x = p + sum(rng.uniform(0.05, 0.95) * 0.37 * np.array(b, float) for b in basis) if dof else p
            letter = spglib_letter(number, rots, trans, lattice, x, rng)
            out.write("wyckoff %s %d %d %d %s%s\n" % (
                letter, mult, order, dof, " ".join(str(int(round(c * DEN))) for c in p),
                "".join(" " + " ".join(str(c) for c in b) for b in basis)))
        total += len(reps)
        sys.stderr.write("%d %s: %d ops, %d Wyckoff positions\n" % (number, t["international_short"], nops, len(reps)))
    sys.stderr.write("total Wyckoff positions: %d\n" % total)


if __name__ == "__main__":
    main()
