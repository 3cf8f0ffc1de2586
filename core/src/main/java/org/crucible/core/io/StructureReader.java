package org.crucible.core.io;

import java.io.Closeable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.crucible.core.Structure;

/**
 * A stream of structures read one frame at a time from a file, so that a trajectory of any length is read in
 * constant memory. {@link #next()} throws {@link FormatException} (file, line, problem) for a malformed frame
 * and {@link java.io.UncheckedIOException} when the file cannot be read. Close it (try-with-resources).
 *
 * <pre>{@code
 * try (StructureReader frames = ExtendedXyz.open(path)) {
 *     while (frames.hasNext()) process(frames.next());
 * }
 * }</pre>
 */
public interface StructureReader extends Iterator<Structure>, Closeable {
    /** Closes the underlying file; never throws a checked exception. */
    @Override
    void close();

    /** Reads every remaining frame into a list (and closes). */
    default List<Structure> readAll() {
        try (this) {
            List<Structure> out = new ArrayList<>();
            while (hasNext()) out.add(next());
            return out;
        }
    }
}
