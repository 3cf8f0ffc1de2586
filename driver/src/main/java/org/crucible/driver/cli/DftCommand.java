package org.crucible.driver.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.crucible.core.Structure;
import org.crucible.core.units.Units;
import org.crucible.dft.DftCode;
import org.crucible.dft.DftException;
import org.crucible.dft.DftInputException;
import org.crucible.dft.DftInputs;
import org.crucible.dft.DftParseException;
import org.crucible.dft.DftParsers;
import org.crucible.dft.DftResult;
import org.crucible.dft.DftStep;
import org.crucible.dft.input.InputGenerator;
import org.crucible.dft.input.InputSet;
import org.crucible.dft.run.LocalRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code crucible dft write|parse|run}: DFT inputs from structures, outputs to JSON, and local runs.
 *
 * <pre>
 * crucible dft write --code qe structures.xyz --settings examples/qe-si.yaml -o runs/
 * crucible dft parse --code qe runs/frame-0000/pw.out --json
 * crucible dft run --code qe examples/si2.xyz --settings examples/qe-si.yaml
 * </pre>
 *
 * <p>JSON keys (units in the names; stress in ASE sign convention, Voigt xx yy zz yz xz xy): {@code status},
 * {@code message}, {@code code}, {@code code_version}, {@code n_atoms}, {@code energy_eV} (free energy consistent
 * with the forces), {@code energy_sigma0_eV}, {@code energy_total_eV}, {@code max_force_eV_per_A},
 * {@code forces_eV_per_A}, {@code stress_GPa}, {@code stress_eV_per_A3}, {@code pressure_GPa},
 * {@code wall_time_s}, {@code ionic_converged}, {@code source}, and {@code steps} with {@code --all-steps}.
 * Absent quantities are null, never NaN.
 */
@Command(name = "dft", description = "Write DFT inputs, parse DFT outputs, run DFT locally (VASP, QE pw.x, CASTEP, ORCA).",
        subcommands = {DftCommand.Write.class, DftCommand.Parse.class, DftCommand.Run.class, DftSubmitCommand.class,
                DftJobsCommand.ListJobs.class, DftJobsCommand.CancelJobs.class})
public final class DftCommand implements CliCommand, Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw CrucibleCommand.missingSubcommand(spec);
    }

    static DftCode code(String name) {
        try {
            return DftCode.parse(name);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--code: " + e.getMessage());
        }
    }

    static InputGenerator generator(DftCode code, Path settings) {
        if (!Files.isRegularFile(settings)) throw new BadInputException("settings file not found: " + settings);
        try {
            return DftInputs.generator(code, settings);
        } catch (DftInputException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    /** {@code dft write}: one subdirectory per frame. */
    @Command(name = "write", description = "Write one input set per frame of IN into DIR/frame-NNNN.")
    static final class Write implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--code", required = true, paramLabel = "CODE", description = "vasp, qe, castep or orca") String code;
        @Parameters(index = "0", paramLabel = "IN", description = "structures (extended XYZ, POSCAR or CIF; format from the file name)") Path in;
        @Option(names = "--settings", required = true, paramLabel = "SETTINGS", description = "recipe (YAML or JSON)") Path settings;
        @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR") Path out;

        @Override
        public Integer call() {
            DftCode c = code(code);
            InputGenerator g = generator(c, settings);
            List<Structure> frames = StructureFiles.readAll(in);
            PrintWriter w = spec.commandLine().getOut();
            // Build every input set before writing any, so a refused frame leaves no half-written directory tree.
            List<InputSet> sets = new ArrayList<>();
            for (int i = 0; i < frames.size(); i++) {
                try {
                    sets.add(g.inputSet(frames.get(i)));
                } catch (DftInputException e) {
                    throw new BadInputException(in + ": frame " + i + ": " + e.getMessage(), e);
                }
            }
            for (int i = 0; i < sets.size(); i++) {
                Path dir = out.resolve(String.format(Locale.ROOT, "frame-%04d", i));
                sets.get(i).writeInput(dir);
                w.println("wrote " + dir + " (" + String.join(", ", sets.get(i).files().keySet()) + ")");
            }
            return 0;
        }
    }

    /** {@code dft parse}. */
    @Command(name = "parse", description = "Parse a DFT output file or run directory.")
    static final class Parse implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--code", required = true, paramLabel = "CODE", description = "vasp, qe, castep or orca") String code;
        @Parameters(index = "0", paramLabel = "PATH", description = "output file or run directory") Path path;
        @Option(names = "--all-steps", description = "every ionic step, not only the last") boolean allSteps;
        @Option(names = "--json", description = "print JSON") boolean json;

        @Override
        public Integer call() throws Exception {
            DftCode c = code(code);
            if (!Files.exists(path)) throw new BadInputException("not found: " + path);
            DftResult r;
            try {
                r = DftParsers.forCode(c).parse(path, allSteps);
            } catch (DftParseException e) {
                throw new BadInputException("cannot parse " + c.id() + " output: " + e.getMessage(), e);
            }
            print(spec.commandLine().getOut(), r, json, allSteps);
            return 0;
        }
    }

    /** {@code dft run}: local runs with {@link LocalRunner}. */
    @Command(name = "run", description = "Run a DFT code locally on every frame of IN and print the parsed results.")
    static final class Run implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--code", required = true, paramLabel = "CODE", description = "vasp, qe, castep or orca") String code;
        @Parameters(index = "0", paramLabel = "IN", description = "structures (extended XYZ, POSCAR or CIF; format from the file name)") Path in;
        @Option(names = "--settings", required = true, paramLabel = "SETTINGS") Path settings;
        @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "dft-run", description = "work directory (default: ${DEFAULT-VALUE})") Path out;
        @Option(names = "--command", paramLabel = "CMD", description = "program and arguments before the input arguments (default: pw.x, vasp_std, castep.serial or orca)") String command;
        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "3600", description = "per-frame timeout (default: ${DEFAULT-VALUE} s)") long timeout;
        @Option(names = "--env", paramLabel = "KEY=VALUE", description = "environment for the program (default OMP_NUM_THREADS=1)") Map<String, String> env;
        @Option(names = "--json", description = "print JSON (one object per frame, in an array)") boolean json;

        @Override
        public Integer call() throws Exception {
            DftCode c = code(code);
            InputGenerator g = generator(c, settings);
            List<Structure> frames = StructureFiles.readAll(in);
            if (timeout <= 0) throw new BadInputException("--timeout must be > 0 s, got " + timeout);
            List<String> cmd = command != null ? List.of(command.trim().split("\\s+")) : List.of(defaultProgram(c));
            Map<String, String> environment = env != null ? env : Map.of("OMP_NUM_THREADS", "1");
            LocalRunner runner = new LocalRunner(cmd, environment, Duration.ofSeconds(timeout));
            PrintWriter w = spec.commandLine().getOut();
            List<Map<String, Object>> all = new ArrayList<>();
            boolean allOk = true;
            for (int i = 0; i < frames.size(); i++) {
                InputSet set;
                try {
                    set = g.inputSet(frames.get(i));
                } catch (DftInputException e) {
                    throw new BadInputException(in + ": frame " + i + ": " + e.getMessage(), e);
                }
                Path dir = out.resolve(String.format(Locale.ROOT, "frame-%04d", i));
                DftResult r;
                try {
                    r = runner.run(set, dir);
                } catch (DftException e) {
                    throw new IllegalStateException("frame " + i + " in " + dir + ": " + e.getMessage(), e);
                }
                allOk &= r.isOk();
                if (json) {
                    Map<String, Object> m = toMap(r, false);
                    m.put("frame", i);
                    m.put("work_dir", dir.toString());
                    all.add(m);
                } else {
                    w.println("frame " + i + " (" + dir + "):");
                    print(w, r, false, false);
                }
            }
            if (json) w.println(CliJson.pretty(all));
            return allOk ? 0 : CrucibleCommand.EXIT_FAILURE;
        }

        static String defaultProgram(DftCode c) {
            return switch (c) {
                case QE -> "pw.x";
                case VASP -> "vasp_std";
                case CASTEP -> "castep.serial";
                case ORCA -> "orca";
            };
        }
    }

    static void print(PrintWriter w, DftResult r, boolean json, boolean allSteps) throws Exception {
        if (json) {
            w.println(CliJson.pretty(toMap(r, allSteps)));
            return;
        }
        w.println("  status:      " + r.status().id() + (r.message() == null ? "" : " (" + r.message() + ")"));
        w.println("  code:        " + r.code().id() + " " + (r.codeVersion() == null ? "(version not recorded)" : r.codeVersion()));
        w.println("  atoms:       " + r.nAtoms());
        w.println("  energy:      " + (r.energy() == null ? "none" : String.format(Locale.ROOT, "%.8f eV", r.energy())));
        if (r.forces() != null) w.println("  max |F|:     " + String.format(Locale.ROOT, "%.6f eV/A", r.maxForce()));
        if (r.stress() != null) w.println("  pressure:    " + String.format(Locale.ROOT, "%.4f GPa", Units.pressureGPa(r.stress())));
        if (r.wallSeconds() != null) w.println("  wall time:   " + String.format(Locale.ROOT, "%.2f s", r.wallSeconds()));
        if (allSteps) w.println("  steps:       " + r.steps().size());
        w.println("  source:      " + r.source());
    }

    static Map<String, Object> toMap(DftResult r, boolean allSteps) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", r.status().id());
        m.put("message", r.message());
        m.put("code", r.code().id());
        m.put("code_version", r.codeVersion());
        m.put("n_atoms", r.nAtoms());
        DftStep last = r.lastStep();
        putStep(m, last);
        m.put("wall_time_s", r.wallSeconds());
        m.put("ionic_converged", r.ionicConverged());
        m.put("source", r.source());
        if (allSteps) {
            List<Map<String, Object>> steps = new ArrayList<>();
            for (DftStep s : r.steps()) {
                Map<String, Object> sm = new LinkedHashMap<>();
                putStep(sm, s);
                sm.put("scf_converged", s.scfConverged());
                steps.add(sm);
            }
            m.put("steps", steps);
        }
        return m;
    }

    private static void putStep(Map<String, Object> m, DftStep s) {
        m.put("energy_eV", s == null ? null : s.energy());
        m.put("energy_sigma0_eV", s == null ? null : s.energyZeroSigma());
        m.put("energy_total_eV", s == null ? null : s.energyTotal());
        double[] f = s == null ? null : s.forces();
        m.put("max_force_eV_per_A", f == null ? null : s.maxForce());
        if (f == null) {
            m.put("forces_eV_per_A", null);
        } else {
            List<double[]> rows = new ArrayList<>();
            for (int i = 0; i < f.length; i += 3) rows.add(new double[] {f[i], f[i + 1], f[i + 2]});
            m.put("forces_eV_per_A", rows);
        }
        double[] st = s == null ? null : s.stress();
        m.put("stress_GPa", st == null ? null : Units.stressToGPa(st));
        m.put("stress_eV_per_A3", st);
        m.put("pressure_GPa", st == null ? null : Units.pressureGPa(st));
    }
}
