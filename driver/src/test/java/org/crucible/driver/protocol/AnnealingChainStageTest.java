package org.crucible.driver.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.driver.pool.LocalPool;
import org.crucible.driver.pool.Pool;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.pool.PoolSummary;
import org.crucible.driver.pool.SparkPool;
import org.crucible.driver.spark.SparkContexts;
import org.crucible.executors.md.AnnealingSchedule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Annealing chains as one flatMap stage: Spark (local[2], 3 partitions) harvests exactly what the single-threaded pool does. */
class AnnealingChainStageTest {
    static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SparkContexts.create("local[2]", "crucible-test", false, 4040, Map.of());
    }

    @AfterAll
    static void stop() {
        if (sc != null) sc.close();
    }

    private static List<PoolEntry> cells(int count) {
        List<PoolEntry> out = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(5);
        for (int id = 0; id < count; id++) {
            double[] x = new double[24];
            for (int i = 0; i < x.length; i++) x[i] = r.nextDouble() * 5.0;
            int[] z = new int[8];
            Arrays.fill(z, 74);
            out.add(PoolEntry.of(id, Structure.of(Cell.cubic(5.0), z, x), "test cell " + id));
        }
        return out;
    }

    @Test
    void sparkHarvestsWhatTheLocalPoolHarvests() {
        var settings = new AnnealingChainStage.Settings(new AnnealingSchedule(10_000, 0, 200, 60, 1.0, 50, 6), 100, 2.2, 2,
                new double[] {6.0, 6.0, 7.0}, 0.03);
        List<PoolEntry> start = cells(5);
        Pool local = LocalPool.of(start, 2).flatMap(new AnnealingChainStage(), settings, 17, 2, "anneal");
        Pool spark = SparkPool.of(sc, start, 3).flatMap(new AnnealingChainStage(), settings, 17, 2, "anneal");
        List<Long> ids = spark.summaries().stream().map(PoolSummary::id).toList();
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), ids, "entry id * cycles + cycle");
        assertEquals(((LocalPool) local).entries(), spark.fetch(ids));
        for (PoolEntry e : spark.fetch(ids)) {
            assertEquals("harvested", e.status());
            assertEquals(6.0 * 6.0 * 7.0, e.structure().cell().volume(), 1e-9);
            assertTrue(e.origin().startsWith("test cell " + e.id() / 2 + "; anneal chain"), e.origin());
        }
    }
}
