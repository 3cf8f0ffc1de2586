package org.crucible.dft.hpc;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link RemoteShell} through the system OpenSSH client ({@code transport: openssh}), for sites whose login asks for
 * a second factor: the user logs in once ({@link #loginCommand()}, interactively), OpenSSH keeps that connection as a
 * ControlMaster socket for {@link OpenSshTarget#controlPersist()}, and every command Crucible runs is multiplexed over
 * it without a prompt. Without a master, the first command (key authentication, no prompt) becomes one.
 *
 * <ul>
 *   <li>Every invocation: {@code BatchMode=yes} (never prompt; fail instead), {@code StrictHostKeyChecking=yes} with
 *       {@link OpenSshTarget#knownHosts()} as the only known_hosts file (never accept-new), {@code ControlMaster=auto},
 *       {@code ControlPath=<controlDir>/%C}. Options on the command line win over the OpenSSH config file.</li>
 *   <li>The remote command is one argument after {@code --} and the destination; build it with {@link ShellQuote}
 *       (or {@link #exec(List)}), as for {@link SshShell}.</li>
 *   <li>Uploads: {@code ssh ... 'cat > PATH.part'} with the content on stdin, then the checksum-and-rename command of
 *       {@link StagedTransfer}; downloads: {@code sha256sum}, then {@code cat} of each file, compared.</li>
 *   <li>Exit status 255 with OpenSSH's own diagnostics is classified: unknown or changed host key
 *       ({@link HostKeyException}), no authentication without a prompt ({@link SshAuthException}, naming the login
 *       command), cannot connect ({@link RemoteException}), connection lost ({@link ConnectionLostException}).</li>
 *   <li>The control directory must be owned by the user and mode 0700 (anyone who can open the socket uses the
 *       login); it is created so, and refused otherwise.</li>
 * </ul>
 * Thread-safe: each call is its own {@code ssh} process, at most {@link OpenSshTarget#maxSessions()} at once. {@link #close()} leaves the master running (that is its
 * purpose); {@link #stopMaster()} ends it.
 *
 * <p>Example: {@code try (RemoteShell sh = new OpenSshShell(target)) { sh.exec(List.of("squeue", "--me")); }}
 */
public final class OpenSshShell implements RemoteShell {
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");
    private static final Pattern UNKNOWN_KEY = Pattern.compile("host key is known for (\\S+) and");
    private static final Pattern CHANGED_KEY = Pattern.compile("Host key for (\\S+) has changed");
    private static final List<String> CANNOT_CONNECT = List.of("ssh: connect to host", "Could not resolve hostname",
            "Connection refused", "Connection timed out", "No route to host");
    private static final List<String> CONNECTION_LOST = List.of("Connection closed", "Connection reset", "closed by remote host",
            "kex_exchange_identification", "Broken pipe", "mux_client", "Control socket", "client_loop", "Timeout, server",
            "Connection to ");

    private final OpenSshTarget target;
    private final ProcessLauncher launcher;
    private final Semaphore sessions;
    private volatile boolean controlDirReady;

    /** @param launcher starts every {@code ssh} process ({@link ProcessLauncher#SYSTEM} in production) */
    public OpenSshShell(OpenSshTarget target, ProcessLauncher launcher) {
        this.target = Objects.requireNonNull(target, "target");
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.sessions = new Semaphore(target.maxSessions(), true);
    }

    public OpenSshShell(OpenSshTarget target) {
        this(target, ProcessLauncher.SYSTEM);
    }

    public OpenSshTarget target() {
        return target;
    }

    @Override
    public String describe() {
        return target.describe() + " (OpenSSH, control socket in " + target.controlDir() + ")";
    }

    @Override
    public CommandResult run(String commandLine, Duration timeout) throws RemoteException {
        Raw r = invoke(remote(commandLine), null, timeout, commandLine);
        return new CommandResult(commandLine, r.exit(), new String(r.stdout(), StandardCharsets.UTF_8), r.stderr());
    }

    @Override
    public void put(Map<String, byte[]> files) throws RemoteException {
        StagedTransfer.put(this, files, staged -> {
            for (Map.Entry<String, byte[]> f : staged.entrySet()) {
                String cmd = "cat > " + ShellQuote.quote(f.getKey());
                Raw r = invoke(remote(cmd), f.getValue(), DEFAULT_TIMEOUT, cmd);
                if (r.exit() != 0) {
                    throw new RemoteException("cannot upload " + f.getKey() + " to " + describe() + ": `" + cmd + "` exited with "
                            + r.exit() + ": " + r.stderr().strip());
                }
            }
        });
    }

    @Override
    public Map<String, byte[]> get(List<String> paths) throws RemoteException {
        return StagedTransfer.fetch(this, paths, false, this::download);
    }

    @Override
    public Map<String, byte[]> getIfPresent(List<String> paths) throws RemoteException {
        return StagedTransfer.fetch(this, paths, true, this::download);
    }

    /** One {@code cat} per file. */
    private Map<String, byte[]> download(List<String> paths) throws RemoteException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String p : paths) {
            String cmd = ShellQuote.join("cat", "--", p);
            Raw r = invoke(remote(cmd), null, DEFAULT_TIMEOUT, cmd);
            if (r.exit() != 0) {
                throw new RemoteException("cannot download " + p + " from " + describe() + ": exit " + r.exit() + ": " + r.stderr().strip());
            }
            out.put(p, r.stdout());
        }
        return out;
    }

    /** Whether a master connection is up for this target ({@code ssh -O check}). */
    public boolean masterRunning() throws RemoteException {
        return invoke(control("check"), null, Duration.ofSeconds(30), "ssh -O check", false).exit() == 0;
    }

    /** Ends the master connection if one is up ({@code ssh -O exit}); the next command then connects anew. */
    public void stopMaster() throws RemoteException {
        if (masterRunning()) invoke(control("exit"), null, Duration.ofSeconds(30), "ssh -O exit", false);
    }

    @Override
    public void close() {
        // the master outlives this object on purpose (ControlPersist): the user's login is reused by the next run
    }

    /**
     * The command a user runs once in a terminal to log in (password, second factor, ... as the site asks) and leave
     * the master connection in the background for {@link OpenSshTarget#controlPersist()}: the options of every
     * command without {@code BatchMode}, plus {@code -f -N}.
     */
    public List<String> loginCommand() {
        List<String> argv = options(false);
        argv.addAll(List.of("-f", "-N", "--", target.destination()));
        return argv;
    }

    /**
     * Runs {@link #loginCommand()} on this process's terminal (the user answers OpenSSH's prompts: password, second
     * factor, host key questions are not asked: keys are checked strictly) and waits for it; ssh goes to the
     * background once logged in.
     *
     * @return ssh's exit status (0: logged in, the master is up)
     */
    public int login(Duration timeout) throws RemoteException {
        prepareControlDir();
        try {
            Process p = launcher.start(new ProcessBuilder(loginCommand()).inheritIO());
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new RemoteException("login to " + target.describe() + " not completed within " + timeout);
            }
            return p.exitValue();
        } catch (IOException e) {
            if (e instanceof RemoteException re) throw re;
            throw new RemoteException("cannot run " + target.ssh() + " to log in to " + describe() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteException("interrupted while logging in to " + describe(), e);
        }
    }

    // ---- internals -------------------------------------------------------------------------------------

    private record Raw(int exit, byte[] stdout, String stderr) {
    }

    /** The options every invocation shares; first value wins in OpenSSH, so they override the config file. */
    private List<String> options(boolean batch) {
        List<String> a = new ArrayList<>(List.of(target.ssh()));
        if (target.configFile() != null) a.addAll(List.of("-F", target.configFile().toString()));
        if (batch) a.addAll(List.of("-o", "BatchMode=yes"));
        a.addAll(List.of("-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + target.knownHosts(),
                "-o", "GlobalKnownHostsFile=/dev/null", "-o", "UpdateHostKeys=no",
                "-o", "ControlMaster=auto", "-o", "ControlPath=" + target.controlDir() + "/%C",
                "-o", "ControlPersist=" + target.controlPersist().toSeconds(),
                "-o", "ConnectTimeout=" + target.connectTimeout().toSeconds(),
                "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=3", "-o", "LogLevel=ERROR"));
        if (target.identityFile() != null) a.addAll(List.of("-i", target.identityFile().toString(), "-o", "IdentitiesOnly=yes"));
        if (target.port() != null) a.addAll(List.of("-p", target.port().toString()));
        if (target.user() != null) a.addAll(List.of("-l", target.user()));
        return a;
    }

    private List<String> remote(String commandLine) {
        List<String> argv = options(true);
        argv.addAll(List.of("--", target.destination(), commandLine));
        return argv;
    }

    private List<String> control(String op) {
        List<String> argv = options(true);
        argv.addAll(List.of("-O", op, "--", target.destination()));
        return argv;
    }

    private Raw invoke(List<String> argv, byte[] stdin, Duration timeout, String what) throws RemoteException {
        return invoke(argv, stdin, timeout, what, true);
    }

    /**
     * Runs one ssh process; stdout and stderr go to private temp files, so neither can block it.
     *
     * @param diagnose whether exit status 255 is examined for OpenSSH's own failures ({@code -O} control commands
     *     report "no master" that way, which is an answer, not a failure)
     */
    private Raw invoke(List<String> argv, byte[] stdin, Duration timeout, String what, boolean diagnose) throws RemoteException {
        prepareControlDir();
        Path out = null;
        Path err = null;
        Path in = null;
        int exit;
        try {
            out = Files.createTempFile("crucible-ssh-", ".out");
            err = Files.createTempFile("crucible-ssh-", ".err");
            ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (stdin == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            } else {
                in = Files.createTempFile("crucible-ssh-", ".in");
                Files.write(in, stdin);
                pb.redirectInput(ProcessBuilder.Redirect.from(in.toFile()));
            }
            sessions.acquire();
            try {
                Process p = launcher.start(pb);
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    // only this client: a master it forked serves other commands and ends by ControlPersist
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                    throw new RemoteException("`" + what + "` on " + describe() + " timed out after " + timeout);
                }
                exit = p.exitValue();
            } finally {
                sessions.release();
            }
            Raw r = new Raw(exit, Files.readAllBytes(out), Files.readString(err, StandardCharsets.UTF_8));
            if (diagnose && r.exit() == 255) classify(r.stderr(), what);
            return r;
        } catch (IOException e) {
            if (e instanceof RemoteException re) throw re;
            throw new RemoteException("cannot run " + target.ssh() + " for `" + what + "` on " + describe() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteException("interrupted while running `" + what + "` on " + describe(), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
            deleteQuietly(in);
        }
    }

    /**
     * Exit status 255 is OpenSSH's own failure (or, rarely, the remote command's status): its diagnostics say which.
     * A remote command that exits 255 without them is returned as a result.
     */
    private void classify(String stderr, String what) throws RemoteException {
        String diag = stderr.strip().replace('\n', ' ');
        if (diag.length() > 600) diag = diag.substring(diag.length() - 600);
        String kh = target.knownHosts().toString();
        if (stderr.contains("Host key verification failed")) {
            Matcher changed = CHANGED_KEY.matcher(stderr);
            if (changed.find()) {
                throw new HostKeyException("host key of " + changed.group(1) + " (ssh " + target.destination() + ") differs from the one in "
                        + kh + "; refusing to connect: this is either a reinstalled server or an attack. Ask the site's admins for "
                        + "the new fingerprint before replacing the entry (OpenSSH: " + diag + ")", null);
            }
            Matcher unknown = UNKNOWN_KEY.matcher(stderr);
            String host = unknown.find() ? unknown.group(1) : target.destination();
            throw new HostKeyException("host key of " + host + " (ssh " + target.destination() + ") is not in " + kh
                    + "; refusing to connect (OpenSSH: " + diag + "). After checking the fingerprint with the site's admins, add it with: "
                    + keyscan(host) + " >> " + kh, null);
        }
        if (stderr.contains("Permission denied (")) {
            throw new SshAuthException("OpenSSH cannot log in to " + target.describe() + " without a prompt (BatchMode): " + diag
                    + ". Log in once in a terminal (second factor included) with: " + ShellQuote.join(loginCommand())
                    + " ; Crucible then reuses that connection for " + target.controlPersist().toSeconds() + " s after its last command", null);
        }
        for (String s : CANNOT_CONNECT) {
            if (stderr.contains(s)) throw new RemoteException("cannot connect to " + target.describe() + ": " + diag);
        }
        for (String s : CONNECTION_LOST) {
            if (stderr.contains(s)) {
                throw new ConnectionLostException("connection to " + target.describe() + " lost while running `" + what + "`: " + diag, null);
            }
        }
    }

    /** {@code ssh-keyscan} for a known_hosts name: {@code host} or {@code [host]:port}. */
    private static String keyscan(String knownHostsName) {
        Matcher m = Pattern.compile("\\[(.+)]:(\\d+)").matcher(knownHostsName);
        return m.matches() ? "ssh-keyscan -p " + m.group(2) + " " + m.group(1) : "ssh-keyscan " + knownHostsName;
    }

    /** Creates the control directory 0700, or checks that an existing one is this user's and 0700. */
    private void prepareControlDir() throws RemoteException {
        if (controlDirReady) return;
        synchronized (this) {
            if (controlDirReady) return;
            Path dir = target.controlDir();
            try {
                if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(dir.getParent());
                    try {
                        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE));
                    } catch (java.nio.file.FileAlreadyExistsException raced) {
                        // another process created it meanwhile; checked below like any existing directory
                    }
                    Files.setPosixFilePermissions(dir, PRIVATE); // the umask may have removed bits, never added
                }
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    throw new RemoteException("control directory " + dir + " is not a directory (or is a symbolic link); "
                            + "remove it or set XDG_STATE_HOME elsewhere");
                }
                String owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName();
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
                if (!owner.equals(System.getProperty("user.name")) || !perms.equals(PRIVATE)) {
                    throw new RemoteException("control directory " + dir + " is owned by " + owner + " with mode "
                            + PosixFilePermissions.toString(perms) + "; it must be yours and rwx------ (whoever can open the "
                            + "socket uses your login): chmod 700 " + dir);
                }
            } catch (IOException e) {
                if (e instanceof RemoteException re) throw re;
                throw new RemoteException("cannot prepare the ssh control directory " + dir + ": " + e.getMessage(), e);
            }
            controlDirReady = true;
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a leftover private temp file is harmless; the command's result is what matters
            System.getLogger(OpenSshShell.class.getName()).log(System.Logger.Level.DEBUG, "cannot delete " + p, e);
        }
    }
}
