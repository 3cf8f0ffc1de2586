package org.crucible.driver.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.crucible.core.Structure;
import org.crucible.core.io.FormatException;
import org.crucible.core.io.StructureFormats;
import org.crucible.core.io.StructureReader;
import org.crucible.executors.symmetry.SpaceGroupFinder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code crucible symmetry IN}: the space group of every frame, one JSON object per line, e.g.
 * {@code {"frame":0,"formula":"Si8","number":227,"symbol":"Fd-3m","tolerance":0.001,"primitive_atoms":2,"operations":48}}.
 */
@Command(name = "symmetry", description = "Print the space group of each structure in a file (JSON lines).")
public final class SymmetryCommand implements CliCommand, Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "Structure file (.extxyz, .xyz, POSCAR, .cif).")
    Path input;

    @Option(names = "--tolerance", defaultValue = "1e-3", description = "Symmetry tolerance, Angstrom (default ${DEFAULT-VALUE}).")
    double tolerance;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(input)) throw new BadInputException(input + ": no such file");
        if (!(tolerance > 0)) throw new BadInputException("--tolerance must be > 0 Angstrom, got " + tolerance);
        StructureFormats.Format format;
        try {
            format = StructureFormats.formatOf(input);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        var out = spec.commandLine().getOut();
        try (StructureReader r = StructureFormats.open(input, format, w -> spec.commandLine().getErr().println(input + ": " + w))) {
            int frame = 0;
            while (r.hasNext()) {
                Structure s = r.next();
                String head = String.format(Locale.ROOT, "{\"frame\":%d,\"formula\":\"%s\"", frame++, s.formula());
                if (!s.cell().isFullyPeriodic()) {
                    out.println(head + ",\"error\":\"not periodic in three directions\"}");
                    continue;
                }
                try {
                    SpaceGroupFinder.Result g = SpaceGroupFinder.find(s, tolerance);
                    out.println(head + String.format(Locale.ROOT, ",\"number\":%d,\"symbol\":\"%s\",\"tolerance\":%s,\"primitive_atoms\":%d,\"operations\":%d}",
                            g.number(), g.symbol(), Double.toString(g.tolerance()), g.primitive().size(), g.operations().size()));
                } catch (IllegalStateException e) {
                    out.println(head + ",\"error\":\"" + e.getMessage().replace("\"", "'") + "\"}");
                }
            }
        } catch (FormatException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        out.flush();
        return 0;
    }
}
