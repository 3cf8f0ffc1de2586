package org.crucible.driver.pool;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.core.io.ExtendedXyz;
import org.crucible.executors.calculators.CalculationException;
import org.crucible.executors.calculators.StillingerWeber;
import org.crucible.executors.descriptors.AceBasis;
import org.crucible.executors.descriptors.AceParameters;
import org.crucible.executors.potentials.FitOptions;
import org.crucible.executors.potentials.LinearPotential;
import org.crucible.executors.potentials.PotentialFitter;
import org.junit.jupiter.api.Test;

/** The hard-core guard of the pool relaxation: overlapping atoms end a relaxation instead of feeding a potential hole. */
class RelaxStageTest {
    private static Structure pair(double d, double box) {
        return Structure.of(Cell.cubic(box), new int[] {14, 14}, new double[] {0.5, 0.5, 0.5, 0.5 + d, 0.5, 0.5});
    }

    @Test
    void atomsCloserThanTheFractionOfTheirCovalentRadiiAreRefusedNamingThePair() {
        // Si covalent radius 1.11 A (Cordero): 0.6 x 2.22 = 1.332 A.
        CalculationException e = assertThrows(CalculationException.class, () -> RelaxStage.checkSeparations(pair(1.30, 8.0), 0.6, java.util.Map.of()));
        assertTrue(e.getMessage().contains("atoms 0 (Si) and 1 (Si) are 1.300 Angstrom apart") && e.getMessage().contains("1.332"), e.getMessage());
        assertDoesNotThrow(() -> RelaxStage.checkSeparations(pair(1.34, 8.0), 0.6, java.util.Map.of()));
        assertDoesNotThrow(() -> RelaxStage.checkSeparations(pair(2.35, 8.0), 0.6, java.util.Map.of()));
    }

    @Test
    void periodicImagesCount() {
        // In a 3.0 A box, an atom 2.0 A away along x is 1.0 A from the image of the other.
        assertThrows(CalculationException.class, () -> RelaxStage.checkSeparations(pair(2.0, 3.0), 0.6, java.util.Map.of()));
        // A single atom in a small cell is close to its own image.
        Structure one = Structure.of(Cell.cubic(1.2), new int[] {14}, new double[] {0, 0, 0});
        assertThrows(CalculationException.class, () -> RelaxStage.checkSeparations(one, 0.6, java.util.Map.of()));
    }

    @Test
    void trainedLimitsComeFromTheShortestPairOfTheDataAndTakePrecedenceWhenLarger() {
        var limits = RelaxStage.trainedLimits(java.util.List.of(pair(2.30, 8.0), pair(2.10, 8.0), pair(2.50, 8.0)), 0.9, 5.0);
        assertTrue(Math.abs(limits.get("Si-Si") - 0.9 * 2.10) < 1e-12, limits.toString());
        // 1.80 A passes the covalent guard (0.6 x 2.22 = 1.332) but not the data guard (1.89).
        CalculationException e = assertThrows(CalculationException.class, () -> RelaxStage.checkSeparations(pair(1.80, 8.0), 0.6, limits));
        assertTrue(e.getMessage().contains("shortest Si-Si distance of the training set"), e.getMessage());
        assertDoesNotThrow(() -> RelaxStage.checkSeparations(pair(1.95, 8.0), 0.6, limits));
        assertEquals("O-Si", RelaxStage.pairKey("Si", "O"));
    }

    private static Structure rattled(Structure s, SplittableRandom r, double amplitude) {
        double[] x = s.positions();
        for (int c = 0; c < x.length; c++) x[c] += amplitude * r.nextGaussian();
        return s.withPositions(x);
    }

    /** A committee of 4 fitted to 6 rattled Si8 diamond cells labelled by SW, and 6 strongly rattled cells to relax. */
    private static List<Object> committeeAndCells() {
        Structure d = ExtendedXyz.read(Path.of("..", "examples", "si8-diamond.extxyz")).get(0);
        Structure diamond = Structure.of(d.cell(), d.atomicNumbers(), d.positions());
        StillingerWeber sw = StillingerWeber.silicon();
        SplittableRandom r = new SplittableRandom(5);
        List<Structure> train = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            Structure s = rattled(diamond, r, 0.08);
            train.add(s.withLabels(sw.calculate(s)));
        }
        LinearPotential pot = PotentialFitter.fit(train, new AceBasis(new AceParameters(new int[] {14}, sw.cutoff(), 0.0, 0.0, Double.NaN,
                new int[] {10, 6}, 1.0, 2)), FitOptions.defaults().withCommitteeSize(4).withSeed(1)).potential();
        List<Structure> cells = new ArrayList<>();
        for (int k = 0; k < 6; k++) cells.add(rattled(diamond, r, 0.2));
        return List.of(pot, cells);
    }

    @Test
    @SuppressWarnings("unchecked")
    void measuringTheSpreadEveryKthCallLeavesTheTrajectoryAndCutsCommitteeEvaluations() {
        List<Object> fixture = committeeAndCells();
        LinearPotential pot = (LinearPotential) fixture.get(0);
        List<Structure> cells = (List<Structure>) fixture.get(1);
        int stopped = 0;
        for (int k = 0; k < cells.size(); k++) {
            PoolEntry start = PoolEntry.of(k, cells.get(k), "rattled");
            // no uncertainty stop: the relaxation must be the same bit for bit whatever the interval
            PoolEntry every1 = new RelaxStage("fire", 0.05, 200, 50, Double.POSITIVE_INFINITY, 3, 0.7, java.util.Map.of(), 1).apply(start, pot, 0);
            PoolEntry every5 = new RelaxStage("fire", 0.05, 200, 50, Double.POSITIVE_INFINITY, 3, 0.7, java.util.Map.of(), 5).apply(start, pot, 0);
            assertEquals(every1, every5, "cell " + k);
            var calc1 = new RelaxStage.CommitteeCalculator(pot, 0, java.util.Map.of(), 1);
            var calc5 = new RelaxStage.CommitteeCalculator(pot, 0, java.util.Map.of(), 5);
            for (int c = 0; c < 23; c++) {
                Structure s = rattled(cells.get(k), new SplittableRandom(c), 0.01);
                var a = calc1.calculate(s);
                var b = calc5.calculate(s);
                assertEquals(a.energy(), b.energy(), 0.0, "mean-only frames are the committee evaluation's mean bit for bit");
                org.junit.jupiter.api.Assertions.assertArrayEquals(a.forces(), b.forces(), 0.0);
                org.junit.jupiter.api.Assertions.assertArrayEquals(a.stress(), b.stress(), 0.0);
            }
            assertEquals(23, calc1.counts()[0]);
            assertEquals(5, calc5.counts()[0], "calls 0, 5, 10, 15, 20 evaluate the committee");
            // with a stop at a quarter of the no-stop relaxation's final U: the interval may only delay the stop
            double limit = 0.25 * every1.uncertainty();
            PoolEntry s1 = new RelaxStage("fire", 0.05, 200, 50, limit, 3, 0.7, java.util.Map.of(), 1).apply(start, pot, 0);
            PoolEntry s5 = new RelaxStage("fire", 0.05, 200, 50, limit, 3, 0.7, java.util.Map.of(), 5).apply(start, pot, 0);
            if (s1.status().equals("early_stop")) {
                stopped++;
                assertTrue(s5.steps() >= s1.steps(), "cell " + k + ": every 5th call stopped at " + s5.steps() + " before every call's " + s1.steps());
            }
        }
        assertTrue(stopped > 0, "no relaxation hit the uncertainty stop; the test does not test the stop");
    }
}
