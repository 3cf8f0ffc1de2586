package org.crucible.driver.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.crucible.config.ClusterProfile;
import org.crucible.config.CodeProfile;
import org.crucible.dft.hpc.Backoff;
import org.crucible.dft.hpc.CommandResult;
import org.crucible.dft.hpc.HostKeyException;
import org.crucible.dft.hpc.LocalShell;
import org.crucible.dft.hpc.RemoteException;
import org.crucible.dft.hpc.RemoteShell;
import org.crucible.dft.hpc.ShellQuote;
import org.crucible.dft.hpc.SshAuthException;
import org.crucible.dft.hpc.SshShell;

/**
 * The checks a cluster must pass before anything is submitted to it, in order: the connection (host key verified, key
 * authentication), the scheduler answering ({@code sinfo}), the configured partition listed, the remote work root
 * writable, and each configured DFT code's executable found after the profile's environment lines. A failed
 * connection stops the list (nothing after it can run).
 *
 * <p>Used by {@code crucible cluster check} and by {@code crucible run} before a campaign with a cluster oracle
 * creates anything: a wrong key or an unreachable host must not surface hours later, after a pool of millions has
 * been generated. Unlike the campaign's own connection (8 reconnect attempts over minutes, for a cluster that blips),
 * the preflight gives up after {@link #QUICK} (3 attempts, about 3 s of waiting) because a person is waiting for it.
 *
 * <pre>{@code
 * List<ClusterPreflight.Check> checks = ClusterPreflight.run(profile, ClusterPreflight::quickShell);
 * checks.stream().filter(c -> !c.ok()).findFirst().ifPresent(c -> ...);
 * }</pre>
 */
public final class ClusterPreflight {
    /** Reconnect policy of a check: 3 attempts, 1 s then 2 s apart. */
    public static final Backoff QUICK = new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(2), 3);

    /** Why a check failed, so callers can tell a configuration problem from a cluster that is down. */
    public enum Failure {
        /** Passed. */
        NONE,
        /** The host key or the key authentication was refused: the profile or the key must change. */
        CONFIGURATION,
        /** The host did not answer (refused, timed out): may pass later. */
        UNREACHABLE,
        /** Connected, but the site is not as the profile says (no scheduler, partition, work root or code). */
        SITE
    }

    /**
     * One line of the check.
     *
     * @param name short name ({@code ssh}, {@code sinfo}, {@code partition}, {@code workroot}, {@code code qe})
     * @param failure {@link Failure#NONE} when it passed
     * @param detail what was found, or what is wrong, for a person
     */
    public record Check(String name, Failure failure, String detail) {
        public boolean ok() {
            return failure == Failure.NONE;
        }
    }

    private ClusterPreflight() {
    }

    /**
     * The profile's shell with {@link #QUICK} reconnects (SSH), the system ssh ({@code transport: openssh}, one attempt
     * per command), or this machine's shell ({@code transport: local}).
     */
    public static RemoteShell quickShell(ClusterProfile p) {
        if (p.openssh()) return ClusterConnection.shell(p);
        return p.local() ? new LocalShell() : new SshShell(ClusterConnection.target(p).withReconnect(QUICK));
    }

    /** Runs every check on a shell from {@code shells}, which is closed afterwards. */
    public static List<Check> run(ClusterProfile p, Function<ClusterProfile, RemoteShell> shells) {
        List<Check> out = new ArrayList<>();
        try (RemoteShell shell = shells.apply(p)) {
            String link = p.local() ? "shell" : "ssh";
            try {
                CommandResult who = shell.exec(List.of("id", "-un"));
                out.add(new Check(link, who.ok() ? Failure.NONE : Failure.SITE, p.local()
                        ? "local shell (transport: local), user " + who.stdout().strip()
                        : shell.describe() + ": host key verified against " + p.knownHosts() + (p.openssh() ? ", authentication ok" : ", key authentication ok") + " (remote user "
                                + who.stdout().strip() + ")"));
            } catch (HostKeyException | SshAuthException e) {
                out.add(new Check(link, Failure.CONFIGURATION, e.getMessage()));
                return out;
            } catch (RemoteException e) {
                out.add(new Check(link, Failure.UNREACHABLE, e.getMessage()));
                return out;
            }
            try {
                CommandResult s = shell.exec(List.of("sinfo", "--noheader", "--format=%P %a %D %t"));
                out.add(new Check("sinfo", s.ok() ? Failure.NONE : Failure.SITE, s.ok() ? String.join("; ", s.stdout().strip().split("\n")) : s.describe()));
                if (p.partition() != null && s.ok()) {
                    boolean found = s.stdout().lines().anyMatch(l -> l.split(" ")[0].replace("*", "").equals(p.partition()));
                    out.add(new Check("partition", found ? Failure.NONE : Failure.SITE, p.partition() + (found ? " exists" : " not listed by sinfo")));
                }
                String probe = p.workRoot() + "/.crucible-write-test-" + ProcessHandle.current().pid();
                CommandResult w = shell.run("mkdir -p " + ShellQuote.quote(p.workRoot()) + " && touch " + ShellQuote.quote(probe) + " && rm -f "
                        + ShellQuote.quote(probe));
                out.add(new Check("workroot", w.ok() ? Failure.NONE : Failure.SITE, p.workRoot() + (w.ok() ? " writable" : ": " + w.describe())));
                for (String code : p.codes().keySet().stream().sorted().toList()) {
                    CodeProfile c = p.code(code);
                    String env = p.environment().isEmpty() ? "" : String.join("; ", p.environment()) + "; ";
                    CommandResult e = shell.run(env + "command -v " + ShellQuote.quote(c.executable()));
                    out.add(new Check("code " + code, e.ok() ? Failure.NONE : Failure.SITE, e.ok() ? c.executable() + " found at " + e.stdout().strip()
                            : c.executable() + " not found on the login node after the profile's environment lines"));
                }
            } catch (RemoteException e) {
                out.add(new Check("remote", Failure.UNREACHABLE, e.getMessage()));
            }
        }
        return out;
    }
}
