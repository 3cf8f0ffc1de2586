package org.crucible.dft.hpc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

/**
 * What a task farm keeps on the local disk: {@code state.json} (the {@link FarmState}, replaced atomically and durably
 * at every change, so a killed driver resumes from the last decision it made) and {@code events.log} (one line per
 * decision, appended and forced to disk: the farm's audit trail of submissions, failures and their classification).
 */
final class FarmJournal {
    private final Path dir;
    private final String campaign;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    FarmJournal(Path dir, String campaign, Clock clock) {
        this.dir = dir;
        this.campaign = campaign;
        this.clock = clock;
    }

    /** The recorded state, or null when this directory has none yet. */
    FarmState read() throws IOException {
        Path file = dir.resolve("state.json");
        return Files.exists(file) ? json.readValue(file.toFile(), FarmState.class) : null;
    }

    void save(FarmState state) {
        try {
            writeAtomically(dir.resolve("state.json"), json.writeValueAsBytes(state));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve("state.json"), e);
        }
    }

    /**
     * Appends {@code <instant> <campaign> <message>} to events.log and forces it to disk (and, the first time, the
     * directory entry of the new file), so the line survives a power loss that the decision it records survives.
     */
    void event(String message) {
        String line = clock.instant() + " " + campaign + " " + message.replace('\n', ' ') + "\n";
        Path log = dir.resolve("events.log");
        boolean created = !Files.exists(log);
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
            ch.force(false);
            if (created) fsyncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + dir.resolve("events.log"), e);
        }
    }

    /** Write to a temporary sibling, force it to disk, then rename over the target: readers see old or new. */
    static void writeAtomically(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) ch.write(buf);
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        // The rename is durable only once the directory is: a power loss must not bring back the old state.json.
        fsyncDirectory(target.toAbsolutePath().getParent());
    }

    /**
     * Creates {@code dir} and its missing parents like {@link Files#createDirectories}, and forces the parent of each
     * directory it creates to disk. A file written into a new directory and fsynced is lost in a power loss all the
     * same when the directory's own entry never reached the disk: the farm records a task's inputs and a task's
     * fetched outputs in new directories before {@code state.json} says they exist, and that order must hold on disk.
     */
    static void createDirectoriesDurably(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (Files.isDirectory(abs)) return;
        Path parent = abs.getParent();
        if (parent != null) createDirectoriesDurably(parent);
        try {
            Files.createDirectory(abs);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!Files.isDirectory(abs)) throw e;
            return;
        }
        if (parent != null) fsyncDirectory(parent);
    }

    /**
     * As {@link #createDirectoriesDurably(Path)} for {@code dir} below {@code root}, and for a directory that already
     * exists: every directory on the way from {@code root} (exclusive) to {@code dir} that a process left behind has its
     * parent forced to disk again, top down. A farm process killed between its {@code mkdir} and the fsync of the parent
     * leaves a directory whose entry a power loss can still take back; the process that reuses it (the next harvest of
     * the task into its {@code out/}, the next recording of its {@code inputs/}) and then names it in {@code state.json}
     * must make it durable first, because it cannot tell such a leftover from a durable directory.
     *
     * @param root an existing directory whose own entry is durable (the task's directory for {@code out/}, the farm's
     *             state directory for a task's {@code inputs/})
     */
    static void createDirectoriesDurably(Path dir, Path root) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        Path top = root.toAbsolutePath().normalize();
        if (!abs.startsWith(top) || abs.equals(top)) throw new IllegalArgumentException(dir + " is not below " + root);
        java.util.ArrayDeque<Path> chain = new java.util.ArrayDeque<>();
        for (Path d = abs; !d.equals(top); d = d.getParent()) chain.push(d);
        for (Path d : chain) {
            if (Files.isDirectory(d)) fsyncDirectory(d.getParent()); // reused: its entry may never have reached the disk
            else createDirectoriesDurably(d);
        }
    }

    /** Forces a directory's entries (names created, renamed or removed in it) to disk. */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
