package org.crucible.driver.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crucible.core.Structure;
import org.crucible.core.io.FormatException;
import org.crucible.core.io.StructureFormats;
import org.crucible.core.io.StructureFormats.Format;
import org.crucible.core.io.StructureReader;
import org.crucible.driver.pool.PoolException;
import org.crucible.driver.pool.PoolStructures;

/**
 * How the CLI commands read structure files, so that every command reports bad input the same way (exit 2): a
 * missing file as {@code PATH: no such file}, a name that tells no format with the names known, and a malformed
 * frame with the reader's own message (file, line, field; see {@link FormatException}). A directory or a Hadoop URI
 * ({@code hdfs://...}) is read as a saved pool (docs/pools.md), a bad pool file being bad input too.
 *
 * <pre>{@code
 * try (StructureReader in = StructureFiles.open(path, warnings::add)) {
 *     while (in.hasNext()) use(StructureFiles.next(in));
 * }
 * }</pre>
 */
final class StructureFiles {
    private StructureFiles() {
    }

    private static final Pattern URI = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]+):/+(.*)");

    /** The path itself, or bad input when it is neither a regular file nor a pool. */
    static Path requireFile(Path path) {
        if (poolUri(path).isEmpty() && !Files.isRegularFile(path)) throw new BadInputException(path + ": no such file");
        return path;
    }

    /**
     * The pool URI {@code path} names: a Hadoop URI given on the command line (a {@link Path} keeps one slash of
     * {@code hdfs://}, restored here) or a local directory; empty for anything else.
     */
    static Optional<String> poolUri(Path path) {
        Matcher m = URI.matcher(path.toString());
        if (m.matches()) return Optional.of(m.group(1) + (m.group(1).equals("file") ? ":///" : "://") + m.group(2));
        if (Files.isDirectory(path)) return Optional.of(path.toAbsolutePath().normalize().toUri().toString());
        return Optional.empty();
    }

    /** Streams a saved pool; a missing, incomplete or malformed pool is bad input naming the file and field. */
    static StructureReader openPool(String uri) {
        StructureReader in;
        try {
            in = PoolStructures.open(uri);
        } catch (PoolException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        return new StructureReader() {
            @Override
            public boolean hasNext() {
                try {
                    return in.hasNext();
                } catch (PoolException e) {
                    throw new BadInputException(e.getMessage(), e);
                }
            }

            @Override
            public Structure next() {
                try {
                    return in.next();
                } catch (PoolException e) {
                    throw new BadInputException(e.getMessage(), e);
                }
            }

            @Override
            public void close() {
                in.close();
            }
        };
    }

    /** The format named by the file name (extended XYZ, POSCAR/CONTCAR, CIF), or bad input listing the known names. */
    static Format formatOf(Path path) {
        if (poolUri(path).isPresent()) return Format.EXTXYZ; // a pool: the format is its own, this only satisfies callers
        try {
            return StructureFormats.formatOf(path);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    /** Streams an existing file in the format of its name; warnings of the reader go to {@code warnings}. */
    static StructureReader open(Path path, Consumer<String> warnings) {
        return open(path, formatOf(requireFile(path)), warnings);
    }

    /** Streams an existing file in a given format. */
    static StructureReader open(Path path, Format format, Consumer<String> warnings) {
        Optional<String> pool = poolUri(path);
        if (pool.isPresent()) return openPool(pool.get());
        requireFile(path);
        try {
            return StructureFormats.open(path, format, warnings);
        } catch (FormatException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    /** The next frame, a malformed one being bad input. */
    static Structure next(StructureReader in) {
        try {
            return in.next();
        } catch (FormatException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    /** Every frame of an existing file (format from its name); a file without frames is bad input. */
    static List<Structure> readAll(Path path) {
        Format format = formatOf(requireFile(path));
        List<Structure> frames;
        if (poolUri(path).isPresent()) {
            try (StructureReader in = open(path, format, w -> { })) {
                frames = in.readAll();
            }
            if (frames.isEmpty()) throw new BadInputException(path + ": no structures");
            return frames;
        }
        try {
            frames = StructureFormats.read(path, format);
        } catch (FormatException | IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        if (frames.isEmpty()) throw new BadInputException(path + ": no structures");
        return frames;
    }
}
