package org.crucible.executors.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crucible.core.Cell;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.executors.calculators.Calculator;
import org.crucible.executors.calculators.RandomStructures;
import org.crucible.executors.calculators.StillingerWeber;
import org.crucible.executors.calculators.Tersoff;
import org.crucible.executors.relax.Fire;
import org.crucible.executors.relax.Lbfgs;
import org.crucible.executors.relax.RelaxResult;
import org.crucible.executors.relax.RelaxSettings;
import org.crucible.executors.relax.Relaxer;

/**
 * Calculator and relaxer benchmark, with LAMMPS timed in the same run on the same box (docs/benchmarks.md,
 * section "Calculators and relaxation"). Times are per thread CPU time (the machine is shared, so wall time
 * is also printed); LAMMPS CPU time is its loop time times the "% CPU use" it reports.
 *
 * <p>Run: {@code java -cp ... org.crucible.executors.bench.CalculatorBenchmark [seconds-per-measurement]}.
 */
public final class CalculatorBenchmark {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static final String POT = "/usr/share/lammps/potentials/";

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5.0;
        Structure box = diamondBox(5, 5.431, 0.05, 1);
        System.out.printf(Locale.ROOT, "# %d-atom diamond Si box (5x5x5 conventional cells, a = 5.431 A, rattled 0.05 A)%n", box.size());
        System.out.println("| calculator | Crucible us/atom, list reused (CPU / wall) | LAMMPS us/atom, list reused (CPU / wall) | ratio (CPU) "
                + "| Crucible us/atom, list rebuilt every call (CPU / wall) | LAMMPS us/atom, list rebuilt every step (CPU / wall) | ratio (CPU) |");
        System.out.println("|---|---|---|---|---|---|---|");
        row("sw (Si.sw)", StillingerWeber.fromFile(Path.of(POT + "Si.sw")), box, seconds, "sw", POT + "Si.sw");
        row("tersoff (Si.tersoff)", Tersoff.fromFile(Path.of(POT + "Si.tersoff")), box, seconds, "tersoff", POT + "Si.tersoff");
        relaxerOverhead(seconds);
        randomRelaxations(seconds);
    }

    /**
     * Like for like (issue 23): LAMMPS runs first, while this JVM is idle (no JIT or GC threads competing for the
     * two cores), and each Crucible column is set against the LAMMPS run that treats its neighbour list the same
     * way: reused (LAMMPS's default Verlet list, skin 2 A, never rebuilt in 1000 steps at 300 K) or rebuilt on every
     * step ({@code neigh_modify every 1 delay 0 check no}).
     */
    static void row(String name, Calculator calc, Structure box, double seconds, String style, String file) throws Exception {
        double[] lmpReused = lammps(style, file, false);
        double[] lmpRebuilt = lammps(style, file, true);
        // MD-like: two frames 0.02 A apart (the Verlet list stays valid, displacements are recomputed)
        double[] warm = time(calc, box, shifted(box, 0.02, 2), seconds);
        // every call a frame 0.7 A away from the last (rigid shift: same energy, but the list must be rebuilt)
        double[] cold = time(calc, box, shifted(box, 0.7, 0), seconds);
        System.out.printf(Locale.ROOT, "| %s | %.3f / %.3f | %.3f / %.3f | %.2f | %.3f / %.3f | %.3f / %.3f | %.2f |%n", name, warm[0], warm[1],
                lmpReused[0], lmpReused[1], warm[0] / lmpReused[0], cold[0], cold[1], lmpRebuilt[0], lmpRebuilt[1], cold[0] / lmpRebuilt[0]);
    }

    /** {CPU, wall} microseconds per atom per energy+forces+stress evaluation (neighbour list included). */
    static double[] time(Calculator calc, Structure s, Structure t, double seconds) {
        long end = System.nanoTime() + (long) (1e9 * Math.min(2.0, seconds / 2));
        double sink = 0;
        while (System.nanoTime() < end) sink += calc.calculate(s).energy() + calc.calculate(t).energy();
        int reps = 0;
        long cpu0 = MX.getCurrentThreadCpuTime(), wall0 = System.nanoTime();
        long stop = wall0 + (long) (1e9 * seconds);
        while (System.nanoTime() < stop || reps < 6) {
            sink += calc.calculate(s).energy() + calc.calculate(t).energy();
            reps += 2;
        }
        long cpu = MX.getCurrentThreadCpuTime() - cpu0, wall = System.nanoTime() - wall0;
        if (sink == 42) System.out.println();
        return new double[] {cpu / 1e3 / reps / s.size(), wall / 1e3 / reps / s.size()};
    }

    /**
     * LAMMPS {CPU, wall} microseconds per atom-step for 1000 NVE steps of the same box at 300 K; with
     * {@code rebuildEveryStep} the neighbour list is rebuilt on every step.
     */
    static double[] lammps(String style, String file, boolean rebuildEveryStep) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("crucible-lmp-bench");
        String in = String.join("\n", "units metal", "atom_style atomic", "boundary p p p", "lattice diamond 5.431",
                "region box block 0 5 0 5 0 5", "create_box 1 box", "create_atoms 1 box", "mass 1 28.0855",
                "pair_style " + style, "pair_coeff * * " + file + " Si", "velocity all create 300 4928459 loop geom",
                rebuildEveryStep ? "neigh_modify every 1 delay 0 check no" : "neigh_modify every 1 delay 0 check yes",
                "fix 1 all nve", "thermo 1000", "run 1000", "");
        Files.writeString(dir.resolve("in.bench"), in);
        Process p = new ProcessBuilder("lmp", "-in", "in.bench", "-log", "log.lammps", "-screen", "none").directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile()).start();
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("lmp failed in " + dir);
        String log = Files.readString(dir.resolve("log.lammps"));
        Matcher loop = Pattern.compile("Loop time of ([0-9.eE+-]+) on 1 procs for (\\d+) steps with (\\d+) atoms").matcher(log);
        Matcher cpu = Pattern.compile("([0-9.]+)% CPU use").matcher(log);
        if (!loop.find() || !cpu.find()) throw new IOException("no loop time in " + dir.resolve("log.lammps"));
        double wall = Double.parseDouble(loop.group(1));
        double steps = Double.parseDouble(loop.group(2)), atoms = Double.parseDouble(loop.group(3));
        double frac = Double.parseDouble(cpu.group(1)) / 100.0;
        double wallUs = wall * 1e6 / steps / atoms;
        return new double[] {wallUs * frac, wallUs};
    }

    /** seed 0: every atom moved rigidly by {@code amount} Angstrom along (1,1,1); otherwise each coordinate by a random +-amount/2. */
    static Structure shifted(Structure s, double amount, long seed) {
        Random rng = new Random(seed);
        double[] p = s.positions();
        double r = amount / Math.sqrt(3);
        for (int i = 0; i < p.length; i++) p[i] += seed == 0 ? r : amount * (rng.nextDouble() - 0.5);
        return s.withPositions(p);
    }

    static Structure diamondBox(int reps, double a, double rattle, long seed) {
        double[][] frac = {{0, 0, 0}, {0.25, 0.25, 0.25}, {0, 0.5, 0.5}, {0.25, 0.75, 0.75}, {0.5, 0, 0.5}, {0.75, 0.25, 0.75},
            {0.5, 0.5, 0}, {0.75, 0.75, 0.25}};
        int n = 8 * reps * reps * reps;
        double[] xyz = new double[3 * n];
        int[] z = new int[n];
        Random rng = new Random(seed);
        int i = 0;
        for (int x = 0; x < reps; x++) {
            for (int y = 0; y < reps; y++) {
                for (int w = 0; w < reps; w++) {
                    for (double[] f : frac) {
                        xyz[3 * i] = (x + f[0]) * a + rattle * (rng.nextDouble() - 0.5);
                        xyz[3 * i + 1] = (y + f[1]) * a + rattle * (rng.nextDouble() - 0.5);
                        xyz[3 * i + 2] = (w + f[2]) * a + rattle * (rng.nextDouble() - 0.5);
                        z[i++] = 14;
                    }
                }
            }
        }
        return Structure.of(Cell.cubic(reps * a), z, xyz);
    }

    /** Wraps a calculator and adds up the thread CPU time spent inside it. */
    static final class TimedCalculator implements Calculator {
        final Calculator inner;
        long cpuNanos;
        long calls;

        TimedCalculator(Calculator inner) {
            this.inner = inner;
        }

        @Override
        public Set<Property> implementedProperties() {
            return inner.implementedProperties();
        }

        @Override
        public Labels calculate(Structure s) {
            long t0 = MX.getCurrentThreadCpuTime();
            Labels l = inner.calculate(s);
            cpuNanos += MX.getCurrentThreadCpuTime() - t0;
            calls++;
            return l;
        }
    }

    /**
     * Relaxer overhead per step beyond the calculator: real variable-cell relaxations of random Si16 cells with
     * SW, total thread CPU time minus the CPU time spent inside the calculator, per step.
     */
    static void relaxerOverhead(double seconds) {
        Random rng = new Random(5);
        List<Structure> cells = new ArrayList<>();
        for (int i = 0; i < 200; i++) cells.add(RandomStructures.random(rng, new String[] {"Si"}, 16, 20, 2.0, false));
        RelaxSettings settings = RelaxSettings.DEFAULT.withPatience(0);
        System.out.println();
        System.out.println("| relaxer (random Si16, variable cell, SW) | overhead per step beyond the calculator, ms (CPU) | calculator per evaluation, ms (CPU) | steps measured |");
        System.out.println("|---|---|---|---|");
        for (Relaxer r : List.of(new Fire(), new Lbfgs(), Lbfgs.exp())) {
            TimedCalculator warm = new TimedCalculator(StillingerWeber.silicon());
            for (int i = 0; i < 20; i++) r.relax(cells.get(i), warm, settings);
            TimedCalculator calc = new TimedCalculator(StillingerWeber.silicon());
            long steps = 0;
            int done = 0;
            long cpu0 = MX.getCurrentThreadCpuTime(), wall0 = System.nanoTime();
            long stop = wall0 + (long) (1e9 * seconds);
            while (done < cells.size() && (System.nanoTime() < stop || done < 10)) steps += r.relax(cells.get(done++), calc, settings).steps();
            long cpu = MX.getCurrentThreadCpuTime() - cpu0;
            System.out.printf(Locale.ROOT, "| %s | %.5f | %.5f | %d |%n", r.name(), (cpu - calc.cpuNanos) / 1e6 / steps, calc.cpuNanos / 1e6 / calc.calls, steps);
        }
    }

    static void randomRelaxations(double seconds) {
        StillingerWeber sw = StillingerWeber.silicon();
        Random rng = new Random(7);
        List<Structure> cells = new ArrayList<>();
        for (int i = 0; i < 400; i++) cells.add(RandomStructures.random(rng, new String[] {"Si"}, 16, 20, 2.0, false));
        RelaxSettings settings = RelaxSettings.DEFAULT.withPatience(0);
        System.out.println();
        System.out.println("| optimiser | random Si16 cells fully relaxed per CPU second (one core) | converged | mean steps | SW evaluations per CPU second |");
        System.out.println("|---|---|---|---|---|");
        for (Relaxer r : List.of(new Lbfgs(), Lbfgs.exp(), new Fire())) {
            for (int i = 0; i < 20; i++) r.relax(cells.get(i), sw, settings); // warm-up
            int done = 0, converged = 0;
            long steps = 0, evals = 0;
            long cpu0 = MX.getCurrentThreadCpuTime(), wall0 = System.nanoTime();
            long stop = wall0 + (long) (1e9 * seconds);
            while (done < cells.size() && (System.nanoTime() < stop || done < 20)) {
                RelaxResult res = r.relax(cells.get(done++), sw, settings);
                if (res.converged()) converged++;
                steps += res.steps();
                evals += res.evaluations();
            }
            double cpu = (MX.getCurrentThreadCpuTime() - cpu0) / 1e9;
            System.out.printf(Locale.ROOT, "| %s | %.1f | %d/%d | %.1f | %.0f |%n", r.name(), done / cpu, converged, done, (double) steps / done, evals / cpu);
        }
    }
}
