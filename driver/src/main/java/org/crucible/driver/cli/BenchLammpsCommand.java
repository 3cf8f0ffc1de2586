package org.crucible.driver.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.crucible.driver.bench.LammpsComparison;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code crucible bench lammps}: SW, Tersoff and EAM against LAMMPS on the same boxes in one run, with the ratios
 * ({@link LammpsComparison}; {@code bench/compare-lammps.sh} runs it).
 */
@Command(name = "lammps", description = "SW, Tersoff and EAM against LAMMPS (lmp) on the same rattled boxes in one run: evaluation with the "
        + "neighbour list reused and rebuilt, and an MD step, per atom, with the ratios Crucible / LAMMPS.")
public final class BenchLammpsCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--atoms", defaultValue = "1000", paramLabel = "N", description = "about N atoms per box (default ${DEFAULT-VALUE})")
    int atoms;

    @Option(names = "--steps", defaultValue = "1000", paramLabel = "S", description = "MD steps of each LAMMPS run and of Crucible's MD (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--seconds", defaultValue = "3", paramLabel = "T", description = "CPU seconds per Crucible evaluation measurement, "
            + "after as long a warm-up (default ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--kernels", defaultValue = "sw,tersoff,eam", split = ",", paramLabel = "K", description = "which of sw, tersoff, eam (default ${DEFAULT-VALUE})")
    List<String> kernels;

    @Option(names = "--lmp", defaultValue = "lmp", paramLabel = "PATH", description = "the LAMMPS executable (default ${DEFAULT-VALUE})")
    String lmp;

    @Option(names = "--potentials", defaultValue = "/usr/share/lammps/potentials", paramLabel = "DIR",
            description = "directory with Si.sw, Si.tersoff and AlCu.eam.alloy (default ${DEFAULT-VALUE})")
    Path potentials;

    @Option(names = "--dir", paramLabel = "DIR", description = "where LAMMPS's data files, inputs and logs go (default: a new temporary directory)")
    Path dir;

    @Option(names = "--seed", converter = SeedConverter.class, defaultValue = "1", paramLabel = "S", description = "seed of the rattle and alloy (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the rows as JSON")
    Path json;

    @Override
    public Integer call() throws IOException, InterruptedException {
        LammpsComparison.Settings set;
        try {
            set = new LammpsComparison.Settings(atoms, steps, seconds, kernels, lmp, potentials, seed);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        if (!Files.isDirectory(potentials)) throw new BadInputException("--potentials " + potentials + " is not a directory");
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("crucible-bench-lammps");
        List<LammpsComparison.Row> rows;
        try {
            rows = new LammpsComparison(work).run(set);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("# CPU microseconds per atom (LAMMPS: loop time x %%CPU); LAMMPS files in %s%n", work);
        out.println("| kernel | atoms | eval, list reused: Crucible | LAMMPS Pair | ratio | eval, list rebuilt: Crucible | LAMMPS Pair+Neigh | ratio "
                + "| MD step: Crucible | LAMMPS loop | ratio | E (eV/atom) | dE vs LAMMPS (eV/atom) |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (LammpsComparison.Row r : rows) {
            out.printf(java.util.Locale.ROOT, "| %s | %d | %.3f | %.3f | %.2f | %.3f | %.3f | %.2f | %.3f | %.3f | %.2f | %.9f | %.1e |%n", r.kernel(), r.atoms(),
                    r.crucibleReused(), r.lammpsPair(), r.reusedRatio(), r.crucibleRebuilt(), r.lammpsPairNeigh(), r.rebuiltRatio(), r.crucibleMd(), r.lammpsMd(),
                    r.mdRatio(), r.energyPerAtom(), r.energyDifference());
        }
        out.flush();
        if (json != null) {
            if (json.toAbsolutePath().getParent() != null) Files.createDirectories(json.toAbsolutePath().getParent());
            JSON.writeValue(json.toFile(), rows);
        }
        // the same structures or no comparison: the energies must agree
        List<String> off = rows.stream().filter(r -> !(r.energyDifference() < 1e-6)).map(LammpsComparison.Row::kernel).toList();
        if (!off.isEmpty()) {
            spec.commandLine().getErr().println("crucible bench lammps: the energies of " + String.join(", ", off)
                    + " differ from LAMMPS by more than 1e-6 eV/atom: the runs are not like for like (see " + work + ")");
            return CrucibleCommand.EXIT_FAILURE;
        }
        return 0;
    }
}
