package org.crucible.executors.potentials;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.crucible.core.Cell;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.executors.calculators.Calculator;

/** Seeded Si test structures: random cells (AIRSS-like, minimum distance) and rattled diamond crystals. */
public final class SiStructures {
    private SiStructures() {
    }

    /** A random periodic cell of n Si atoms at about {@code volumePerAtom} with pair distances >= dmin. */
    public static Structure randomCell(Random rng, int n, double volumePerAtom, double dmin) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            double a = Math.cbrt(n * volumePerAtom);
            double[] strain = new double[6];
            for (int k = 0; k < 6; k++) strain[k] = (k < 3 ? 0.15 : 0.1) * (2 * rng.nextDouble() - 1);
            Cell cell = Cell.cubic(a).strained(strain);
            cell = cell.withMatrix(scaleTo(cell, n * volumePerAtom));
            double[] frac = new double[3 * n];
            int placed = 0;
            int tries = 0;
            while (placed < n && tries < 20000) {
                tries++;
                for (int k = 0; k < 3; k++) frac[3 * placed + k] = rng.nextDouble();
                double[] xyz = cell.toCartesianAll(java.util.Arrays.copyOf(frac, 3 * (placed + 1)));
                if (minDistanceOk(cell, xyz, placed + 1, dmin)) placed++;
            }
            if (placed == n) return Structure.of(cell, fill(n), cell.toCartesianAll(frac));
        }
        throw new IllegalStateException("could not place " + n + " atoms");
    }

    /** Diamond Si (a = 5.431 A) 8-atom cubic cell or 16-atom 1x1x2 supercell, rattled and strained. */
    public static Structure rattledDiamond(Random rng, boolean doubled, double rattle, double strainAmplitude) {
        double a = 5.431;
        double[][] basis = {{0, 0, 0}, {0, 0.5, 0.5}, {0.5, 0, 0.5}, {0.5, 0.5, 0}, {0.25, 0.25, 0.25}, {0.25, 0.75, 0.75}, {0.75, 0.25, 0.75}, {0.75, 0.75, 0.25}};
        int cells = doubled ? 2 : 1;
        int n = 8 * cells;
        double[] xyz = new double[3 * n];
        for (int c = 0; c < cells; c++) {
            for (int b = 0; b < 8; b++) {
                int i = c * 8 + b;
                xyz[3 * i] = basis[b][0] * a;
                xyz[3 * i + 1] = basis[b][1] * a;
                xyz[3 * i + 2] = (basis[b][2] + c) * a;
            }
        }
        Cell cell = Cell.periodic(new double[][] {{a, 0, 0}, {0, a, 0}, {0, 0, a * cells}});
        Structure s = Structure.of(cell, fill(n), xyz);
        double[] strain = new double[6];
        for (int k = 0; k < 6; k++) strain[k] = strainAmplitude * (2 * rng.nextDouble() - 1);
        s = s.withCell(cell.strained(strain), true);
        double[] pos = s.positions();
        for (int i = 0; i < pos.length; i++) pos[i] += rattle * rng.nextGaussian();
        return s.withPositions(pos);
    }

    /**
     * A mixed set: half random cells (8-16 atoms, 17-24 A^3/atom, minimum separation 2.2 A as in AIRSS searches
     * for Si), half rattled diamond (8 or 16 atoms, Gaussian rattle 0.03-0.12 A per component, strain up to 4%).
     */
    public static List<Structure> mixed(long seed, int count) {
        Random rng = new Random(seed);
        List<Structure> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i % 2 == 0) out.add(randomCell(rng, 8 + rng.nextInt(9), 17 + 7 * rng.nextDouble(), 2.2));
            else out.add(rattledDiamond(rng, rng.nextBoolean(), 0.03 + 0.09 * rng.nextDouble(), 0.04));
        }
        return out;
    }

    /**
     * Structures unlike {@link #mixed}: half strongly compressed random cells (11-13.5 A^3/atom, separation >= 1.9 A),
     * half very open ones (32-45 A^3/atom).
     */
    public static List<Structure> unlike(long seed, int count) {
        Random rng = new Random(seed);
        List<Structure> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i % 2 == 0) out.add(randomCell(rng, 8 + rng.nextInt(9), 11 + 2.5 * rng.nextDouble(), 1.9));
            else out.add(randomCell(rng, 8 + rng.nextInt(9), 32 + 13 * rng.nextDouble(), 2.2));
        }
        return out;
    }

    /** Structures labelled by {@code calculator}. */
    public static List<Structure> label(List<Structure> in, Calculator calculator) {
        List<Structure> out = new ArrayList<>();
        for (Structure s : in) {
            Labels l = calculator.calculate(s);
            out.add(s.withLabels(l));
        }
        return out;
    }

    private static int[] fill(int n) {
        int[] z = new int[n];
        java.util.Arrays.fill(z, 14);
        return z;
    }

    private static double[] scaleTo(Cell cell, double volume) {
        double f = Math.cbrt(volume / cell.volume());
        double[] m = cell.matrix();
        for (int i = 0; i < 9; i++) m[i] *= f;
        return m;
    }

    private static boolean minDistanceOk(Cell cell, double[] xyz, int n, double dmin) {
        Structure s = Structure.of(cell, fill(n), xyz);
        var nl = org.crucible.core.neighbors.NeighborList.build(s, dmin);
        return nl.size() == 0;
    }
}
