package org.crucible.driver.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.crucible.core.Structure;
import org.crucible.core.io.ExtendedXyz;
import org.crucible.core.io.StructureReader;
import org.crucible.core.units.Units;
import org.crucible.executors.calculators.Calculator;
import org.crucible.executors.relax.Fire;
import org.crucible.executors.relax.Lbfgs;
import org.crucible.executors.relax.RelaxResult;
import org.crucible.executors.relax.RelaxSettings;
import org.crucible.executors.relax.Relaxer;
import org.crucible.executors.relax.StopReason;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code crucible relax IN OUT --calculator SPEC [--pressure-gpa P] [--fmax F] [--smax-gpa S] [--max-steps N]
 * [--optimizer fire|lbfgs|precon-lbfgs] [--fixed-cell] [--patience K]}: relaxes every frame of IN and writes
 * each final frame with its labels to OUT (extended XYZ, written as it goes, so finished frames survive an
 * interruption), with info keys {@code relax_reason}, {@code relax_converged}, {@code relax_steps},
 * {@code enthalpy_eV} and {@code pressure_GPa}; prints one summary line per frame. Exit code 1 when a frame
 * failed (non-finite or refused by the calculator); not converging within the step budget is a normal outcome.
 */
@Command(name = "relax", description = "Relax every frame of an extended XYZ file (positions and cell) with a reference calculator.")
public final class RelaxCommand implements CliCommand, Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "Structures: extended XYZ (one or more frames), POSCAR/CONTCAR/*.vasp or CIF, by file name.")
    Path input;

    @Parameters(index = "1", paramLabel = "OUT", description = "Extended XYZ output: the relaxed frames with energy, forces, stress.")
    Path output;

    @Option(names = "--calculator", paramLabel = "SPEC", description = "sw, sw:FILE, tersoff:FILE, eam:FILE or lj:PARAMS (see docs/calculators.md).")
    String calculator;

    @Option(names = "--potential", paramLabel = "MODEL.json", description = "A fitted potential (crucible fit) instead of --calculator.")
    Path potential;

    @Option(names = "--max-uncertainty", paramLabel = "U",
            description = "With --potential: stop (EARLY_STOP) once U = max sigma_F / max |F| exceeds U (NN-ensemble paper, eq. 5).")
    Double maxUncertainty;

    @Option(names = "--pressure-gpa", defaultValue = "0", paramLabel = "P", description = "External pressure in GPa (default ${DEFAULT-VALUE}).")
    double pressure;

    @Option(names = "--fmax", defaultValue = "0.01", paramLabel = "F", description = "Force tolerance, eV/Angstrom (default ${DEFAULT-VALUE}).")
    double fmax;

    @Option(names = "--smax-gpa", defaultValue = "0.01", paramLabel = "S", description = "Stress tolerance on sigma + p, GPa (default ${DEFAULT-VALUE}).")
    double smax;

    @Option(names = "--max-steps", defaultValue = "1000", paramLabel = "N", description = "Step budget per frame (default ${DEFAULT-VALUE}).")
    int maxSteps;

    @Option(names = "--patience", defaultValue = "0", paramLabel = "K",
            description = "Stop after K steps without a new lowest enthalpy; 0 disables (default ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--optimizer", defaultValue = "lbfgs", paramLabel = "NAME", description = "fire, lbfgs or precon-lbfgs (default ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--fixed-cell", description = "Relax positions only.")
    boolean fixedCell;

    @Override
    public Integer call() {
        Calculator calc = PotentialOptions.choose(calculator, potential);
        if (maxUncertainty != null && potential == null) throw new BadInputException("--max-uncertainty needs --potential MODEL.json");
        org.crucible.executors.relax.EarlyStop stop = maxUncertainty == null ? null
                : PotentialOptions.uncertaintyStop((org.crucible.executors.potentials.LinearPotential) calc, maxUncertainty);
        Relaxer relaxer = switch (optimizer) {
            case "fire" -> new Fire();
            case "lbfgs" -> new Lbfgs();
            case "precon-lbfgs" -> Lbfgs.exp();
            default -> throw new BadInputException("--optimizer: unknown optimizer '" + optimizer + "' (fire, lbfgs, precon-lbfgs)");
        };
        RelaxSettings settings;
        try {
            settings = new RelaxSettings(fmax, smax, maxSteps, pressure, !fixedCell, patience, 0, stop);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("relax settings: " + e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        int failed = 0, frame = 0;
        // Frames go to OUT.partial as they are relaxed and OUT appears only when every frame was read: a bad frame
        // further down the input (exit 2) leaves no output behind.
        Path partial = output.toAbsolutePath().resolveSibling(output.getFileName() + ".partial");
        try (StructureReader frames = CalcCommand.open(input, spec.commandLine().getErr());
             Writer w = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            while (CalcCommand.next(frames, input)) {
                Structure s = CalcCommand.read(frames, input);
                RelaxResult r;
                try {
                    r = relaxer.relax(s, calc, settings);
                } catch (IllegalArgumentException e) {
                    throw new BadInputException(input + " frame " + frame + " (" + s.formula() + "): " + e.getMessage(), e);
                }
                boolean bad = r.reason() == StopReason.NON_FINITE || r.reason() == StopReason.CALCULATION_FAILED;
                if (bad) failed++;
                Structure result = (bad ? r.lowest() : r.last())
                        .withInfo("relax_reason", r.reason().name())
                        .withInfo("relax_converged", r.converged())
                        .withInfo("relax_steps", r.steps())
                        .withInfo("pressure_GPa", pressure);
                double h = bad ? r.lowestEnthalpy() : r.lastEnthalpy();
                if (Double.isFinite(h)) result = result.withInfo("enthalpy_eV", h);
                ExtendedXyz.write(w, result);
                w.flush();
                out.println(summary(frame, s, r, bad ? r.lowest() : r.last(), h, pressure));
                out.flush();
                frame++;
            }
        } catch (IOException e) {
            throw withoutPartial(partial, new UncheckedIOException("cannot write " + output, e));
        } catch (RuntimeException e) {
            throw withoutPartial(partial, e);
        }
        try {
            Files.move(partial, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + output, e);
        }
        return failed == 0 ? 0 : CrucibleCommand.EXIT_FAILURE;
    }

    /** Removes the partial output after failure {@code e}; a failure to remove it is attached to {@code e}. */
    private static RuntimeException withoutPartial(Path partial, RuntimeException e) {
        try {
            Files.deleteIfExists(partial);
        } catch (IOException x) {
            e.addSuppressed(x);
        }
        return e;
    }

    static String summary(int frame, Structure start, RelaxResult r, Structure s, double h, double pressure) {
        if (!s.labels().hasEnergy()) {
            return String.format(Locale.ROOT, "frame %d %s: %s after %d steps: %s", frame, start.formula(), r.reason(), r.steps(), r.message());
        }
        String stress = s.labels().hasStress()
                ? String.format(Locale.ROOT, ", max|sigma+p| = %.4f GPa", maxDeviation(s.labels().stress(), pressure)) : "";
        return String.format(Locale.ROOT, "frame %d %s: %s after %d steps, E = %.6f eV/atom, H = %.6f eV/atom (start %.6f), V = %.3f A^3/atom, max|F| = %.5f eV/A%s%s",
                frame, start.formula(), r.reason(), r.steps(), s.labels().energy() / s.size(), h / s.size(),
                r.startEnthalpy() / s.size(), s.cell().volume() / s.size(), s.labels().maxForce(), stress,
                r.message().isEmpty() ? "" : " (" + r.message() + ")");
    }

    private static double maxDeviation(double[] stress, double pressure) {
        double[] g = Units.stressToGPa(stress);
        double m = 0;
        for (int a = 0; a < 6; a++) m = Math.max(m, Math.abs(g[a] + (a < 3 ? pressure : 0)));
        return m;
    }
}
