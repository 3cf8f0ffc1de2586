package org.crucible.driver.store;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.crucible.driver.bench.StoreBench;
import org.crucible.driver.store.TrainingStore.CompactionPolicy;

/**
 * A writer process for the kill and two-writer tests: appends labels {@code 0..count-1} of {@link StoreBench#record}
 * one per append, with compaction after almost every append (fan-in 2), holding the lease for {@code perOpen} appends
 * at a time (0: all). Prints {@code OPEN epoch}, {@code ACK i} once the store said label {@code i} is stored,
 * {@code REFUSED message} when another writer holds the lease, and {@code DONE}.
 *
 * <p>Arguments: store URI, seed, count, perOpen, order ({@code asc} or {@code desc}), owner, pause in ms after each append.
 */
public final class StoreWriterProcess {
    private StoreWriterProcess() {
    }

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        long seed = Long.parseLong(args[1]);
        int count = Integer.parseInt(args[2]);
        int perOpen = Integer.parseInt(args[3]);
        boolean desc = args[4].equals("desc");
        String owner = args[5];
        long pause = Long.parseLong(args[6]);
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < count; i++) todo.add(desc ? count - 1 - i : i);
        StoreLease.Settings lease = new StoreLease.Settings(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ZERO, Clock.systemUTC(), owner);
        CompactionPolicy policy = new CompactionPolicy(true, 2, 1 << 20);
        while (!todo.isEmpty()) {
            TrainingStore store;
            try {
                store = TrainingStore.open(uri, new Configuration(), policy, lease);
            } catch (StoreException e) {
                System.out.println("REFUSED " + e.getMessage());
                System.out.flush();
                Thread.sleep(50);
                continue;
            }
            try (store) {
                System.out.println("OPEN " + store.leaseEpoch());
                System.out.flush();
                int n = 0;
                while (!todo.isEmpty() && (perOpen == 0 || n < perOpen)) {
                    int i = todo.get(0);
                    store.append(List.of(StoreBench.record(seed, i)));
                    System.out.println("ACK " + i);
                    System.out.flush();
                    todo.remove(0);
                    n++;
                    if (pause > 0) Thread.sleep(pause);
                }
            }
            if (pause > 0) Thread.sleep(4 * pause);
        }
        System.out.println("DONE");
        System.out.flush();
    }
}
