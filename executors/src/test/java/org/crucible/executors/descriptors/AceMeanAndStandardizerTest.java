package org.crucible.executors.descriptors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.crucible.core.Structure;
import org.crucible.core.testing.Lattices;
import org.junit.jupiter.api.Test;

class AceMeanAndStandardizerTest {
    private static final int SI = 14;

    @Test
    void meanPooledFeaturesAreCellInvariantAndSupercellIdentical() {
        AceMeanDescriptor d = new AceMeanDescriptor(new AceBasis(new AceParameters(new int[] {SI}, 4.5, 0, 1, Double.NaN, new int[] {8, 8, 6}, 1.5, 4)));
        Structure s = TestStructures.randomCell(new Random(31), 6, new int[] {SI}, 19, 2.1);
        double[] x = d.describe(s);
        assertEquals(d.size(), x.length);
        for (Structure t : new Structure[] {TestStructures.supercell2(s), Lattices.changeBasis(s, new int[] {1, 0, 0, 2, 1, 0, 0, 1, 1}),
                TestStructures.rotate(s, TestStructures.randomRotation(new Random(1), true))}) {
            assertTrue(TestStructures.relativeDifference(x, d.describe(t)) < 1e-10);
        }
    }

    @Test
    void standardisedPoolHasZeroMeanUnitVarianceAndMergeEqualsSerial() {
        AceMeanDescriptor d = new AceMeanDescriptor(new AceBasis(new AceParameters(new int[] {SI}, 4.5, 0, 1, Double.NaN, new int[] {6, 6}, 1.5, 2)));
        Random rnd = new Random(5);
        List<double[]> rows = new ArrayList<>();
        for (int k = 0; k < 12; k++) rows.add(d.describe(TestStructures.randomCell(rnd, 4, new int[] {SI}, 16 + 8 * rnd.nextDouble(), 2.0)));
        FeatureStatistics all = new FeatureStatistics(d.size());
        rows.forEach(all::add);
        FeatureStatistics left = new FeatureStatistics(d.size()), right = new FeatureStatistics(d.size());
        for (int k = 0; k < rows.size(); k++) (k < 5 ? left : right).add(rows.get(k));
        FeatureStandardizer z = all.standardizer(), zm = left.merge(right).standardizer();
        for (int c = 0; c < d.size(); c++) {
            assertEquals(z.mean()[c], zm.mean()[c], 1e-12 * (1 + Math.abs(z.mean()[c])));
            assertEquals(z.inverseScale()[c], zm.inverseScale()[c], 1e-9 * Math.abs(z.inverseScale()[c]));
        }
        double[] sum = new double[d.size()], sq = new double[d.size()];
        for (double[] r : rows) {
            double[] t = z.apply(r);
            for (int c = 0; c < t.length; c++) {
                sum[c] += t[c];
                sq[c] += t[c] * t[c];
            }
        }
        for (int c = 0; c < d.size(); c++) {
            assertEquals(0.0, sum[c] / rows.size(), 1e-9);
            assertEquals(1.0, sq[c] / rows.size(), 1e-9, "column " + c);
        }
        assertThrows(IllegalArgumentException.class, () -> all.add(new double[] {1, 2}));
        double[] bad = rows.get(0).clone();
        bad[0] = Double.NaN;
        assertThrows(IllegalArgumentException.class, () -> all.add(bad));
    }
}
