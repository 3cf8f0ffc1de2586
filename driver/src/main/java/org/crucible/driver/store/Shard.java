package org.crucible.driver.store;

/**
 * A live shard file of a {@link TrainingStore}: the appends {@code first..last} it holds (equal for an appended shard),
 * its size in bytes, and whether an index file ({@link ShardIndex}) lists its frames.
 */
record Shard(String name, long first, long last, long bytes, boolean indexed) {
    /** Number of appends merged into this shard (1 for an appended shard). */
    long span() {
        return last - first + 1;
    }

    boolean merged() {
        return last > first;
    }

    /** True when this shard's appends lie inside {@code o}'s and the two differ (a leftover input of a merge). */
    boolean within(Shard o) {
        return o.first <= first && last <= o.last && !(o.first == first && o.last == last);
    }

    String indexName() {
        return indexName(name);
    }

    /** The index file name of shard file {@code shardName}: {@code shard-N[-M].idx}. */
    static String indexName(String shardName) {
        return shardName.substring(0, shardName.length() - ".extxyz".length()) + ".idx";
    }

    static String name(long first, long last) {
        return first == last ? String.format("shard-%06d.extxyz", first) : String.format("shard-%06d-%06d.extxyz", first, last);
    }
}
