package org.crucible.driver.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.crucible.config.ClusterProfile;
import org.crucible.config.ClusterProfiles;
import org.crucible.core.config.ConfigurationException;
import org.crucible.dft.hpc.OpenSshShell;
import org.crucible.driver.cluster.ClusterConnection;
import org.crucible.driver.cluster.ClusterPreflight;
import org.crucible.driver.cluster.ResolvedResources;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code crucible cluster check --cluster NAME [--config FILE] [--atoms N] [--offline] [--json]}: the resources each
 * code's jobs ask for ({@link ResolvedResources}: the request and its {@code #SBATCH} lines, for a calculation of
 * {@code --atoms} atoms), then one PASS/FAIL line per check -- profile, then the
 * {@link ClusterPreflight} checks: SSH (host key verified, key authentication; 3 connection attempts), {@code sinfo},
 * partition listed, remote work root writable, each configured DFT code's executable found after the profile's
 * environment lines. Exit 0 when all pass, 1 otherwise, 2 for a bad profile.
 *
 * <p>{@code crucible cluster login --cluster NAME} ({@code transport: openssh} only) runs the system ssh on this
 * terminal so the user logs in once (password, second factor); the connection stays in the background for the
 * profile's {@code control_persist} and every later command reuses it. Exit 0 when the master connection is up.
 *
 * <p>Profiles are found as {@link ClusterProfiles#find} documents ({@code --config}, {@code $CRUCIBLE_CLUSTERS},
 * {@code ~/.crucible/clusters/NAME.yaml}, {@code deploy/local-slurm/state/cluster.yaml} for {@code local}).
 */
@Command(name = "cluster", description = "Cluster profiles and connectivity.", subcommands = {ClusterCommand.Check.class,
        ClusterCommand.Login.class})
public final class ClusterCommand implements CliCommand, Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw CrucibleCommand.missingSubcommand(spec);
    }

    /**
     * Resolves a profile for a CLI command, mapping configuration errors to bad input (exit 2); deprecated key
     * spellings are reported on the command's standard error.
     */
    static ClusterProfile profile(String name, Path config, PrintWriter err) {
        try {
            return ClusterProfiles.find(name, config, System::getenv, Path.of(System.getProperty("user.home")),
                    ClusterConnection.crucibleHome(), w -> {
                        err.println("warning: " + w);
                        err.flush();
                    });
        } catch (ConfigurationException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    @Command(name = "check", description = {"Show what each code's jobs ask for (resources, #SBATCH lines), then connect, verify the host key, "
            + "run sinfo, check the work root and DFT commands.",
            "Exit 0 when every check passes, 1 when one fails, 2 for a bad profile or option."})
    static final class Check implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--cluster", required = true, paramLabel = "NAME") String cluster;
        @Option(names = "--config", paramLabel = "FILE", description = "cluster profile (YAML)") Path config;
        @Option(names = "--atoms", paramLabel = "N", description = "size of the calculation the resources are shown for (scale_with_atoms); "
                + "default: the rule's maximum") Integer atoms;
        @Option(names = "--offline", description = "show the profile and the resources only; do not connect") boolean offline;
        @Option(names = "--json", description = "one JSON document: profile, resources per code, checks") boolean json;

        private final List<Map<String, Object>> checks = new ArrayList<>();
        private int failures;
        private PrintWriter out;

        private void line(boolean ok, String what, String detail) {
            if (json) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("check", what);
                c.put("ok", ok);
                c.put("detail", detail);
                checks.add(c);
            } else {
                out.printf(Locale.ROOT, "%s  %-10s %s%n", ok ? "PASS" : "FAIL", what, detail);
                out.flush();
            }
            if (!ok) failures++;
        }

        @Override
        public Integer call() throws Exception {
            out = spec.commandLine().getOut();
            if (atoms != null && atoms < 1) throw new BadInputException("--atoms: " + atoms + " must be >= 1 (atoms of one calculation)");
            ClusterProfile p = profile(cluster, config, spec.commandLine().getErr());
            List<ResolvedResources> resources;
            try {
                resources = ResolvedResources.of(p, atoms == null ? 0 : atoms);
            } catch (IllegalArgumentException e) {
                throw new BadInputException(p.source() + ": " + e.getMessage(), e);
            }
            line(true, "profile", p.source() + " (cluster " + p.name() + ")");
            if (!json) {
                out.printf(Locale.ROOT, "      resources  per job of each code, %s:%n", atoms == null
                        ? "atoms not given (scale_with_atoms at its maximum; --atoms N for a size)" : "a calculation of " + atoms + " atom(s)");
                for (ResolvedResources r : resources) {
                    out.printf(Locale.ROOT, "                 %s: %s%n", r.code(), r.resources().describe());
                    for (String d : r.directives()) out.printf(Locale.ROOT, "                   %s%n", d);
                }
                out.flush();
            }
            if (!offline) {
                for (ClusterPreflight.Check c : ClusterPreflight.run(p, ClusterPreflight::quickShell)) line(c.ok(), c.name(), CrucibleCommand.clean(c.detail()));
            }
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("cluster", p.name());
                doc.put("profile", p.source() == null ? null : p.source().toString());
                Map<String, Object> byCode = new LinkedHashMap<>();
                for (ResolvedResources r : resources) byCode.put(r.code(), r.json());
                doc.put("resources", byCode);
                doc.put("connected", !offline);
                doc.put("checks", checks);
                doc.put("ok", failures == 0);
                out.println(CampaignCli.JSON.writeValueAsString(doc));
                out.flush();
            }
            return failures == 0 ? 0 : 1;
        }
    }

    @Command(name = "login", description = "transport: openssh only: log in once on this terminal (password, second factor); "
            + "later commands reuse the connection for control_persist.")
    static final class Login implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--cluster", required = true, paramLabel = "NAME") String cluster;
        @Option(names = "--config", paramLabel = "FILE", description = "cluster profile (YAML)") Path config;
        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m",
                description = "give up when the login is not completed within this time (default ${DEFAULT-VALUE})") String timeout;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ClusterProfile p = profile(cluster, config, spec.commandLine().getErr());
            if (!p.openssh()) {
                throw new BadInputException(p.source() + ": transport is '" + p.transport() + "': cluster login is for transport: "
                        + "openssh (the ssh transport authenticates with the key at every connection)");
            }
            java.time.Duration limit;
            try {
                limit = org.crucible.config.Durations.parse(timeout);
            } catch (IllegalArgumentException e) {
                throw new BadInputException("--timeout: " + e.getMessage(), e);
            }
            OpenSshShell ssh = new OpenSshShell(ClusterConnection.openSshTarget(p, System::getenv, Path.of(System.getProperty("user.home"))));
            if (ssh.masterRunning()) {
                out.println("already logged in: " + ssh.describe());
                return 0;
            }
            int rc = ssh.login(limit);
            if (rc != 0 || !ssh.masterRunning()) {
                err.println("crucible: login to " + ssh.target().describe() + " failed (ssh exited with " + rc + ")");
                return 1;
            }
            out.println("logged in: " + ssh.describe() + "; the connection stays up for " + p.controlPersist().toSeconds()
                    + " s after the last command");
            return 0;
        }
    }
}
