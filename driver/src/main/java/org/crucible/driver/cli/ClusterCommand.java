package org.crucible.driver.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.crucible.config.ClusterProfile;
import org.crucible.config.ClusterProfiles;
import org.crucible.config.CodeProfile;
import org.crucible.config.ConfigurationException;
import org.crucible.dft.hpc.CommandResult;
import org.crucible.dft.hpc.RemoteException;
import org.crucible.dft.hpc.ShellQuote;
import org.crucible.dft.hpc.RemoteShell;
import org.crucible.driver.cluster.ClusterConnection;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code crucible cluster check --cluster NAME [--config FILE]}: one PASS/FAIL line per check -- profile, SSH
 * (host key verified, key authentication), {@code sinfo}, remote work root writable, each configured DFT code's
 * executable found after the profile's environment lines. Exit 0 when all pass, 1 otherwise, 2 for a bad profile.
 *
 * <p>Profiles are found as {@link ClusterProfiles#find} documents ({@code --config}, {@code $CRUCIBLE_CLUSTERS},
 * {@code ~/.crucible/clusters/NAME.yaml}, {@code deploy/local-slurm/state/cluster.yaml} for {@code local}).
 */
@Command(name = "cluster", description = "Cluster profiles and connectivity.", subcommands = {ClusterCommand.Check.class})
public final class ClusterCommand implements CliCommand, Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw CrucibleCommand.missingSubcommand(spec);
    }

    /** Resolves a profile for a CLI command, mapping configuration errors to bad input (exit 2). */
    static ClusterProfile profile(String name, Path config) {
        try {
            return ClusterProfiles.find(name, config, System::getenv, Path.of(System.getProperty("user.home")),
                    ClusterConnection.crucibleHome());
        } catch (ConfigurationException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    @Command(name = "check", description = "Connect, verify the host key, run sinfo, check the work root and DFT commands.")
    static final class Check implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--cluster", required = true, paramLabel = "NAME") String cluster;
        @Option(names = "--config", paramLabel = "FILE", description = "cluster profile (YAML)") Path config;

        private int failures;
        private PrintWriter out;

        private void line(boolean ok, String what, String detail) {
            out.printf(Locale.ROOT, "%s  %-10s %s%n", ok ? "PASS" : "FAIL", what, detail);
            out.flush();
            if (!ok) failures++;
        }

        @Override
        public Integer call() {
            out = spec.commandLine().getOut();
            ClusterProfile p = profile(cluster, config);
            line(true, "profile", p.source() + " (cluster " + p.name() + ")");
            try (RemoteShell ssh = ClusterConnection.shell(p)) {
                try {
                    CommandResult who = ssh.exec(List.of("id", "-un"));
                    line(who.ok(), p.local() ? "shell" : "ssh", p.local() ? "local shell (transport: local), user "
                            + who.stdout().strip() : ssh.describe() + ": host key verified against " + p.knownHosts()
                            + ", key authentication ok (remote user " + who.stdout().strip() + ")");
                } catch (RemoteException e) {
                    line(false, p.local() ? "shell" : "ssh", e.getMessage());
                    return 1;
                }
                try {
                    CommandResult s = ssh.exec(List.of("sinfo", "--noheader", "--format=%P %a %D %t"));
                    line(s.ok(), "sinfo", s.ok() ? String.join("; ", s.stdout().strip().split("\n")) : s.describe());
                    if (p.partition() != null && s.ok()) {
                        boolean found = s.stdout().lines().anyMatch(l -> l.split(" ")[0].replace("*", "").equals(p.partition()));
                        line(found, "partition", p.partition() + (found ? " exists" : " not listed by sinfo"));
                    }
                    String probe = p.workRoot() + "/.crucible-write-test-" + ProcessHandle.current().pid();
                    CommandResult w = ssh.run("mkdir -p " + ShellQuote.quote(p.workRoot()) + " && touch " + ShellQuote.quote(probe)
                            + " && rm -f " + ShellQuote.quote(probe));
                    line(w.ok(), "workroot", p.workRoot() + (w.ok() ? " writable" : ": " + w.describe()));
                    for (String code : p.codes().keySet().stream().sorted().toList()) {
                        CodeProfile c = p.code(code);
                        String env = p.environment().isEmpty() ? "" : String.join("; ", p.environment()) + "; ";
                        CommandResult e = ssh.run(env + "command -v " + ShellQuote.quote(c.executable()));
                        line(e.ok(), "code " + code, e.ok() ? c.executable() + " found at " + e.stdout().strip()
                                : c.executable() + " not found on the login node after the profile's environment lines");
                    }
                } catch (RemoteException e) {
                    line(false, "remote", e.getMessage());
                }
            }
            return failures == 0 ? 0 : 1;
        }
    }
}
