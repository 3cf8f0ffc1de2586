package org.crucible.driver.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.crucible.core.Structure;
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

    @Parameters(index = "0", paramLabel = "IN", description = "Structure file (.extxyz, .xyz, POSCAR, .cif).")
    Path input;

    @Option(names = "--tolerance", paramLabel = "ANGSTROM", defaultValue = "1e-3", description = "Symmetry tolerance, Angstrom (default ${DEFAULT-VALUE}).")
    double tolerance;

    @Override
    public Integer call() {
        StructureFiles.requireFile(input);
        if (!(tolerance > 0)) throw new BadInputException("--tolerance must be > 0 Angstrom, got " + tolerance);
        var out = spec.commandLine().getOut();
        try (StructureReader r = StructureFiles.open(input, w -> spec.commandLine().getErr().println(input + ": " + w))) {
            int frame = 0;
            while (r.hasNext()) {
                Structure s = StructureFiles.next(r);
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("frame", frame++);
                line.put("formula", s.formula());
                if (!s.cell().isFullyPeriodic()) {
                    line.put("error", "not periodic in three directions");
                } else {
                    try {
                        SpaceGroupFinder.Result g = SpaceGroupFinder.find(s, tolerance);
                        line.put("number", g.number());
                        line.put("symbol", g.symbol());
                        line.put("tolerance", g.tolerance());
                        line.put("primitive_atoms", g.primitive().size());
                        line.put("operations", g.operations().size());
                    } catch (IllegalStateException e) {
                        line.put("error", e.getMessage());
                    }
                }
                out.println(CliJson.line(line));
            }
        }
        out.flush();
        return 0;
    }
}
