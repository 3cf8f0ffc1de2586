package org.crucible.dft.hpc;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@link RemoteShell} on this machine ({@code /bin/sh -c}), for running Crucible on a cluster's login node or
 * against a scheduler installed locally. Same contract as {@link SshShell}: quoted commands, atomic and
 * checksummed file writes.
 */
public final class LocalShell implements RemoteShell {
    @Override
    public CommandResult run(String commandLine, Duration timeout) throws RemoteException {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("crucible-sh-", ".out");
            err = Files.createTempFile("crucible-sh-", ".err");
            Process p = new ProcessBuilder("/bin/sh", "-c", commandLine)
                    .redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new RemoteException("command timed out after " + timeout + ": " + commandLine);
            }
            return new CommandResult(commandLine, p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            if (e instanceof RemoteException re) throw re;
            throw new RemoteException("cannot run local command `" + commandLine + "`: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteException("interrupted while running `" + commandLine + "`", e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    @Override
    public void put(Map<String, byte[]> files) throws RemoteException {
        files.keySet().forEach(SshShell::checkTransferPath);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path target = Path.of(f.getKey());
            try {
                Files.createDirectories(target.toAbsolutePath().getParent());
                Path tmp = target.resolveSibling(target.getFileName() + ".part");
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    ch.write(java.nio.ByteBuffer.wrap(f.getValue()));
                    ch.force(true);
                }
                String want = Checksums.sha256(f.getValue());
                String got = Checksums.sha256(Files.readAllBytes(tmp));
                if (!want.equals(got)) {
                    throw new RemoteException("checksum mismatch writing " + target + ": " + got + " != " + want);
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                if (e instanceof RemoteException re) throw re;
                throw new RemoteException("cannot write " + target + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public Map<String, byte[]> get(List<String> paths) throws RemoteException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String p : paths) {
            try {
                out.put(p, Files.readAllBytes(Path.of(p)));
            } catch (IOException e) {
                throw new RemoteException("cannot read " + p + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    @Override
    public Map<String, byte[]> getIfPresent(List<String> paths) throws RemoteException {
        List<String> present = paths.stream().filter(p -> Files.isRegularFile(Path.of(p))).toList();
        return get(present);
    }

    @Override
    public String describe() {
        return "local shell";
    }

    @Override
    public void close() {
        // nothing held open
    }

    private static void deleteQuietly(Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a leftover temp file in /tmp is harmless; the command's result is what matters
            System.getLogger(LocalShell.class.getName()).log(System.Logger.Level.DEBUG, "cannot delete " + p, e);
        }
    }
}
