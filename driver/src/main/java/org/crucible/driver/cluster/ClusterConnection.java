package org.crucible.driver.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.crucible.config.ClusterProfile;
import org.crucible.config.CodeProfile;
import org.crucible.core.config.ConfigurationException;
import org.crucible.config.SshHop;
import org.crucible.dft.hpc.FarmSettings;
import org.crucible.dft.hpc.JobResources;
import org.crucible.dft.hpc.LocalShell;
import org.crucible.dft.hpc.OpenSshShell;
import org.crucible.dft.hpc.OpenSshTarget;
import org.crucible.dft.hpc.RemoteShell;
import org.crucible.dft.hpc.Scheduler;
import org.crucible.dft.hpc.ShellQuote;
import org.crucible.dft.hpc.SlurmScheduler;
import org.crucible.dft.hpc.SshShell;
import org.crucible.dft.hpc.SshTarget;
import org.crucible.dft.hpc.TaskCommand;
import org.crucible.dft.input.InputSet;

/**
 * Turns a {@link ClusterProfile} (site configuration, cluster-config) into the job machinery of dft-adapters: the
 * SSH target, the scheduler, the task-farm settings and the per-code command line. The only place where the two
 * modules meet, so adapters never read site details and profiles never know about JSch.
 */
public final class ClusterConnection {
    /** Largest poll interval while the cluster does not answer. */
    public static final Duration MAX_POLL_INTERVAL = Duration.ofMinutes(10);

    private ClusterConnection() {
    }

    /**
     * SSH target: keys only, strict host keys, 15 s keepalive, the profile's reconnection schedule ({@code reconnect};
     * default 1 s doubling to 60 s, 8 tries), the same for every jump host.
     */
    public static SshTarget target(ClusterProfile p) {
        SshTarget t = new SshTarget(p.host(), p.port(), p.user(), p.identityFile(), p.passphraseEnv(), p.useAgent(),
                p.knownHosts(), Duration.ofSeconds(20), Duration.ofSeconds(15), p.maxChannels(), p.reconnect());
        if (p.sshRoute() == null || p.sshRoute().jumps().isEmpty()) return t;
        List<SshTarget> hops = new ArrayList<>();
        for (SshHop h : p.sshRoute().jumps()) {
            hops.add(new SshTarget(h.host(), h.port(), h.user(), h.identityFile(), p.passphraseEnv(),
                    p.useAgent() || h.identityFile() == null, h.knownHosts(), t.connectTimeout(), t.keepalive(), 1, t.reconnect()));
        }
        return t.withJumps(hops);
    }

    /**
     * The shell scheduler commands run in: SSH to the login node (Crucible's client, or the system OpenSSH client for
     * {@code transport: openssh}), or this machine for {@code transport: local}.
     */
    public static RemoteShell shell(ClusterProfile p) {
        if (p.local()) return new LocalShell();
        if (p.openssh()) return new OpenSshShell(openSshTarget(p, System::getenv, Path.of(System.getProperty("user.home"))));
        return new SshShell(target(p));
    }

    /**
     * The system ssh's view of the profile: the host as written in the profile (an alias of the OpenSSH config keeps
     * its ProxyJump, applied by ssh itself), the resolved port and user, the profile's key and known_hosts, and the
     * control sockets in {@link #controlDir}.
     */
    public static OpenSshTarget openSshTarget(ClusterProfile p, UnaryOperator<String> env, Path home) {
        String destination = p.sshRoute() == null ? p.host() : p.sshRoute().alias();
        Path config = p.sshRoute() == null ? null : p.sshRoute().config();
        try {
            return new OpenSshTarget("ssh", destination, p.port(), p.user(), p.identityFile(), p.knownHosts(), config,
                    controlDir(env, home), p.controlPersist(), Duration.ofSeconds(20), p.maxChannels());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException((p.source() == null ? "cluster " + p.name() : p.source().toString())
                    + ": transport openssh: " + e.getMessage(), e);
        }
    }

    /** Private directory of the ControlMaster sockets: {@code $XDG_STATE_HOME/crucible/ssh}, else {@code ~/.local/state/crucible/ssh}. */
    public static Path controlDir(UnaryOperator<String> env, Path home) {
        String state = env.apply("XDG_STATE_HOME");
        Path base = state != null && !state.isBlank() && Path.of(state).isAbsolute() ? Path.of(state) : home.resolve(".local/state");
        return base.resolve("crucible/ssh");
    }

    public static Scheduler scheduler(ClusterProfile p) {
        return new SlurmScheduler(p.submitCommand());
    }

    /** Farm settings of {@code campaign} on this cluster; {@code pollInterval} overrides the profile's when non-null. */
    public static FarmSettings farm(ClusterProfile p, String campaign, Duration pollInterval) {
        Duration poll = pollInterval == null ? p.pollInterval() : pollInterval;
        Duration max = poll.compareTo(MAX_POLL_INTERVAL) > 0 ? poll : MAX_POLL_INTERVAL;
        return new FarmSettings(campaign, p.workRoot(), p.partition(), p.account(), p.qos(), p.defaultResources(), p.walltime(), p.extraDirectives(), p.environment(), p.packing(), p.maxJobsInQueue(), poll, max,
                p.maxResubmissions(), p.taskTimeout(), p.accounting(), p.arrayParallelism());
    }

    /**
     * The site's command for {@code code} in a job with {@code resources}: the template with {input}, {output}, {ntasks}
     * (the job's MPI tasks), {cpus} (cores per task) replaced by quoted values; without {input} the code's own arguments
     * are appended, quoted.
     */
    public static TaskCommand command(ClusterProfile p, String code, JobResources resources) {
        CodeProfile c = p.code(code);
        return (InputSet in) -> {
            String input = in.arguments().isEmpty() ? in.files().keySet().iterator().next()
                    : in.arguments().get(in.arguments().size() - 1);
            String line = c.render(Map.of("input", input, "output", in.stdoutFile(), "ntasks", Integer.toString(resources.tasks()),
                    "cpus", Integer.toString(resources.cpusPerTask())), ShellQuote::quote);
            if (!c.placesInput() && !in.arguments().isEmpty()) {
                List<String> args = new ArrayList<>(in.arguments());
                line += " " + ShellQuote.join(args);
            }
            return line;
        };
    }

    /** Where Crucible is installed ({@code -DCRUCIBLE_HOME} set by the launcher), else the working directory. */
    public static Path crucibleHome() {
        String h = System.getProperty("CRUCIBLE_HOME");
        return Path.of(h == null ? "." : h).toAbsolutePath().normalize();
    }
}
