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

    /** Appends {@code <instant> <campaign> <message>} to events.log and forces it to disk. */
    void event(String message) {
        String line = clock.instant() + " " + campaign + " " + message.replace('\n', ' ') + "\n";
        try (FileChannel ch = FileChannel.open(dir.resolve("events.log"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
            ch.force(false);
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
        try (FileChannel dir = FileChannel.open(target.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
