package org.crucible.dft.hpc;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.AgentProxyException;
import com.jcraft.jsch.ChannelDirectTCPIP;
import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Proxy;
import com.jcraft.jsch.SSHAgentConnector;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;
import com.jcraft.jsch.SocketFactory;
import com.jcraft.jsch.UnixDomainSocketFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * {@link RemoteShell} over one reused SSH session (JSch, the maintained {@code com.github.mwiede} fork).
 *
 * <ul>
 *   <li>Host keys: checked against {@link SshTarget#knownHosts()} with strict checking; an unknown or changed
 *       key is a {@link HostKeyException} whose message says how to add the key, and is never retried. The same
 *       holds for every jump host of {@link SshTarget#jumps()} (ProxyJump), each against its own known_hosts.</li>
 *   <li>Authentication: public key only (file, optionally encrypted with a passphrase taken from the
 *       environment variable named in the target; or ssh-agent).</li>
 *   <li>Liveness: keepalive every {@link SshTarget#keepalive()}; a dead session is replaced on the next call,
 *       with exponential backoff between attempts ({@link SshTarget#reconnect()}), using the injected
 *       {@link Sleeper}.</li>
 *   <li>A command in flight when the connection drops raises {@link ConnectionLostException} and is not
 *       retried here: only the caller knows whether repeating it is safe.</li>
 *   <li>At most {@link SshTarget#maxChannels()} channels are open at once (sshd refuses more than its
 *       {@code MaxSessions}).</li>
 * </ul>
 * Thread-safe. The passphrase is read at connection time and never stored in a field, logged or put in a message.
 */
public final class SshShell implements RemoteShell {
    private static final System.Logger LOG = System.getLogger(SshShell.class.getName());

    private final SshTarget target;
    private final Sleeper sleeper;
    private final UnaryOperator<String> environment;
    private final Semaphore channels;
    private final AtomicInteger connections = new AtomicInteger();
    private Session session; // guarded by this
    private List<Session> jumpSessions = List.of(); // guarded by this

    /**
     * @param environment looks up environment variables (the passphrase); {@code System::getenv} in production
     */
    public SshShell(SshTarget target, Sleeper sleeper, UnaryOperator<String> environment) {
        this.target = Objects.requireNonNull(target, "target");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.environment = Objects.requireNonNull(environment, "environment");
        this.channels = new Semaphore(target.maxChannels(), true);
    }

    public SshShell(SshTarget target) {
        this(target, Sleeper.SYSTEM, System::getenv);
    }

    /** Opens the session now (otherwise the first command does), so configuration errors surface early. */
    public SshShell connect() throws RemoteException {
        session();
        return this;
    }

    /** How many SSH sessions were established so far (1 unless the connection was lost and re-made). */
    public int connectionCount() {
        return connections.get();
    }

    @Override
    public String describe() {
        return target.describe();
    }

    @Override
    public CommandResult run(String commandLine, Duration timeout) throws RemoteException {
        acquire();
        ChannelExec ch = null;
        try {
            Session s = session();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            InputStream outIn;
            InputStream errIn;
            try {
                ch = (ChannelExec) s.openChannel("exec");
                ch.setCommand(commandLine);
                ch.setInputStream(null);
                outIn = ch.getInputStream();
                errIn = ch.getErrStream();
                ch.connect((int) target.connectTimeout().toMillis());
            } catch (JSchException | IOException e) {
                invalidate(s);
                throw new ConnectionLostException("cannot start `" + commandLine + "` on " + describe() + ": "
                        + e.getMessage(), e);
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            byte[] buf = new byte[32768];
            while (true) {
                boolean read = drain(outIn, out, buf) | drain(errIn, err, buf);
                if (ch.isClosed() && outIn.available() == 0 && errIn.available() == 0) break;
                if (!s.isConnected()) {
                    invalidate(s);
                    throw new ConnectionLostException("connection to " + describe() + " lost while running `"
                            + commandLine + "`", null);
                }
                if (System.nanoTime() > deadline) {
                    throw new RemoteException("`" + commandLine + "` on " + describe() + " timed out after " + timeout);
                }
                if (!read) Thread.sleep(2);
            }
            int status = ch.getExitStatus();
            if (status < 0) {
                invalidate(s);
                throw new ConnectionLostException("connection to " + describe() + " closed before `" + commandLine
                        + "` reported its exit status", null);
            }
            return new CommandResult(commandLine, status, out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            if (e instanceof RemoteException re) throw re;
            throw new ConnectionLostException("I/O error running `" + commandLine + "` on " + describe() + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteException("interrupted while running `" + commandLine + "` on " + describe(), e);
        } finally {
            if (ch != null) ch.disconnect();
            channels.release();
        }
    }

    @Override
    public void put(Map<String, byte[]> files) throws RemoteException {
        StagedTransfer.put(this, files, staged -> withSftp(sftp -> {
            for (Map.Entry<String, byte[]> f : staged.entrySet()) {
                sftp.put(new ByteArrayInputStream(f.getValue()), sftpPath(f.getKey()), ChannelSftp.OVERWRITE);
            }
            return null;
        }));
    }

    @Override
    public Map<String, byte[]> get(List<String> paths) throws RemoteException {
        return StagedTransfer.fetch(this, paths, false, this::download);
    }

    @Override
    public Map<String, byte[]> getIfPresent(List<String> paths) throws RemoteException {
        return StagedTransfer.fetch(this, paths, true, this::download);
    }

    /** All files over one SFTP channel. */
    private Map<String, byte[]> download(List<String> paths) throws RemoteException {
        return withSftp(sftp -> {
            Map<String, byte[]> m = new LinkedHashMap<>();
            for (String p : paths) {
                try (InputStream in = sftp.get(sftpPath(p))) {
                    m.put(p, in.readAllBytes());
                } catch (IOException e) {
                    throw new SftpException(ChannelSftp.SSH_FX_FAILURE, "reading " + p + ": " + e.getMessage(), e);
                }
            }
            return m;
        });
    }

    @Override
    public synchronized void close() {
        if (session != null) session.disconnect();
        session = null;
        closeJumps();
    }

    private synchronized void closeJumps() {
        for (int i = jumpSessions.size() - 1; i >= 0; i--) jumpSessions.get(i).disconnect();
        jumpSessions = List.of();
    }

    // ---- internals -------------------------------------------------------------------------------------

    private interface SftpWork<T> {
        T apply(ChannelSftp sftp) throws SftpException;
    }

    private <T> T withSftp(SftpWork<T> work) throws RemoteException {
        acquire();
        ChannelSftp sftp = null;
        Session s = session();
        try {
            sftp = (ChannelSftp) s.openChannel("sftp");
            sftp.connect((int) target.connectTimeout().toMillis());
            return work.apply(sftp);
        } catch (JSchException e) {
            invalidate(s);
            throw new ConnectionLostException("SFTP to " + describe() + " failed: " + e.getMessage(), e);
        } catch (SftpException e) {
            if (!s.isConnected()) invalidate(s);
            throw new RemoteException("SFTP on " + describe() + " failed: " + e.getMessage(), e);
        } finally {
            if (sftp != null) sftp.disconnect();
            channels.release();
        }
    }

    /** JSch expands {@code *} and {@code ?} in SFTP paths; escape them so a path means only itself. */
    private static String sftpPath(String p) {
        return p.replace("*", "\\*").replace("?", "\\?");
    }

    static void checkTransferPath(String p) {
        if (!p.startsWith("/")) throw new IllegalArgumentException("remote path must be absolute: " + p);
        if (p.indexOf('\n') >= 0 || p.indexOf('\\') >= 0 || p.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("remote path contains a newline, backslash or NUL: " + p.replace("\n", "\\n"));
        }
    }

    private void acquire() throws RemoteException {
        try {
            channels.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteException("interrupted while waiting for a free SSH channel to " + describe(), e);
        }
    }

    private static boolean drain(InputStream in, ByteArrayOutputStream out, byte[] buf) throws IOException {
        boolean any = false;
        int n;
        while (in.available() > 0 && (n = in.read(buf, 0, Math.min(buf.length, in.available()))) > 0) {
            out.write(buf, 0, n);
            any = true;
        }
        return any;
    }

    private synchronized void invalidate(Session s) {
        if (session == s && session != null) {
            session.disconnect();
            session = null;
            closeJumps();
        }
    }

    private synchronized Session session() throws RemoteException {
        if (session != null && session.isConnected()) return session;
        session = null;
        closeJumps();
        Backoff backoff = target.reconnect();
        RemoteException last = null;
        for (int attempt = 0; attempt < backoff.maxAttempts(); attempt++) {
            if (attempt > 0) {
                Duration d = backoff.delay(attempt - 1);
                LOG.log(System.Logger.Level.WARNING, "SSH to {0} failed ({1}); retrying in {2}", describe(),
                        last.getMessage(), d);
                try {
                    sleeper.sleep(d);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RemoteException("interrupted while reconnecting to " + describe(), e);
                }
            }
            try {
                session = open();
                connections.incrementAndGet();
                return session;
            } catch (HostKeyException | SshAuthException e) {
                throw e; // configuration problems: retrying cannot help
            } catch (RemoteException e) {
                last = e;
            }
        }
        throw new RemoteException("cannot connect to " + describe() + " after " + backoff.maxAttempts()
                + " attempts: " + last.getMessage(), last);
    }

    /**
     * Connects to every jump host in turn, each through a {@code direct-tcpip} channel of the one before, then to the
     * target through the last; on failure the hops opened so far are closed again.
     */
    private Session open() throws RemoteException {
        List<Session> hops = new ArrayList<>();
        try {
            Proxy via = null;
            for (SshTarget jump : target.jumps()) {
                Session j = openHop(jump, via, "jump host ");
                hops.add(j);
                via = new JumpProxy(j);
            }
            Session s = openHop(target, via, target.jumps().isEmpty() ? "" : "login node ");
            synchronized (this) {
                jumpSessions = List.copyOf(hops);
            }
            return s;
        } catch (RemoteException | RuntimeException e) {
            hops.forEach(Session::disconnect);
            throw e;
        }
    }

    private Session openHop(SshTarget hop, Proxy via, String role) throws RemoteException {
        if (!Files.isReadable(hop.knownHosts())) {
            throw new HostKeyException("known_hosts file " + hop.knownHosts() + " of " + role + hop.host() + ":" + hop.port()
                    + " does not exist or is unreadable; host keys are always verified. " + howToAdd(hop), null);
        }
        JSch jsch = new JSch();
        try {
            jsch.setKnownHosts(hop.knownHosts().toString());
            if (hop.identityFile() != null) {
                if (!Files.isReadable(hop.identityFile())) {
                    throw new SshAuthException("identity file " + hop.identityFile() + " does not exist or is unreadable", null);
                }
                String pass = hop.passphraseEnv() == null ? null : environment.apply(hop.passphraseEnv());
                if (hop.passphraseEnv() != null && pass == null) {
                    throw new SshAuthException("environment variable " + hop.passphraseEnv()
                            + " (passphrase of " + hop.identityFile() + ") is not set", null);
                }
                jsch.addIdentity(hop.identityFile().toString(),
                        pass == null ? null : pass.getBytes(StandardCharsets.UTF_8));
            } else {
                String sock = environment.apply("SSH_AUTH_SOCK");
                if (sock == null || sock.isBlank()) {
                    throw new SshAuthException("use_agent is set but SSH_AUTH_SOCK is not: start ssh-agent and ssh-add the key", null);
                }
                jsch.setIdentityRepository(new AgentIdentityRepository(
                        new SSHAgentConnector(new UnixDomainSocketFactory(), java.nio.file.Path.of(sock))));
            }
            Session s = jsch.getSession(hop.user(), hop.host(), hop.port());
            s.setConfig("StrictHostKeyChecking", "yes");
            s.setConfig("PreferredAuthentications", "publickey");
            s.setServerAliveInterval((int) target.keepalive().toMillis());
            s.setServerAliveCountMax(3);
            if (via != null) s.setProxy(via);
            s.connect((int) target.connectTimeout().toMillis());
            return s;
        } catch (AgentProxyException e) {
            throw new SshAuthException("no usable ssh-agent for " + role + hop.describe() + " (is SSH_AUTH_SOCK set?): "
                    + e.getMessage(), e);
        } catch (JSchException e) {
            String m = String.valueOf(e.getMessage());
            if (m.startsWith("UnknownHostKey") || m.startsWith("reject HostKey")) {
                throw new HostKeyException("host key of " + role + hop.host() + ":" + hop.port() + " is not in "
                        + hop.knownHosts() + "; refusing to connect (" + m + "). " + howToAdd(hop), e);
            }
            if (m.startsWith("HostKey has been changed")) {
                throw new HostKeyException("host key of " + role + hop.host() + ":" + hop.port()
                        + " differs from the one in " + hop.knownHosts()
                        + "; refusing to connect: this is either a reinstalled server or an attack. Ask the site's "
                        + "admins for the new fingerprint before replacing the entry (" + m + ")", e);
            }
            if (m.contains("invalid privatekey") || m.contains("USERAUTH fail") || m.startsWith("Auth fail")
                    || m.startsWith("Auth cancel")) {
                throw new SshAuthException("public-key authentication as " + role + hop.describe() + " with "
                        + (hop.identityFile() == null ? "the ssh-agent's keys" : hop.identityFile())
                        + " failed (wrong passphrase, key not in authorized_keys, or an encrypted key without "
                        + "passphrase_env): " + m, e);
            }
            throw new RemoteException("SSH connection to " + role + hop.describe() + " failed: " + m, e);
        }
    }

    private static String howToAdd(SshTarget hop) {
        String portOpt = hop.port() == 22 ? "" : "-p " + hop.port() + " ";
        return "After checking the fingerprint with the site's admins, add it with: ssh-keyscan " + portOpt
                + hop.host() + " >> " + hop.knownHosts();
    }

    /** A JSch {@link Proxy} that carries a session inside a {@code direct-tcpip} channel of an open session. */
    private static final class JumpProxy implements Proxy {
        private final Session via;
        private ChannelDirectTCPIP channel;
        private InputStream in;
        private java.io.OutputStream out;

        JumpProxy(Session via) {
            this.via = via;
        }

        @Override
        public void connect(SocketFactory factory, String host, int port, int timeout) throws Exception {
            channel = (ChannelDirectTCPIP) via.openChannel("direct-tcpip");
            channel.setHost(host);
            channel.setPort(port);
            in = channel.getInputStream();
            out = channel.getOutputStream();
            channel.connect(timeout);
        }

        @Override
        public InputStream getInputStream() {
            return in;
        }

        @Override
        public java.io.OutputStream getOutputStream() {
            return out;
        }

        @Override
        public java.net.Socket getSocket() {
            return null;
        }

        @Override
        public void close() {
            if (channel != null) channel.disconnect();
        }
    }
}
