package org.crucible.executors.potentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.crucible.core.Structure;
import org.crucible.executors.descriptors.AceBasis;
import org.crucible.executors.descriptors.AceParameters;
import org.crucible.executors.generators.Composition;
import org.crucible.executors.generators.RandomCellGenerator;
import org.junit.jupiter.api.Test;

class BatchMaxvolTest {
    /** Active set = the unit rows of R^3; candidates with known coordinates in that set. */
    private static ActiveSet unit() {
        return ActiveSet.select(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, 3, 3, 2.0, 10.0);
    }

    @Test
    void batchMaxvolPicksTheMostIndependentRowsNotTheNearCopies() {
        List<BatchMaxvol.Candidate> c = List.of(
                new BatchMaxvol.Candidate(1, new double[] {5, 0, 0}, 1),      // gamma 5
                new BatchMaxvol.Candidate(2, new double[] {4.9, 0.2, 0}, 1),  // gamma 4.9, but nearly a copy of 1
                new BatchMaxvol.Candidate(3, new double[] {0, 0, 3}, 1),      // gamma 3, a new direction
                new BatchMaxvol.Candidate(4, new double[] {0, 0.5, 0}, 1));   // interpolation
        BatchMaxvol.Result r = BatchMaxvol.select(unit(), c, 3);
        assertEquals(List.of(1L, 3L), r.picks(), "after 1 joins the set, 2 has gamma 0.98 and is not worth labelling");
        assertEquals(5.0, r.grades().get(0), 1e-9);
        assertEquals(3.0, r.grades().get(1), 1e-9);
        // |det A| grows by exactly the product of the grades: 1 * 5 * 3
        assertEquals(Math.log(15), r.updated().logAbsDeterminant() - unit().logAbsDeterminant(), 1e-9);
        assertEquals(List.of(1L), BatchMaxvol.select(unit(), c, 1).picks());
        assertEquals(List.of(), BatchMaxvol.select(unit(), List.of(c.get(3)), 3).picks(), "nothing above gamma_select");
    }

    @Test
    void greedyBatchReachesTheLargestDeterminantOfAllPairsOnSmallRandomSets() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int trial = 0; trial < 20; trial++) {
            List<BatchMaxvol.Candidate> c = new ArrayList<>();
            for (int i = 0; i < 6; i++) c.add(new BatchMaxvol.Candidate(i, new double[] {4 * rng.nextGaussian(), 4 * rng.nextGaussian(), 4 * rng.nextGaussian()}, 1));
            BatchMaxvol.Result r = BatchMaxvol.select(unit(), c, 1);
            // one pick: the largest grade is the largest volume gain
            double best = 0;
            for (BatchMaxvol.Candidate x : c) best = Math.max(best, unit().grade(x.rows(), 1));
            if (best > 2) assertEquals(Math.log(best), r.updated().logAbsDeterminant(), 1e-9);
            else assertTrue(r.picks().isEmpty());
        }
    }

    @Test
    void structuresOfTheTrainingSetGradeAtMostOne() {
        AceBasis basis = new AceBasis(AceParameters.defaults(new int[] {14}).withCutoff(4.5).withDegrees(new int[] {8, 6}, 1.0, 3));
        RandomCellGenerator gen = new RandomCellGenerator(RandomCellGenerator.Settings.of(Composition.parse("Si"), 8, 8));
        List<Structure> train = new ArrayList<>();
        for (int i = 0; i < 12; i++) train.add(gen.generate(3, i));
        int f = basis.size(), total = 0;
        for (Structure s : train) total += s.size();
        double[] rows = new double[total * f];
        int at = 0;
        for (Structure s : train) {
            double[] b = basis.atomicFeatures(s);
            System.arraycopy(b, 0, rows, at, b.length);
            at += b.length;
        }
        ActiveSet a = ActiveSet.select(rows, total, f);
        for (Structure s : train) assertTrue(a.grade(basis.atomicFeatures(s), s.size()) <= 1 + ActiveSet.MAXVOL_TOLERANCE + 1e-9, "training structure graded above 1");
        Structure fresh = new RandomCellGenerator(RandomCellGenerator.Settings.of(Composition.parse("Si"), 8, 8)).generate(99, 0);
        double g = a.grade(basis.atomicFeatures(fresh), fresh.size());
        assertTrue(Double.isFinite(g) && g >= 0);
    }

    @Test
    void activeRowIndicesNameTheRowsMaxvolKeptAndNoOthers() {
        // rows 1 and 3 span the plane with the largest |det| (= 6); rows 0 and 2 are inside (|c| <= 1/2)
        double[] rows = {1, 0, 2, 0, 0.5, 1, 0, 3};
        ActiveSet a = ActiveSet.select(rows, 4, 2, 2.0, 10.0);
        assertEquals(java.util.Arrays.toString(new int[] {-1, 0, -1, 1}), java.util.Arrays.toString(canonical(a.activeRowIndices(rows, 4))));
        ActiveSet b = a.update(new double[] {10, 10}, 1);
        int[] after = b.activeRowIndices(new double[] {1, 0, 2, 0, 0.5, 1, 0, 3, 10, 10}, 5);
        assertEquals(2, java.util.Arrays.stream(after).filter(k -> k >= 0).count(), java.util.Arrays.toString(after));
        assertTrue(after[4] >= 0, "the row added by the update is active");
    }

    /** Active indices renumbered by first appearance, so the test does not depend on the order maxvol stores rows in. */
    private static int[] canonical(int[] idx) {
        java.util.Map<Integer, Integer> seen = new java.util.HashMap<>();
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) out[i] = idx[i] < 0 ? -1 : seen.computeIfAbsent(idx[i], k -> seen.size());
        return out;
    }
}
