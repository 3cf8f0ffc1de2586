package org.crucible.driver.campaign;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.config.campaign.Composition;
import org.crucible.driver.oracle.CalculatorOracle;
import org.crucible.driver.oracle.Oracle;
import org.crucible.driver.pool.PoolBackend;
import org.crucible.driver.spark.ProgressBar;
import org.crucible.driver.spark.SparkContexts;
import org.crucible.driver.store.TaskHash;
import org.crucible.driver.store.TrainingStore;
import org.crucible.executors.calculators.Calculator;
import org.crucible.executors.calculators.LennardJones;
import org.crucible.executors.calculators.StillingerWeber;
import org.crucible.executors.calculators.Tersoff;

/**
 * Starts and resumes campaigns: validates the campaign file (nothing starts on an invalid one), builds the oracle,
 * opens the training store, creates the Spark context (driver and UI on 127.0.0.1, progress bar, UI URL logged) and
 * runs the {@link Campaign} state machine. The campaign directory gets a copy of the campaign file, so
 * {@code resume DIR} needs nothing else.
 */
public final class CampaignRunner {
    /** Tersoff parameters used when the campaign file names none (Debian's LAMMPS package installs them). */
    public static final String DEFAULT_TERSOFF = "/usr/share/lammps/potentials/Si.tersoff";

    private final Clock clock;
    private final LongSupplier nanoTicker;
    private final PrintStream console;
    private final Map<String, String> extraSparkConf;
    private final Campaign.CheckpointListener listener;

    public CampaignRunner(Clock clock, LongSupplier nanoTicker, PrintStream console, Map<String, String> extraSparkConf,
                          Campaign.CheckpointListener listener) {
        this.clock = clock;
        this.nanoTicker = nanoTicker;
        this.console = console;
        this.extraSparkConf = Map.copyOf(extraSparkConf);
        this.listener = listener;
    }

    /** Starts a new campaign from {@code configFile} in {@code dir}; {@code master} overrides spark.master when not null. */
    public CampaignState start(Path configFile, Path dir, String master) {
        CampaignConfig cfg = CampaignConfigLoader.load(configFile);
        Oracle probe = oracle(cfg, dir);
        probe.close();
        if (Files.exists(dir.resolve("state.json"))) {
            throw new CampaignException(dir + " already holds a campaign (state.json): use 'crucible resume " + dir + "' or another --dir");
        }
        String text;
        try {
            Files.createDirectories(dir);
            text = Files.readString(configFile);
            String ext = configFile.getFileName().toString().toLowerCase().endsWith(".json") ? "json" : "yaml";
            Files.writeString(dir.resolve("campaign." + ext), text);
            String recipe = recipeFile(cfg);
            if (recipe != null) Files.copy(Path.of(recipe), dir.resolve(RECIPE_COPY), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            if (master != null) Files.writeString(dir.resolve("spark-master.txt"), master + "\n");
            CampaignState.initial(cfg.name(), cfg.seed(), TaskHash.sha256(text)).write(dir.resolve("state.json"));
        } catch (IOException e) {
            throw new CampaignException("cannot set up the campaign directory " + dir + ": " + e.getMessage(), e);
        }
        return resume(dir, master);
    }

    /** Continues the campaign in {@code dir} from its last completed stage. */
    public CampaignState resume(Path dir, String master) {
        Path cfgFile = Files.exists(dir.resolve("campaign.json")) ? dir.resolve("campaign.json") : dir.resolve("campaign.yaml");
        if (!Files.exists(dir.resolve("state.json")) || !Files.exists(cfgFile)) {
            throw new CampaignException(dir + " is not a campaign directory (needs state.json and campaign.yaml)");
        }
        Path recipeCopy = dir.resolve(RECIPE_COPY);
        CampaignConfig cfg = CampaignConfigLoader.load(cfgFile, Files.exists(recipeCopy) ? recipeCopy : null);
        CampaignState state;
        try {
            state = CampaignState.read(dir.resolve("state.json"));
            String sha = TaskHash.sha256(Files.readString(cfgFile));
            if (!sha.equals(state.configSha256())) {
                throw new CampaignException(cfgFile + " changed since the campaign started (SHA-256 " + sha + ", state.json has "
                        + state.configSha256() + "); a resumed campaign must use the file it started with");
            }
            if (master == null && Files.exists(dir.resolve("spark-master.txt"))) master = Files.readString(dir.resolve("spark-master.txt")).trim();
        } catch (IOException e) {
            throw new CampaignException("cannot read " + dir.resolve("state.json") + ": " + e.getMessage(), e);
        }
        if (state.finished()) return state;
        String m = master != null ? master : cfg.spark().master();
        CampaignLog log = new CampaignLog(dir.resolve("campaign.log"), clock, console);
        Map<String, String> conf = new LinkedHashMap<>(appJars(m));
        conf.putAll(extraSparkConf);
        try (Oracle oracle = oracle(cfg, dir);
             TrainingStore store = TrainingStore.open(storeUri(cfg, dir), new Configuration());
             JavaSparkContext sc = SparkContexts.create(m, "crucible " + cfg.name(), cfg.spark().ui(), cfg.spark().uiPort(), conf)) {
            if (cfg.spark().progress()) sc.sc().addSparkListener(new ProgressBar(System.err, 30));
            sc.sc().addSparkListener(new org.crucible.driver.spark.StageProgressFile(dir.resolve(org.crucible.driver.spark.StageProgressFile.FILE),
                    SparkContexts.uiUrl(sc).orElse(null), clock));
            SparkContexts.uiUrl(sc).ifPresent(u -> log.info("Spark UI: " + u));
            if (store.removedLeftovers() > 0) log.info("training store: removed " + store.removedLeftovers() + " leftover(s) of a compaction interrupted earlier");
            int partitions = cfg.spark().partitions() > 0 ? cfg.spark().partitions() : 8 * sc.defaultParallelism();
            log.info("campaign " + cfg.name() + " on " + m + " (" + partitions + " partitions): next " + state.next().name().toLowerCase()
                    + " of cycle " + state.cycle() + "; store " + store.uri());
            Campaign c = new Campaign(cfg, dir, state, PoolBackend.spark(sc), oracle, store, partitions, clock, nanoTicker, log, listener);
            if (cfg.spark().progress()) c.withProgress(System.err);
            CampaignState done = c.run();
            log.info("campaign " + done.status() + ": " + done.oracleSinglePoints() + " oracle single points (" + done.oracleFailures()
                    + " failed), " + done.validationSinglePoints() + " validation single points");
            return done;
        }
    }

    /** The oracle's recipe file ({@code oracle.settings_file}), or null for inline settings and embedded oracles. */
    static String recipeFile(CampaignConfig cfg) {
        if (cfg.oracle() instanceof org.crucible.config.campaign.Oracle.LocalDft d) return d.settingsFile();
        if (cfg.oracle() instanceof org.crucible.config.campaign.Oracle.Cluster c) return c.settingsFile();
        return null;
    }

    /** The store URI: a URI with a scheme as given, a relative path against the campaign directory. */
    public static URI storeUri(CampaignConfig cfg, Path dir) {
        String u = cfg.store().uri();
        if (u.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*")) return URI.create(u);
        return dir.resolve(u).toAbsolutePath().normalize().toUri();
    }

    /** The oracle of a configuration; DFT and cluster oracles are refused with what is missing. */
    public Oracle oracle(CampaignConfig cfg, Path dir) {
        var o = cfg.oracle();
        Calculator calc;
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("type", o.type());
        if (o instanceof org.crucible.config.campaign.Oracle.Embedded em && em.type().equals("sw")) {
            calc = em.parameterFile() == null ? StillingerWeber.silicon() : StillingerWeber.fromFile(Path.of(em.parameterFile()));
            settings.put("parameters", em.parameterFile() == null ? "builtin-silicon" : fileHash(em.parameterFile()));
        } else if (o instanceof org.crucible.config.campaign.Oracle.Embedded em) {
            String file = em.parameterFile() == null ? DEFAULT_TERSOFF : em.parameterFile();
            if (!Files.isReadable(Path.of(file))) {
                throw new CampaignException("oracle.parameter_file: cannot read Tersoff parameters " + file + " (install Debian's lammps or name a file)");
            }
            calc = Tersoff.fromFile(Path.of(file));
            settings.put("parameters", fileHash(file));
        } else if (o instanceof org.crucible.config.campaign.Oracle.LennardJones lj) {
            List<String> clauses = new ArrayList<>();
            for (Composition c : cfg.compositions()) {
                for (String sym : c.counts().keySet()) {
                    String clause = sym + ":eps=" + lj.epsilon() + ",sigma=" + lj.sigma() + ",rc=" + lj.cutoff();
                    if (!clauses.contains(clause)) clauses.add(clause);
                }
            }
            String spec = String.join("/", clauses);
            calc = LennardJones.parse(spec);
            settings.put("spec", spec);
        } else if (o instanceof org.crucible.config.campaign.Oracle.LocalDft d) {
            var ds = d.settings();
            List<String> command = d.mpiRanks() > 1 ? List.of("mpirun", "-np", Integer.toString(d.mpiRanks()), d.executable()) : List.of(d.executable());
            int timeout = ds != null ? ds.timeoutSeconds() : RECIPE_FILE_TIMEOUT_SECONDS;
            var runner = new org.crucible.dft.run.LocalRunner(command, Map.of("OMP_NUM_THREADS", "1"), java.time.Duration.ofSeconds(timeout));
            var generator = recipe("qe", ds, d.settingsFile(), settings);
            return new org.crucible.driver.oracle.LocalDftOracle(generator, runner, dir.resolve("dft"), settings, hostName(), clock);
        } else if (o instanceof org.crucible.config.campaign.Oracle.Cluster cl) {
            return clusterOracle(cfg, cl, dir, settings);
        } else {
            throw new IllegalStateException("unknown oracle " + o);
        }
        return new CalculatorOracle(calc, "crucible-" + org.crucible.driver.cli.VersionCommand.crucibleVersion(), settings, hostName(), clock, nanoTicker);
    }

    /** Wall-time limit of a local pw.x run whose recipe comes from a file (inline settings carry their own). */
    public static final int RECIPE_FILE_TIMEOUT_SECONDS = 3600;

    /** The recipe file a started campaign keeps (a copy of {@code oracle.settings_file}), read again on resume. */
    public static final String RECIPE_COPY = "oracle-settings.yaml";

    /**
     * The DFT recipe of a campaign's oracle: inline pw.x settings, or a recipe file for {@code code} (read by
     * dft-adapters; its errors name the file and field), and what enters the settings hash: the code, the recipe
     * (inline values, or the file's SHA-256) and for pw.x the SHA-256 of every pseudopotential file.
     */
    private static org.crucible.dft.input.InputGenerator recipe(String code, org.crucible.config.campaign.Oracle.DftSettings ds, String file,
            Map<String, Object> settings) {
        if (file == null) {
            dftSettings(ds, settings);
            return new org.crucible.dft.qe.QeInputGenerator(qeSettings(ds));
        }
        org.crucible.dft.input.InputGenerator g;
        try {
            g = org.crucible.dft.DftInputs.generator(org.crucible.dft.DftCode.parse(code), Path.of(file));
        } catch (org.crucible.dft.DftInputException e) {
            throw new CampaignException("oracle.settings_file: " + e.getMessage(), e);
        }
        settings.put("code", code);
        settings.put("recipe", fileHash(file));
        if (g instanceof org.crucible.dft.qe.QeInputGenerator q) {
            for (Map.Entry<String, String> pp : new java.util.TreeMap<>(q.settings().pseudopotentials()).entrySet()) {
                settings.put("pseudo." + pp.getKey(), fileHash(q.settings().pseudoDir().resolve(pp.getValue()).toString()));
            }
        }
        return g;
    }

    /** pw.x settings of a campaign's DFT oracle (tight SCF threshold, tprnfor/tstress on). */
    private static org.crucible.dft.qe.QeSettings qeSettings(org.crucible.config.campaign.Oracle.DftSettings ds) {
        return new org.crucible.dft.qe.QeSettings(Path.of(ds.pseudoDir()), ds.pseudopotentials(), ds.ecutwfcRy(), ds.ecutrhoRy(),
                ds.smearing().equals("none") ? null : ds.smearing(), ds.degaussRy(), false, 1e-8, 0.7, 100,
                org.crucible.dft.input.KpointMesh.ofSpacing(ds.kspacing()), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), true);
    }

    /** What enters the settings hash of a DFT oracle: the code, the recipe and the content of each pseudopotential. */
    private static void dftSettings(org.crucible.config.campaign.Oracle.DftSettings ds, Map<String, Object> settings) {
        settings.put("code", "qe");
        settings.put("settings", ds.toString());
        for (Map.Entry<String, String> pp : ds.pseudopotentials().entrySet()) {
            settings.put("pseudo." + pp.getKey(), fileHash(Path.of(ds.pseudoDir()).resolve(pp.getValue()).toString()));
        }
    }

    /**
     * The SLURM-over-SSH oracle: the profile's connection and scheduler, a task farm whose state lives in
     * {@code DIR/cluster-farm} (so a resumed campaign re-attaches to its jobs) and whose remote campaign directory is
     * named after the campaign and its local directory (two campaign directories never share remote task files).
     */
    private Oracle clusterOracle(CampaignConfig cfg, org.crucible.config.campaign.Oracle.Cluster cl, Path dir, Map<String, Object> settings) {
        org.crucible.config.ClusterProfile profile;
        try {
            Path file = cl.profilesFile() == null ? null
                    : Path.of(cl.profilesFile().replaceFirst("^~(?=/|$)", java.util.regex.Matcher.quoteReplacement(System.getProperty("user.home"))));
            profile = org.crucible.config.ClusterProfiles.find(cl.profile(), file, System::getenv, Path.of(System.getProperty("user.home")),
                    org.crucible.driver.cluster.ClusterConnection.crucibleHome());
        } catch (org.crucible.config.ConfigurationException e) {
            throw new CampaignException("oracle.profile: " + e.getMessage(), e);
        }
        var generator = recipe(cl.code(), cl.settings(), cl.settingsFile(), settings);
        String farmName = farmName(cfg.name(), dir);
        org.crucible.dft.hpc.FarmSettings farm;
        try {
            farm = org.crucible.driver.cluster.ClusterConnection.farm(profile, farmName, null);
        } catch (IllegalArgumentException e) {
            throw new CampaignException("oracle.profile '" + profile.name() + "' (" + profile.source() + "): " + e.getMessage(), e);
        }
        org.crucible.dft.hpc.RemoteShell shell = org.crucible.driver.cluster.ClusterConnection.shell(profile);
        org.crucible.dft.hpc.JobManager manager;
        try {
            manager = new org.crucible.dft.hpc.JobManager(farm, shell, org.crucible.driver.cluster.ClusterConnection.scheduler(profile),
                    dir.resolve("cluster-farm"), clock, org.crucible.dft.hpc.Sleeper.SYSTEM);
        } catch (IOException e) {
            closeQuietly(shell);
            throw new CampaignException("oracle: cannot open the task farm state in " + dir.resolve("cluster-farm") + ": " + e.getMessage(), e);
        }
        var progress = new FarmProgressLine(console);
        var oracle = new org.crucible.driver.oracle.ClusterOracle(generator, manager,
                org.crucible.driver.cluster.ClusterConnection.command(profile, cl.code()), settings, profile.name() + "/" + profile.host(), clock, progress);
        return new ClusterOracleWithShell(oracle, shell);
    }

    /** {@code <campaign name>-<8 hex of the campaign directory>}, at most 64 characters as the farm requires. */
    static String farmName(String campaign, Path dir) {
        String base = campaign.replaceAll("[^A-Za-z0-9._-]", "_");
        if (base.isEmpty() || !Character.isLetterOrDigit(base.charAt(0))) base = "c" + base;
        if (base.length() > 55) base = base.substring(0, 55);
        return base + "-" + TaskHash.sha256(dir.toAbsolutePath().normalize().toString()).substring(0, 8);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            System.getLogger(CampaignRunner.class.getName()).log(System.Logger.Level.WARNING, "closing " + c + " failed", e);
        }
    }

    /** The cluster oracle together with the SSH connection it polls through, closed after it. */
    private static final class ClusterOracleWithShell implements Oracle {
        private final org.crucible.driver.oracle.ClusterOracle oracle;
        private final org.crucible.dft.hpc.RemoteShell shell;

        ClusterOracleWithShell(org.crucible.driver.oracle.ClusterOracle oracle, org.crucible.dft.hpc.RemoteShell shell) {
            this.oracle = oracle;
            this.shell = shell;
        }

        @Override
        public String code() {
            return oracle.code();
        }

        @Override
        public String codeVersion() {
            return oracle.codeVersion();
        }

        @Override
        public String settingsHash() {
            return oracle.settingsHash();
        }

        @Override
        public void label(List<org.crucible.driver.oracle.OracleTask> batch, int cycle, String selector,
                java.util.function.Consumer<org.crucible.driver.store.LabelRecord> sink) {
            oracle.label(batch, cycle, selector, sink);
        }

        @Override
        public List<org.crucible.driver.oracle.OracleRelaxation> relax(List<org.crucible.driver.oracle.OracleTask> tasks, double fmaxEvPerAngstrom,
                int maxSteps) {
            return oracle.relax(tasks, fmaxEvPerAngstrom, maxSteps);
        }

        @Override
        public java.util.Optional<org.crucible.executors.calculators.Calculator> calculator() {
            return oracle.calculator();
        }

        @Override
        public void close() {
            oracle.close();
            closeQuietly(shell);
        }
    }

    /** Writes a farm progress line to the campaign console when the counts change. */
    private static final class FarmProgressLine implements java.util.function.Consumer<org.crucible.dft.hpc.FarmProgress> {
        private final PrintStream out;
        private String last = "";

        FarmProgressLine(PrintStream out) {
            this.out = out;
        }

        @Override
        public void accept(org.crucible.dft.hpc.FarmProgress p) {
            if (out == null) return;
            String line = String.format(java.util.Locale.ROOT, "cluster (all cycles): %d/%d done, %d failed, %d running, %d queued, %d pending (%d jobs)",
                    p.done(), p.total(), p.failed(), p.running(), p.queued(), p.pending(), p.jobsInQueue());
            if (line.equals(last)) return;
            last = line;
            out.println(line);
            out.flush();
        }
    }

    private static String fileHash(String file) {
        try {
            return TaskHash.sha256(Files.readString(Path.of(file)));
        } catch (IOException e) {
            throw new CampaignException("oracle.parameter_file: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /**
     * For a standalone or cluster master, the Crucible jars executors need (the application jar and its crucible-*
     * libraries), found next to the running code; empty for local masters or when running from class directories.
     */
    static Map<String, String> appJars(String master) {
        if (master.startsWith("local")) return Map.of();
        try {
            Path self = Path.of(CampaignRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(self)) return Map.of();
            List<String> jars = new ArrayList<>();
            jars.add(self.toUri().toString());
            Path lib = self.getParent().resolve("lib");
            if (Files.isDirectory(lib)) {
                try (var s = Files.list(lib)) {
                    s.filter(p -> p.getFileName().toString().startsWith("crucible-")).sorted().forEach(p -> jars.add(p.toUri().toString()));
                }
            }
            return Map.of("spark.jars", String.join(",", jars));
        } catch (Exception e) {
            throw new CampaignException("cannot locate the Crucible jars to ship to executors: " + e.getMessage(), e);
        }
    }
}
