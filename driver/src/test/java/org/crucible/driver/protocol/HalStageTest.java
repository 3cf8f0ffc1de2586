package org.crucible.driver.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.crucible.core.Structure;
import org.crucible.core.io.ExtendedXyz;
import org.crucible.driver.pool.LocalPool;
import org.crucible.driver.pool.Pool;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.pool.PoolSummary;
import org.crucible.driver.pool.SparkPool;
import org.crucible.driver.spark.SparkContexts;
import org.crucible.executors.calculators.StillingerWeber;
import org.crucible.executors.descriptors.AceBasis;
import org.crucible.executors.descriptors.AceParameters;
import org.crucible.executors.md.HalSettings;
import org.crucible.executors.potentials.FitOptions;
import org.crucible.executors.potentials.LinearPotential;
import org.crucible.executors.potentials.PotentialFitter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HAL trajectories as one map stage with the committee broadcast: Spark (local[2], 3 partitions) gives exactly the
 * entries of the single-threaded pool, and each entry carries its stop's softmax, status and provenance.
 */
class HalStageTest {
    static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SparkContexts.create("local[2]", "crucible-test", false, 4040, Map.of());
    }

    @AfterAll
    static void stop() {
        if (sc != null) sc.close();
    }

    private static Structure rattled(Structure s, SplittableRandom r, double amplitude) {
        double[] x = s.positions();
        for (int c = 0; c < x.length; c++) x[c] += amplitude * r.nextGaussian();
        return s.withPositions(x);
    }

    @Test
    void sparkRunsWhatTheLocalPoolRunsAndEntriesCarryTheSoftmax() {
        Structure diamond = ExtendedXyz.read(Path.of("..", "examples", "si8-diamond.extxyz")).get(0);
        diamond = Structure.of(diamond.cell(), diamond.atomicNumbers(), diamond.positions());
        StillingerWeber sw = StillingerWeber.silicon();
        SplittableRandom r = new SplittableRandom(3);
        List<Structure> train = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            Structure s = rattled(diamond, r, 0.1);
            train.add(s.withLabels(sw.calculate(s)));
        }
        LinearPotential pot = PotentialFitter.fit(train, new AceBasis(new AceParameters(new int[] {14}, sw.cutoff(), 0.0, 0.0, Double.NaN,
                new int[] {10, 6}, 1.0, 2)), FitOptions.defaults().withCommitteeSize(4).withSeed(1)).potential();
        HalSettings settings = HalSettings.nvt(1500, 1.0, 150, 0.2).withTolerance(0.02).withAveraging(20, 20);
        List<PoolEntry> start = new ArrayList<>();
        for (int id = 0; id < 5; id++) start.add(PoolEntry.of(id, diamond, "seed " + id));
        HalStage.Model model = new HalStage.Model(pot, settings);
        Pool local = LocalPool.of(start, 2).map(new HalStage(), model, 9, "hal");
        Pool spark = SparkPool.of(sc, start, 3).map(new HalStage(), model, 9, "hal");
        List<Long> ids = spark.summaries().stream().map(PoolSummary::id).sorted().toList();
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), ids);
        assertEquals(((LocalPool) local).entries(), spark.fetch(ids));
        int triggered = 0;
        for (PoolEntry e : spark.fetch(ids)) {
            boolean t = e.status().equals("triggered");
            assertTrue(t || e.status().equals("max-steps"), e.status());
            assertEquals(t, e.uncertainty() > 0.02, "softmax " + e.uncertainty() + " and status " + e.status());
            assertTrue(e.origin().startsWith("seed " + e.id() + "; hal " + (t ? "triggered" : "max-steps") + " step="), e.origin());
            assertTrue(Double.isFinite(e.energy()));
            if (t) triggered++;
        }
        System.out.println("HAL stage: " + triggered + " of 5 trajectories triggered");
    }
}
