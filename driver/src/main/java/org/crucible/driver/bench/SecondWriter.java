package org.crucible.driver.bench;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.StoreException;
import org.crucible.driver.store.StoreLease;
import org.crucible.driver.store.TrainingStore;

/**
 * A second writer beside a running campaign, for the kill harness: every {@code periodMs} it reads the store, picks
 * one stored label (seeded) and tries to append it again as writer {@value #OWNER}. While the campaign driver holds the
 * store's lease the open must be refused with a message naming the holder; when the driver is dead (killed, not yet
 * resumed) the writer gets the lease, and the append must add nothing (the label is there) and its close may compact.
 * It re-appends only labels already stored, so whatever it is allowed to do cannot change the campaign's science.
 *
 * <p>Prints one line per attempt: {@code REFUSED message}, {@code APPENDED added=A skipped=S task=HASH}, {@code EMPTY}
 * (nothing stored yet), {@code ERROR message}. Runs until killed. Arguments: store URI, period in ms, seed.
 */
public final class SecondWriter {
    /** The lease owner this writer registers as. */
    public static final String OWNER = "second-writer";

    private SecondWriter() {
    }

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        long period = Long.parseLong(args[1]);
        SplittableRandom rnd = new SplittableRandom(Long.parseLong(args[2]));
        StoreLease.Settings lease = new StoreLease.Settings(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ZERO, Clock.systemUTC(), OWNER);
        while (true) {
            Thread.sleep(period);
            List<String> stored;
            try (TrainingStore ro = TrainingStore.openReadOnly(uri, new Configuration())) {
                stored = new ArrayList<>(ro.entries().keySet());
            } catch (RuntimeException e) {
                say("ERROR read: " + e.getMessage());
                continue;
            }
            if (stored.isEmpty()) {
                say("EMPTY");
                continue;
            }
            stored.sort(null);
            String task = stored.get(rnd.nextInt(stored.size()));
            TrainingStore store;
            try {
                store = TrainingStore.open(uri, new Configuration(), TrainingStore.CompactionPolicy.DEFAULT, lease);
            } catch (StoreException e) {
                say("REFUSED " + e.getMessage().replace('\n', ' '));
                continue;
            }
            try (store) {
                LabelRecord r = store.get(task).orElseThrow(() -> new IllegalStateException("task " + task + " vanished from the store"));
                TrainingStore.AppendResult a = store.append(List.of(r));
                say("APPENDED added=" + a.added() + " skipped=" + a.skipped() + " task=" + task);
            } catch (RuntimeException e) {
                say("ERROR append: " + e.getMessage());
            }
        }
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
