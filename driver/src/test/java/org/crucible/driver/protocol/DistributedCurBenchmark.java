package org.crucible.driver.protocol;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.pool.Seeds;
import org.crucible.driver.pool.SparkPool;
import org.crucible.driver.spark.SparkContexts;
import org.crucible.driver.testing.RandomCells;

/**
 * The pool-side Nystrom CUR ({@link DistributedCur}) at pool scale on Spark local[W]: N rows of D non-negative
 * descriptor components around 50 centres, generated on the executors (the driver never holds them), M landmarks,
 * COUNT picks at rank K. Prints wall time and process CPU seconds (executor threads included, local mode) for the whole
 * selection and per pick. Usage: {@code DistributedCurBenchmark N D M COUNT K [W]}.
 */
public final class DistributedCurBenchmark {
    private DistributedCurBenchmark() {
    }

    public static void main(String[] args) {
        long n = Long.parseLong(args[0]);
        int d = Integer.parseInt(args[1]), m = Integer.parseInt(args[2]), count = Integer.parseInt(args[3]), k = Integer.parseInt(args[4]);
        int workers = args.length > 5 ? Integer.parseInt(args[5]) : 2;
        int partitions = 16;
        try (JavaSparkContext sc = SparkContexts.create("local[" + workers + "]", "cur-bench", false, 4040, Map.of())) {
            List<Integer> parts = new ArrayList<>();
            for (int p = 0; p < partitions; p++) parts.add(p);
            JavaRDD<PoolEntry> rdd = sc.parallelize(parts, partitions).flatMap(p -> rows(p, partitions, n, d).iterator())
                    .persist(StorageLevel.MEMORY_AND_DISK());
            long rows = rdd.count();
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long c0 = os.getProcessCpuTime(), t0 = System.nanoTime();
            DistributedCur.Result r = DistributedCur.select(SparkPool.wrap(sc, rdd, "bench"), Set.of(), true, count, 4, k, m, 7L);
            double cpu = (os.getProcessCpuTime() - c0) / 1e9, wall = (System.nanoTime() - t0) / 1e9;
            System.out.printf("rows %d, d %d, landmarks %d, picks %d of %d asked, rank %d, local[%d]%n", rows, d, m, r.picks().size(), count, k, workers);
            System.out.printf("wall %.1f s, process CPU %.1f s (%.2f CPU s per pick), heap used %d MiB%n", wall, cpu, cpu / Math.max(1, r.picks().size()),
                    (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
            System.out.println("first picks " + r.picks().subList(0, Math.min(10, r.picks().size())));
        }
    }

    static List<PoolEntry> rows(int p, int partitions, long n, int d) {
        SplittableRandom centres = new SplittableRandom(17);
        double[][] c = new double[50][d];
        for (double[] row : c) for (int j = 0; j < d; j++) row[j] = centres.nextDouble();
        List<PoolEntry> out = new ArrayList<>();
        long from = n * p / partitions, to = n * (p + 1) / partitions;
        PoolEntry template = RandomCells.pool(1, 2, 1).get(0);
        for (long id = from; id < to; id++) {
            SplittableRandom rng = new SplittableRandom(Seeds.mix(5L, id));
            double[] centre = c[rng.nextInt(c.length)];
            double spread = rng.nextDouble() < 0.02 ? 0.6 : 0.08;
            double[] x = new double[d];
            for (int j = 0; j < d; j++) x[j] = Math.abs(centre[j] + spread * (rng.nextDouble() - 0.5));
            out.add(template.withId(id).withExploration(-4 + rng.nextDouble(), 0.01, 0.1, 1, "converged", new double[0][]).withFeatures(x));
        }
        return out;
    }
}
