package org.crucible.executors.generators;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.crucible.core.Structure;
import org.crucible.core.testing.TestEnvironment;
import org.crucible.executors.symmetry.SpaceGroupFinder;
import org.crucible.executors.symmetry.SpaceGroups;
import org.crucible.executors.symmetry.SpglibBridge;
import org.junit.jupiter.api.Test;

/**
 * Checks generated crystals of all 230 groups with Debian's spglib (symprec 1e-3 Angstrom).
 *
 * <p>The asserted set: every group hosts Si_{2m} (m = general-position multiplicity) in two general orbits, two
 * candidates each; the detected group must equal the requested one for >= 99 % (a supergroup is a miss).
 * The informative set: the smallest of Si8, Si6, Si12, ... a group can host on any Wyckoff positions. With one
 * or two orbits of one element such a structure often has the symmetry of a supergroup (a lone orbit is
 * frequently an orbit of a larger group too); its rate is printed, not asserted.
 */
class SpaceGroupSpglibTest {
    static final int[] SIZES = {8, 6, 12, 4, 16, 24, 32, 48};

    @Test
    void spglibFindsTheRequestedGroupForNinetyNinePercent() throws Exception {
        Path python = TestEnvironment.assumeDebianPython("spglib");
        List<Structure> all = new ArrayList<>();
        List<Integer> requested = new ArrayList<>();
        List<String> cannot = new ArrayList<>();
        for (int sg = 1; sg <= 230; sg++) {
            int m = SpaceGroups.byNumber(sg).generalPosition().multiplicity();
            // P1 needs four atoms: any two points are related by an inversion centre
            Composition two = Composition.parse("Si" + Math.max(4, 2 * m));
            Composition one = Composition.parse("Si" + m);
            for (int i = 0; i < 2; i++) {
                Structure s = null;
                for (Composition c : List.of(two, one)) {
                    try {
                        s = new SpaceGroupGenerator(SpaceGroupGenerator.Settings.of(c, sg).withMinDegreesOfFreedom(3)
                                .withAttempts(50, 200)).generate(2026, i);
                        break;
                    } catch (GenerationException e) {
                        cannot.add(sg + ":" + c.formula() + " (" + e.constraint() + ")");
                    }
                }
                if (s != null) {
                    all.add(s);
                    requested.add(sg);
                }
            }
        }
        List<String> misses = misses(python, all, requested);
        double rate = 1.0 - (double) misses.size() / all.size();
        System.out.printf("spglib agreement (general orbits): %d/%d = %.2f %%; tries that failed: %s; misses: %s%n",
                all.size() - misses.size(), all.size(), 100 * rate, cannot, misses);
        // dense high-symmetry general positions (e.g. 48 atoms of Pm-3m at 14.5 r^3) may not fit 1.8 r: a few may fail
        assertTrue(all.size() >= 450, "generated " + all.size() + " of 460 only; failed " + cannot);
        assertTrue(rate >= 0.99, "spglib agreed on " + rate + " only; misses " + misses);

        List<Structure> small = new ArrayList<>();
        List<Integer> smallRequested = new ArrayList<>();
        for (int sg = 1; sg <= 230; sg++) {
            for (int n : SIZES) {
                Composition c = Composition.parse("Si" + n);
                if (!SpaceGroupGenerator.canHost(sg, c)) continue;
                try {
                    small.add(new SpaceGroupGenerator(SpaceGroupGenerator.Settings.of(c, sg).withAttempts(50, 40)).generate(2026, 0));
                    smallRequested.add(sg);
                    break;
                } catch (GenerationException e) {
                    // a fixed-point orbit closer than 1.8 r at this volume: try the next size
                }
            }
        }
        List<String> smallMisses = misses(python, small, smallRequested);
        System.out.printf("spglib agreement (smallest Si_n, any Wyckoff positions, informative): %d/%d%n",
                small.size() - smallMisses.size(), small.size());
        assertTrue(small.size() >= 225, "smallest compositions generated for " + small.size() + " groups only");

        // SpaceGroupFinder against spglib on both sets, ideal (symprec 1e-3) and, as relaxed structures are, slightly
        // off the ideal positions (uniform noise of +-0.003 Angstrom per coordinate, symprec 0.03)
        List<Structure> both = new ArrayList<>(all);
        both.addAll(small);
        SplittableRandom rng = new SplittableRandom(31);
        List<Structure> noisy = new ArrayList<>();
        for (Structure s : both) {
            double[] xyz = s.positions();
            for (int i = 0; i < xyz.length; i++) xyz[i] += 0.003 * (2 * rng.nextDouble() - 1);
            noisy.add(s.withPositions(xyz));
        }
        int[] ref = SpglibBridge.numbers(python, both, 1e-3);
        int[] refNoisy = SpglibBridge.numbers(python, noisy, 3e-2);
        List<String> disagree = new ArrayList<>();
        List<String> disagreeNoisy = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < both.size(); i++) {
            int f = SpaceGroupFinder.find(both.get(i), 1e-3).number();
            if (f != ref[i]) disagree.add(ref[i] + "->" + f + " (" + both.get(i).formula() + ")");
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < both.size(); i++) {
            int fn = SpaceGroupFinder.find(noisy.get(i), 3e-2).number();
            if (fn != refNoisy[i]) disagreeNoisy.add(refNoisy[i] + "->" + fn + " (" + noisy.get(i).formula() + ")");
        }
        System.out.printf("finder time: ideal %.1f s, noisy %.1f s%n", (t1 - t0) * 1e-9, (System.nanoTime() - t1) * 1e-9);
        System.out.printf("SpaceGroupFinder vs spglib: ideal %d/%d agree %s; noisy %d/%d agree %s%n",
                both.size() - disagree.size(), both.size(), disagree, both.size() - disagreeNoisy.size(), both.size(), disagreeNoisy);
        assertTrue(disagree.size() <= both.size() / 100, "finder disagrees with spglib: " + disagree);
        // near a tolerance boundary the two codes' different tolerance rules may pick different groups: allow 3 %
        assertTrue(disagreeNoisy.size() <= 3 * both.size() / 100, "finder disagrees with spglib on noisy structures: " + disagreeNoisy);
    }

    private static List<String> misses(Path python, List<Structure> all, List<Integer> requested) throws Exception {
        int[] found = SpglibBridge.numbers(python, all, 1e-3);
        List<String> misses = new ArrayList<>();
        for (int i = 0; i < found.length; i++) {
            if (found[i] != requested.get(i)) {
                misses.add(requested.get(i) + "->" + found[i] + " (" + all.get(i).formula() + " " + all.get(i).info().get("wyckoff") + ")");
            }
        }
        return misses;
    }
}
