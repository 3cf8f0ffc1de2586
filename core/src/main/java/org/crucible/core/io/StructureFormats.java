package org.crucible.core.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.crucible.core.Structure;

/**
 * One entry point for the structure file formats, choosing the format from the file name or an explicit name.
 *
 * <table>
 *   <caption>Formats</caption>
 *   <tr><th>{@link Format}</th><th>names</th><th>file names</th><th>frames</th></tr>
 *   <tr><td>EXTXYZ</td><td>extxyz, xyz</td><td>*.extxyz, *.xyz</td><td>any number; labels and extra columns kept</td></tr>
 *   <tr><td>POSCAR</td><td>poscar, vasp, contcar</td><td>POSCAR*, CONTCAR*, *.vasp, *.poscar</td><td>exactly one</td></tr>
 *   <tr><td>CIF</td><td>cif</td><td>*.cif</td><td>one per data block</td></tr>
 * </table>
 *
 * <pre>{@code
 * List<Structure> frames = StructureFormats.read(Path.of("in.cif"));
 * StructureFormats.write(Path.of("out.extxyz"), frames);
 * }</pre>
 */
public final class StructureFormats {
    private static final Logger LOG = Logger.getLogger(StructureFormats.class.getName());

    private StructureFormats() {
    }

    /** The supported formats. */
    public enum Format {
        EXTXYZ, POSCAR, CIF;

        /** The format for a name given by a user (case-insensitive: extxyz, xyz, poscar, vasp, contcar, cif). */
        public static Optional<Format> byName(String name) {
            return Optional.ofNullable(switch (name.toLowerCase(Locale.ROOT)) {
                case "extxyz", "xyz" -> EXTXYZ;
                case "poscar", "vasp", "contcar" -> POSCAR;
                case "cif" -> CIF;
                default -> null;
            });
        }

        /** The format a file name implies, if any. */
        public static Optional<Format> byFileName(Path path) {
            Path fn = path.getFileName();
            if (fn == null) return Optional.empty();
            String name = fn.toString();
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".extxyz") || lower.endsWith(".xyz")) return Optional.of(EXTXYZ);
            if (lower.endsWith(".cif")) return Optional.of(CIF);
            if (lower.endsWith(".vasp") || lower.endsWith(".poscar") || name.startsWith("POSCAR") || name.startsWith("CONTCAR")) {
                return Optional.of(POSCAR);
            }
            return Optional.empty();
        }
    }

    /** The format of a path, or an IllegalArgumentException naming the file and the recognised names. */
    public static Format formatOf(Path path) {
        return Format.byFileName(path).orElseThrow(() -> new IllegalArgumentException("cannot tell the format of '" + path
                + "' from its name (known: .extxyz, .xyz, POSCAR*, CONTCAR*, .vasp, .poscar, .cif); name it explicitly"));
    }

    /** Reads every structure of a file, format from its name. */
    public static List<Structure> read(Path path) {
        return read(path, formatOf(path));
    }

    /** Reads every structure of a file in the given format; warnings go to java.util.logging. */
    public static List<Structure> read(Path path, Format format) {
        return read(path, format, w -> LOG.warning(w));
    }

    /** Reads every structure of a file in the given format, handing warnings to {@code warnings}. */
    public static List<Structure> read(Path path, Format format, Consumer<String> warnings) {
        return switch (format) {
            case EXTXYZ -> ExtendedXyz.read(path);
            case POSCAR -> List.of(Poscar.read(path, warnings));
            case CIF -> Cif.read(path);
        };
    }

    /** Streams the structures of a file (extended XYZ frame by frame; the other formats are small and read whole). */
    public static StructureReader open(Path path, Format format, Consumer<String> warnings) {
        if (format == Format.EXTXYZ) return ExtendedXyz.open(path);
        List<Structure> all = read(path, format, warnings);
        java.util.Iterator<Structure> it = all.iterator();
        return new StructureReader() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Structure next() {
                return it.next();
            }

            @Override
            public void close() {
                // nothing open: the file was read whole
            }
        };
    }

    /** Writes structures to a file, format from its name. */
    public static void write(Path path, List<Structure> structures) {
        write(path, formatOf(path), structures);
    }

    /**
     * Writes structures to a file in the given format.
     *
     * @throws IllegalArgumentException when the format cannot hold them (several frames or a molecule as POSCAR)
     */
    public static void write(Path path, Format format, List<Structure> structures) {
        switch (format) {
            case EXTXYZ -> ExtendedXyz.write(path, structures);
            case POSCAR -> {
                if (structures.size() != 1) {
                    throw new IllegalArgumentException("POSCAR holds exactly one structure, got " + structures.size() + " (select one frame)");
                }
                Poscar.write(path, structures.get(0));
            }
            case CIF -> Cif.write(path, structures);
        }
    }
}
