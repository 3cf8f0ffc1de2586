package org.crucible.core.neighbors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.crucible.core.Cell;
import org.junit.jupiter.api.Test;

class NeighborListTest {

    /** Brute force: every image within a box of offsets large enough to cover the cutoff. */
    static List<String> bruteForce(Cell cell, double[] xyz, double cutoff) {
        return bruteForce(cell, xyz, cutoff, 4); // positions are up to 3 cells apart
    }

    /** Brute force over offsets up to ceil(cutoff / height) + extra cells along each periodic axis. */
    static List<String> bruteForce(Cell cell, double[] xyz, double cutoff, int extra) {
        int n = xyz.length / 3;
        double[] h = cell.heights();
        boolean[] pbc = cell.pbc();
        int[] range = new int[3];
        for (int a = 0; a < 3; a++) range[a] = pbc[a] ? (int) Math.ceil(cutoff / h[a]) + extra : 0;
        double[] l = cell.matrix();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int a = -range[0]; a <= range[0]; a++) {
                    for (int b = -range[1]; b <= range[1]; b++) {
                        for (int c = -range[2]; c <= range[2]; c++) {
                            if (i == j && a == 0 && b == 0 && c == 0) continue;
                            double dx = xyz[3 * j] - xyz[3 * i] + a * l[0] + b * l[3] + c * l[6];
                            double dy = xyz[3 * j + 1] - xyz[3 * i + 1] + a * l[1] + b * l[4] + c * l[7];
                            double dz = xyz[3 * j + 2] - xyz[3 * i + 2] + a * l[2] + b * l[5] + c * l[8];
                            if (dx * dx + dy * dy + dz * dz < cutoff * cutoff) out.add(i + ":" + j + ":" + a + "," + b + "," + c);
                        }
                    }
                }
            }
        }
        Collections.sort(out);
        return out;
    }

    static List<String> entries(NeighborList nl, Cell cell, double[] xyz) {
        List<String> out = new ArrayList<>();
        double[] l = cell.matrix();
        for (int i = 0; i < nl.atoms(); i++) {
            for (int k = nl.start(i); k < nl.start(i + 1); k++) {
                int j = nl.neighbor(k);
                int a = nl.image(k, 0), b = nl.image(k, 1), c = nl.image(k, 2);
                double dx = xyz[3 * j] - xyz[3 * i] + a * l[0] + b * l[3] + c * l[6];
                double dy = xyz[3 * j + 1] - xyz[3 * i + 1] + a * l[1] + b * l[4] + c * l[7];
                double dz = xyz[3 * j + 2] - xyz[3 * i + 2] + a * l[2] + b * l[5] + c * l[8];
                assertEquals(dx, nl.dx(k), 1e-9);
                assertEquals(dy, nl.dy(k), 1e-9);
                assertEquals(dz, nl.dz(k), 1e-9);
                out.add(i + ":" + j + ":" + a + "," + b + "," + c);
            }
        }
        Collections.sort(out);
        return out;
    }

    static Cell randomCell(Random rnd, boolean skewed) {
        double[] m = new double[9];
        for (int i = 0; i < 3; i++) m[4 * i] = 2.5 + 5 * rnd.nextDouble();
        double shear = skewed ? 4.0 : 1.0;
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                if (r != c) m[3 * r + c] = shear * (rnd.nextDouble() - 0.5) * m[4 * r];
            }
        }
        return new Cell(m, new boolean[] {true, true, true});
    }

    @Test
    void matchesBruteForceOn200RandomCellsIncludingSkewedAndLargeCutoffs() {
        Random rnd = new Random(42);
        int checked = 0;
        for (int t = 0; t < 200; t++) {
            Cell cell = randomCell(rnd, t % 2 == 0);
            int n = 1 + rnd.nextInt(12);
            double[] xyz = new double[3 * n];
            for (int i = 0; i < n; i++) {
                // fractional coordinates outside [0,1) on purpose: the list must not depend on wrapping
                double[] r = cell.toCartesian(new double[] {rnd.nextDouble() * 3 - 1, rnd.nextDouble() * 3 - 1, rnd.nextDouble() * 3 - 1});
                System.arraycopy(r, 0, xyz, 3 * i, 3);
            }
            double hmin = Math.min(cell.heights()[0], Math.min(cell.heights()[1], cell.heights()[2]));
            double cutoff = (0.3 + 1.7 * rnd.nextDouble()) * hmin; // up to twice the smallest height
            NeighborList nl = NeighborList.build(cell, xyz, cutoff);
            List<String> expected = bruteForce(cell, xyz, cutoff);
            assertEquals(expected, entries(nl, cell, xyz), "cell " + t + " " + cell + " cutoff " + cutoff);
            checked += expected.size();
        }
        assertTrue(checked > 10_000, "the random cells should produce many pairs, got " + checked);
    }

    /**
     * The cells above hold at most 12 atoms, so they are cut into one or two bins per axis; these are cut into 3 to 7,
     * so the stencil of neighbouring bins, their wrap across the cell faces and (skewed cells) bins reached through
     * several images are exercised, with atoms up to a cell outside [0, 1) in fractional coordinates.
     */
    @Test
    void matchesBruteForceInLargerCellsWithSeveralBinsPerAxis() {
        Random rnd = new Random(44);
        int checked = 0;
        for (int t = 0; t < 4; t++) {
            double[] m = randomCell(rnd, t % 2 == 0).matrix();
            for (int k = 0; k < 9; k++) m[k] *= 3;
            Cell cell = new Cell(m, new boolean[] {true, true, true});
            int n = 100;
            double[] xyz = new double[3 * n];
            for (int i = 0; i < n; i++) {
                // fractional coordinates in [-0.5, 1.5): at most 2 cells apart, hence 3 extra offsets in the brute force
                double[] r = cell.toCartesian(new double[] {rnd.nextDouble() * 2 - 0.5, rnd.nextDouble() * 2 - 0.5, rnd.nextDouble() * 2 - 0.5});
                System.arraycopy(r, 0, xyz, 3 * i, 3);
            }
            double[] h = cell.heights();
            double hmin = Math.min(h[0], Math.min(h[1], h[2]));
            double cutoff = (0.25 + 0.08 * rnd.nextDouble()) * hmin;
            assertTrue(hmin / cutoff >= 3, "at least 3 bins per axis: height " + hmin + ", cutoff " + cutoff);
            List<String> expected = bruteForce(cell, xyz, cutoff, 3);
            assertEquals(expected, entries(NeighborList.build(cell, xyz, cutoff), cell, xyz), "cell " + t + " " + cell + " cutoff " + cutoff);
            checked += expected.size();
        }
        assertTrue(checked > 500, "the cells should produce many pairs (908 with this seed), got " + checked);
    }

    @Test
    void halfListIsTheFullListFilteredEntryForEntryInOrder() {
        Random rnd = new Random(43);
        int kept = 0;
        for (int t = 0; t < 100; t++) {
            Cell cell = new Cell(randomCell(rnd, t % 2 == 0).matrix(), new boolean[] {true, t % 3 != 0, true});
            int n = 1 + rnd.nextInt(14);
            double[] xyz = new double[3 * n];
            for (int i = 0; i < n; i++) {
                double[] r = cell.toCartesian(new double[] {rnd.nextDouble() * 3 - 1, rnd.nextDouble() * 3 - 1, rnd.nextDouble() * 3 - 1});
                System.arraycopy(r, 0, xyz, 3 * i, 3);
            }
            double hmin = Math.min(cell.heights()[0], Math.min(cell.heights()[1], cell.heights()[2]));
            double cutoff = (0.3 + 1.7 * rnd.nextDouble()) * hmin;
            int[] z = new int[n];
            java.util.Arrays.fill(z, 14);
            org.crucible.core.Structure s = org.crucible.core.Structure.of(cell, z, xyz);
            NeighborList full = NeighborList.build(cell, xyz, cutoff), half = NeighborList.buildHalf(s, cutoff);
            int h = 0;
            for (int i = 0; i < n; i++) {
                assertEquals(h, half.start(i), "row start of atom " + i);
                for (int k = full.start(i); k < full.start(i + 1); k++) {
                    int j = full.neighbor(k), a = full.image(k, 0), b = full.image(k, 1), c = full.image(k, 2);
                    boolean positive = a > 0 || (a == 0 && (b > 0 || (b == 0 && c > 0)));
                    if (j < i || (j == i && !positive)) continue;
                    assertEquals(j, half.neighbor(h));
                    assertEquals(Double.doubleToRawLongBits(full.dx(k)), Double.doubleToRawLongBits(half.dx(h)));
                    assertEquals(Double.doubleToRawLongBits(full.dz(k)), Double.doubleToRawLongBits(half.dz(h)));
                    assertEquals(c, half.image(h, 2));
                    h++;
                }
            }
            assertEquals(h, half.size(), "cell " + t);
            assertEquals(2 * h, full.size(), "every pair twice in the full list, once in the half list");
            kept += h;
        }
        assertTrue(kept > 3000, "pairs checked " + kept);
    }

    @Test
    void slabsAndMoleculesHaveNoImagesAlongNonPeriodicAxes() {
        Random rnd = new Random(7);
        for (int t = 0; t < 30; t++) {
            Cell full = randomCell(rnd, true);
            boolean[] pbc = {rnd.nextBoolean(), rnd.nextBoolean(), t % 3 == 0};
            Cell cell = new Cell(full.matrix(), pbc);
            int n = 2 + rnd.nextInt(10);
            double[] xyz = new double[3 * n];
            for (int i = 0; i < 3 * n; i++) xyz[i] = rnd.nextDouble() * 8 - 2;
            double cutoff = 2 + rnd.nextDouble() * 6;
            assertEquals(bruteForce(cell, xyz, cutoff), entries(NeighborList.build(cell, xyz, cutoff), cell, xyz));
        }
        double[] mol = {0, 0, 0, 1.1, 0, 0, 0, 1.1, 0, 10, 10, 10};
        NeighborList nl = NeighborList.build(Cell.NONE, mol, 1.5);
        // atoms 1 and 2 are 1.1*sqrt(2) = 1.556 Angstrom apart: outside the 1.5 cutoff
        assertEquals(List.of("0:1:0,0,0", "0:2:0,0,0", "1:0:0,0,0", "2:0:0,0,0"), entries(nl, Cell.NONE, mol));
    }

    @Test
    void diamondSiliconHasFourNearestNeighbours() {
        double a = 5.431;
        double[][] frac = {{0, 0, 0}, {0.25, 0.25, 0.25}, {0, 0.5, 0.5}, {0.25, 0.75, 0.75}, {0.5, 0, 0.5}, {0.75, 0.25, 0.75}, {0.5, 0.5, 0}, {0.75, 0.75, 0.25}};
        double[] xyz = new double[24];
        for (int i = 0; i < 8; i++) for (int k = 0; k < 3; k++) xyz[3 * i + k] = frac[i][k] * a;
        NeighborList nl = NeighborList.build(Cell.cubic(a), xyz, 2.5);
        for (int i = 0; i < 8; i++) {
            assertEquals(4, nl.count(i));
            for (int k = nl.start(i); k < nl.start(i + 1); k++) assertEquals(a * Math.sqrt(3) / 4, nl.distance(k), 1e-12);
        }
    }

    @Test
    void rejectsBadCutoff() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NeighborList.build(Cell.cubic(3), new double[3], -1));
        assertTrue(e.getMessage().contains("-1"));
    }
}
