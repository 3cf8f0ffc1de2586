package org.crucible.driver.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.driver.campaign.CampaignException;
import org.crucible.driver.campaign.CampaignRunner;
import org.crucible.driver.pool.GenerationPlan;
import org.crucible.driver.pool.PoolFiles;

/**
 * {@code crucible bench pool}: one pool-relaxation campaign at pool scale, in this JVM on {@code local[W]}: the
 * campaign file's search pool is sized to about N cells ({@code pools.search.per_group} = ceil(N / compatible space
 * groups)), and the campaign runs cycle 0 (generate, the random cycle-0 batch, label, fit) and cycle 1 (relax with the
 * committee, describe, select, label, fit), then validates. Per stage execution it reports wall time (from the
 * campaign log), process CPU time (every thread of this JVM: driver, the local executors, GC), structures in the
 * stage's output pool and structures per core-second, the heap's peak during the stage ({@link HeapPeak}; in local
 * mode executors share the driver's heap, so this bounds the driver's from above), and the bytes the stage's pool
 * dataset holds.
 *
 * <p>CPU time, not wall time, gives the per-core rates: it holds on a loaded machine, where wall time does not.
 */
public final class BenchPool {
    /**
     * What to run. {@code relaxSteps} overrides the campaign file's {@code protocol.relax.steps} when not null; 0 scores
     * each cell by one committee evaluation at its generated geometry, so the run measures generate -> describe ->
     * select without relaxation cost.
     */
    public record Settings(Path config, int n, int workers, Path dir, Integer relaxSteps) {
        public Settings {
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(dir, "dir");
            if (n < 1) throw new IllegalArgumentException("--n must be >= 1, got " + n);
            if (workers < 1) throw new IllegalArgumentException("--workers must be >= 1, got " + workers);
            if (relaxSteps != null && relaxSteps < 0) throw new IllegalArgumentException("--relax-steps must be >= 0, got " + relaxSteps);
        }

        /** The campaign file's own relaxation steps. */
        public Settings(Path config, int n, int workers, Path dir) {
            this(config, n, workers, dir, null);
        }
    }

    /**
     * One stage execution. Times in s, heap in MiB, bytes of the stage's pool dataset (0 for stages that write none);
     * {@code structures} is the row count of that dataset (-1 when none) and {@code perCoreSecond} structures per CPU
     * second (NaN when none).
     */
    public record StageFigures(int cycle, String stage, double wallSeconds, double cpuSeconds, long structures, double perCoreSecond,
                               double heapPeakMiB, double heapLiveMiB, long poolBytes) {
    }

    /** The run: requested and actual pool size, the stages in order, totals, and the JVM's maximum heap (MiB). */
    public record Figures(int n, int workers, long searchCells, long trainingCells, List<StageFigures> stages, double wallSeconds, double cpuSeconds,
                          double heapPeakMiB, double heapLiveMiB, double maxHeapMiB) {
        public Figures {
            stages = List.copyOf(stages);
        }
    }

    private final Clock clock;
    private final LongSupplier nanoTicker;
    private final PrintStream console;

    public BenchPool(Clock clock, LongSupplier nanoTicker, PrintStream console) {
        this.clock = clock;
        this.nanoTicker = nanoTicker;
        this.console = console;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Runs the benchmark in {@code settings.dir()} (which must not hold a campaign) and prints its table to {@code out}. */
    public Figures run(Settings settings, PrintWriter out) throws IOException {
        Path campaignDir = settings.dir().resolve("campaign");
        if (Files.exists(campaignDir)) throw new CampaignException(campaignDir + " exists: give a fresh --dir (a benchmark starts fresh)");
        Files.createDirectories(settings.dir());
        Path cfgFile = settings.dir().resolve("bench-campaign.json");
        Files.writeString(cfgFile, configFor(settings, 1));
        long groups = searchCells(CampaignConfigLoader.load(cfgFile));
        if (groups == 0) throw new CampaignException(settings.config() + ": no space group hosts the composition, so there is no search pool to size");
        int perGroup = (int) Math.min(Integer.MAX_VALUE, (settings.n() + groups - 1) / groups);
        Files.writeString(cfgFile, configFor(settings, perGroup));
        CampaignConfig cfg = CampaignConfigLoader.load(cfgFile);
        long search = searchCells(cfg);
        long training = new org.crucible.driver.protocol.SpaceGroupPools(cfg).plan(0).blocks().stream().filter(b -> b.label().equals("training")).mapToLong(GenerationPlan.Block::count).sum();
        out.printf("bench pool: %d search cells (%d per space group x %d groups) + %d training cells, local[%d], relaxation steps %d, max heap %.0f MiB%n",
                search, perGroup, groups, training, settings.workers(), cfg.protocol().relax().steps(), Runtime.getRuntime().maxMemory() / 1048576.0);
        out.flush();

        List<long[]> marks = new ArrayList<>(); // per checkpoint: cpu ns, heap peak bytes, live heap peak bytes
        long[] last = {processCpuNanos()};
        HeapPeak.reset();
        long t0 = nanoTicker.getAsLong();
        long cpu0 = last[0];
        new CampaignRunner(clock, nanoTicker, console, Map.of(), st -> {
            long cpu = processCpuNanos();
            marks.add(new long[] {cpu - last[0], HeapPeak.peakBytes(), HeapPeak.liveBytes()});
            HeapPeak.reset();
            last[0] = processCpuNanos();
        }).start(cfgFile, campaignDir, null);
        double wall = (nanoTicker.getAsLong() - t0) * 1e-9;
        double cpuTotal = (processCpuNanos() - cpu0) * 1e-9;

        List<KillPlan.Execution> executions = KillPlan.executions(Files.readString(campaignDir.resolve("campaign.log")));
        if (executions.size() != marks.size()) {
            throw new CampaignException("bench pool: the campaign log records " + executions.size() + " stage executions but " + marks.size()
                    + " checkpoints were seen");
        }
        List<PoolFiles.Listing> pools = PoolFiles.list(PoolFiles.root(campaignDir, cfg.pools().uri()));
        List<StageFigures> stages = new ArrayList<>();
        double heapMax = 0, liveMax = 0;
        for (int i = 0; i < executions.size(); i++) {
            KillPlan.Execution e = executions.get(i);
            String dataset = switch (e.stage()) {
                case GENERATE -> "generated";
                case RELAX -> "relaxed";
                case DESCRIBE -> "described";
                default -> null;
            };
            PoolFiles.Listing pool = dataset == null ? null
                    : pools.stream().filter(l -> l.cycle() == e.cycle() && l.stage().equals(dataset)).findFirst().orElse(null);
            double cpu = marks.get(i)[0] * 1e-9;
            long rows = pool == null ? -1 : pool.structures();
            double heap = marks.get(i)[1] / 1048576.0;
            double live = marks.get(i)[2] / 1048576.0;
            heapMax = Math.max(heapMax, heap);
            liveMax = Math.max(liveMax, live);
            stages.add(new StageFigures(e.cycle(), e.stage().name().toLowerCase(), e.seconds(), cpu, rows, rows < 0 || cpu <= 0 ? Double.NaN : rows / cpu,
                    heap, live, pool == null ? 0 : pool.bytes()));
        }
        Figures f = new Figures(settings.n(), settings.workers(), search, training, stages, wall, cpuTotal, heapMax, liveMax, Runtime.getRuntime().maxMemory() / 1048576.0);
        print(f, out);
        return f;
    }

    private static long searchCells(CampaignConfig cfg) {
        return new org.crucible.driver.protocol.SpaceGroupPools(cfg).plan(0).blocks().stream().filter(b -> b.label().equals("search")).mapToLong(GenerationPlan.Block::count).sum();
    }

    /** The campaign file with the search pool, cycles, master and console output set for the benchmark, as JSON. */
    String configFor(Settings s, int perGroup) throws IOException {
        String text = Files.readString(s.config());
        ObjectMapper in = s.config().toString().toLowerCase().endsWith(".json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
        ObjectNode root = (ObjectNode) in.readTree(text);
        ObjectNode pools = root.has("pools") ? (ObjectNode) root.get("pools") : root.putObject("pools");
        ObjectNode search = pools.has("search") ? (ObjectNode) pools.get("search") : pools.putObject("search");
        search.put("per_group", perGroup);
        if (s.relaxSteps() != null) {
            ObjectNode protocol = root.has("protocol") ? (ObjectNode) root.get("protocol") : root.putObject("protocol");
            ObjectNode relax = protocol.has("relax") ? (ObjectNode) protocol.get("relax") : protocol.putObject("relax");
            relax.put("steps", s.relaxSteps());
        }
        ObjectNode stopping = root.has("stopping") ? (ObjectNode) root.get("stopping") : root.putObject("stopping");
        stopping.put("max_cycles", 1);
        ObjectNode spark = root.has("spark") ? (ObjectNode) root.get("spark") : root.putObject("spark");
        spark.put("master", "local[" + s.workers() + "]");
        spark.put("ui", false);
        spark.put("progress", false);
        return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    static void print(Figures f, PrintWriter out) {
        out.println();
        out.printf("%-5s %-9s %9s %9s %11s %13s %10s %10s %11s%n", "cycle", "stage", "wall s", "cpu s", "structures", "per core-s", "heap MiB", "live MiB",
                "pool MB");
        for (StageFigures s : f.stages()) {
            out.printf("%-5d %-9s %9.1f %9.1f %11s %13s %10.0f %10.0f %11s%n", s.cycle(), s.stage(), s.wallSeconds(), s.cpuSeconds(),
                    s.structures() < 0 ? "-" : Long.toString(s.structures()), Double.isNaN(s.perCoreSecond()) ? "-" : String.format("%.1f", s.perCoreSecond()),
                    s.heapPeakMiB(), s.heapLiveMiB(), s.poolBytes() == 0 ? "-" : String.format("%.2f", s.poolBytes() / 1e6));
        }
        out.printf("total: %.1f s wall, %.1f s cpu, heap peak %.0f MiB (live after a collection at most %.0f MiB) of %.0f MiB max%n", f.wallSeconds(),
                f.cpuSeconds(), f.heapPeakMiB(), f.heapLiveMiB(), f.maxHeapMiB());
        out.flush();
    }
}
