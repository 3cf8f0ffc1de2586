package org.crucible.driver.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.crucible.core.AtomProperty;
import org.crucible.core.Structure;
import org.crucible.core.io.ExtendedXyz;
import org.crucible.core.io.StructureReader;
import org.crucible.executors.calculators.CalculationException;
import org.crucible.executors.calculators.Calculator;
import org.crucible.executors.calculators.Eam;
import org.crucible.executors.md.Barostat;
import org.crucible.executors.md.MdFrame;
import org.crucible.executors.md.MdSettings;
import org.crucible.executors.md.MolecularDynamics;
import org.crucible.executors.md.Thermostat;
import org.crucible.executors.md.Velocities;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code crucible md IN OUT --calculator SPEC --steps N [--ensemble nve|nvt|npt] [--temperature-k T]
 * [--timestep-fs DT] [--pressure-gpa P] [--swap-every K] [--volume-every K] ...}: molecular dynamics of one frame of IN with the engine
 * of {@code org.crucible.executors.md} (docs/md.md), writing every {@code --sample-every}-th step to OUT as extended
 * XYZ with step, time_fs, temperature_K, pressure_GPa, energies and velocities (Angstrom/fs). Initial velocities come
 * from a {@code velocities} column of IN when present, else from Maxwell-Boltzmann at the temperature (seeded).
 * With an EAM calculator the masses are the potential file's (as LAMMPS does). A progress bar goes to stderr.
 */
@Command(name = "md", description = "Molecular dynamics (NVE, Langevin or Nose-Hoover NVT, Berendsen or stochastic-cell-rescaling NPT, Monte Carlo element swaps and volume moves) of a structure.")
public final class MdCommand implements CliCommand, Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "Start structure: extended XYZ, POSCAR or CIF (by name); see --frame.")
    Path input;

    @Parameters(index = "1", paramLabel = "OUT", description = "Trajectory, extended XYZ.")
    Path output;

    @Option(names = "--calculator", paramLabel = "SPEC", description = "sw, sw:FILE, tersoff:FILE, eam:FILE or lj:PARAMS (docs/calculators.md).")
    String calculator;

    @Option(names = "--potential", paramLabel = "MODEL.json", description = "A fitted potential (crucible fit) instead of --calculator.")
    Path potential;

    @Option(names = "--ensemble", defaultValue = "nvt", paramLabel = "E",
            description = "nve (velocity Verlet), nvt (thermostat) or npt (thermostat + barostat) (default ${DEFAULT-VALUE}).")
    String ensemble;

    @Option(names = "--thermostat", defaultValue = "langevin", paramLabel = "NAME",
            description = "nvt/npt thermostat: langevin or nose-hoover (chain of 3) (default ${DEFAULT-VALUE}).")
    String thermostat;

    @Option(names = "--temperature-k", defaultValue = "300", paramLabel = "T",
            description = "Thermostat target and initial Maxwell-Boltzmann temperature, K (default ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--steps", required = true, paramLabel = "N", description = "Number of MD steps.")
    int steps;

    @Option(names = "--timestep-fs", defaultValue = "1.0", paramLabel = "DT", description = "Time step, fs (default ${DEFAULT-VALUE}).")
    double timestep;

    @Option(names = "--damping-fs", defaultValue = "100", paramLabel = "TAU", description = "Langevin damping time 1/gamma or Nose-Hoover time constant, fs (default ${DEFAULT-VALUE}).")
    double damping;

    @Option(names = "--pressure-gpa", defaultValue = "0", paramLabel = "P",
            description = "Target pressure of the npt barostat and of --volume-every moves, GPa (default ${DEFAULT-VALUE}).")
    double pressure;

    @Option(names = "--barostat", defaultValue = "berendsen", paramLabel = "NAME",
            description = "npt barostat: berendsen (full cell, see --anisotropic) or scr (isotropic stochastic cell rescaling, "
                    + "samples the volume fluctuations) (default ${DEFAULT-VALUE}).")
    String barostat;

    @Option(names = "--barostat-tau-fs", defaultValue = "500", paramLabel = "TAU", description = "Barostat time constant tau, fs (default ${DEFAULT-VALUE}).")
    double barostatTau;

    @Option(names = "--bulk-modulus-gpa", defaultValue = "100", paramLabel = "B",
            description = "Bulk modulus estimate for the barostat, GPa (default ${DEFAULT-VALUE}).")
    double bulkModulus;

    @Option(names = "--anisotropic", description = "npt: scale the full cell by the pressure tensor (default: isotropic).")
    boolean anisotropic;

    @Option(names = "--swap-every", defaultValue = "0", paramLabel = "K", description = "Attempt Monte Carlo element swaps every K steps (default: none).")
    int swapEvery;

    @Option(names = "--swaps", defaultValue = "1", paramLabel = "M", description = "Swap attempts each time (default ${DEFAULT-VALUE}).")
    int swaps;

    @Option(names = "--volume-every", defaultValue = "0", paramLabel = "K",
            description = "Attempt Monte Carlo volume moves at --pressure-gpa every K steps (default: none).")
    int volumeEvery;

    @Option(names = "--volume-step", defaultValue = "0.01", paramLabel = "D", description = "Largest change of ln V per volume move (default ${DEFAULT-VALUE}).")
    double volumeStep;

    @Option(names = "--sample-every", defaultValue = "10", paramLabel = "K", description = "Write every K-th step (default ${DEFAULT-VALUE}).")
    int sampleEvery;

    @Option(names = "--seed", converter = SeedConverter.class, defaultValue = "1", paramLabel = "S", description = "Random seed (velocities, Langevin noise, swaps) (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--frame", defaultValue = "0", paramLabel = "I", description = "Which frame of IN to start from (default ${DEFAULT-VALUE}).")
    int frameIndex;

    @Option(names = "--no-progress", description = "No progress bar on stderr.")
    boolean noProgress;

    @Override
    public Integer call() {
        Calculator calc = PotentialOptions.choose(calculator, potential);
        Structure start = frame();
        MdSettings settings;
        try {
            Thermostat th = switch (ensemble) {
                case "nve" -> new Thermostat.None();
                case "nvt", "npt" -> switch (thermostat) {
                    case "langevin" -> new Thermostat.Langevin(temperature, damping);
                    case "nose-hoover" -> new Thermostat.NoseHooverChain(temperature, damping, 3);
                    default -> throw new BadInputException("--thermostat: unknown thermostat '" + thermostat + "' (langevin, nose-hoover)");
                };
                default -> throw new BadInputException("--ensemble: unknown ensemble '" + ensemble + "' (nve, nvt, npt)");
            };
            settings = MdSettings.nve(timestep, steps).withThermostat(th).withSampleEvery(sampleEvery);
            if (ensemble.equals("npt")) {
                settings = settings.withBarostat(switch (barostat) {
                    case "berendsen" -> new Barostat(pressure, barostatTau, bulkModulus, !anisotropic);
                    case "scr" -> {
                        if (anisotropic) throw new BadInputException("--anisotropic: the scr barostat is isotropic; use --barostat berendsen");
                        yield Barostat.stochasticCellRescaling(pressure, barostatTau, bulkModulus);
                    }
                    default -> throw new BadInputException("--barostat: unknown barostat '" + barostat + "' (berendsen, scr)");
                });
            }
            if (swapEvery > 0) settings = settings.withSwaps(swapEvery, swaps, temperature);
            if (volumeEvery > 0) settings = settings.withVolumeMoves(new MdSettings.VolumeMoves(volumeEvery, 1, volumeStep, pressure, temperature));
            if (calc instanceof Eam eam) {
                Map<String, Double> masses = new LinkedHashMap<>();
                for (int i = 0; i < eam.elements().length; i++) masses.put(eam.elements()[i], eam.masses()[i]);
                settings = settings.withMasses(masses);
            }
        } catch (IllegalArgumentException e) {
            throw new BadInputException("md settings: " + e.getMessage(), e);
        }
        MolecularDynamics md;
        try {
            md = new MolecularDynamics(calc, settings);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v0 = start.atomProperties().get("velocities").filter(p -> p.width() == 3).map(AtomProperty::reals).orElse(null);
        if (v0 == null) {
            try {
                v0 = Velocities.maxwellBoltzmann(MolecularDynamics.masses(start, settings), temperature, rng, true);
            } catch (IllegalArgumentException e) {
                throw new BadInputException("--temperature-k: " + e.getMessage(), e);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        double[] sums = new double[3]; // frames, sum T, sum P
        long[] last = {-1};
        MdFrame end;
        try (Writer w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            final MdSettings set = settings;
            end = md.run(start.withLabels(org.crucible.core.Labels.NONE), v0, rng, f -> {
                try {
                    ExtendedXyz.write(w, f.toStructure());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + output, e);
                }
                if (f.step() > 0) {
                    sums[0]++;
                    sums[1] += f.temperatureK();
                    sums[2] += f.pressureGPa();
                }
                if (!noProgress && (f.step() * 50 / Math.max(1, set.steps()) != last[0] * 50 / Math.max(1, set.steps()) || f.step() == set.steps())) {
                    err.print("\r" + progress(f, set.steps()));
                    if (f.step() == set.steps()) err.println();
                    err.flush();
                }
                last[0] = f.step();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + output, e);
        } catch (CalculationException e) {
            err.println("crucible md: " + e.getMessage());
            return CrucibleCommand.EXIT_FAILURE;
        }
        out.println(String.format(Locale.ROOT, "%s %s: %d steps of %.3g fs (%.4g ps), %s; <T> = %.1f K%s, final E_pot = %.6f eV, E_tot = %.6f eV%s; %s",
                start.formula(), calc.name(), steps, timestep, steps * timestep / 1000, ensemble, sums[0] > 0 ? sums[1] / sums[0] : end.temperatureK(),
                Double.isNaN(end.pressureGPa()) ? "" : String.format(Locale.ROOT, ", <P> = %.3f GPa", sums[0] > 0 ? sums[2] / sums[0] : end.pressureGPa()),
                end.potentialEnergy(), end.totalEnergy(),
                end.swapsAttempted() > 0 ? String.format(Locale.ROOT, ", swaps accepted %d/%d", end.swapsAccepted(), end.swapsAttempted()) : "",
                output));
        return 0;
    }

    static String progress(MdFrame f, int total) {
        int width = 30;
        int filled = total == 0 ? width : (int) Math.round((double) width * f.step() / total);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + f.step() + "/" + total
                + String.format(Locale.ROOT, " steps  T %.0f K  E %.4f eV", f.temperatureK(), f.totalEnergy());
    }

    private Structure frame() {
        if (frameIndex < 0) throw new BadInputException("--frame: must be >= 0, got " + frameIndex);
        try (StructureReader frames = CalcCommand.open(input, spec.commandLine().getErr())) {
            int i = 0;
            while (CalcCommand.next(frames, input)) {
                Structure s = CalcCommand.read(frames, input);
                if (i++ == frameIndex) return s;
            }
            throw new BadInputException(input + ": --frame " + frameIndex + " asked for, the file has " + i + " frame(s)");
        }
    }
}
