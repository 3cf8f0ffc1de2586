package org.crucible.driver.oracle;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.crucible.driver.spark.ComputeTimeLog;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.LabelStatus;
import org.crucible.driver.store.Provenance;
import org.crucible.driver.store.ShardCodec;

/**
 * Oracle core-hours of a campaign, one row per kind of oracle call, for the report's Compute cost section and
 * {@code crucible status}: core-hours = sum of wall time (s) x cores per calculation / 3600.
 *
 * <ul>
 *   <li>{@link #LABELS}: the training store's records (OK and FAILED, both paid for), wall time from each record's
 *       provenance;</li>
 *   <li>{@link #REFERENCE}: single points of tracked reference crystals ({@code tracking.references}), kept in
 *       {@code references/labels/} and never in the store (ledger kind {@code reference}); wall time from each kept
 *       record's provenance;</li>
 *   <li>{@link #VALIDATION}: the final validation, wall time of the {@code validate} stage x cores per calculation;</li>
 *   <li>{@link #UNKEPT}: calls the oracle ledger records beyond the kept records of their kind (a FAILED label sent again
 *       keeps only its latest attempt in the store; a call repeated after a kill): counted, their wall time is not kept,
 *       so they add no core-hours (said in the row).</li>
 * </ul>
 * Cores per calculation ({@link #cores}): those recorded with the DFT job named in the record's provenance
 * ({@link JobCores}), else those of the driver run in effect when the record was made ({@link ComputeTimeLog}), else
 * the campaign file's oracle as it reads now ({@link OracleCores#of}).
 *
 * <pre>{@code
 * OracleCoreHours h = OracleCoreHours.of(dir, OracleCores.of(cfg.oracle()), store.all(), validateSeconds, validationSinglePoints);
 * h.rows().forEach(r -> System.out.println(r.kind() + " " + r.coreHours()));
 * }</pre>
 */
public final class OracleCoreHours {
    /** Row kinds. */
    public static final String LABELS = "labels";
    public static final String REFERENCE = "reference";
    public static final String VALIDATION = "validation";
    public static final String UNKEPT = "unkept";
    /** Where reference-tracking single points are kept, relative to the campaign directory. */
    public static final String REFERENCE_LABELS = "references/labels";

    /**
     * One kind of oracle call.
     *
     * @param kind          {@link #LABELS}, {@link #REFERENCE}, {@link #VALIDATION} or {@link #UNKEPT}
     * @param description   the row in words
     * @param singlePoints  oracle single points
     * @param failed        of which failed (0 where not known)
     * @param wallSeconds   summed wall time (s); NaN when not recorded
     * @param coreSeconds   summed wall time x cores (core-s); NaN when the cores or wall time are unknown
     */
    public record Row(String kind, String description, long singlePoints, long failed, double wallSeconds, double coreSeconds) {
        public Row {
            if (singlePoints < 0 || failed < 0 || failed > singlePoints) {
                throw new IllegalArgumentException("single points " + singlePoints + ", failed " + failed);
            }
        }

        /** Core-hours (core·h), NaN when unknown. */
        public double coreHours() {
            return coreSeconds / 3600;
        }
    }

    private final List<Row> rows;
    private final Set<String> sources;

    private OracleCoreHours(List<Row> rows, Set<String> sources) {
        this.rows = List.copyOf(rows);
        this.sources = Set.copyOf(sources);
    }

    /** The rows: labels, then reference single points and validation when the campaign has any, then unkept calls. */
    public List<Row> rows() {
        return rows;
    }

    /** Where the core counts come from, in words. */
    public Set<String> sources() {
        return sources;
    }

    /** Sum of the rows' core-hours (rows without wall time add nothing); NaN when a row's cores are unknown. */
    public double totalCoreHours() {
        double t = 0;
        for (Row r : rows) if (!Double.isNaN(r.wallSeconds())) t += r.coreHours();
        return t;
    }

    /** The row of {@code kind}, or null. */
    public Row row(String kind) {
        return rows.stream().filter(r -> r.kind().equals(kind)).findFirst().orElse(null);
    }

    /**
     * The oracle core-hours of the campaign in {@code dir}.
     *
     * @param now                    the campaign file's oracle as it reads now (the last fallback for cores)
     * @param labels                 the training store's records
     * @param validateSeconds        wall time of the {@code validate} stage (s)
     * @param validationSinglePoints single points of the final validation ({@code state.json})
     */
    public static OracleCoreHours of(Path dir, OracleCores now, Iterable<LabelRecord> labels, double validateSeconds, long validationSinglePoints) {
        ComputeTimeLog.Contents compute = ComputeTimeLog.read(dir);
        JobCores jobs = JobCores.read(dir);
        Set<String> sources = new LinkedHashSet<>();
        List<Row> rows = new ArrayList<>();
        Row stored = sum(LABELS, "training labels (store)", labels, jobs, compute, now, sources);
        rows.add(stored);
        Row reference = sum(REFERENCE, "reference single points (tracked crystals, not training labels)", referenceLabels(dir), jobs, compute, now, sources);
        if (reference.singlePoints() > 0) rows.add(reference);
        if (validationSinglePoints > 0 || validateSeconds > 0) {
            double cores = validationCores(jobs, compute, now);
            rows.add(new Row(VALIDATION, "final validation (validate stage wall time x cores)", validationSinglePoints, 0, validateSeconds,
                    validateSeconds * cores));
        }
        OracleCallLedger.Contents ledger = OracleCallLedger.read(dir.resolve(OracleCallLedger.FILE));
        long labelCalls = ledger.calls().stream().filter(c -> c.kind().equals("label")).count();
        long referenceCalls = ledger.calls().stream().filter(c -> c.kind().equals(OracleCallLedger.REFERENCE)).count();
        long unkept = Math.max(0, labelCalls - stored.singlePoints()) + Math.max(0, referenceCalls - reference.singlePoints());
        if (unkept > 0) {
            rows.add(new Row(UNKEPT, "calls in the oracle ledger without a kept record (earlier attempts of relabelled failures, calls repeated "
                    + "after a kill): wall time not kept", unkept, 0, Double.NaN, Double.NaN));
        }
        return new OracleCoreHours(rows, sources);
    }

    private static Row sum(String kind, String description, Iterable<LabelRecord> records, JobCores jobs, ComputeTimeLog.Contents compute,
                           OracleCores now, Set<String> sources) {
        long n = 0, failed = 0;
        double wall = 0, coreSeconds = 0;
        for (LabelRecord r : records) {
            n++;
            if (r.status() != LabelStatus.OK) failed++;
            wall += r.provenance().wallTimeSeconds();
            coreSeconds += r.provenance().wallTimeSeconds() * cores(jobs, compute, now, r.provenance(), sources).cores();
        }
        return new Row(kind, description, n, failed, wall, coreSeconds);
    }

    /**
     * Cores per calculation of a record: those recorded with the DFT job that computed it when it was submitted, else
     * those of the driver run in effect when it was made (a farm written before jobs recorded their resources), else
     * the oracle as it reads now. The source, in words, is added to {@code sources}.
     */
    public static OracleCores cores(JobCores jobs, ComputeTimeLog.Contents compute, OracleCores now, Provenance p, Set<String> sources) {
        OracleCores job = jobs.of(p.jobId());
        if (job != null) {
            sources.add("for DFT jobs, the cores recorded with each job when it was submitted (ntasks x cpus_per_task)");
            return job;
        }
        ComputeTimeLog.Run run = compute.runAt(p.created());
        if (run == null || Double.isNaN(run.oracleCores())) {
            boolean profile = now.source().startsWith("cluster profile");
            OracleCores c = new OracleCores(now.cores(), now.source() + (profile ? " (the profile as it reads now: the campaign recorded none at run time)" : ""));
            sources.add(c.source());
            return c;
        }
        OracleCores c = new OracleCores(run.oracleCores(), run.oracleCoresSource() + " (recorded at run time)");
        sources.add(c.source());
        return c;
    }

    /** Cores of the final validation: its own jobs' (the largest), else the last driver run's, else the oracle now. */
    public static double validationCores(JobCores jobs, ComputeTimeLog.Contents compute, OracleCores now) {
        OracleCores v = jobs.validation();
        if (v != null) return v.cores();
        if (compute.runs().isEmpty()) return now.cores();
        ComputeTimeLog.Run last = compute.runs().get(compute.runs().size() - 1);
        return Double.isNaN(last.oracleCores()) ? now.cores() : last.oracleCores();
    }

    /** The kept reference-tracking single points of the campaign in {@code dir} ({@value #REFERENCE_LABELS}), in file-name order. */
    public static List<LabelRecord> referenceLabels(Path dir) {
        Path d = dir.resolve(REFERENCE_LABELS);
        if (!Files.isDirectory(d)) return List.of();
        List<LabelRecord> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(d)) {
            for (Path f : s.filter(p -> p.getFileName().toString().endsWith(".extxyz")).sorted().toList()) {
                try (BufferedReader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                    out.addAll(ShardCodec.read(in, f.toString()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the reference labels in " + d + ": " + e.getMessage(), e);
        }
        return out;
    }
}
