package org.crucible.executors.calculators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.crucible.core.Cell;
import org.crucible.core.Elements;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.core.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crucible's EAM against the real LAMMPS ({@code pair_style eam/alloy}, {@code eam/fs}, {@code eam}) on Debian's
 * potential files: thermally displaced, strained random-alloy fcc supercells and random cells (some compressed
 * beyond the F(rho) table), all in rotated skewed frames. Energies agree to 1e-10 relative, forces and stress
 * to 1e-9 of their scale.
 */
class EamLammpsTest {
    static final String POT = "/usr/share/lammps/potentials/";

    @TempDir
    Path dir;

    /** An fcc supercell (k x k x k conventional cells, 4 k^3 atoms) of random composition, displaced and strained. */
    static Structure fccAlloy(Random rng, String[] elements, double a, int k, double displacement, double strain) {
        int n = 4 * k * k * k;
        double[][] basis = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
        double[] xyz = new double[3 * n];
        int[] z = new int[n];
        int i = 0;
        for (int x = 0; x < k; x++) {
            for (int y = 0; y < k; y++) {
                for (int w = 0; w < k; w++) {
                    for (double[] b : basis) {
                        xyz[3 * i] = (x + b[0]) * a + displacement * rng.nextGaussian();
                        xyz[3 * i + 1] = (y + b[1]) * a + displacement * rng.nextGaussian();
                        xyz[3 * i + 2] = (w + b[2]) * a + displacement * rng.nextGaussian();
                        z[i] = Elements.bySymbol(elements[rng.nextInt(elements.length)]).z();
                        i++;
                    }
                }
            }
        }
        double[] m = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) m[3 * r + c] = (r == c ? k * a : 0) * (1 + (r == c ? strain * (2 * rng.nextDouble() - 1) : 0))
                    + (r != c ? strain * k * a * (2 * rng.nextDouble() - 1) : 0);
        }
        Cell ideal = Cell.cubic(k * a);
        Cell cell = Cell.periodic(new double[][] {{m[0], m[1], m[2]}, {m[3], m[4], m[5]}, {m[6], m[7], m[8]}});
        double[] frac = ideal.toFractionalAll(xyz);
        Structure s = Structure.of(cell, z, cell.toCartesianAll(frac));
        // rotate rigidly in space (LAMMPS sees the lower-triangular frame; forces and stress are rotated back)
        double[] rot = RandomStructures.randomRotation(rng);
        double[] cm = cell.matrix();
        double[] rm = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) rm[3 * r + c] = rot[3 * c] * cm[3 * r] + rot[3 * c + 1] * cm[3 * r + 1] + rot[3 * c + 2] * cm[3 * r + 2];
        }
        Cell rc = Cell.periodic(new double[][] {{rm[0], rm[1], rm[2]}, {rm[3], rm[4], rm[5]}, {rm[6], rm[7], rm[8]}});
        return Structure.of(rc, z, rc.toCartesianAll(s.fractionalPositions()));
    }

    private List<Structure> alloys(long seed, String[] elements, double a, int count) {
        Random rng = new Random(seed);
        List<Structure> out = new ArrayList<>();
        for (int s = 0; s < count; s++) out.add(fccAlloy(rng, elements, a, 2 + s % 2, 0.05 + 0.1 * rng.nextDouble(), 0.04));
        for (int s = 0; s < count; s++) {
            int n = 2 + rng.nextInt(20);
            String[] el = new String[n];
            for (int i = 0; i < n; i++) el[i] = elements[rng.nextInt(elements.length)];
            // every third one compressed to 60-75 % of the fcc volume per atom (high densities, some beyond the F table)
            double v = a * a * a / 4 * (s % 3 == 0 ? 0.6 + 0.15 * rng.nextDouble() : 0.85 + 0.4 * rng.nextDouble());
            out.add(RandomStructures.random(rng, el, n, v, 0.62 * a / Math.sqrt(2), s % 2 == 1));
        }
        return out;
    }

    private void compare(Eam eam, String pairStyle, String file, List<Structure> structures) throws Exception {
        TestEnvironment.assumeExecutable("lmp", "lammps");
        String[] species = eam.elements();
        String coeff = "* * " + file + (eam.style() == Eam.Style.FUNCFL ? "" : " " + String.join(" ", species));
        List<Labels> ref = LammpsReference.run(dir, structures, pairStyle, coeff, species, "");
        double de = 0, df = 0, ds = 0;
        for (int s = 0; s < structures.size(); s++) {
            Structure st = structures.get(s);
            Labels mine = eam.calculate(st);
            Labels lmp = ref.get(s);
            String ctx = eam.name() + " structure " + s + " " + st.formula() + ": E " + mine.energy() + " vs LAMMPS " + lmp.energy();
            double e = Math.abs(mine.energy() - lmp.energy()) / Math.max(1, Math.abs(lmp.energy()));
            double fscale = Math.max(1, lmp.maxForce());
            double f = 0;
            for (int i = 0; i < mine.forces().length; i++) f = Math.max(f, Math.abs(mine.forces()[i] - lmp.forces()[i]) / fscale);
            double sscale = 0;
            for (double x : lmp.stress()) sscale = Math.max(sscale, Math.abs(x));
            sscale = Math.max(sscale, 1e-3);
            double x = 0;
            for (int i = 0; i < 6; i++) x = Math.max(x, Math.abs(mine.stress()[i] - lmp.stress()[i]) / sscale);
            assertTrue(e < 1e-10, ctx + ": relative energy difference " + e);
            assertTrue(f < 1e-9, ctx + ": force difference " + f + " of the largest force");
            assertTrue(x < 1e-9, ctx + ": stress difference " + x + " of the largest component");
            assertTrue(mine.energy() != 0 && mine.maxForce() > 1e-6, ctx + ": no interaction");
            de = Math.max(de, e);
            df = Math.max(df, f);
            ds = Math.max(ds, x);
        }
        // the maxima are reported in docs/md.md
        System.out.printf(Locale.ROOT, "EAM vs LAMMPS %s (%d structures): max relative dE %.3g, dF %.3g, dS %.3g%n",
                eam.name(), structures.size(), de, df, ds);
    }

    @Test
    void alloyAlCuMatchesLammps() throws Exception {
        Eam eam = Eam.fromFile(Path.of(POT + "AlCu.eam.alloy"));
        assertEquals(Eam.Style.SETFL, eam.style());
        assertArrayEquals(new String[] {"Al", "Cu"}, eam.elements());
        compare(eam, "eam/alloy", POT + "AlCu.eam.alloy", alloys(21, new String[] {"Al", "Cu"}, 3.9, 10));
    }

    @Test
    void alloyCuNiMatchesLammps() throws Exception {
        Eam eam = Eam.fromFile(Path.of(POT + "CuNi.eam.alloy"));
        compare(eam, "eam/alloy", POT + "CuNi.eam.alloy", alloys(22, new String[] {"Ni", "Cu"}, 3.56, 10));
    }

    @Test
    void threeElementNiAlHMatchesLammps() throws Exception {
        Eam eam = Eam.fromFile(Path.of(POT + "NiAlH_jea.eam.alloy"));
        compare(eam, "eam/alloy", POT + "NiAlH_jea.eam.alloy", alloys(23, new String[] {"Ni", "Al"}, 3.6, 6));
    }

    @Test
    void finnisSinclairCuZrMatchesLammps() throws Exception {
        Eam eam = Eam.fromFile(Path.of(POT + "CuZr_mm.eam.fs"));
        assertEquals(Eam.Style.FS, eam.style());
        compare(eam, "eam/fs", POT + "CuZr_mm.eam.fs", alloys(24, new String[] {"Cu", "Zr"}, 3.9, 10));
    }

    @Test
    void funcflCopperMatchesLammps() throws Exception {
        Eam eam = Eam.fromFile(Path.of(POT + "Cu_u3.eam"));
        assertEquals(Eam.Style.FUNCFL, eam.style());
        assertArrayEquals(new String[] {"Cu"}, eam.elements());
        compare(eam, "eam", POT + "Cu_u3.eam", alloys(25, new String[] {"Cu"}, 3.615, 10));
    }

    @Test
    void forcesAreTheEnergyGradient() {
        Eam eam = Eam.fromFile(Path.of(POT + "CuNi.eam.alloy"));
        TestEnvironment.assumeExecutable("lmp", "lammps"); // the potential files come with Debian's lammps
        Structure s = fccAlloy(new Random(5), new String[] {"Cu", "Ni"}, 3.56, 2, 0.1, 0.03);
        Labels l = eam.calculate(s);
        double h = 1e-5;
        double[] x = s.positions();
        for (int c : new int[] {0, 7, 40, 95}) {
            double[] p = x.clone();
            p[c] += h;
            double ep = eam.calculate(s.withPositions(p)).energy();
            p[c] -= 2 * h;
            double em = eam.calculate(s.withPositions(p)).energy();
            double fd = -(ep - em) / (2 * h);
            assertEquals(fd, l.forces()[c], 1e-6, "force component " + c);
        }
    }

    @Test
    void badFilesNameFileAndLine() throws Exception {
        Path bad = dir.resolve("bad.eam.alloy");
        Files.writeString(bad, "c\nc\nc\n2 Al Cu\n1000 0.1 1000 x 6.0\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Eam.fromFile(bad));
        assertTrue(e.getMessage().contains("bad.eam.alloy line 5") && e.getMessage().contains("'x'"), e.getMessage());
        Path shortFile = dir.resolve("short.eam.alloy");
        Files.writeString(shortFile, "c\nc\nc\n1 Al\n10 0.1 10 0.1 0.9\n13 26.98 4.05 fcc\n1 2 3 4 5\n");
        e = assertThrows(IllegalArgumentException.class, () -> Eam.fromFile(shortFile));
        assertTrue(e.getMessage().contains("short.eam.alloy") && e.getMessage().contains("F(rho) of Al"), e.getMessage());
        Path unknown = dir.resolve("u.eam.alloy");
        Files.writeString(unknown, "c\nc\nc\n1 Qq\n");
        e = assertThrows(IllegalArgumentException.class, () -> Eam.fromFile(unknown));
        assertTrue(e.getMessage().contains("u.eam.alloy line 4") && e.getMessage().contains("'Qq'"), e.getMessage());
    }
}
