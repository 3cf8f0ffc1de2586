package org.crucible.driver.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * Makes a commit survive a power loss, not only a killed process. A file's bytes reach the disk with {@code fsync}
 * of the file; a rename (or a create) reaches the disk with {@code fsync} of the directory that holds the name.
 * Hadoop's local filesystem does neither: {@code hsync()} on its checksummed stream is a flush, and it never syncs a
 * directory. So for {@code file://} this class syncs through {@link FileChannel#force(boolean)} (the data file and its
 * {@code .crc} sibling); on HDFS and other filesystems {@code hsync()} is the real thing and directories are the
 * namenode's business.
 *
 * <p>The commit protocol every caller follows: write to a temporary name, {@link #sync(FSDataOutputStream)}, close,
 * {@link #syncClosed(FileSystem, Path)}, rename into place, {@link #syncDirectory(FileSystem, Path)} of the target
 * directory (and of the source directory when it differs). {@link #writeAtomically} does all of it for a small local
 * file ({@code state.json}, {@code batch.json}).
 *
 * <pre>{@code
 * DurableFiles.writeAtomically(dir.resolve("state.json"), json.getBytes(UTF_8));
 * }</pre>
 */
public final class DurableFiles {
    private DurableFiles() {
    }

    /** {@code fsync} of a local file: its content and metadata are on the disk when this returns. */
    public static void fsync(java.nio.file.Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /**
     * {@code fsync} of a local directory, so the names created, renamed or deleted in it are on the disk. Linux and
     * macOS allow it; on a platform that refuses to open a directory (Windows) there is nothing to do.
     */
    public static void fsyncDirectory(java.nio.file.Path dir) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException e) {
            if (System.getProperty("os.name", "").startsWith("Windows")) return;
            throw e;
        }
        try (ch) {
            ch.force(true);
        }
    }

    /**
     * Writes {@code content} to {@code target} so that after any crash or power loss the file holds either its old
     * content or {@code content}, never a mix: temporary file in the same directory, fsync, atomic rename, fsync of
     * the directory.
     */
    public static void writeAtomically(java.nio.file.Path target, byte[] content) throws IOException {
        java.nio.file.Path dir = target.toAbsolutePath().getParent();
        java.nio.file.Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
        Files.write(tmp, content);
        fsync(tmp);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDirectory(dir);
    }

    /** The open stream's bytes to stable storage where the filesystem can (HDFS: {@code hsync}); see {@link #syncClosed}. */
    public static void sync(FSDataOutputStream out) throws IOException {
        out.hsync();
    }

    /** True when {@code fs} stores files on a local disk (where this class syncs through the JDK). */
    public static boolean isLocal(FileSystem fs) {
        return fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem;
    }

    /** The local file behind a path of a local filesystem. */
    static java.nio.file.Path localPath(FileSystem fs, Path p) {
        if (fs instanceof LocalFileSystem l) return l.pathToFile(p).toPath();
        if (fs instanceof RawLocalFileSystem r) return r.pathToFile(p).toPath();
        throw new IllegalArgumentException(fs.getUri() + " is not a local filesystem");
    }

    /** After a file of {@code fs} is closed: fsync it (and its checksum file) when it is local; a no-op elsewhere. */
    public static void syncClosed(FileSystem fs, Path file) throws IOException {
        if (!isLocal(fs)) return;
        fsync(localPath(fs, file));
        if (fs instanceof LocalFileSystem l) {
            java.nio.file.Path crc = localPath(fs, l.getChecksumFile(file));
            if (Files.exists(crc)) fsync(crc);
        }
    }

    /** After a create, rename or delete in {@code dir} of {@code fs}: fsync the directory when it is local. */
    public static void syncDirectory(FileSystem fs, Path dir) throws IOException {
        if (!isLocal(fs)) return;
        java.nio.file.Path d = localPath(fs, dir);
        if (Files.isDirectory(d)) fsyncDirectory(d);
    }
}
