package org.crucible.driver.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.core.io.StructureFormats;
import org.crucible.core.io.FormatException;
import org.crucible.core.io.StructureReader;
import org.crucible.core.units.Units;
import org.crucible.executors.calculators.CalculationException;
import org.crucible.executors.calculators.Calculator;
import org.crucible.executors.calculators.CalculatorSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code crucible calc IN --calculator SPEC [--json]}: energy, forces and stress of every frame of a structure
 * file (extended XYZ, POSCAR or CIF, by name) with a reference calculator. With {@code --json} one line per frame:
 * {@code {"frame":0,"energy_eV":..,"forces_eV_per_A":[[..]..],"stress_GPa":[xx,yy,zz,yz,xz,xy]}} (stress null for
 * a molecule); otherwise a readable summary line per frame. A frame the calculator refuses is reported on
 * stderr and the others still run (exit code 1 at the end).
 */
@Command(name = "calc", description = "Energy, forces and stress of every frame of an extended XYZ file with a reference calculator.")
public final class CalcCommand implements CliCommand, Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "Structures: extended XYZ (one or more frames), POSCAR/CONTCAR/*.vasp or CIF, by file name; or a saved pool (directory or URI).")
    Path input;

    @Option(names = "--calculator", paramLabel = "SPEC",
            description = "sw (built-in Stillinger-Weber Si), sw:FILE, tersoff:FILE, eam:FILE (LAMMPS parameter files) or lj:PARAMS, "
                    + "e.g. lj:Ar:eps=0.0104,sigma=3.40,rc=8.5 (see docs/calculators.md).")
    String calculator;

    @Option(names = "--potential", paramLabel = "MODEL.json",
            description = "A fitted potential (crucible fit) instead of --calculator; --json lines then add sigma_energy_eV, "
                    + "max_rel_force_uncertainty, ensemble_uncertainty and extrapolation_grade (docs/potential.md).")
    Path potential;

    @Option(names = "--json", description = "One JSON line per frame.")
    boolean json;

    @Override
    public Integer call() {
        Calculator calc = PotentialOptions.choose(calculator, potential);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int failed = 0, frame = 0;
        try (StructureReader frames = open(input, err)) {
            while (next(frames, input)) {
                Structure s = read(frames, input);
                try {
                    if (calc instanceof org.crucible.executors.potentials.LinearPotential lp) {
                        org.crucible.executors.potentials.Prediction p = lp.predict(s);
                        out.println(json ? PotentialOptions.withUncertainty(json(frame, p.labels()), p)
                                : summary(frame, s, p.labels()) + String.format(Locale.ROOT, ", sigma_E = %.4f eV, max f_i = %.3f, gamma = %.2f",
                                        p.sigmaEnergy(), p.maxRelativeForceUncertainty(), p.extrapolationGrade()));
                    } else {
                        Labels l = calc.calculate(s);
                        out.println(json ? json(frame, l) : summary(frame, s, l));
                    }
                } catch (CalculationException e) {
                    failed++;
                    err.println("crucible calc: " + input + " frame " + frame + " (" + s.formula() + "): " + e.getMessage());
                }
                out.flush();
                frame++;
            }
        }
        return failed == 0 ? 0 : CrucibleCommand.EXIT_FAILURE;
    }

    static Calculator calculator(String spec) {
        try {
            return CalculatorSpec.parse(spec, Path.of("").toAbsolutePath());
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--calculator: " + e.getMessage(), e);
        }
    }

    /**
     * Opens IN in the format its name implies (extended XYZ, POSCAR/CONTCAR/.vasp, CIF; extended XYZ for other
     * names), streaming frame by frame; reader warnings go to stderr.
     */
    static StructureReader open(Path input, PrintWriter err) {
        if (StructureFiles.poolUri(input).isPresent()) return StructureFiles.openPool(StructureFiles.poolUri(input).get());
        if (!Files.isRegularFile(input)) throw new BadInputException("input file " + input + " does not exist");
        StructureFormats.Format format = StructureFormats.Format.byFileName(input).orElse(StructureFormats.Format.EXTXYZ);
        try {
            return StructureFormats.open(input, format, w -> err.println("crucible: " + input + ": " + w));
        } catch (FormatException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    static boolean next(StructureReader frames, Path input) {
        try {
            return frames.hasNext();
        } catch (FormatException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    static Structure read(StructureReader frames, Path input) {
        try {
            return frames.next();
        } catch (FormatException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    static String json(int frame, Labels l) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"frame\":").append(frame).append(",\"energy_eV\":").append(l.energy()).append(",\"forces_eV_per_A\":[");
        double[] f = l.forces();
        for (int i = 0; i < f.length; i += 3) {
            if (i > 0) sb.append(',');
            sb.append('[').append(f[i]).append(',').append(f[i + 1]).append(',').append(f[i + 2]).append(']');
        }
        sb.append("],\"stress_GPa\":");
        if (l.hasStress()) {
            double[] s = Units.stressToGPa(l.stress());
            sb.append('[');
            for (int i = 0; i < 6; i++) sb.append(i == 0 ? "" : ",").append(s[i]);
            sb.append(']');
        } else {
            sb.append("null");
        }
        return sb.append('}').toString();
    }

    static String summary(int frame, Structure s, Labels l) {
        return String.format(Locale.ROOT, "frame %d %s: E = %.8f eV (%.6f eV/atom), max|F| = %.6f eV/A%s", frame, s.formula(), l.energy(),
                l.energy() / s.size(), l.maxForce(), l.hasStress() ? String.format(Locale.ROOT, ", P = %.4f GPa", Units.pressureGPa(l.stress())) : "");
    }
}
