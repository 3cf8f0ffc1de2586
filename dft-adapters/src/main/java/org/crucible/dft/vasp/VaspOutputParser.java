package org.crucible.dft.vasp;

import java.nio.file.Files;
import java.nio.file.Path;
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
        if (isXml(file)) return new VasprunParser().parse(file, allSteps);
        return new OutcarParser().parse(TextLines.read(file), allSteps);
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
