package org.crucible.driver.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.crucible.config.ClusterProfile;
import org.crucible.core.config.ConfigurationException;
import org.crucible.config.Durations;
import org.crucible.core.Structure;
import org.crucible.core.io.ExtendedXyz;
import org.crucible.core.io.FormatException;
import org.crucible.dft.DftCode;
import org.crucible.dft.DftInputException;
import org.crucible.dft.DftResult;
import org.crucible.dft.hpc.DftTask;
import org.crucible.dft.hpc.FarmProgress;
import org.crucible.dft.hpc.FarmSettings;
import org.crucible.dft.hpc.FarmState;
import org.crucible.dft.hpc.JobManager;
import org.crucible.dft.hpc.RemoteException;
import org.crucible.dft.hpc.Sleeper;
import org.crucible.dft.hpc.RemoteShell;
import org.crucible.dft.hpc.TaskOutcome;
import org.crucible.dft.input.InputGenerator;
import org.crucible.driver.cluster.ClusterConnection;
import org.crucible.driver.cluster.TaskPlacement;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code crucible dft submit --cluster NAME --code qe IN.extxyz --settings S.yaml -o LABELLED.extxyz}: one DFT
 * single point per frame on a SLURM cluster over SSH, packed into task-farm jobs; waits with a progress line,
 * then writes the labelled frames (energy eV, forces eV/Angstrom, stress eV/Angstrom^3 ASE convention, with
 * provenance in the info: {@code dft_code}, {@code dft_code_version}, {@code dft_task}, {@code dft_cluster},
 * {@code dft_job}) in input order and lists failed frames (exit 1 if any).
 *
 * <p>The campaign's state lives in {@code --state-dir} (default {@code ~/.crucible/state/<cluster>/<campaign>},
 * campaign defaulting to the input file's base name). Interrupting the command leaves the jobs running; running
 * the same command again re-attaches to them and submits nothing twice. {@code --cancel} cancels the campaign's
 * jobs.
 */
@Command(name = "submit", description = "Label every frame with DFT on a SLURM cluster (SSH), waiting for the results.")
public final class DftSubmitCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Option(names = "--cluster", required = true, paramLabel = "NAME") String cluster;
    @Option(names = "--config", paramLabel = "FILE", description = "cluster profile (YAML)") Path config;
    @Option(names = "--code", required = true, paramLabel = "CODE", description = "vasp, qe, castep or orca (the cluster profile says how each runs there)") String code;
    @Parameters(index = "0", paramLabel = "IN", description = "structures (extended XYZ)") Path in;
    @Option(names = "--settings", required = true, paramLabel = "SETTINGS", description = "DFT recipe (YAML)") Path settings;
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "labelled frames (extended XYZ)") Path out;
    @Option(names = "--campaign", paramLabel = "NAME", description = "campaign name (default: IN's base name)") String campaign;
    @Option(names = "--state-dir", paramLabel = "DIR", description = "local campaign state") Path stateDir;
    @Option(names = "--poll", paramLabel = "DURATION", description = "poll interval (default: the profile's)") String poll;
    @Option(names = "--cancel", description = "cancel this campaign's jobs and exit") boolean cancel;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter outw = spec.commandLine().getOut();
        ClusterProfile profile = ClusterCommand.profile(cluster, config, spec.commandLine().getErr());
        DftCode dftCode = DftCommand.code(code);
        InputGenerator generator = DftCommand.generator(dftCode, settings);
        if (!Files.isRegularFile(in)) throw new BadInputException("input structures not found: " + in);
        List<Structure> frames;
        try {
            frames = ExtendedXyz.read(in);
        } catch (FormatException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        if (frames.isEmpty()) throw new BadInputException(in + ": no structures");
        List<DftTask> tasks = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            try {
                tasks.add(new DftTask(in.getFileName() + "#" + i, generator.inputSet(frames.get(i))));
            } catch (DftInputException e) {
                throw new BadInputException(in + ": frame " + i + ": " + e.getMessage(), e);
            }
        }
        String name = campaign != null ? campaign : defaultCampaign(in);
        Duration pollInterval;
        FarmSettings farm;
        try {
            pollInterval = poll == null ? null : Durations.parse(poll);
            farm = ClusterConnection.farm(profile, name, pollInterval);
        } catch (IllegalArgumentException | ConfigurationException e) {
            throw new BadInputException((poll != null ? "--poll / " : "") + "--campaign: " + e.getMessage(), e);
        }
        Path state = stateDir != null ? stateDir
                : Path.of(System.getProperty("user.home"), ".crucible", "state", profile.name(), name);
        try (RemoteShell ssh = ClusterConnection.shell(profile);
                JobManager m = new JobManager(farm, ssh, ClusterConnection.scheduler(profile), state, Clock.systemUTC(),
                        Sleeper.SYSTEM)) {
            m.unreachableDeadline(profile.unreachableDeadline());
            if (cancel) {
                m.cancel();
                err.println("cancelled campaign " + name + " on " + profile.name());
                return 0;
            }
            int before = m.state().tasks().size();
            List<String> hashes = new TaskPlacement(profile, dftCode.id()).add(m, tasks, frames.stream().map(Structure::size).toList());
            long distinct = hashes.stream().distinct().count();
            err.printf(Locale.ROOT, "campaign %s on %s: %d frames, %d distinct tasks (%d already recorded), state in %s%n",
                    name, profile.name(), frames.size(), distinct, Math.min(before, distinct), state);
            err.println("interrupting leaves the jobs running; the same command re-attaches to them");
            err.flush();
            ProgressBar bar = new ProgressBar(err);
            Map<String, TaskOutcome> outcomes;
            try {
                outcomes = m.run(bar::update);
            } catch (RemoteException e) {
                err.println();
                err.println("crucible dft submit: " + e.getMessage());
                err.println("recorded state kept in " + state + "; re-run the same command to re-attach");
                return 1;
            }
            bar.finish();
            return writeResults(frames, hashes, outcomes, m.state(), profile.name(), outw, err);
        }
    }

    static String defaultCampaign(Path in) {
        String base = in.getFileName().toString().replaceFirst("\\.[^.]*$", "").replaceAll("[^A-Za-z0-9._-]", "_");
        if (base.isEmpty() || !Character.isLetterOrDigit(base.charAt(0))) base = "c" + base;
        return base.length() > 64 ? base.substring(0, 64) : base;
    }

    private int writeResults(List<Structure> frames, List<String> hashes, Map<String, TaskOutcome> outcomes,
            FarmState state, String clusterName, PrintWriter outw, PrintWriter err) throws IOException {
        List<Structure> labelled = new ArrayList<>();
        Map<Integer, TaskOutcome> failed = new LinkedHashMap<>();
        for (int i = 0; i < frames.size(); i++) {
            TaskOutcome o = outcomes.get(hashes.get(i));
            if (o.phase() != FarmState.TaskPhase.DONE) {
                failed.put(i, o);
                continue;
            }
            DftResult r = o.result();
            FarmState.TaskRecord t = state.tasks().get(o.hash());
            FarmState.BatchRecord b = t.batch() == null ? null : state.batches().get(t.batch());
            Map<String, Object> info = new LinkedHashMap<>(frames.get(i).info());
            info.put("dft_code", r.code().id());
            if (r.codeVersion() != null) info.put("dft_code_version", r.codeVersion());
            info.put("dft_task", o.hash());
            info.put("dft_cluster", clusterName);
            if (b != null && b.jobId() != null) info.put("dft_job", b.jobId());
            labelled.add(frames.get(i).withInfo(info).withLabels(r.labels()));
        }
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".crucible-", ".extxyz");
        ExtendedXyz.write(tmp, labelled);
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        outw.printf(Locale.ROOT, "wrote %d labelled frames to %s%n", labelled.size(), out);
        for (Map.Entry<Integer, TaskOutcome> f : failed.entrySet()) {
            TaskOutcome o = f.getValue();
            err.printf(Locale.ROOT, "failed: frame %d (task %s): %s%n", f.getKey(), o.hash(), o.message());
        }
        if (!failed.isEmpty()) err.printf(Locale.ROOT, "%d of %d frames failed%n", failed.size(), frames.size());
        return failed.isEmpty() ? 0 : CrucibleCommand.EXIT_FAILURE;
    }

    /** A one-line progress bar, redrawn in place on a terminal and printed on change otherwise. */
    static final class ProgressBar {
        private final PrintWriter err;
        private final boolean terminal = System.console() != null;
        private String last = "";

        ProgressBar(PrintWriter err) {
            this.err = err;
        }

        void update(FarmProgress p) {
            int width = 30;
            int filled = p.total() == 0 ? width : (int) Math.round(width * (p.done() + p.failed() + p.cancelled()) / (double) p.total());
            String line = String.format(Locale.ROOT, "[%s%s] %d/%d done, %d failed, %d running, %d queued, %d pending (%d jobs)",
                    "#".repeat(filled), "-".repeat(width - filled), p.done(), p.total(), p.failed(), p.running(), p.queued(),
                    p.pending(), p.jobsInQueue());
            if (line.equals(last)) return;
            last = line;
            if (terminal) err.print("\r" + line);
            else err.println(line);
            err.flush();
        }

        void finish() {
            if (terminal) err.println();
            err.flush();
        }
    }
}
