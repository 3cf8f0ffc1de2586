package org.crucible.driver.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.crucible.driver.spark.ProgressBar;
import org.crucible.driver.spark.SparkContexts;
import org.crucible.driver.testing.LennardJones;
import org.crucible.driver.testing.RandomCells;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spark pools on a real local[2] context against the single-threaded pool. One context for the class. */
class SparkPoolTest {
    static JavaSparkContext sc;
    static final ByteArrayOutputStream progress = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        sc = SparkContexts.create("local[2]", "crucible-test", false, 4040, Map.of());
        sc.sc().addSparkListener(new ProgressBar(new PrintStream(progress, true, StandardCharsets.UTF_8), 20));
    }

    @AfterAll
    static void stop() {
        if (sc != null) sc.close();
    }

    static final EvaluateStage.Model LJ = new EvaluateStage.Model(new LennardJones(0.1, 2.1, 5.0));

    @Test
    void sparkResultsEqualTheSingleThreadedRunWhateverThePartitioning() {
        List<PoolEntry> start = RandomCells.pool(40, 8, 11);
        Pool local = LocalPool.of(start, 3)
                .map(new PerturbStage(0.1), PerturbStage.NoModel.INSTANCE, 77, "perturb")
                .map(new EvaluateStage(), LJ, 78, "evaluate");
        Pool spark = SparkPool.of(sc, start, 5)
                .map(new PerturbStage(0.1), PerturbStage.NoModel.INSTANCE, 77, "perturb")
                .map(new EvaluateStage(), LJ, 78, "evaluate");
        List<PoolSummary> a = local.summaries();
        List<PoolSummary> b = spark.summaries();
        assertEquals(40, b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).id(), b.get(i).id());
            assertEquals(a.get(i).energy(), b.get(i).energy(), "bit-identical energy of entry " + i);
            assertEquals(a.get(i).maxForce(), b.get(i).maxForce());
            assertTrue(Double.isFinite(b.get(i).energy()));
        }
        assertEquals(((LocalPool) local).entries(), spark.fetch(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L, 16L,
                17L, 18L, 19L, 20L, 21L, 22L, 23L, 24L, 25L, 26L, 27L, 28L, 29L, 30L, 31L, 32L, 33L, 34L, 35L, 36L, 37L, 38L, 39L)));
        assertEquals(List.of(3L, 17L), spark.fetch(List.of(17L, 3L)).stream().map(PoolEntry::id).toList());
    }

    /** Expands entry k into (k mod 3) perturbed copies: a stage with a known output count per entry. */
    static final PoolFlatStage<PerturbStage.NoModel> COPIES = (e, m, seed) -> {
        List<PoolEntry> out = new java.util.ArrayList<>();
        for (int i = 0; i < e.id() % 3; i++) out.add(new PerturbStage(0.05).apply(e, m, seed + i));
        return out;
    };

    @Test
    void flatMapRenumbersOutputsStablyAndSparkEqualsTheSingleThreadedRun() {
        List<PoolEntry> start = RandomCells.pool(30, 8, 3);
        Pool local = LocalPool.of(start, 2).flatMap(COPIES, PerturbStage.NoModel.INSTANCE, 5, 4, "copies");
        Pool spark = SparkPool.of(sc, start, 3).flatMap(COPIES, PerturbStage.NoModel.INSTANCE, 5, 4, "copies");
        long expected = start.stream().mapToLong(e -> e.id() % 3).sum();
        assertEquals(expected, local.size());
        assertEquals(expected, spark.size());
        List<Long> ids = spark.summaries().stream().map(PoolSummary::id).toList();
        assertEquals(local.summaries().stream().map(PoolSummary::id).toList(), ids);
        assertTrue(ids.contains(4L * 2 + 1), "entry 2's second copy has id 2*4+1");
        assertFalse(ids.contains(4L * 3), "entry 3 expands into nothing");
        assertEquals(((LocalPool) local).entries(), spark.fetch(ids));
        assertThrows(Exception.class, () -> LocalPool.of(start, 1).flatMap(COPIES, PerturbStage.NoModel.INSTANCE, 5, 1, "too many"));
    }

    @Test
    void differentSeedsGiveDifferentPerturbations() {
        List<PoolEntry> start = RandomCells.pool(4, 8, 11);
        PoolEntry a = LocalPool.of(start, 1).map(new PerturbStage(0.1), PerturbStage.NoModel.INSTANCE, 1, "p").fetch(List.of(0L)).get(0);
        PoolEntry b = LocalPool.of(start, 1).map(new PerturbStage(0.1), PerturbStage.NoModel.INSTANCE, 2, "p").fetch(List.of(0L)).get(0);
        assertNotEquals(a, b);
        assertEquals(start.get(0).id(), a.id());
    }

    @Test
    void savedSparkPoolLoadsIdenticallyInBothBackends() {
        List<PoolEntry> start = RandomCells.pool(25, 8, 5);
        Pool spark = SparkPool.of(sc, start, 4).map(new EvaluateStage(), LJ, 1, "evaluate");
        String uri = dir.resolve("pools/cycle-001/relaxed").toUri().toString();
        spark.save(uri);
        assertEquals(4, PoolFiles.partitions(uri).size());
        LocalPool back = LocalPool.load(uri);
        assertEquals(spark.fetch(start.stream().map(PoolEntry::id).toList()), back.entries());
        SparkPool again = SparkPool.load(sc, uri);
        assertEquals(25, again.size());
        assertEquals(back.summaries().get(7).energy(), again.summaries().get(7).energy());
        // Saving again over it replaces it atomically.
        LocalPool.of(start.subList(0, 3), 1).save(uri);
        assertEquals(3, LocalPool.load(uri).size());
    }

    /** Gives each entry a descriptor row derived from its id and a failed status to every seventh (for preselection). */
    static final PoolStage<PerturbStage.NoModel> FEATURES = (e, m, seed) -> {
        PoolEntry x = e.withFeatures(new double[] {e.id() % 5, Math.sin(e.id())});
        return e.id() % 7 == 3 ? x.withExploration(Double.NaN, Double.NaN, Double.NaN, 0, "failed", new double[0][]) : x;
    };

    @Test
    void preselectionKeepsThePoolWideLowestScoresWhateverThePartitioning() {
        List<PoolEntry> start = RandomCells.pool(60, 8, 21);
        Preselection pre = new Preselection(17, 0.5);
        Pool local = LocalPool.of(start, 1).map(new EvaluateStage(), LJ, 9, "evaluate").map(FEATURES, PerturbStage.NoModel.INSTANCE, 1, "features");
        List<PoolSummary> all = local.summaries();
        // The reference by hand: selectable rows sorted by score then id, the first 17, back in id order.
        List<Long> expected = all.stream().filter(PoolSummary::selectable)
                .sorted(java.util.Comparator.comparingDouble((PoolSummary s) -> s.energyPerAtom() - 0.5 * s.maxForce()).thenComparingLong(PoolSummary::id))
                .limit(17).map(PoolSummary::id).sorted().toList();
        assertEquals(expected, local.summaries(pre).stream().map(PoolSummary::id).toList());
        assertTrue(all.stream().filter(s -> !s.selectable()).count() >= 8, "the pool has failed rows that must not take a slot");
        for (int partitions : new int[] {1, 4, 13}) {
            Pool spark = SparkPool.of(sc, start, partitions).map(new EvaluateStage(), LJ, 9, "evaluate").map(FEATURES, PerturbStage.NoModel.INSTANCE, 1, "features");
            List<PoolSummary> got = spark.summaries(pre);
            assertEquals(expected, got.stream().map(PoolSummary::id).toList(), partitions + " partitions");
            for (PoolSummary s : got) {
                PoolSummary ref = all.stream().filter(r -> r.id() == s.id()).findFirst().orElseThrow();
                assertEquals(ref.energy(), s.energy());
                assertTrue(java.util.Arrays.equals(ref.features(), s.features()));
            }
        }
        // More than the pool holds: every selectable row, none of the failed ones.
        assertEquals(all.stream().filter(PoolSummary::selectable).count(), SparkPool.of(sc, start, 3).map(new EvaluateStage(), LJ, 9, "evaluate")
                .map(FEATURES, PerturbStage.NoModel.INSTANCE, 1, "features").summaries(new Preselection(1000, 0.5)).size());
        assertThrows(IllegalArgumentException.class, () -> new Preselection(0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new Preselection(5, -1));
    }

    @Test
    void summariesWithoutFeaturesAndSummariesOfIdsAgreeWithTheFullRowsInBothBackends() {
        List<PoolEntry> start = RandomCells.pool(40, 8, 23);
        Pool local = LocalPool.of(start, 1).map(new EvaluateStage(), LJ, 9, "evaluate").map(FEATURES, PerturbStage.NoModel.INSTANCE, 1, "features");
        List<PoolSummary> all = local.summaries();
        assertTrue(all.stream().allMatch(r -> r.features().length > 0), "the fixture has descriptor rows");
        List<Long> some = List.of(31L, 2L, 17L, 999L);
        for (Pool pool : List.of(local, SparkPool.of(sc, start, 6).map(new EvaluateStage(), LJ, 9, "evaluate").map(FEATURES, PerturbStage.NoModel.INSTANCE, 1, "features"))) {
            List<PoolSummary> lite = pool.summariesWithoutFeatures();
            assertEquals(all.size(), lite.size());
            for (int i = 0; i < all.size(); i++) {
                PoolSummary a = all.get(i), b = lite.get(i);
                assertEquals(0, b.features().length);
                assertEquals(a.atoms(), b.atoms());
                assertEquals(a.uncertainty(), b.uncertainty());
                assertEquals(a.maxForce(), b.maxForce());
                assertEquals(a.steps(), b.steps());
                assertEquals(a.id(), b.id());
                assertEquals(a.energy(), b.energy());
                assertEquals(a.status(), b.status());
            }
            List<PoolSummary> picked = pool.summaries(some);
            assertEquals(List.of(2L, 17L, 31L), picked.stream().map(PoolSummary::id).toList(), "sorted by id; an unknown id is absent");
            for (PoolSummary p : picked) {
                assertTrue(java.util.Arrays.equals(all.stream().filter(r -> r.id() == p.id()).findFirst().orElseThrow().features(), p.features()));
            }
        }
    }

    @Test
    void incompletePoolIsRefused() {
        String uri = dir.resolve("pools/half").toUri().toString();
        PoolFiles.begin(uri);
        PoolFiles.writePartition(PoolFiles.tempOf(uri), 0, RandomCells.pool(2, 8, 1).iterator());
        PoolException e = assertThrows(PoolException.class, () -> LocalPool.load(uri));
        assertTrue(e.getMessage().contains("no _SUCCESS"), e.getMessage());
    }

    @Test
    void progressBarFollowsSparkTasks() throws InterruptedException {
        SparkPool.of(sc, RandomCells.pool(6, 8, 3), 3).map(new EvaluateStage(), LJ, 1, "evaluate for progress").size();
        // the bar is a SparkListener: Spark delivers task and stage events on its listener bus thread, after the job
        // has returned to the caller (CI failed once at load 3 reading the stream too early), so wait for the last line
        String last = "[####################] 3/3 tasks  evaluate for progress: count";
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (!progress.toString(StandardCharsets.UTF_8).contains(last) && System.nanoTime() < deadline) Thread.sleep(20);
        String text = progress.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("3/3 tasks"), text);
        assertTrue(text.contains("[####################] 3/3 tasks  evaluate for progress: count"), text);
        assertFalse(text.contains("failed"), text);
    }
}
