package org.crucible.dft.hpc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The remote-side commands of a verified file transfer, shared by the transports ({@link SshShell} over SFTP,
 * {@link OpenSshShell} over {@code ssh ... cat}): files are written as {@code PATH.part}, then one command checks
 * every staged file's SHA-256 against the local one and only then renames them all into place; downloads are
 * preceded by one {@code sha256sum} of the wanted files and compared after arrival.
 */
final class StagedTransfer {
    private StagedTransfer() {
    }

    /** How a transport writes bytes to remote paths (here always the staged {@code .part} names). */
    @FunctionalInterface
    interface Upload {
        void write(Map<String, byte[]> stagedFiles) throws RemoteException;
    }

    /** How a transport reads remote files whose checksums are already known to exist. */
    @FunctionalInterface
    interface Download {
        Map<String, byte[]> read(List<String> paths) throws RemoteException;
    }

    /**
     * The whole verified upload: creates the parent directories, writes every file under its staged name with
     * {@code upload}, then {@link #commit} renames them into place once their checksums match.
     */
    static void put(RemoteShell shell, Map<String, byte[]> files, Upload upload) throws RemoteException {
        if (files.isEmpty()) return;
        shell.exec(mkdirParents(files.keySet())).orThrow();
        Map<String, byte[]> staged = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) staged.put(staged(f.getKey()), f.getValue());
        upload.write(staged);
        commit(shell, files);
    }

    /** Runs {@link #verifyAndRename}; a mismatch or missing staged file is an error naming the host and output. */
    static void commit(RemoteShell shell, Map<String, byte[]> files) throws RemoteException {
        CommandResult r = shell.run(verifyAndRename(files), RemoteShell.DEFAULT_TIMEOUT);
        if (!r.ok()) {
            throw new RemoteException("checksum verification of staged files failed on " + shell.describe() + ": "
                    + r.describe() + " " + r.stdout().strip());
        }
    }

    /**
     * The remote SHA-256 of each wanted file (path to hex digest), from one {@link #checksums} command; with
     * {@code onlyPresent} the files that do not exist are absent.
     */
    static Map<String, String> expectedChecksums(RemoteShell shell, List<String> paths, boolean onlyPresent) throws RemoteException {
        CommandResult sums = shell.run(checksums(paths, onlyPresent), RemoteShell.DEFAULT_TIMEOUT);
        if (!sums.ok()) throw new RemoteException("cannot read remote files on " + shell.describe() + ": " + sums.describe());
        return Checksums.parseSha256sum(sums.stdout());
    }

    /**
     * The whole verified download: {@link #expectedChecksums}, then {@code download} of the files that have one (in
     * the order of {@code paths}, without repeats), then {@link #verifyDownloaded}.
     */
    static Map<String, byte[]> fetch(RemoteShell shell, List<String> paths, boolean onlyPresent, Download download) throws RemoteException {
        if (paths.isEmpty()) return Map.of();
        Map<String, String> expected = expectedChecksums(shell, paths, onlyPresent);
        List<String> wanted = paths.stream().filter(expected::containsKey).distinct().toList();
        if (wanted.isEmpty()) return Map.of();
        Map<String, byte[]> out = download.read(wanted);
        verifyDownloaded(out, expected, shell.describe());
        return out;
    }

    /** The name a file is written under before its checksum is verified. */
    static String staged(String path) {
        return path + ".part";
    }

    /** {@code mkdir -p -- PARENT...} for every parent directory of {@code paths} (absolute, checked). */
    static List<String> mkdirParents(Collection<String> paths) {
        TreeSet<String> parents = new TreeSet<>();
        for (String p : paths) {
            SshShell.checkTransferPath(p);
            parents.add(p.substring(0, p.lastIndexOf('/') > 0 ? p.lastIndexOf('/') : 1));
        }
        List<String> mkdir = new ArrayList<>(List.of("mkdir", "-p", "--"));
        mkdir.addAll(parents);
        return mkdir;
    }

    /** One command: verify every staged file against the local SHA-256, then rename each into place. */
    static String verifyAndRename(Map<String, byte[]> files) {
        List<String> printf = new ArrayList<>(List.of("printf", "%s  %s\\n"));
        StringBuilder moves = new StringBuilder();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            printf.add(Checksums.sha256(f.getValue()));
            printf.add(staged(f.getKey()));
            moves.append(" && ").append(ShellQuote.join("mv", "-f", "--", staged(f.getKey()), f.getKey()));
        }
        return ShellQuote.join(printf) + " | sha256sum -c --quiet -" + moves;
    }

    /**
     * One command printing {@code sha256sum} lines of the wanted files: all of them ({@code onlyPresent} false, a
     * missing file makes it fail naming the file), or only the regular files among them that exist.
     */
    static String checksums(List<String> paths, boolean onlyPresent) {
        for (String p : paths) SshShell.checkTransferPath(p);
        if (!onlyPresent) {
            List<String> argv = new ArrayList<>(List.of("sha256sum", "--"));
            argv.addAll(paths);
            return ShellQuote.join(argv);
        }
        StringBuilder cmd = new StringBuilder("for f in");
        for (String p : paths) cmd.append(' ').append(ShellQuote.quote(p));
        return cmd.append("; do [ -f \"$f\" ] && sha256sum -- \"$f\"; done; exit 0").toString();
    }

    /** Compares downloaded contents with the remote checksums; a difference is an error naming the file. */
    static void verifyDownloaded(Map<String, byte[]> received, Map<String, String> expected, String where) throws RemoteException {
        for (Map.Entry<String, byte[]> e : received.entrySet()) {
            String want = expected.get(e.getKey());
            String got = Checksums.sha256(e.getValue());
            if (!got.equals(want)) {
                throw new RemoteException("checksum mismatch downloading " + e.getKey() + " from " + where
                        + ": remote " + want + ", received " + got);
            }
        }
    }
}
