package org.crucible.executors.calculators;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.core.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crucible's SW, Tersoff and LJ against the real LAMMPS on 60 random periodic structures each (half of them in
 * skewed cells far from reduced form, all randomly oriented): energy to 1e-8 eV/atom, forces to 1e-6
 * eV/Angstrom, stress to 1e-6 eV/Angstrom^3.
 */
class LammpsComparisonTest {
    private static final String POT = "/usr/share/lammps/potentials/";
    private static final int COUNT = 60;

    @TempDir
    Path dir;

    private static List<Structure> structures(long seed, String[] elements, double vMin, double vMax, double dmin, boolean mixed) {
        Random rng = new Random(seed);
        List<Structure> out = new ArrayList<>();
        for (int s = 0; s < COUNT; s++) {
            int n = 2 + rng.nextInt(15);
            String[] el = elements;
            if (mixed) {
                el = new String[n];
                for (int i = 0; i < n; i++) el[i] = elements[rng.nextInt(elements.length)];
            }
            out.add(RandomStructures.random(rng, el, n, vMin + (vMax - vMin) * rng.nextDouble(), dmin, s % 2 == 1));
        }
        return out;
    }

    private void compare(String what, ShortRangeCalculator calc, List<Structure> structures, String style, String coeff, String[] species, String extra) throws Exception {
        TestEnvironment.assumeExecutable("lmp", "lammps");
        List<Labels> ref = LammpsReference.run(dir, structures, style, coeff, species, extra);
        double de = 0, df = 0, ds = 0;
        int interacting = 0;
        for (int s = 0; s < structures.size(); s++) {
            Structure st = structures.get(s);
            Labels mine = calc.calculate(st);
            Labels lmp = ref.get(s);
            double e = Math.abs(mine.energy() - lmp.energy()) / st.size();
            double[] fm = mine.forces(), fl = lmp.forces();
            double f = 0;
            for (int i = 0; i < fm.length; i++) f = Math.max(f, Math.abs(fm[i] - fl[i]));
            double[] sm = mine.stress(), sl = lmp.stress();
            double x = 0;
            for (int i = 0; i < 6; i++) x = Math.max(x, Math.abs(sm[i] - sl[i]));
            String ctx = what + " structure " + s + " " + st.formula() + " cell " + st.cell() + ": E " + mine.energy() + " vs LAMMPS " + lmp.energy();
            assertTrue(e < 1e-8, ctx + " energy differs by " + e + " eV/atom");
            assertTrue(f < 1e-6, ctx + " force differs by " + f + " eV/A");
            assertTrue(x < 1e-6, ctx + " stress differs by " + x + " eV/A^3");
            if (mine.energy() != 0 && mine.maxForce() > 1e-3) interacting++;
            de = Math.max(de, e);
            df = Math.max(df, f);
            ds = Math.max(ds, x);
        }
        assertTrue(interacting >= structures.size() * 9 / 10, what + ": only " + interacting + " structures have interacting atoms");
        // the maxima are reported in docs/calculators.md
        System.out.printf(Locale.ROOT, "LAMMPS comparison %s (%d structures): max |dE| %.3g eV/atom, max |dF| %.3g eV/A, max |dS| %.3g eV/A^3%n",
                what, structures.size(), de, df, ds);
        assertTrue(Files.exists(dir.resolve("results.txt")));
    }

    @Test
    void stillingerWeberSiliconMatchesLammps() throws Exception {
        compare("sw Si", StillingerWeber.fromFile(Path.of(POT + "Si.sw")), structures(11, new String[] {"Si"}, 14, 26, 1.9, false),
                "sw", "* * " + POT + "Si.sw Si", new String[] {"Si"}, "");
    }

    @Test
    void builtInStillingerWeberIsTheLammpsFile() throws Exception {
        compare("sw built-in", StillingerWeber.silicon(), structures(12, new String[] {"Si"}, 14, 26, 1.9, false),
                "sw", "* * " + POT + "Si.sw Si", new String[] {"Si"}, "");
    }

    @Test
    void tersoffSiliconMatchesLammps() throws Exception {
        compare("tersoff Si", Tersoff.fromFile(Path.of(POT + "Si.tersoff")), structures(13, new String[] {"Si"}, 14, 26, 1.9, false),
                "tersoff", "* * " + POT + "Si.tersoff Si", new String[] {"Si"}, "");
    }

    @Test
    void tersoffSiliconCarbideMatchesLammps() throws Exception {
        compare("tersoff SiC", Tersoff.fromFile(Path.of(POT + "SiC.tersoff")), structures(14, new String[] {"Si", "C"}, 8, 16, 1.3, true),
                "tersoff", "* * " + POT + "SiC.tersoff Si C", new String[] {"Si", "C"}, "");
    }

    @Test
    void lennardJonesTwoSpeciesMatchesLammps() throws Exception {
        LennardJones lj = LennardJones.parse("Si:eps=0.4,sigma=2.1,rc=5.2/C:eps=0.2,sigma=1.6,rc=4.4");
        compare("lj SiC", lj, structures(15, new String[] {"Si", "C"}, 8, 20, 1.3, true),
                "lj/cut 5.2", "1 1 0.4 2.1 5.2\npair_coeff 2 2 0.2 1.6 4.4", new String[] {"Si", "C"}, "pair_modify mix arithmetic shift yes");
    }

    @Test
    void largeCellsOnTheLinkedCellPathMatchLammps() throws Exception {
        Random rng = new Random(16);
        List<Structure> big = new ArrayList<>();
        for (int s = 0; s < 6; s++) {
            String[] el = new String[250 + 30 * s];
            for (int i = 0; i < el.length; i++) el[i] = rng.nextBoolean() ? "Si" : "C";
            big.add(RandomStructures.random(rng, el, el.length, 10 + rng.nextDouble() * 4, 1.35, s % 2 == 1));
        }
        compare("tersoff SiC large", Tersoff.fromFile(Path.of(POT + "SiC.tersoff")), big,
                "tersoff", "* * " + POT + "SiC.tersoff Si C", new String[] {"Si", "C"}, "");
    }
}
