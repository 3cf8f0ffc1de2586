package org.crucible.executors.calculators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.junit.jupiter.api.Test;

/**
 * The per-thread Verlet list is reused across calls while valid: along a random walk of positions and cell,
 * results equal those of a fresh list built on another thread.
 */
class PairListReuseTest {
    private static Labels fresh(Calculator c, Structure s) throws InterruptedException {
        AtomicReference<Labels> out = new AtomicReference<>();
        Thread t = new Thread(() -> out.set(c.calculate(s)));
        t.start();
        t.join();
        return out.get();
    }

    @Test
    void reusedListGivesTheSameResultsAsAFreshOne() throws Exception {
        Random rng = new Random(9);
        for (ShortRangeCalculator c : new ShortRangeCalculator[] {StillingerWeber.silicon(),
            new Tersoff(TersoffParameters.parse(CalculatorGradientTest.SIC_TERSOFF, "SiC")),
            LennardJones.parse("Si:eps=0.3,sigma=2.0,rc=5/C:eps=0.2,sigma=1.6")}) {
            Structure s = RandomStructures.random(rng, c.species(), 12, 12, 1.7, true);
            for (int step = 0; step < 60; step++) {
                double[] p = s.positions();
                for (int i = 0; i < p.length; i++) p[i] += 0.06 * (rng.nextDouble() - 0.5);
                s = s.withPositions(p);
                if (step % 3 == 0) {
                    double[] e = new double[6];
                    for (int a = 0; a < 6; a++) e[a] = 0.01 * (rng.nextDouble() - 0.5);
                    s = s.withCell(s.cell().strained(e), true);
                }
                if (step == 40) s = RandomStructures.random(rng, c.species(), 12, 12, 1.7, true); // a jump forces a rebuild
                Labels reused = c.calculate(s);
                Labels ref = fresh(c, s);
                assertEquals(ref.energy(), reused.energy(), 1e-10, c.name() + " step " + step);
                double[] f1 = reused.forces(), f0 = ref.forces();
                for (int i = 0; i < f0.length; i++) assertEquals(f0[i], f1[i], 1e-9);
                double[] s1 = reused.stress(), s0 = ref.stress();
                for (int i = 0; i < 6; i++) assertEquals(s0[i], s1[i], 1e-11);
                assertTrue(reused.energy() != 0);
            }
        }
    }

    /**
     * The half list is the full list's entries with j &gt; i or a positive self-image, in the same order, entry for entry
     * (neighbour, image, displacement bit for bit), for each way of building: small cells (every pair and its
     * images), linked cells (a 512-atom box), the general list (a skewed 100-atom cell and a molecule); then again
     * after a reuse (positions moved within the skin).
     */
    @Test
    void halfListIsTheFilteredFullListEntryForEntry() throws Exception {
        Random rng = new Random(17);
        String[] si = {"Si"};
        List<Structure> cases = List.of(RandomStructures.random(rng, si, 12, 12, 1.7, true), RandomStructures.random(rng, si, 64, 18, 2.0, false),
                diamond(4), RandomStructures.random(rng, si, 100, 20, 2.0, true),
                Structure.of(org.crucible.core.Cell.NONE, new int[] {14, 14, 14, 14}, new double[] {0, 0, 0, 2.3, 0, 0, 0, 2.4, 0, 1, 1, 2}));
        for (Structure s0 : cases) {
            Structure s = s0;
            for (int round = 0; round < 2; round++) {
                int[] kinds = compare(s);
                assertTrue(kinds[0] > 0 && kinds[1] == kinds[0], s.formula() + ": " + kinds[0] + " pairs, half list " + kinds[1]);
                double[] p = s.positions();
                for (int i = 0; i < p.length; i++) p[i] += 0.1 * (rng.nextDouble() - 0.5);
                s = s.withPositions(p);
            }
        }
    }

    /** reps^3 conventional cells of diamond Si, rattled (linked cells: at least 5 bins of r_c + skin / 2 per axis). */
    private static Structure diamond(int reps) {
        double[][] f = {{0, 0, 0}, {0.25, 0.25, 0.25}, {0, 0.5, 0.5}, {0.25, 0.75, 0.75}, {0.5, 0, 0.5}, {0.75, 0.25, 0.75}, {0.5, 0.5, 0}, {0.75, 0.75, 0.25}};
        Random rng = new Random(3);
        int n = 8 * reps * reps * reps;
        double[] xyz = new double[3 * n];
        int q = 0;
        for (int x = 0; x < reps; x++) for (int y = 0; y < reps; y++) for (int z = 0; z < reps; z++) for (double[] b : f) {
            xyz[q++] = (x + b[0]) * 5.431 + 0.1 * (rng.nextDouble() - 0.5);
            xyz[q++] = (y + b[1]) * 5.431 + 0.1 * (rng.nextDouble() - 0.5);
            xyz[q++] = (z + b[2]) * 5.431 + 0.1 * (rng.nextDouble() - 0.5);
        }
        int[] zs = new int[n];
        java.util.Arrays.fill(zs, 14);
        return Structure.of(org.crucible.core.Cell.cubic(reps * 5.431), zs, xyz);
    }

    /** {filtered full-list entries, half-list entries}; fails on the first entry that differs. */
    private static int[] compare(Structure s) {
        PairList full = PairList.obtain(s, 4.0);
        int[] fStart = full.start.clone(), fNbr = full.nbr.clone(), fImg = full.img.clone();
        double[] fD = full.d.clone();
        PairList half = PairList.obtainHalf(s, 4.0);
        assertTrue(half.half && !full.half);
        int kept = 0;
        for (int i = 0; i < s.size(); i++) {
            int h = half.start[i];
            for (int k = fStart[i]; k < fStart[i + 1]; k++) {
                int j = fNbr[k];
                boolean positive = fImg[3 * k] != 0 ? fImg[3 * k] > 0 : fImg[3 * k + 1] != 0 ? fImg[3 * k + 1] > 0 : fImg[3 * k + 2] > 0;
                if (j < i || (j == i && !positive)) continue;
                assertTrue(h < half.start[i + 1], "half list of atom " + i + " is short");
                assertEquals(j, half.nbr[h], "atom " + i);
                for (int a = 0; a < 3; a++) {
                    assertEquals(fImg[3 * k + a], half.img[3 * h + a]);
                    assertEquals(Double.doubleToLongBits(fD[3 * k + a]), Double.doubleToLongBits(half.d[3 * h + a]));
                }
                h++;
                kept++;
            }
            assertEquals(half.start[i + 1], h, "half list of atom " + i + " is long");
        }
        return new int[] {kept, half.start[s.size()]};
    }

    @Test
    void parallelEvaluationEqualsSerialAndCalculatorsSurviveSerialization() throws Exception {
        Random rng = new Random(10);
        java.util.List<Structure> cells = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) cells.add(RandomStructures.random(rng, new String[] {"Si", "C"}, 4 + i % 9, 12, 1.5, i % 2 == 0));
        Tersoff t = new Tersoff(TersoffParameters.parse(CalculatorGradientTest.SIC_TERSOFF, "SiC"));
        java.util.List<Labels> serial = cells.stream().map(t::calculate).toList();
        java.util.List<Labels> parallel = cells.parallelStream().map(t::calculate).toList();
        assertEquals(serial, parallel);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(t);
        }
        Tersoff copy;
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (Tersoff) in.readObject();
        }
        for (int i = 0; i < cells.size(); i++) assertEquals(serial.get(i), copy.calculate(cells.get(i)));
    }

    @Test
    void linkedCellAndSmallCellBuildsFindExactlyTheGeneralListsPairs() {
        Random rng = new Random(12);
        int binnedCases = 0;
        for (int c = 0; c < 24; c++) {
            // c < 12: big enough for the linked-cell path (heights >= 2.5 (rc + skin)) in most cases;
            // c >= 12: small cells (pairs and images); skewed in half
            int atoms = c < 12 ? 150 + 20 * c : 1 + 5 * (c - 12);
            Structure s = RandomStructures.random(rng, new String[] {"Si"}, atoms, 18, 1.8, c % 2 == 0);
            double rc = 3.0 + 0.2 * (c % 12);
            PairList pl = PairList.obtain(s.withPositions(s.positions()), rc);
            double[] h = s.cell().heights();
            if (c < 12 && Math.min(h[0], Math.min(h[1], h[2])) >= 2.5 * (rc + PairList.SKIN)) binnedCases++;
            org.crucible.core.neighbors.NeighborList nl = org.crucible.core.neighbors.NeighborList.build(s, rc + PairList.SKIN);
            assertEquals(nl.size(), pl.size, "case " + c);
            for (int i = 0; i < s.size(); i++) {
                java.util.Set<String> a = new java.util.HashSet<>(), b = new java.util.HashSet<>();
                for (int k = nl.start(i); k < nl.start(i + 1); k++) {
                    a.add(nl.neighbor(k) + ":" + nl.image(k, 0) + "," + nl.image(k, 1) + "," + nl.image(k, 2));
                }
                for (int k = pl.start[i]; k < pl.start[i + 1]; k++) {
                    b.add(pl.nbr[k] + ":" + pl.img[3 * k] + "," + pl.img[3 * k + 1] + "," + pl.img[3 * k + 2]);
                    double dist = Math.sqrt(pl.d[3 * k] * pl.d[3 * k] + pl.d[3 * k + 1] * pl.d[3 * k + 1] + pl.d[3 * k + 2] * pl.d[3 * k + 2]);
                    assertTrue(dist < rc + PairList.SKIN);
                }
                assertEquals(a, b, "case " + c + " atom " + i);
            }
        }
        assertTrue(binnedCases >= 6, "only " + binnedCases + " cases exercised the linked-cell build");
    }

    @Test
    void alternatingCalculatorsOnOneThreadEachKeepTheirList() throws Exception {
        StillingerWeber sw = StillingerWeber.silicon();
        Tersoff t = new Tersoff(TersoffParameters.parse(CalculatorGradientTest.SI_TERSOFF, "Si"));
        Structure s = RandomStructures.random(new Random(13), new String[] {"Si"}, 10, 18, 2.0, true);
        for (int step = 0; step < 5; step++) {
            double[] p = s.positions();
            p[0] += 0.05;
            s = s.withPositions(p);
            assertEquals(fresh(sw, s).energy(), sw.calculate(s).energy(), 1e-12);
            assertEquals(fresh(t, s).energy(), t.calculate(s).energy(), 1e-12);
            double[] f0 = fresh(t, s).forces(), f1 = t.calculate(s).forces();
            for (int i = 0; i < f0.length; i++) assertEquals(f0[i], f1[i], 1e-12);
            PairList a = PairList.obtain(s, sw.cutoff()), b = PairList.obtain(s, t.cutoff());
            assertTrue(a != b && a == PairList.obtain(s, sw.cutoff()), "one list per cutoff");
        }
    }
}
