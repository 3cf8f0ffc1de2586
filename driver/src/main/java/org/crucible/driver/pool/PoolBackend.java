package org.crucible.driver.pool;

/**
 * Where pools live and run: {@link #spark} (executors) or {@link #local} (this thread, the reference).
 */
public interface PoolBackend {
    /** Generates the pool of {@code plan} in {@code partitions} partitions; candidates the generator cannot make are left out. */
    Pool generate(GenerationPlan plan, int partitions);

    /** Loads a saved pool. */
    Pool load(String uri);

    /** Name for logs ("local" or the Spark master). */
    String name();

    /** The single-threaded backend. */
    static PoolBackend local() {
        return new PoolBackend() {
            @Override
            public Pool generate(GenerationPlan plan, int partitions) {
                java.util.List<PoolEntry> entries = new java.util.ArrayList<>();
                for (long id = 0; id < plan.size(); id++) plan.make(id).ifPresent(entries::add);
                return LocalPool.of(entries, partitions);
            }

            @Override
            public Pool load(String uri) {
                return LocalPool.load(uri);
            }

            @Override
            public String name() {
                return "local";
            }
        };
    }

    /** The Spark backend on {@code sc}. */
    static PoolBackend spark(org.apache.spark.api.java.JavaSparkContext sc) {
        return new PoolBackend() {
            @Override
            public Pool generate(GenerationPlan plan, int partitions) {
                java.util.List<Long> ids = new java.util.ArrayList<>();
                for (long id = 0; id < plan.size(); id++) ids.add(id);
                return SparkPool.wrap(sc, sc.parallelize(ids, partitions).flatMap(id -> plan.make(id).stream().iterator())
                        .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK()), "generate " + plan.size() + " candidates");
            }

            @Override
            public Pool load(String uri) {
                return SparkPool.load(sc, uri);
            }

            @Override
            public String name() {
                return sc.master();
            }
        };
    }
}
