package org.crucible.driver.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.crucible.core.Structure;
import org.crucible.core.io.ExtendedXyz;
import org.crucible.core.io.FormatException;
import org.crucible.core.io.FrameSlice;
import org.crucible.core.io.StructureFormats;
import org.crucible.core.io.StructureFormats.Format;
import org.crucible.core.io.StructureReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code crucible convert IN OUT}: converts structure files between extended XYZ, POSCAR/CONTCAR and CIF.
 *
 * <p>Formats come from the file names ({@code .extxyz}/{@code .xyz}, {@code POSCAR*}/{@code CONTCAR*}/{@code .vasp}/
 * {@code .poscar}, {@code .cif}) or {@code --from}/{@code --to}. Every frame is converted unless {@code --frames}
 * selects some with a Python slice ({@code 0:10}, {@code -1}, {@code ::5}). The output is written to a temporary
 * file in the target directory and moved into place only when complete, so bad input (exit 2, the message naming
 * file, line and problem) never leaves a partial or clobbered output file.
 */
@Command(name = "convert", description = "Convert structure files between extended XYZ, POSCAR/CONTCAR and CIF (all frames, or --frames).",
        footer = {"", "Examples:", "  crucible convert examples/si8-diamond.extxyz /tmp/si8.cif",
            "  crucible convert traj.extxyz last.vasp --frames -1", "  crucible convert --from poscar --to extxyz CONTCAR.relax out.xyz"})
public final class ConvertCommand implements CliCommand, Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "input structure file, or a saved pool (directory or URI, docs/pools.md)")
    Path input;

    @Parameters(index = "1", paramLabel = "OUT", description = "output structure file (replaced atomically)")
    Path output;

    @Option(names = "--from", paramLabel = "FORMAT", description = "input format: extxyz, xyz, poscar, vasp, contcar, cif (default: from IN's name)")
    String from;

    @Option(names = "--to", paramLabel = "FORMAT", description = "output format (default: from OUT's name)")
    String to;

    @Option(names = "--frames", paramLabel = "SLICE", description = "Python-style frame selection: 0:10, -1, ::2 (default: all)")
    String frames;

    @Override
    public Integer call() {
        Format inFormat = format(from, input, "--from");
        Format outFormat = format(to, output, "--to");
        FrameSlice slice;
        try {
            slice = frames == null ? FrameSlice.ALL : FrameSlice.parse(frames);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--frames: " + e.getMessage());
        }
        StructureFiles.requireFile(input);
        List<String> warnings = new ArrayList<>();
        int written;
        try {
            if (outFormat == Format.EXTXYZ && slice.isAscending()) {
                // Extended XYZ out: frames go from reader to writer one at a time, in constant memory.
                written = writeAtomically(tmp -> streamExtxyz(tmp, inFormat, slice, warnings));
            } else {
                List<Structure> selected = select(inFormat, slice, warnings);
                requireSome(selected.size());
                written = writeAtomically(tmp -> {
                    StructureFormats.write(tmp, outFormat, selected);
                    return selected.size();
                });
            }
        } catch (FormatException e) {
            throw new BadInputException(e.getMessage(), e);
        } finally {
            for (String w : warnings) spec.commandLine().getErr().println("crucible convert: warning: " + w);
        }
        spec.commandLine().getOut().println("wrote " + written + " structure" + (written == 1 ? "" : "s") + " to " + output
                + " (" + outFormat.name().toLowerCase() + ")");
        return 0;
    }

    private void requireSome(int count) {
        if (count == 0) {
            throw new BadInputException(input + ": no frame selected" + (frames == null ? " (the file holds none)" : " by --frames " + frames));
        }
    }

    /** Copies the selected frames to an extended-XYZ file as they are read; returns how many. */
    private int streamExtxyz(Path tmp, Format inFormat, FrameSlice slice, List<String> warnings) throws IOException {
        int[] wanted = null;
        if (slice.needsCount()) {
            int count = 0;
            try (StructureReader r = StructureFiles.open(input, inFormat, warnings::add)) {
                while (r.hasNext()) {
                    r.next();
                    count++;
                }
            }
            warnings.clear(); // the second pass repeats them
            wanted = slice.indices(count);
            requireSome(wanted.length);
        }
        int written = 0;
        try (StructureReader r = StructureFiles.open(input, inFormat, warnings::add);
                java.io.Writer out = Files.newBufferedWriter(tmp, java.nio.charset.StandardCharsets.UTF_8)) {
            int next = 0;
            for (int i = 0; r.hasNext(); i++) {
                if (wanted == null ? slice.isPastEnd(i) : next >= wanted.length) break;
                Structure s = r.next();
                boolean take = wanted == null ? slice.selects(i) : wanted[next] == i;
                if (take) {
                    ExtendedXyz.write(out, s);
                    written++;
                    if (wanted != null) next++;
                }
            }
        }
        requireSome(written);
        return written;
    }

    private Format format(String name, Path path, String option) {
        if (name != null) {
            return Format.byName(name).orElseThrow(() -> new BadInputException(option + " '" + name
                    + "' is not a known format (extxyz, xyz, poscar, vasp, contcar, cif)"));
        }
        if (option.equals("--from") && StructureFiles.poolUri(path).isPresent()) return Format.EXTXYZ; // a pool reads as itself
        return Format.byFileName(path).orElseThrow(() -> new BadInputException("cannot tell the format of '" + path
                + "' from its name (.extxyz, .xyz, POSCAR*, CONTCAR*, .vasp, .poscar, .cif): give " + option));
    }

    /** Streams the input, keeping only the selected frames (a count pass first when the slice needs one). */
    private List<Structure> select(Format inFormat, FrameSlice slice, List<String> warnings) {
        List<Structure> out = new ArrayList<>();
        if (!slice.needsCount()) {
            try (StructureReader r = StructureFiles.open(input, inFormat, warnings::add)) {
                for (int i = 0; r.hasNext() && !slice.isPastEnd(i); i++) {
                    Structure s = r.next();
                    if (slice.selects(i)) out.add(s);
                }
            }
            return out;
        }
        int count = 0;
        try (StructureReader r = StructureFiles.open(input, inFormat, warnings::add)) {
            while (r.hasNext()) {
                r.next();
                count++;
            }
        }
        int[] idx = slice.indices(count);
        List<Structure> byIndex = new ArrayList<>();
        warnings.clear(); // the second pass repeats them
        try (StructureReader r = StructureFiles.open(input, inFormat, warnings::add)) {
            int want = 0;
            int[] sorted = idx.clone();
            java.util.Arrays.sort(sorted);
            java.util.Map<Integer, Structure> kept = new java.util.HashMap<>();
            for (int i = 0; r.hasNext() && want < sorted.length; i++) {
                Structure s = r.next();
                while (want < sorted.length && sorted[want] == i) {
                    kept.put(i, s);
                    want++;
                }
            }
            for (int i : idx) byIndex.add(kept.get(i));
        }
        return byIndex;
    }

    /** Temporary files are private (0600); give the result the replaced file's permissions, else rw-r--r--. */
    private static void publicPermissions(Path tmp, Path target) throws IOException {
        if (!Files.getFileStore(tmp).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) return;
        java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = Files.exists(target)
                ? Files.getPosixFilePermissions(target) : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
        Files.setPosixFilePermissions(tmp, perms);
    }

    /** Writes the output into a temporary file of the target directory; returns the number of frames written. */
    @FunctionalInterface
    private interface Producer {
        int writeTo(Path tmp) throws IOException;
    }

    private int writeAtomically(Producer producer) {
        Path target = output.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) throw new BadInputException(output + ": the directory " + dir + " does not exist");
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".partial");
            int written;
            try {
                written = producer.writeTo(tmp);
            } catch (IllegalArgumentException e) {
                throw new BadInputException(output + ": " + e.getMessage(), e);
            }
            publicPermissions(tmp, target);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            return written;
        } catch (NoSuchFileException e) {
            throw new BadInputException(output + ": cannot create a file in " + dir, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + output, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    spec.commandLine().getErr().println("crucible convert: could not remove the temporary file " + tmp + ": " + e.getMessage());
                }
            }
        }
    }
}
