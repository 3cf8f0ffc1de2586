package org.crucible.dft.vasp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.crucible.dft.DftCode;
import org.crucible.dft.DftParseException;
import org.crucible.dft.DftResult;
import org.crucible.dft.OutputParser;
import org.crucible.dft.io.TextLines;

/**
 * VASP outputs: an OUTCAR ({@link OutcarParser}) or a vasprun.xml ({@link VasprunParser}), chosen by name
 * ({@code *.xml}) or content; a run directory is read through its OUTCAR (which also records the wall time),
 * else its vasprun.xml.
 */
public final class VaspOutputParser implements OutputParser {
    @Override
    public DftCode code() {
        return DftCode.VASP;
    }

    @Override
    public DftResult parse(Path path, boolean allSteps) {
        Path file = path;
        if (Files.isDirectory(path)) {
            if (Files.isRegularFile(path.resolve("OUTCAR"))) file = path.resolve("OUTCAR");
            else if (Files.isRegularFile(path.resolve("vasprun.xml"))) file = path.resolve("vasprun.xml");
            else throw new DftParseException(String.valueOf(path), 0, "no OUTCAR or vasprun.xml in this directory");
        }
        DftResult r = isXml(file) ? new VasprunParser().parse(file, allSteps) : new OutcarParser().parse(TextLines.read(file), allSteps);
        return r.failedWith(stdoutError(file.toAbsolutePath().getParent()));
    }

    /** Messages with which VASP stops, as printed on its standard output (not in OUTCAR). */
    private static final List<String> FATAL = List.of("VERY BAD NEWS", "internal error", "ZBRENT: fatal error", "Error EDDDAV",
            "Error EDDRMM", "LAPACK: Routine ZPOTRF failed", "Sub-Space-Matrix is not hermitian", "BRIONS problems", "EDWAV: internal error",
            "ERROR: SBESSELITER", "PRICEL: exiting", "Fatal error");

    /**
     * The first fatal message in VASP's standard output beside the output file ({@code vasp.out}, the name
     * {@link VaspInputGenerator} gives it, or {@code stdout}/{@code vasp.log}), or null.
     */
    static String stdoutError(Path dir) {
        if (dir == null) return null;
        for (String name : List.of("vasp.out", "stdout", "vasp.log")) {
            Path p = dir.resolve(name);
            if (!Files.isRegularFile(p)) continue;
            try {
                TextLines t = TextLines.read(p);
                for (int i = 0; i < t.size(); i++) {
                    String line = t.get(i);
                    for (String f : FATAL) if (line.contains(f)) return name + ":" + (i + 1) + ": " + line.strip();
                }
            } catch (DftParseException e) {
                return null;
            }
        }
        return null;
    }

    private static boolean isXml(Path file) {
        if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).contains(".xml")) return true;
        try (var in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(64);
            return new String(head, java.nio.charset.StandardCharsets.ISO_8859_1).stripLeading().startsWith("<?xml");
        } catch (java.io.IOException e) {
            throw new DftParseException(String.valueOf(file), 0, "cannot read: " + e.getMessage());
        }
    }
}
