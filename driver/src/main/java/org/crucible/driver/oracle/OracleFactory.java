package org.crucible.driver.oracle;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.crucible.config.ClusterProfile;
import org.crucible.config.ClusterProfiles;
import org.crucible.core.config.ConfigurationException;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.Composition;
import org.crucible.dft.hpc.FarmProgress;
import org.crucible.dft.hpc.FarmSettings;
import org.crucible.dft.hpc.JobManager;
import org.crucible.dft.hpc.RemoteShell;
import org.crucible.dft.hpc.Sleeper;
import org.crucible.dft.run.LocalRunner;
import org.crucible.driver.campaign.CampaignException;
import org.crucible.driver.cluster.ClusterConnection;
import org.crucible.driver.store.TaskHash;
import org.crucible.executors.calculators.Calculator;
import org.crucible.executors.calculators.LennardJones;
import org.crucible.executors.calculators.StillingerWeber;
import org.crucible.executors.calculators.Tersoff;

/**
 * Builds the {@link Oracle} a campaign file's {@code oracle} section names: an embedded calculator ({@code sw},
 * {@code tersoff}, {@code lj}; energies in eV, forces in eV/Angstrom), local pw.x ({@code pw.x}) or a SLURM cluster
 * over SSH ({@code cluster}). What identifies the oracle's physics (parameter files, recipe, pseudopotentials) enters
 * its settings hash, and so every task hash: a different oracle never reuses another's labels.
 *
 * <pre>{@code
 * try (Oracle o = new OracleFactory(clock, System::nanoTime, System.out, version).oracle(cfg, campaignDir)) { ... }
 * }</pre>
 */
public final class OracleFactory {
    /** Tersoff parameters used when the campaign file names none (Debian's LAMMPS package installs them). */
    public static final String DEFAULT_TERSOFF = "/usr/share/lammps/potentials/Si.tersoff";

    private final Clock clock;
    private final LongSupplier nanoTicker;
    private final PrintStream console;
    private final String crucibleVersion;

    /**
     * @param console         where a cluster oracle prints its farm progress (null: nowhere)
     * @param crucibleVersion the version recorded as the code version of embedded calculators
     */
    public OracleFactory(Clock clock, LongSupplier nanoTicker, PrintStream console, String crucibleVersion) {
        this.clock = clock;
        this.nanoTicker = nanoTicker;
        this.console = console;
        this.crucibleVersion = crucibleVersion;
    }

    /** The oracle of a configuration; DFT and cluster oracles are refused with what is missing. */
    public Oracle oracle(CampaignConfig cfg, Path dir) {
        var o = cfg.oracle();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("type", o.type());
        if (o instanceof org.crucible.config.campaign.Oracle.LocalDft d) return localDft(d, dir, settings);
        if (o instanceof org.crucible.config.campaign.Oracle.Cluster cl) return cluster(cfg, cl, dir, settings);
        // embedded calculators: built first (their own messages for a bad file), then identified by embeddedSettings
        Calculator calc;
        if (o instanceof org.crucible.config.campaign.Oracle.Embedded em && em.type().equals("sw")) {
            calc = em.parameterFile() == null ? StillingerWeber.silicon() : StillingerWeber.fromFile(Path.of(em.parameterFile()));
        } else if (o instanceof org.crucible.config.campaign.Oracle.Embedded em) {
            calc = Tersoff.fromFile(Path.of(tersoffFile(em)));
        } else if (o instanceof org.crucible.config.campaign.Oracle.Eam eam) {
            try {
                var potential = org.crucible.executors.calculators.Eam.fromFile(Path.of(eam.file()));
                List<String> covered = List.of(potential.elements());
                for (Composition c : cfg.compositions()) {
                    for (String sym : c.counts().keySet()) {
                        if (!covered.contains(sym)) {
                            throw new CampaignException("oracle.file: " + eam.file() + " has no parameters for " + sym + " (composition "
                                    + c.formula() + "); it covers " + String.join(", ", covered));
                        }
                    }
                }
                calc = potential;
            } catch (IllegalArgumentException e) {
                throw new CampaignException("oracle.file: " + e.getMessage(), e);
            }
        } else if (o instanceof org.crucible.config.campaign.Oracle.LennardJones) {
            calc = LennardJones.parse((String) embeddedSettings(cfg).get("spec"));
        } else {
            throw new IllegalStateException("unknown oracle " + o);
        }
        Oracle out = new CalculatorOracle(calc, "crucible-" + crucibleVersion, embeddedSettings(cfg), hostName(), clock, nanoTicker);
        if (o instanceof org.crucible.config.campaign.Oracle.Embedded em && em.injectFailures() != null) {
            out = new FailureInjectingOracle(out, em.injectFailures(), hostName(), clock, Sleeper.SYSTEM);
        }
        return out;
    }

    /**
     * What identifies the physics of an embedded calculator ({@code sw}, {@code tersoff}, {@code eam}, {@code lj}), the
     * map its settings hash (and so every task hash) is computed from: the type and the SHA-256 of its parameter file
     * ({@code builtin-silicon} for the built-in SW parameters), or the LJ specification per element.
     *
     * @throws CampaignException when the parameter file cannot be read
     * @throws IllegalArgumentException for a DFT or cluster oracle
     */
    static Map<String, Object> embeddedSettings(CampaignConfig cfg) {
        var o = cfg.oracle();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("type", o.type());
        if (o instanceof org.crucible.config.campaign.Oracle.Embedded em && em.type().equals("sw")) {
            settings.put("parameters", em.parameterFile() == null ? "builtin-silicon" : OracleRecipes.fileHash(em.parameterFile()));
        } else if (o instanceof org.crucible.config.campaign.Oracle.Embedded em) {
            settings.put("parameters", OracleRecipes.fileHash(tersoffFile(em)));
        } else if (o instanceof org.crucible.config.campaign.Oracle.Eam eam) {
            if (!Files.isReadable(Path.of(eam.file()))) throw new CampaignException("oracle.file: cannot read the EAM potential " + eam.file());
            settings.put("parameters", OracleRecipes.fileHash(eam.file()));
        } else if (o instanceof org.crucible.config.campaign.Oracle.LennardJones lj) {
            List<String> clauses = new ArrayList<>();
            for (Composition c : cfg.compositions()) {
                for (String sym : c.counts().keySet()) {
                    String clause = sym + ":eps=" + lj.epsilon() + ",sigma=" + lj.sigma() + ",rc=" + lj.cutoff();
                    if (!clauses.contains(clause)) clauses.add(clause);
                }
            }
            settings.put("spec", String.join("/", clauses));
        } else {
            throw new IllegalArgumentException("not an embedded calculator: " + o.type());
        }
        return settings;
    }

    /** The Tersoff parameter file: {@code oracle.parameter_file} or {@link #DEFAULT_TERSOFF}, refused when unreadable. */
    private static String tersoffFile(org.crucible.config.campaign.Oracle.Embedded em) {
        String file = em.parameterFile() == null ? DEFAULT_TERSOFF : em.parameterFile();
        if (!Files.isReadable(Path.of(file))) {
            throw new CampaignException("oracle.parameter_file: cannot read Tersoff parameters " + file + " (install Debian's lammps or name a file)");
        }
        return file;
    }

    private Oracle localDft(org.crucible.config.campaign.Oracle.LocalDft d, Path dir, Map<String, Object> settings) {
        List<String> command = d.mpiRanks() > 1 ? List.of("mpirun", "-np", Integer.toString(d.mpiRanks()), d.executable()) : List.of(d.executable());
        OracleRecipes.Resolved r = OracleRecipes.resolve("qe", d.settings(), d.settingsFile(), dir);
        OracleRecipes.identify(r, d.settingsFile(), settings);
        var runner = new LocalRunner(command, Map.of("OMP_NUM_THREADS", "1"), Duration.ofSeconds(r.recipe().timeoutSeconds()));
        return new LocalDftOracle(r.recipe().generator(), runner, dir.resolve("dft"), settings, hostName(), clock);
    }

    /**
     * The SLURM-over-SSH oracle: the profile's connection and scheduler, a task farm whose state lives in
     * {@code DIR/cluster-farm} (so a resumed campaign re-attaches to its jobs) and whose remote campaign directory is
     * named after the campaign and its local directory (two campaign directories never share remote task files).
     */
    private Oracle cluster(CampaignConfig cfg, org.crucible.config.campaign.Oracle.Cluster cl, Path dir, Map<String, Object> settings) {
        ClusterProfile profile;
        try {
            profile = profile(cl);
        } catch (ConfigurationException e) {
            throw new CampaignException("oracle.profile: " + e.getMessage(), e);
        }
        OracleRecipes.Resolved r = OracleRecipes.resolve(cl.code(), cl.settings(), cl.settingsFile(), dir);
        OracleRecipes.identify(r, cl.settingsFile(), settings);
        var generator = r.recipe().generator();
        FarmSettings farm;
        try {
            farm = ClusterConnection.farm(profile, farmName(cfg.name(), dir), null);
        } catch (IllegalArgumentException e) {
            throw new CampaignException("oracle.profile '" + profile.name() + "' (" + profile.source() + "): " + e.getMessage(), e);
        }
        RemoteShell shell = ClusterConnection.shell(profile);
        JobManager manager;
        try {
            manager = new JobManager(farm, shell, ClusterConnection.scheduler(profile), dir.resolve("cluster-farm"), clock, Sleeper.SYSTEM);
            manager.unreachableDeadline(profile.unreachableDeadline());
        } catch (IOException e) {
            closeQuietly(shell);
            throw new CampaignException("oracle: cannot open the task farm state in " + dir.resolve("cluster-farm") + ": " + e.getMessage(), e);
        }
        var oracle = new ClusterOracle(generator, manager, new org.crucible.driver.cluster.TaskPlacement(profile, cl.code()), settings,
                profile.name() + "/" + profile.host(), clock, new FarmProgressLine(console));
        return new WithShell(oracle, shell);
    }

    /**
     * The cluster profile a cluster oracle names ({@code oracle.profile}, looked up in {@code oracle.profiles_file} when
     * given, {@code ~} expanded, else as {@link ClusterProfiles#find} searches).
     */
    public static ClusterProfile profile(org.crucible.config.campaign.Oracle.Cluster cl) {
        Path file = cl.profilesFile() == null ? null
                : Path.of(cl.profilesFile().replaceFirst("^~(?=/|$)", java.util.regex.Matcher.quoteReplacement(System.getProperty("user.home"))));
        return ClusterProfiles.find(cl.profile(), file, System::getenv, Path.of(System.getProperty("user.home")), ClusterConnection.crucibleHome());
    }

    /**
     * The record of the settings the oracle of {@code cfg} uses in the campaign directory {@code dir}
     * ({@link OracleSettingsRecord}): the resolved DFT settings (read back from {@code dir}'s record when it has one), or
     * for an embedded calculator what identifies its physics now ({@link #embeddedSettings}, identity
     * {@link OracleSettingsRecord#EMBEDDED}), which a resume compares with the record
     * ({@link OracleSettingsRecord#requireSameCalculator}).
     */
    public static Optional<OracleSettingsRecord> settingsRecord(CampaignConfig cfg, Path dir) {
        if (cfg.oracle() instanceof org.crucible.config.campaign.Oracle.LocalDft d) {
            return Optional.of(OracleRecipes.resolve("qe", d.settings(), d.settingsFile(), dir).record());
        }
        if (cfg.oracle() instanceof org.crucible.config.campaign.Oracle.Cluster cl) {
            return Optional.of(OracleRecipes.resolve(cl.code(), cl.settings(), cl.settingsFile(), dir).record());
        }
        Map<String, Object> identity = new LinkedHashMap<>(embeddedSettings(cfg));
        String file = cfg.oracle() instanceof org.crucible.config.campaign.Oracle.Embedded em
                ? (em.type().equals("tersoff") && em.parameterFile() == null ? DEFAULT_TERSOFF : em.parameterFile())
                : cfg.oracle() instanceof org.crucible.config.campaign.Oracle.Eam eam ? eam.file() : null;
        if (file != null) identity.put("parameter_file", Path.of(file).toAbsolutePath().normalize().toString());
        return Optional.of(new OracleSettingsRecord(cfg.oracle().type(), OracleSettingsRecord.EMBEDDED, identity));
    }

    /**
     * The settings record of the campaign in {@code dir} on resume: written when the campaign has none (created before
     * records: resolved with the defaults it was created with), and for an embedded calculator checked against the
     * calculator the campaign file names now ({@link OracleSettingsRecord#requireSameCalculator}).
     */
    public static void recordOrCheck(CampaignConfig cfg, Path dir) {
        Optional<OracleSettingsRecord> recorded = OracleSettingsRecord.read(dir);
        if (recorded.isEmpty()) {
            settingsRecord(cfg, dir).ifPresent(r -> r.write(dir));
        } else if (OracleSettingsRecord.EMBEDDED.equals(recorded.get().identity())) {
            recorded.get().requireSameCalculator(settingsRecord(cfg, dir).orElseThrow(), dir);
        }
    }

    /** The task farm of a cluster oracle made by this factory (empty for oracles that run inside the driver). */
    public static Optional<JobManager> farm(Oracle oracle) {
        return oracle instanceof WithShell w ? Optional.of(w.oracle.farm()) : Optional.empty();
    }

    /** {@code <campaign name>-<8 hex of the campaign directory>}, at most 64 characters as the farm requires. */
    public static String farmName(String campaign, Path dir) {
        String base = campaign.replaceAll("[^A-Za-z0-9._-]", "_");
        if (base.isEmpty() || !Character.isLetterOrDigit(base.charAt(0))) base = "c" + base;
        if (base.length() > 55) base = base.substring(0, 55);
        return base + "-" + TaskHash.sha256(dir.toAbsolutePath().normalize().toString()).substring(0, 8);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            System.getLogger(OracleFactory.class.getName()).log(System.Logger.Level.WARNING, "closing " + c + " failed", e);
        }
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** The cluster oracle together with the SSH connection it polls through, closed after it. */
    private static final class WithShell extends ForwardingOracle {
        private final ClusterOracle oracle;
        private final RemoteShell shell;

        WithShell(ClusterOracle oracle, RemoteShell shell) {
            super(oracle);
            this.oracle = oracle;
            this.shell = shell;
        }

        @Override
        public void close() {
            super.close();
            closeQuietly(shell);
        }
    }

    /** Writes a farm progress line to the campaign console when the counts change. */
    private static final class FarmProgressLine implements Consumer<FarmProgress> {
        private final PrintStream out;
        private String last = "";

        FarmProgressLine(PrintStream out) {
            this.out = out;
        }

        @Override
        public void accept(FarmProgress p) {
            if (out == null) return;
            String line = String.format(Locale.ROOT, "cluster (all cycles): %d/%d done, %d failed, %d running, %d queued, %d pending (%d jobs)",
                    p.done(), p.total(), p.failed(), p.running(), p.queued(), p.pending(), p.jobsInQueue());
            if (line.equals(last)) return;
            last = line;
            out.println(line);
            out.flush();
        }
    }
}
