package org.crucible.driver.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.core.config.ConfigurationException;
import org.crucible.driver.campaign.CampaignException;
import org.crucible.driver.campaign.CampaignRunner;
import org.crucible.driver.oracle.Oracle;
import org.crucible.driver.oracle.OracleFactory;
import org.crucible.dft.hpc.JobManager;
import org.crucible.dft.hpc.RemoteException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code crucible cancel DIR}: stops a campaign so that {@code crucible resume DIR} continues it. First the driver
 * (the process in {@code driver.pid}: SIGTERM, then SIGKILL after {@code --timeout}; both are safe, every stage is
 * checkpointed), then, for a {@code cluster} oracle, every SLURM job the campaign queued or is running (one
 * {@code scancel} over the profile's connection): tasks that finished are harvested first and kept, the rest go back to
 * pending without a failure charged, so the resumed campaign resubmits exactly those ({@link JobManager#suspend}).
 */
@Command(name = "cancel", description = {"Stop a campaign: its driver and, on a cluster, every SLURM job it queued (scancel).",
        "Finished calculations are kept; 'crucible resume DIR' continues and resubmits only what did not finish."})
public final class CancelCommand implements CliCommand, Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "campaign directory")
    Path dir;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "how long the driver may take to stop after SIGTERM before SIGKILL (default: ${DEFAULT-VALUE})")
    int timeoutSeconds = 60;

    @Override
    public Integer call() throws Exception {
        CampaignCli.requireCampaign(dir);
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) throw new BadInputException("--timeout: expected 1 to 3600 seconds, got " + timeoutSeconds);
        PrintWriter out = spec.commandLine().getOut();
        out.println(stopDriver(dir, timeoutSeconds));
        CampaignConfig cfg = config(dir);
        if (!(cfg.oracle() instanceof org.crucible.config.campaign.Oracle.Cluster)) {
            out.println("the oracle runs inside the driver: no cluster jobs to cancel");
            out.println("continue with: crucible resume " + dir);
            out.flush();
            return 0;
        }
        try (Oracle oracle = new CampaignRunner(Clock.systemUTC(), System::nanoTime, null, Map.of(), null).oracle(cfg, dir)) {
            JobManager farm = OracleFactory.farm(oracle).orElseThrow(() -> new IllegalStateException("cluster oracle without a task farm"));
            List<String> ids = farm.suspend();
            var p = farm.progress();
            out.println(ids.isEmpty() ? "no job of this campaign was queued or running"
                    : "cancelled " + ids.size() + " job(s): " + String.join(" ", ids));
            out.println("tasks: " + p.done() + " done, " + p.failed() + " failed, " + p.pending() + " to resubmit on resume");
        } catch (RemoteException e) {
            throw new CampaignException("cannot cancel the campaign's jobs on the cluster: " + e.getMessage()
                    + " (the driver is stopped; run 'crucible cancel " + dir + "' again when the cluster is reachable)", e);
        }
        out.println("continue with: crucible resume " + dir);
        out.flush();
        return 0;
    }

    /** Stops the driver of {@code dir} if one runs: SIGTERM, then SIGKILL after {@code timeoutSeconds}. */
    static String stopDriver(Path dir, int timeoutSeconds) throws InterruptedException {
        Path pidFile = dir.resolve("driver.pid");
        Optional<ProcessHandle> driver;
        try {
            driver = Files.exists(pidFile) ? ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            throw new BadInputException("cannot read " + pidFile + ": " + e.getMessage(), e);
        }
        if (driver.isEmpty() || !driver.get().isAlive() || driver.get().pid() == ProcessHandle.current().pid()) return "no driver running for " + dir;
        ProcessHandle h = driver.get();
        h.destroy();
        try {
            h.onExit().get(timeoutSeconds, TimeUnit.SECONDS);
            return "stopped the driver (pid " + h.pid() + ", SIGTERM)";
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            h.destroyForcibly();
            h.onExit().join();
            return "stopped the driver (pid " + h.pid() + ", SIGKILL after " + timeoutSeconds + " s)";
        }
    }

    private static CampaignConfig config(Path dir) {
        try {
            return CampaignRunner.config(dir);
        } catch (ConfigurationException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }
}
