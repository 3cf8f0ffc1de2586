package org.crucible.executors.calculators;

import java.util.Random;
import org.crucible.core.Cell;
import org.crucible.core.Elements;
import org.crucible.core.Structure;

/**
 * Simple random periodic structures for tests: a random lattice (lengths and angles spread around a target
 * volume per atom, optionally skewed by a random unimodular change of basis and rotated in space) filled with
 * atoms at random fractional positions no closer than a minimum distance (checked over periodic images).
 */
public final class RandomStructures {
    private RandomStructures() {
    }

    public static Structure random(Random rng, String[] elements, int n, double volumePerAtom, double minDistance, boolean skew) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            Structure s = tryRandom(rng, elements, n, volumePerAtom, minDistance, skew);
            if (s != null) return s;
        }
        throw new IllegalStateException("could not place " + n + " atoms at " + volumePerAtom + " A^3/atom with min distance " + minDistance);
    }

    private static Structure tryRandom(Random rng, String[] elements, int n, double volumePerAtom, double minDistance, boolean skew) {
        Cell c;
        try {
            c = Cell.fromParameters(1 + 0.4 * rng.nextDouble(), 1 + 0.4 * rng.nextDouble(), 1 + 0.4 * rng.nextDouble(),
                    60 + 60 * rng.nextDouble(), 60 + 60 * rng.nextDouble(), 60 + 60 * rng.nextDouble());
        } catch (IllegalArgumentException e) {
            return null;
        }
        double[] mat = c.matrix();
        if (c.volume() < 0.35 * c.lengths()[0] * c.lengths()[1] * c.lengths()[2]) return null; // too flat
        double scale = Math.cbrt(volumePerAtom * n / c.volume());
        for (int i = 0; i < 9; i++) mat[i] *= scale;
        if (skew) {
            // a random unimodular change of basis: same lattice, long skewed vectors
            int k1 = rng.nextInt(5) - 2, k2 = rng.nextInt(5) - 2, k3 = rng.nextInt(5) - 2;
            for (int x = 0; x < 3; x++) {
                mat[6 + x] += k1 * mat[x] + k2 * mat[3 + x];
                mat[3 + x] += k3 * mat[x];
            }
        }
        double[] rot = randomRotation(rng);
        double[] rm = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int x = 0; x < 3; x++) rm[3 * r + x] = rot[3 * x] * mat[3 * r] + rot[3 * x + 1] * mat[3 * r + 1] + rot[3 * x + 2] * mat[3 * r + 2];
        }
        Cell cell = Cell.periodic(new double[][] {{rm[0], rm[1], rm[2]}, {rm[3], rm[4], rm[5]}, {rm[6], rm[7], rm[8]}});
        double[] xyz = new double[3 * n];
        int[] z = new int[n];
        for (int i = 0; i < n; i++) {
            boolean placed = false;
            for (int tries = 0; tries < 200 && !placed; tries++) {
                double[] p = cell.toCartesian(new double[] {rng.nextDouble(), rng.nextDouble(), rng.nextDouble()});
                if (farEnough(cell, xyz, i, p, minDistance)) {
                    System.arraycopy(p, 0, xyz, 3 * i, 3);
                    placed = true;
                }
            }
            if (!placed) return null;
            z[i] = Elements.bySymbol(elements[i % elements.length]).z();
        }
        Structure s = Structure.of(cell, z, xyz);
        // the image search above is a heuristic for skewed cells; confirm with an exact neighbour list
        org.crucible.core.neighbors.NeighborList nl = org.crucible.core.neighbors.NeighborList.build(s, minDistance);
        return nl.size() == 0 ? s : null;
    }

    private static boolean farEnough(Cell cell, double[] xyz, int count, double[] p, double dmin) {
        double[] f = cell.toFractional(p);
        for (int j = 0; j < count; j++) {
            double[] g = cell.toFractional(new double[] {xyz[3 * j], xyz[3 * j + 1], xyz[3 * j + 2]});
            for (int a = -2; a <= 2; a++) {
                for (int b = -2; b <= 2; b++) {
                    for (int c = -2; c <= 2; c++) {
                        double[] d = cell.toCartesian(new double[] {g[0] - f[0] + a, g[1] - f[1] + b, g[2] - f[2] + c});
                        if (d[0] * d[0] + d[1] * d[1] + d[2] * d[2] < dmin * dmin) return false;
                    }
                }
            }
        }
        // self images
        return true;
    }

    /** Uniform random rotation matrix (row-major) from a random unit quaternion. */
    public static double[] randomRotation(Random rng) {
        double u1 = rng.nextDouble(), u2 = rng.nextDouble(), u3 = rng.nextDouble();
        double a = Math.sqrt(1 - u1) * Math.sin(2 * Math.PI * u2), b = Math.sqrt(1 - u1) * Math.cos(2 * Math.PI * u2);
        double c = Math.sqrt(u1) * Math.sin(2 * Math.PI * u3), d = Math.sqrt(u1) * Math.cos(2 * Math.PI * u3);
        return new double[] {
            1 - 2 * (c * c + d * d), 2 * (b * c - a * d), 2 * (b * d + a * c),
            2 * (b * c + a * d), 1 - 2 * (b * b + d * d), 2 * (c * d - a * b),
            2 * (b * d - a * c), 2 * (c * d + a * b), 1 - 2 * (b * b + c * c)};
    }
}
