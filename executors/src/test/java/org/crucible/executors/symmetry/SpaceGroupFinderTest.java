package org.crucible.executors.symmetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.core.testing.Lattices;
import org.crucible.executors.generators.Composition;
import org.crucible.executors.generators.SpaceGroupGenerator;
import org.junit.jupiter.api.Test;

class SpaceGroupFinderTest {
    @Test
    void diamondRockSaltAndWurtziteAreNamed() {
        double a = 5.431;
        double[][] d = {{0, 0, 0}, {0.25, 0.25, 0.25}};
        double[][] fcc = {{0, 0, 0}, {0, 0.5, 0.5}, {0.5, 0, 0.5}, {0.5, 0.5, 0}};
        double[] xyz = new double[48];
        int n = 0;
        for (double[] f : fcc) for (double[] b : d) for (int k = 0; k < 3; k++) xyz[n++] = (f[k] + b[k]) * a;
        Structure diamond = Structure.of(Cell.cubic(a), new int[] {14, 14, 14, 14, 14, 14, 14, 14}, java.util.Arrays.copyOf(xyz, 24));
        SpaceGroupFinder.Result r = SpaceGroupFinder.find(diamond, 1e-3);
        assertEquals(227, r.number());
        assertEquals("Fd-3m", r.symbol());
        assertEquals(2, r.primitive().size());
        assertEquals(48, r.operations().size());

        double b = 5.64;
        double[] nacl = new double[24];
        int[] z = new int[8];
        n = 0;
        for (int i = 0; i < 4; i++) {
            for (int k = 0; k < 3; k++) nacl[3 * i + k] = fcc[i][k] * b;
            for (int k = 0; k < 3; k++) nacl[12 + 3 * i + k] = (fcc[i][k] + (k == 0 ? 0.5 : 0)) * b;
            z[i] = 11;
            z[4 + i] = 17;
        }
        assertEquals(225, SpaceGroupFinder.find(Structure.of(Cell.cubic(b), z, nacl), 1e-3).number());

        Cell hex = Cell.fromParameters(3.19, 3.19, 5.19, 90, 90, 120);
        double u = 0.377;
        double[] f = {1 / 3.0, 2 / 3.0, 0, 2 / 3.0, 1 / 3.0, 0.5, 1 / 3.0, 2 / 3.0, u, 2 / 3.0, 1 / 3.0, 0.5 + u};
        Structure gan = Structure.of(hex, new int[] {31, 31, 7, 7}, hex.toCartesianAll(f));
        assertEquals(186, SpaceGroupFinder.find(gan, 1e-3).number());
    }

    @Test
    void theGroupDoesNotDependOnBasisOriginOrOrientation() {
        SplittableRandom rng = new SplittableRandom(17);
        for (int sg : new int[] {2, 14, 62, 70, 88, 122, 148, 167, 176, 194, 206, 214, 230}) {
            Composition c = Composition.parse("Si" + SpaceGroups.byNumber(sg).generalPosition().multiplicity());
            Structure s = new SpaceGroupGenerator(SpaceGroupGenerator.Settings.of(c, sg).withMinDegreesOfFreedom(3).withAttempts(50, 400))
                    .generate(4, 0);
            Cell other = Lattices.changeBasis(s.cell(), Lattices.randomUnimodular(rng));
            double[] shift = {rng.nextDouble(), rng.nextDouble(), rng.nextDouble()};
            double[] xyz = s.positions();
            for (int i = 0; i < xyz.length; i++) xyz[i] += shift[i % 3];
            Structure moved = Structure.of(other, zs(s), xyz).wrapped();
            assertEquals(sg, SpaceGroupFinder.find(s, 1e-3).number(), "as generated, group " + sg);
            assertEquals(sg, SpaceGroupFinder.find(moved, 1e-3).number(), "other basis and origin, group " + sg);
        }
    }

    @Test
    void enantiomorphsAreToldApartByHandedness() {
        int[][] pairs = {{76, 78}, {91, 95}, {144, 145}, {169, 170}, {212, 213}};
        for (int[] p : pairs) {
            Composition c = Composition.parse("Si" + 2 * SpaceGroups.byNumber(p[0]).generalPosition().multiplicity());
            Structure s = new SpaceGroupGenerator(SpaceGroupGenerator.Settings.of(c, p[0]).withMinDegreesOfFreedom(3).withAttempts(50, 400))
                    .generate(9, 0);
            double[] m = s.cell().matrix();
            for (int r = 0; r < 3; r++) m[3 * r] = -m[3 * r]; // x -> -x: the mirror image
            double[] xyz = s.positions();
            for (int i = 0; i < xyz.length; i += 3) xyz[i] = -xyz[i];
            Structure mirror = Structure.of(s.cell().withMatrix(m), zs(s), xyz);
            assertEquals(p[0], SpaceGroupFinder.find(s, 1e-3).number());
            assertEquals(p[1], SpaceGroupFinder.find(mirror, 1e-3).number(), "mirror image of " + p[0]);
        }
    }

    @Test
    void symmetrizedStructureHasExactSymmetryAfterNoise() {
        Structure s = new SpaceGroupGenerator(SpaceGroupGenerator.Settings.of(Composition.parse("Si16"), 141)).generate(3, 0);
        SplittableRandom rng = new SplittableRandom(1);
        double[] xyz = s.positions();
        for (int i = 0; i < xyz.length; i++) xyz[i] += 0.004 * (rng.nextDouble() - 0.5);
        Structure noisy = s.withPositions(xyz);
        assertTrue(SpaceGroupFinder.find(noisy, 1e-4).number() < 141, "at 1e-4 Angstrom the noise breaks the symmetry");
        SpaceGroupFinder.Result r = SpaceGroupFinder.find(noisy, 1e-2);
        assertEquals(141, r.number());
        assertEquals(141, SpaceGroupFinder.find(r.symmetrized(), 1e-6).number());
    }

    @Test
    void conventionalCellsHaveTheMetricOfTheirSystem() {
        for (int sg : new int[] {227, 141, 166, 194, 70, 12}) {
            int m = SpaceGroups.byNumber(sg).generalPosition().multiplicity();
            Structure s = sg == 227
                    ? new SpaceGroupGenerator(SpaceGroupGenerator.Settings.of(Composition.parse("Si8"), sg)).generate(2, 0)
                    : new SpaceGroupGenerator(SpaceGroupGenerator.Settings.of(Composition.parse("Si" + m), sg)
                    .withMinDegreesOfFreedom(3).withAttempts(50, 400)).generate(2, 0);
            SpaceGroupFinder.Result r = SpaceGroupFinder.find(s, 1e-3);
            Structure conv = r.conventional();
            assertEquals(s.size(), conv.size(), "group " + sg);
            assertEquals(s.cell().volume(), conv.cell().volume(), 1e-6 * s.cell().volume(), "group " + sg);
            assertEquals(sg, SpaceGroupFinder.find(conv, 1e-3).number());
            double[] len = conv.cell().lengths(), ang = conv.cell().angles();
            switch (SpaceGroups.byNumber(sg).system()) {
                case CUBIC -> {
                    assertEquals(len[0], len[1], 1e-6);
                    assertEquals(len[0], len[2], 1e-6);
                    for (double a : ang) assertEquals(90, a, 1e-6);
                }
                case TETRAGONAL -> {
                    assertEquals(len[0], len[1], 1e-6);
                    for (double a : ang) assertEquals(90, a, 1e-6);
                }
                case TRIGONAL, HEXAGONAL -> {
                    assertEquals(len[0], len[1], 1e-6);
                    assertEquals(120, ang[2], 1e-6);
                }
                case ORTHORHOMBIC -> {
                    for (double a : ang) assertEquals(90, a, 1e-6);
                }
                case MONOCLINIC -> {
                    assertEquals(90, ang[0], 1e-6);
                    assertEquals(90, ang[2], 1e-6);
                }
                default -> { }
            }
        }
    }

    @Test
    void aMoleculeHasNoSpaceGroup() {
        Structure m = Structure.of(Cell.NONE, new int[] {1, 1}, new double[] {0, 0, 0, 0.74, 0, 0});
        assertThrows(IllegalArgumentException.class, () -> SpaceGroupFinder.find(m, 1e-3));
    }

    static int[] zs(Structure s) {
        int[] z = new int[s.size()];
        for (int i = 0; i < z.length; i++) z[i] = s.atomicNumber(i);
        return z;
    }
}
