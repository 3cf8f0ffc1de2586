package org.crucible.driver.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.crucible.core.Cell;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.LabelStatus;
import org.crucible.driver.store.Provenance;
import org.crucible.driver.store.TaskHash;
import org.crucible.driver.store.TrainingStore;

/**
 * The training store at campaign scale ({@code crucible bench store --labels N}): appends {@code N} synthetic labelled
 * Si16 cells one record at a time, as a campaign's oracle sink does (so a crash loses at most the calculation in
 * flight), then reopens the store and runs {@code stats}, {@code trainingSet}, {@code exportExtxyz}, a full
 * compaction to 128 MiB shards and a last reopen, timing each phase and counting the files and bytes under the store directory (Hadoop's local
 * filesystem writes a {@code .crc} beside every file; they are counted, as they are on disk).
 *
 * <p>The cells are diamond Si (a = 5.43 Angstrom, 1 x 1 x 2 conventional cells) with 0.05 Angstrom random
 * displacements; energies, forces (eV/Angstrom) and stresses are random numbers of realistic size, every 20th record
 * is FAILED (kept, never exported). Same {@code seed}, same records.
 *
 * <pre>{@code
 * new StoreBench(System::nanoTime, out).run(Path.of("/scratch/store-bench"), 10_000, 1L);
 * }</pre>
 */
public final class StoreBench {
    /** Timing and footprint of one phase; {@code files} and {@code bytes} are measured after the phase. */
    public record Phase(String name, double seconds, long files, long bytes, String detail) {
    }

    private final LongSupplier nanos;
    private final PrintWriter out;

    public StoreBench(LongSupplier nanos, PrintWriter out) {
        this.nanos = nanos;
        this.out = out;
    }

    /** Synthetic record number {@code i} of the run with {@code seed}. */
    public static LabelRecord record(long seed, long i) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + i);
        double a = 5.43;
        double[] frac = {0, 0, 0, 0, .5, .5, .5, 0, .5, .5, .5, 0, .25, .25, .25, .25, .75, .75, .75, .25, .75, .75, .75, .25};
        int[] z = new int[16];
        double[] xyz = new double[48];
        for (int k = 0; k < 16; k++) {
            z[k] = 14;
            int m = k % 8;
            for (int c = 0; c < 3; c++) {
                double f = frac[3 * m + c] + (c == 2 && k >= 8 ? 1.0 : 0.0);
                xyz[3 * k + c] = f * a + 0.05 * (r.nextDouble() - 0.5);
            }
        }
        Structure s = Structure.of(new Cell(new double[] {a, 0, 0, 0, a, 0, 0, 0, 2 * a}, new boolean[] {true, true, true}), z, xyz);
        Provenance p = new Provenance("vasp", "6.4.2", "bench-settings", "job-" + (1000 + i), "node" + (i % 64), (int) (i / 50),
                i < 50 ? "cycle0-random" : "dbscan", 300 + r.nextDouble() * 600, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i));
        String hash = TaskHash.of(s, "bench-settings");
        if (i % 20 == 19) return LabelRecord.failed(hash, s, LabelStatus.FAILED, "SCF not converged in 60 steps", p);
        double[] f = new double[48];
        for (int k = 0; k < 48; k++) f[k] = 2 * r.nextDouble() - 1;
        double[] stress = new double[6];
        for (int k = 0; k < 6; k++) stress[k] = 0.01 * (r.nextDouble() - 0.5);
        return LabelRecord.ok(hash, s.withLabels(Labels.of(-86.0 - r.nextDouble(), f, stress)), p);
    }

    /** Runs every phase on a fresh store at {@code dir/store} and returns them in order. */
    public List<Phase> run(Path dir, int labels, long seed) throws IOException {
        if (labels < 1) throw new IllegalArgumentException("--labels must be >= 1, got " + labels);
        Path storeDir = dir.resolve("store");
        if (Files.exists(storeDir)) throw new IllegalArgumentException(storeDir + " exists; give a fresh --dir");
        Files.createDirectories(dir);
        List<Phase> phases = new ArrayList<>();
        out.printf("%-12s %10s %9s %14s  %s%n", "phase", "seconds", "files", "bytes", "detail");
        out.flush();
        long t0 = nanos.getAsLong();
        try (TrainingStore store = TrainingStore.open(storeDir)) {
            int step = Math.max(1, labels / 10);
            long tStep = t0;
            for (int i = 0; i < labels; i++) {
                store.append(List.of(record(seed, i)));
                if ((i + 1) % step == 0 && i + 1 < labels) {
                    long now = nanos.getAsLong();
                    out.printf("  appended %d (%.2f ms per append over the last %d)%n", i + 1, (now - tStep) / 1e6 / step, step);
                    out.flush();
                    tStep = now;
                }
            }
        }
        phases.add(phase("append", t0, storeDir, String.format("%d single-record appends, %.3f ms each", labels,
                (nanos.getAsLong() - t0) / 1e6 / labels)));
        t0 = nanos.getAsLong();
        try (TrainingStore store = TrainingStore.open(storeDir)) {
            phases.add(phase("open", t0, storeDir, store.entries().size() + " index entries"));
            t0 = nanos.getAsLong();
            TrainingStore.Stats st = store.stats();
            phases.add(phase("stats", t0, storeDir, st.records() + " records, " + st.ok() + " ok, " + st.shards() + " shards"));
            t0 = nanos.getAsLong();
            int n = store.trainingSet().size();
            phases.add(phase("trainingSet", t0, storeDir, n + " records"));
            Path export = dir.resolve("export.extxyz");
            t0 = nanos.getAsLong();
            int frames;
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(export))) {
                frames = store.exportExtxyz(os);
            }
            long exportBytes = Files.size(export);
            Files.delete(export);
            phases.add(phase("export", t0, storeDir, frames + " frames, " + exportBytes + " bytes"));
            t0 = nanos.getAsLong();
            TrainingStore.CompactionResult c = store.compact(TrainingStore.CompactionPolicy.DEFAULT.targetBytes());
            phases.add(phase("compact", t0, storeDir, String.format("%d shards -> %d, %d records rewritten", c.shardsBefore(), c.shardsAfter(),
                    c.recordsRewritten())));
        }
        t0 = nanos.getAsLong();
        try (TrainingStore store = TrainingStore.open(storeDir)) {
            phases.add(phase("reopen", t0, storeDir, store.entries().size() + " index entries, " + store.recoveredShards() + " shards read"));
        }
        return phases;
    }

    private Phase phase(String name, long t0, Path storeDir, String detail) {
        double s = (nanos.getAsLong() - t0) / 1e9;
        long[] fb = footprint(storeDir);
        Phase p = new Phase(name, s, fb[0], fb[1], detail);
        out.printf("%-12s %10.3f %9d %14d  %s%n", p.name(), p.seconds(), p.files(), p.bytes(), p.detail());
        out.flush();
        return p;
    }

    /** Regular files and their bytes under {@code dir}. */
    static long[] footprint(Path dir) {
        long[] fb = new long[2];
        if (!Files.exists(dir)) return fb;
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile).forEach(p -> {
                fb[0]++;
                try {
                    fb[1] += Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fb;
    }
}
