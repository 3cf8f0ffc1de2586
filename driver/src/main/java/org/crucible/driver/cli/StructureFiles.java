package org.crucible.driver.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.crucible.core.Structure;
import org.crucible.core.io.FormatException;
import org.crucible.core.io.StructureFormats;
import org.crucible.core.io.StructureFormats.Format;
import org.crucible.core.io.StructureReader;

/**
 * How the CLI commands read structure files, so that every command reports bad input the same way (exit 2): a
 * missing file as {@code PATH: no such file}, a name that tells no format with the names known, and a malformed
 * frame with the reader's own message (file, line, field; see {@link FormatException}).
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

    /** The path itself, or bad input when it is not a regular file. */
    static Path requireFile(Path path) {
        if (!Files.isRegularFile(path)) throw new BadInputException(path + ": no such file");
        return path;
    }

    /** The format named by the file name (extended XYZ, POSCAR/CONTCAR, CIF), or bad input listing the known names. */
    static Format formatOf(Path path) {
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
        try {
            frames = StructureFormats.read(path, format);
        } catch (FormatException | IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        if (frames.isEmpty()) throw new BadInputException(path + ": no structures");
        return frames;
    }
}
