package org.crucible.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.crucible.core.neighbors.NeighborList;
import org.crucible.core.testing.Lattices;
import org.crucible.core.testing.Subprocess;
import org.crucible.core.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NiggliReductionTest {
    /** A random cell (lengths 2-8 Angstrom, angles 50-130 degrees) in a random skewed basis of the same lattice. */
    static Cell randomSkewedCell(Random rnd) {
        Cell base;
        while (true) {
            try {
                base = Cell.fromParameters(2 + 6 * rnd.nextDouble(), 2 + 6 * rnd.nextDouble(), 2 + 6 * rnd.nextDouble(),
                        50 + 80 * rnd.nextDouble(), 50 + 80 * rnd.nextDouble(), 50 + 80 * rnd.nextDouble());
                if (base.volume() > 0.2 * Math.pow(base.lengths()[0] * base.lengths()[1] * base.lengths()[2], 1)) break;
            } catch (IllegalArgumentException e) {
                // the angles did not form a cell: draw again
            }
        }
        int[] t = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        for (int k = 0; k < 4; k++) {
            // elementary shear: row r += f * row q (unimodular)
            int r = rnd.nextInt(3), q = (r + 1 + rnd.nextInt(2)) % 3, f = rnd.nextInt(5) - 2;
            for (int c = 0; c < 3; c++) t[3 * r + c] += f * t[3 * q + c];
        }
        return base.withMatrix(NiggliReduction.apply(t, base.matrix()));
    }

    private static double[] metric(double[] l) {
        double[] g = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) g[3 * i + j] = l[3 * i] * l[3 * j] + l[3 * i + 1] * l[3 * j + 1] + l[3 * i + 2] * l[3 * j + 2];
        }
        return g;
    }

    private static int det(int[] t) {
        return t[0] * (t[4] * t[8] - t[5] * t[7]) - t[1] * (t[3] * t[8] - t[5] * t[6]) + t[2] * (t[3] * t[7] - t[4] * t[6]);
    }

    @Test
    void agreesWithAseOnRandomSkewedCells(@TempDir Path dir) throws Exception {
        Path py = TestEnvironment.assumeDebianPython("ase", "numpy");
        Random rnd = new Random(20261122);
        List<Cell> cells = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 150; k++) {
            Cell c = randomSkewedCell(rnd);
            cells.add(c);
            for (double v : c.matrix()) sb.append(Double.toString(v)).append(' ');
            sb.append('\n');
        }
        Path in = dir.resolve("cells.txt");
        Files.writeString(in, sb.toString());
        String script = "import sys, numpy as np\n"
                + "from ase.build.tools import niggli_reduce_cell\n"
                + "for line in open(sys.argv[1]):\n"
                + "    cell = np.array([float(x) for x in line.split()]).reshape(3, 3)\n"
                + "    red, op = niggli_reduce_cell(cell)\n"
                + "    print(' '.join(repr(float(x)) for x in red.ravel()))\n";
        String out = Subprocess.output(Duration.ofSeconds(120), py.toString(), "-c", script, in.toString());
        String[] lines = out.strip().split("\n");
        assertEquals(cells.size(), lines.length);
        for (int k = 0; k < cells.size(); k++) {
            double[] ase = Arrays.stream(lines[k].trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
            NiggliReduction r = cells.get(k).niggliReduced();
            double[] gMine = metric(r.cell().matrix()), gAse = metric(ase);
            double scale = Math.max(gAse[0], Math.max(gAse[4], gAse[8]));
            for (int i = 0; i < 9; i++) {
                assertEquals(gAse[i], gMine[i], 1e-9 * scale, "cell " + k + " metric entry " + i + ": " + cells.get(k));
            }
        }
    }

    @Test
    void reductionIsAUnimodularChangeOfBasisAndIdempotent() {
        Random rnd = new Random(7);
        for (int k = 0; k < 300; k++) {
            Cell c = randomSkewedCell(rnd);
            NiggliReduction r = c.niggliReduced();
            int[] t = r.transformation();
            assertEquals(1, det(t));
            assertArrayEquals(NiggliReduction.apply(t, c.matrix()), r.cell().matrix(), 0.0);
            assertEquals(c.volume(), r.cell().volume(), 1e-9 * c.volume());
            assertEquals(Math.signum(c.determinant()), Math.signum(r.cell().determinant()));
            NiggliReduction again = r.cell().niggliReduced();
            assertArrayEquals(new int[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, again.transformation(), "cell " + k);
            // Niggli conditions (within eps): A <= B <= C, |xi| <= B, |eta| <= A, |zeta| <= A, all angles acute or all non-acute.
            double[] g = metric(r.cell().matrix());
            double eps = 1e-6 * g[8];
            assertTrue(g[0] <= g[4] + eps && g[4] <= g[8] + eps, "lengths not ordered: " + r);
            assertTrue(Math.abs(2 * g[5]) <= g[4] + eps && Math.abs(2 * g[2]) <= g[0] + eps && Math.abs(2 * g[1]) <= g[0] + eps, r.toString());
            boolean allPositive = g[5] > 0 && g[2] > 0 && g[1] > 0, allNonPositive = g[5] <= eps && g[2] <= eps && g[1] <= eps;
            assertTrue(allPositive || allNonPositive, r.toString());
        }
    }

    @Test
    void fccPrimitiveCellReducesToTheRhombohedralNiggliCell() {
        double a = 4.05;
        Cell prim = Cell.periodic(new double[][] {{0, a / 2, a / 2}, {a / 2, 0, a / 2}, {a / 2, a / 2, 0}});
        NiggliReduction r = prim.niggliReduced();
        double[] len = r.cell().lengths();
        double[] ang = r.cell().angles();
        for (int k = 0; k < 3; k++) {
            assertEquals(a / Math.sqrt(2), len[k], 1e-9);
            assertEquals(60.0, ang[k], 1e-6);
        }
    }

    /** Uniqueness without a reference code: two bases of one lattice give one Niggli metric (explicit, small eps). */
    @Test
    void skewedBasesOfOneLatticeReduceToOneMetricWithUnimodularTransforms() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int trial = 0; trial < 200; trial++) {
            Cell base = Cell.fromParameters(rng.nextDouble(3, 6), rng.nextDouble(3, 6), rng.nextDouble(3, 6),
                    rng.nextDouble(70, 110), rng.nextDouble(70, 110), rng.nextDouble(70, 110));
            Cell skew = Lattices.changeBasis(base, Lattices.randomUnimodular(rng));
            double eps = 1e-7 * Math.pow(base.volume(), 2.0 / 3.0);
            NiggliReduction r1 = base.niggliReduced(eps);
            NiggliReduction r2 = skew.niggliReduced(eps);
            double[] g1 = metric(r1.cell().matrix()), g2 = metric(r2.cell().matrix());
            int[] entries = {0, 4, 8, 5, 2, 1}; // A, B, C and the off-diagonals b.c, a.c, a.b up to sign
            for (int k : entries) assertEquals(Math.abs(g1[k]), Math.abs(g2[k]), 1e-6, "Niggli metric differs at trial " + trial);
            assertEquals(1, det(r2.transformation()));
            assertEquals(skew.volume(), r2.cell().volume(), 1e-8);
            assertTrue(r2.cell().determinant() * skew.determinant() > 0, "handedness kept");
            assertArrayEquals(Lattices.changeBasis(skew, r2.transformation()).matrix(), r2.cell().matrix(), 1e-9);
        }
    }

    @Test
    void reducedStructureHasTheSameInteratomicDistances() {
        Random rnd = new Random(11);
        for (int k = 0; k < 30; k++) {
            Cell c = randomSkewedCell(rnd);
            int n = 1 + rnd.nextInt(6);
            double[] frac = new double[3 * n];
            for (int i = 0; i < frac.length; i++) frac[i] = 3 * rnd.nextDouble() - 1;
            int[] z = new int[n];
            Arrays.fill(z, 14);
            Structure s = Structure.of(c, z, c.toCartesianAll(frac)).withLabels(new Labels(-1.5, new double[3 * n], null));
            Structure r = s.niggliReduced();
            assertEquals(s.labels(), r.labels());
            double[] fr = r.fractionalPositions();
            for (double f : fr) assertTrue(f >= 0 && f < 1, "not wrapped: " + f);
            double[] before = sortedDistances(s, 5.0), after = sortedDistances(r, 5.0);
            assertEquals(before.length, after.length, "neighbour count, cell " + k);
            assertArrayEquals(before, after, 1e-9);
            assertEquals(s.niggliReduced().contentHash(), r.niggliReduced().contentHash());
        }
    }

    private static double[] sortedDistances(Structure s, double cutoff) {
        NeighborList nl = NeighborList.build(s, cutoff);
        List<Double> d = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) for (int k = nl.start(i); k < nl.start(i + 1); k++) d.add(nl.distance(k));
        return d.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    @Test
    void minimumImageIsTheShortestImageInAnyCell() {
        Random rnd = new Random(3);
        for (int k = 0; k < 200; k++) {
            Cell c = randomSkewedCell(rnd);
            // Brute force in the reduced basis of the same lattice, where short vectors have small coefficients (the
            // reduction itself is checked against ASE above); a slab keeps its own basis, which the code does not reduce.
            double[] m = c.niggliReduced().cell().matrix();
            if (k % 4 == 3) {
                c = new Cell(m, new boolean[] {true, false, true});
            }
            double[] d = {20 * rnd.nextDouble() - 10, 20 * rnd.nextDouble() - 10, 20 * rnd.nextDouble() - 10};
            double[] got = c.minimumImage(d);
            // brute force over a generous image range
            double best = Double.POSITIVE_INFINITY;
            int range = 6;
            for (int i = -range; i <= range; i++) {
                for (int j = c.isPeriodic(1) ? -range : 0; j <= (c.isPeriodic(1) ? range : 0); j++) {
                    for (int l = -range; l <= range; l++) {
                        double x = d[0] + i * m[0] + j * m[3] + l * m[6];
                        double y = d[1] + i * m[1] + j * m[4] + l * m[7];
                        double zz = d[2] + i * m[2] + j * m[5] + l * m[8];
                        best = Math.min(best, Math.sqrt(x * x + y * y + zz * zz));
                    }
                }
            }
            double len = Math.sqrt(got[0] * got[0] + got[1] * got[1] + got[2] * got[2]);
            assertEquals(best, len, 1e-9, "cell " + k + " " + c);
            // the result is an image of d: d - got is a lattice vector (integer fractional coordinates)
            double[] diff = c.toFractional(new double[] {got[0] - d[0], got[1] - d[1], got[2] - d[2]});
            for (double f : diff) assertEquals(Math.rint(f), f, 1e-8);
        }
        assertArrayEquals(new double[] {1, 2, 3}, Cell.NONE.minimumImage(new double[] {1, 2, 3}));
    }
}
