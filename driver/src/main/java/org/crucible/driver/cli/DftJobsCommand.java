package org.crucible.driver.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.crucible.config.ClusterProfile;
import org.crucible.core.config.ConfigurationException;
import org.crucible.dft.hpc.FarmSettings;
import org.crucible.dft.hpc.FarmState;
import org.crucible.dft.hpc.JobManager;
import org.crucible.dft.hpc.QueueEntry;
import org.crucible.dft.hpc.RemoteShell;
import org.crucible.dft.hpc.Sleeper;
import org.crucible.driver.cluster.ClusterConnection;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code crucible dft list} and {@code crucible dft cancel}: the jobs of a {@code crucible dft submit} campaign, from
 * its recorded state ({@code --state-dir}, default {@code ~/.crucible/state/<cluster>/<campaign>}).
 *
 * <p>{@code list} prints one row per recorded job (an array element is a row of its own, id {@code JOBID_INDEX}):
 * batch, job id, phase, tasks, the tasks' names, and with {@code --queue} the SLURM state from one {@code squeue}.
 * It reads {@code state.json} without taking the campaign's lock, so it works while {@code dft submit} runs.
 * {@code cancel} takes the lock (so not while {@code dft submit} runs on the same state), harvests what finished,
 * cancels every queued or running job with one {@code scancel} and puts unfinished tasks back to pending: running
 * the same {@code dft submit} again resumes the campaign and repeats no finished calculation.
 */
final class DftJobsCommand {
    private DftJobsCommand() {
    }

    /** The options naming a campaign's recorded state. */
    static final class Campaign {
        @Option(names = "--cluster", required = true, paramLabel = "NAME", description = "cluster profile name") String cluster;
        @Option(names = "--config", paramLabel = "FILE", description = "cluster profile (YAML)") Path config;
        @Option(names = "--campaign", required = true, paramLabel = "NAME", description = "campaign name, as given to (or derived by) dft submit")
        String campaign;
        @Option(names = "--state-dir", paramLabel = "DIR", description = "local campaign state (default: ~/.crucible/state/<cluster>/<campaign>)")
        Path stateDir;

        Path state(ClusterProfile profile) {
            Path s = stateDir != null ? stateDir : Path.of(System.getProperty("user.home"), ".crucible", "state", profile.name(), campaign);
            if (!Files.isRegularFile(s.resolve("state.json"))) {
                throw new BadInputException("--campaign " + campaign + ": no recorded campaign in " + s + " (no state.json)");
            }
            return s;
        }

        FarmSettings farm(ClusterProfile profile) {
            try {
                return ClusterConnection.farm(profile, campaign, null);
            } catch (IllegalArgumentException | ConfigurationException e) {
                throw new BadInputException("--campaign: " + e.getMessage(), e);
            }
        }
    }

    @Command(name = "list", description = {"List the jobs of a dft submit campaign: batch, job id, phase, tasks (reads its recorded state).",
            "With --queue, one squeue gives each job's SLURM state."})
    static final class ListJobs implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin Campaign c;
        @Option(names = "--queue", description = "ask SLURM (one squeue) for each job's state") boolean queue;

        @Override
        public Integer call() throws Exception {
            ClusterProfile profile = ClusterCommand.profile(c.cluster, c.config, spec.commandLine().getErr());
            FarmSettings farm = c.farm(profile);
            Path state = c.state(profile);
            FarmState s;
            try {
                s = JobManager.recorded(state);
            } catch (IOException e) {
                throw new BadInputException(state.resolve("state.json") + ": cannot be read: " + e.getMessage(), e);
            }
            Map<String, QueueEntry> q = Map.of();
            if (queue) {
                try (RemoteShell shell = ClusterConnection.shell(profile)) {
                    q = ClusterConnection.scheduler(profile).queue(shell, farm.jobName());
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            List<String> header = new ArrayList<>(List.of("batch", "job", "phase", "tasks", "names"));
            if (queue) header.add("slurm");
            TextTable t = new TextTable(header.toArray(String[]::new));
            for (FarmState.BatchRecord b : s.batches().values()) {
                List<String> names = b.tasks().stream().map(h -> s.tasks().get(h)).map(r -> r == null ? "?" : r.name()).toList();
                String joined = String.join(", ", names);
                List<String> row = new ArrayList<>(List.of(b.id(), b.jobId() == null ? "-" : b.jobId(), b.phase().name(),
                        Integer.toString(b.tasks().size()), joined.length() > 60 ? joined.substring(0, 57) + "..." : joined));
                if (queue) {
                    QueueEntry e = b.jobId() == null ? null : q.get(b.jobId());
                    row.add(e == null ? "-" : e.code());
                }
                t.row(row.toArray(String[]::new));
            }
            if (s.batches().isEmpty()) out.println("campaign " + c.campaign + ": no job submitted yet (" + s.tasks().size() + " tasks recorded)");
            else out.print(t.render());
            out.flush();
            return 0;
        }
    }

    @Command(name = "cancel", description = {"Cancel every queued or running job of a dft submit campaign (one scancel); finished results are kept",
            "and unfinished tasks go back to pending, so the same dft submit command resumes the campaign."})
    static final class CancelJobs implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin Campaign c;

        @Override
        public Integer call() throws Exception {
            ClusterProfile profile = ClusterCommand.profile(c.cluster, c.config, spec.commandLine().getErr());
            FarmSettings farm = c.farm(profile);
            Path state = c.state(profile);
            PrintWriter out = spec.commandLine().getOut();
            try (RemoteShell shell = ClusterConnection.shell(profile);
                    JobManager m = new JobManager(farm, shell, ClusterConnection.scheduler(profile), state, Clock.systemUTC(), Sleeper.SYSTEM)) {
                List<String> ids = m.suspend();
                out.println("cancelled " + ids.size() + " job(s) of campaign " + c.campaign + " on " + profile.name()
                        + (ids.isEmpty() ? "" : ": " + String.join(" ", ids)) + "; " + m.tasksIn(FarmState.TaskPhase.PENDING).size()
                        + " unfinished task(s) back to pending, " + m.tasksIn(FarmState.TaskPhase.DONE).size() + " done kept");
            } catch (IOException e) {
                spec.commandLine().getErr().println("crucible dft cancel: " + e.getMessage());
                return 1;
            }
            out.flush();
            return 0;
        }
    }
}
