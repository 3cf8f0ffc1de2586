package org.crucible.driver.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The single-writer lease of a training store, with a fencing number. Every writer (a campaign driver,
 * {@code crucible store compact}) holds it; readers need none.
 *
 * <p>The lease is a sequence of files {@code lease/epoch-NNNNNNNNNNNN.json} under the store root, each created
 * exclusively (the JDK's {@code O_CREAT|O_EXCL} link on a local disk, {@code create(overwrite=false)} on HDFS, both
 * atomic), holding the owner, host, pid and time of acquisition. The highest epoch is the lease; its file's
 * modification time is the holder's heartbeat, renewed every {@link Settings#heartbeat()}. A writer takes the lease by
 * creating the next epoch, which it may do only when the current one is released ({@code epoch-N.released}), expired
 * (no heartbeat for {@link Settings#expiry()}), or held by a process of this host that no longer exists (a
 * {@code kill -9}ed driver). Two writers racing for the same epoch cannot both create it.
 *
 * <p><b>Fencing.</b> The epoch is the fencing number: {@link #check(String)} runs before every commit point of the
 * store (the rename that publishes an append, the rename of a compaction's index, the deletion of its inputs) and
 * refuses when a higher epoch exists, so a writer that stalled past its expiry (a long GC pause, a suspended
 * process) and was replaced cannot publish anything afterwards. A writer also refuses to commit when its own last
 * heartbeat is older than half the expiry: a taker may be about to create the next epoch.
 *
 * <pre>{@code
 * try (StoreLease lease = StoreLease.acquire(fs, storeRoot, StoreLease.Settings.DEFAULT)) {
 *     lease.check("append shard-000042");   // throws StoreException naming the new holder if the lease was lost
 *     fs.rename(tmp, shard);
 * }
 * }</pre>
 */
public final class StoreLease implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EPOCH = Pattern.compile("epoch-(\\d{12})\\.json");

    /**
     * How long a lease lives without a heartbeat, how often the holder renews it (zero: never on its own, for tests
     * that move a clock), how long {@code acquire} waits for a held lease (zero: refuse at once), the clock that
     * stamps heartbeats and judges expiry, and the owner named in messages.
     */
    public record Settings(Duration expiry, Duration heartbeat, Duration waitFor, Clock clock, String owner) {
        /** 60 s expiry, heartbeat every 10 s, no wait. */
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ZERO, Clock.systemUTC(), "crucible");

        public Settings {
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(owner, "owner");
            if (expiry.isNegative() || expiry.isZero()) throw new IllegalArgumentException("lease expiry must be positive, got " + expiry);
            if (heartbeat.isNegative() || heartbeat.compareTo(expiry) >= 0) {
                throw new IllegalArgumentException("lease heartbeat must be >= 0 and shorter than the expiry " + expiry + ", got " + heartbeat);
            }
            if (waitFor.isNegative()) throw new IllegalArgumentException("lease wait must be >= 0, got " + waitFor);
        }

        public Settings withWait(Duration w) {
            return new Settings(expiry, heartbeat, w, clock, owner);
        }

        public Settings withOwner(String o) {
            return new Settings(expiry, heartbeat, waitFor, clock, o);
        }
    }

    /** Who holds (or held) an epoch of the lease, as its file says; {@code heartbeat} is the file's modification time. */
    public record Holder(long epoch, String owner, String host, long pid, Instant acquired, Instant heartbeat, boolean released) {
        String describe(Instant now) {
            return "epoch " + epoch + " held by " + owner + " (host " + host + ", pid " + pid + ") since " + acquired + ", last heartbeat "
                    + Duration.between(heartbeat, now).toSeconds() + " s ago";
        }
    }

    private final FileSystem fs;
    private final Path dir;
    private final Settings settings;
    private final long epoch;
    private final Path file;
    private volatile long lastBeat;
    private volatile String lost;
    private boolean closed;
    private final ScheduledExecutorService beater;

    private StoreLease(FileSystem fs, Path dir, Settings settings, long epoch, long now) {
        this.fs = fs;
        this.dir = dir;
        this.settings = settings;
        this.epoch = epoch;
        this.file = new Path(dir, name(epoch));
        this.lastBeat = now;
        if (settings.heartbeat().isZero()) {
            beater = null;
        } else {
            beater = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "store-lease-heartbeat");
                t.setDaemon(true);
                return t;
            });
            long ms = settings.heartbeat().toMillis();
            beater.scheduleWithFixedDelay(() -> {
                try {
                    heartbeat();
                } catch (RuntimeException e) {
                    // Recorded in 'lost' when the lease is gone; an I/O hiccup is retried at the next beat, and check()
                    // refuses to commit on a heartbeat older than half the expiry.
                }
            }, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    private static String name(long epoch) {
        return String.format("epoch-%012d.json", epoch);
    }

    private static String thisHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }

    /**
     * Takes the lease of the store at {@code root}, waiting up to {@link Settings#waitFor()} for a held one; throws a
     * {@link StoreException} naming the holder when it stays held.
     */
    public static StoreLease acquire(FileSystem fs, Path root, Settings settings) {
        Path dir = new Path(root, "lease");
        long deadline = settings.clock().millis() + settings.waitFor().toMillis();
        try {
            fs.mkdirs(dir);
            while (true) {
                TreeMap<Long, FileStatus> epochs = epochs(fs, dir);
                long top = epochs.isEmpty() ? 0 : epochs.lastKey();
                long now = settings.clock().millis();
                if (top > 0) {
                    Holder h = holder(fs, dir, epochs.get(top));
                    String why = takeable(h, settings, now);
                    if (why == null) {
                        if (now < deadline) {
                            Thread.sleep(Math.max(50, Math.min(deadline - now, Math.min(1000, settings.expiry().toMillis() / 4))));
                            continue;
                        }
                        throw new StoreException("the training store at " + root + " has another writer: lease " + h.describe(Instant.ofEpochMilli(now))
                                + "; it is taken over " + settings.expiry().toSeconds() + " s after its last heartbeat, or at once when that process is gone"
                                + " (readers such as 'crucible store stats' and 'verify' need no lease)");
                    }
                }
                if (create(fs, dir, top + 1, settings, now)) {
                    StoreLease lease = new StoreLease(fs, dir, settings, top + 1, now);
                    for (long old : epochs.keySet()) {
                        if (old < top) lease.deleteQuietly(old);
                    }
                    return lease;
                }
                // Another writer created epoch top+1 first: look again (it holds the lease now).
            }
        } catch (IOException e) {
            throw new StoreException("cannot take the writer lease of the training store at " + root + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the writer lease of the training store at " + root, e);
        }
    }

    /** Why the lease {@code h} may be taken, or null when it is live. */
    private static String takeable(Holder h, Settings s, long now) {
        if (h.released()) return "released";
        if (now - h.heartbeat().toEpochMilli() > s.expiry().toMillis()) return "expired";
        if (h.host().equals(thisHost()) && h.pid() != ProcessHandle.current().pid() && h.pid() > 0
                && ProcessHandle.of(h.pid()).map(p -> !p.isAlive()).orElse(true)) {
            return "its process is gone";
        }
        return null;
    }

    private static TreeMap<Long, FileStatus> epochs(FileSystem fs, Path dir) throws IOException {
        TreeMap<Long, FileStatus> out = new TreeMap<>();
        for (FileStatus st : fs.listStatus(dir)) {
            Matcher m = EPOCH.matcher(st.getPath().getName());
            if (m.matches()) out.put(Long.parseLong(m.group(1)), st);
        }
        return out;
    }

    /** The holder of an epoch; a file still being written (HDFS) reads as an anonymous live holder. */
    static Holder holder(FileSystem fs, Path dir, FileStatus st) throws IOException {
        Matcher m = EPOCH.matcher(st.getPath().getName());
        if (!m.matches()) throw new IllegalArgumentException(st.getPath() + " is not a lease epoch file");
        long e = Long.parseLong(m.group(1));
        boolean released = fs.exists(new Path(dir, released(e)));
        Instant beat = Instant.ofEpochMilli(st.getModificationTime());
        JsonNode n = null;
        try (InputStream in = fs.open(st.getPath())) {
            byte[] b = in.readAllBytes();
            if (b.length > 0) n = JSON.readTree(b);
        } catch (IOException ex) {
            n = null;
        }
        if (n == null) return new Holder(e, "?", "?", -1, beat, beat, released);
        return new Holder(e, n.path("owner").asText("?"), n.path("host").asText("?"), n.path("pid").asLong(-1),
                Instant.ofEpochMilli(n.path("acquired_ms").asLong(0)), beat, released);
    }

    private static String released(long epoch) {
        return String.format("epoch-%012d.released", epoch);
    }

    /** Creates {@code epoch} exclusively; false when it exists already (another writer won). */
    private static boolean create(FileSystem fs, Path dir, long epoch, Settings s, long now) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("epoch", epoch).put("owner", s.owner()).put("host", thisHost()).put("pid", ProcessHandle.current().pid()).put("acquired_ms", now)
                .put("acquired", Instant.ofEpochMilli(now).toString());
        byte[] content = (JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8);
        Path target = new Path(dir, name(epoch));
        if (DurableFiles.isLocal(fs)) {
            // Written under a private name, then linked to the epoch's name: link(2) fails if the name exists, and the
            // file is complete the moment it has that name.
            java.nio.file.Path t = DurableFiles.localPath(fs, target);
            java.nio.file.Path tmp = t.resolveSibling(".epoch-" + epoch + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
            Files.write(tmp, content);
            DurableFiles.fsync(tmp);
            try {
                Files.createLink(t, tmp);
            } catch (FileAlreadyExistsException e) {
                return false;
            } finally {
                Files.deleteIfExists(tmp);
            }
            Files.setLastModifiedTime(t, java.nio.file.attribute.FileTime.fromMillis(now));
            DurableFiles.fsyncDirectory(t.getParent());
            return true;
        }
        try (FSDataOutputStream out = fs.create(target, false)) {
            out.write(content);
            out.hsync();
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        }
        fs.setTimes(target, now, -1);
        return true;
    }

    /** The fencing number: higher for every new holder of the store. */
    public long epoch() {
        return epoch;
    }

    /**
     * Renews the heartbeat; throws (and remembers) when another writer holds a higher epoch or this lease was released.
     */
    public synchronized void heartbeat() {
        if (closed) throw new StoreException("the writer lease (epoch " + epoch + ") of " + dir.getParent() + " was released");
        ensureCurrent("renew the lease");
        long now = settings.clock().millis();
        try {
            fs.setTimes(file, now, -1);
        } catch (IOException e) {
            throw new StoreException("cannot renew the writer lease " + file + ": " + e.getMessage(), e);
        }
        lastBeat = now;
    }

    /**
     * The fencing check before a commit point: throws a {@link StoreException} when this writer no longer holds the
     * lease (a higher epoch exists, it was released, or its own heartbeat is too old to be sure).
     */
    public synchronized void check(String action) {
        if (lost != null) throw new StoreException("refusing to " + action + ": " + lost);
        if (closed) throw new StoreException("refusing to " + action + ": the writer lease (epoch " + epoch + ") was released");
        if (settings.clock().millis() - lastBeat > settings.expiry().toMillis() / 2) {
            heartbeat(); // throws when another writer took over meanwhile
        }
        ensureCurrent(action);
    }

    private void ensureCurrent(String action) {
        if (lost != null) throw new StoreException("refusing to " + action + ": " + lost);
        try {
            TreeMap<Long, FileStatus> epochs = epochs(fs, dir);
            long top = epochs.isEmpty() ? 0 : epochs.lastKey();
            if (top != epoch) {
                String who = top > epoch ? holder(fs, dir, epochs.get(top)).describe(Instant.ofEpochMilli(settings.clock().millis())) : "its file is gone";
                lost = "this writer's lease (epoch " + epoch + ") of the training store at " + dir.getParent() + " was taken over: " + who;
                throw new StoreException("refusing to " + action + ": " + lost);
            }
            if (fs.exists(new Path(dir, released(epoch)))) {
                lost = "this writer's lease (epoch " + epoch + ") of the training store at " + dir.getParent() + " was released";
                throw new StoreException("refusing to " + action + ": " + lost);
            }
        } catch (IOException e) {
            throw new StoreException("refusing to " + action + ": cannot read the writer lease in " + dir + ": " + e.getMessage(), e);
        }
    }

    private void deleteQuietly(long old) {
        try {
            fs.delete(new Path(dir, name(old)), false);
            fs.delete(new Path(dir, released(old)), false);
        } catch (IOException e) {
            // Old epochs are only clutter: the highest epoch is the lease.
        }
    }

    /** Releases the lease (a marker file), so the next writer may take it at once. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (beater != null) beater.shutdownNow();
        if (lost != null) return;
        Path marker = new Path(dir, released(epoch));
        try {
            try (FSDataOutputStream out = fs.create(marker, true)) {
                out.hsync();
            }
            DurableFiles.syncDirectory(fs, dir);
        } catch (IOException e) {
            throw new StoreException("cannot release the writer lease " + file + " (it expires " + settings.expiry().toSeconds()
                    + " s after its last heartbeat): " + e.getMessage(), e);
        }
    }
}
