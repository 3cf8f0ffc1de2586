package org.crucible.executors.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.executors.calculators.Eam;
import org.crucible.executors.md.MdSettings;
import org.crucible.executors.md.MolecularDynamics;
import org.crucible.executors.md.Velocities;

/**
 * EAM force evaluation and EAM molecular dynamics per atom-step, Crucible against LAMMPS in the same run on the
 * same kind of box: a random 50/50 Cu-Ni fcc alloy, k x k x k conventional cells at a = 3.56 A, 300 K, NVE, dt 1 fs,
 * {@code CuNi.eam.alloy}. Crucible times are the measuring thread's CPU time; LAMMPS' are its loop time (and its
 * "Pair" share of it) times its reported "% CPU use" (docs/benchmarks.md, section "EAM and MD").
 *
 * <p>Run: {@code java -cp ... org.crucible.executors.bench.EamMdBenchmark [cells-per-edge] [md-steps]}.
 */
public final class EamMdBenchmark {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static final String FILE = "/usr/share/lammps/potentials/CuNi.eam.alloy";

    public static void main(String[] args) throws Exception {
        int k = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Eam eam = Eam.fromFile(Path.of(FILE));
        Structure box = alloy(k, 3.56, new Random(1));
        int n = box.size();
        MdSettings set = MdSettings.nve(1.0, steps).withSampleEvery(steps)
                .withMasses(Map.of(eam.elements()[0], eam.masses()[0], eam.elements()[1], eam.masses()[1]));
        double[] v0 = Velocities.maxwellBoltzmann(MolecularDynamics.masses(box, set), 300, new SplittableRandom(2), true);
        MolecularDynamics md = new MolecularDynamics(eam, set);
        // warm-up: JIT and the per-thread neighbour list
        new MolecularDynamics(eam, set.withSteps(Math.max(100, steps / 5))).run(box, v0, null, null);
        long cpu0 = MX.getCurrentThreadCpuTime(), wall0 = System.nanoTime();
        md.run(box, v0, null, null);
        double mdCpu = (MX.getCurrentThreadCpuTime() - cpu0) / 1e3 / steps / n, mdWall = (System.nanoTime() - wall0) / 1e3 / steps / n;
        // force evaluation alone, list reused (two frames 0.02 A apart, as in an MD step)
        Structure other = shift(box, 0.02, 3);
        int reps = 0;
        double sink = 0;
        cpu0 = MX.getCurrentThreadCpuTime();
        wall0 = System.nanoTime();
        while (reps < Math.max(20, steps / 2)) {
            sink += eam.calculate(box).energy() + eam.calculate(other).energy();
            reps += 2;
        }
        double fCpu = (MX.getCurrentThreadCpuTime() - cpu0) / 1e3 / reps / n, fWall = (System.nanoTime() - wall0) / 1e3 / reps / n;
        if (sink == 42) System.out.println();
        double[] lmp = lammps(k, steps);
        System.out.printf(Locale.ROOT, "# random CuNi fcc alloy, %d atoms (%dx%dx%d cells), CuNi.eam.alloy, NVE 300 K, dt 1 fs, %d steps%n", n, k, k, k, steps);
        System.out.println("| per atom-step, us (CPU / wall) | Crucible | LAMMPS 29Sep2021 | ratio Crucible / LAMMPS (CPU) |");
        System.out.println("|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| EAM energy + forces + stress (LAMMPS: Pair time) | %.3f / %.3f | %.3f / %.3f | %.2f |%n", fCpu, fWall, lmp[2], lmp[3], fCpu / lmp[2]);
        System.out.printf(Locale.ROOT, "| whole MD step (LAMMPS: loop time) | %.3f / %.3f | %.3f / %.3f | %.2f |%n", mdCpu, mdWall, lmp[0], lmp[1], mdCpu / lmp[0]);
        System.out.printf(Locale.ROOT, "MD overhead beyond the force call (CPU): %.1f %%%n", 100 * (mdCpu - fCpu) / fCpu);
    }

    static Structure alloy(int k, double a, Random rng) {
        double[][] basis = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
        int n = 4 * k * k * k;
        double[] x = new double[3 * n];
        int[] z = new int[n];
        int i = 0;
        for (int p = 0; p < k; p++) {
            for (int q = 0; q < k; q++) {
                for (int r = 0; r < k; r++) {
                    for (double[] b : basis) {
                        x[3 * i] = (p + b[0]) * a;
                        x[3 * i + 1] = (q + b[1]) * a;
                        x[3 * i + 2] = (r + b[2]) * a;
                        z[i++] = rng.nextBoolean() ? 29 : 28;
                    }
                }
            }
        }
        return Structure.of(Cell.cubic(k * a), z, x);
    }

    static Structure shift(Structure s, double amount, long seed) {
        Random rng = new Random(seed);
        double[] p = s.positions();
        for (int i = 0; i < p.length; i++) p[i] += amount * (rng.nextDouble() - 0.5);
        return s.withPositions(p);
    }

    /** LAMMPS {loop CPU, loop wall, pair CPU, pair wall} microseconds per atom-step. */
    static double[] lammps(int k, int steps) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("crucible-lmp-eam");
        String in = String.join("\n", "units metal", "atom_style atomic", "boundary p p p", "lattice fcc 3.56",
                "region box block 0 " + k + " 0 " + k + " 0 " + k, "create_box 2 box", "create_atoms 1 box",
                "set type 1 type/fraction 2 0.5 12345", "pair_style eam/alloy", "pair_coeff * * " + FILE + " Ni Cu",
                "velocity all create 300 4928459 loop geom", "timestep 0.001", "fix 1 all nve", "thermo " + steps, "run " + steps, "");
        Files.writeString(dir.resolve("in.bench"), in);
        Process p = new ProcessBuilder("lmp", "-in", "in.bench", "-log", "log.lammps", "-screen", "none").directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile()).start();
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("lmp failed in " + dir);
        String log = Files.readString(dir.resolve("log.lammps"));
        Matcher loop = Pattern.compile("Loop time of ([0-9.eE+-]+) on 1 procs for (\\d+) steps with (\\d+) atoms").matcher(log);
        Matcher cpu = Pattern.compile("([0-9.]+)% CPU use").matcher(log);
        Matcher pair = Pattern.compile("(?m)^Pair\\s*\\|\\s*([0-9.eE+-]+)\\s*\\|\\s*([0-9.eE+-]+)").matcher(log);
        if (!loop.find() || !cpu.find() || !pair.find()) throw new IOException("no timing in " + dir.resolve("log.lammps"));
        double wall = Double.parseDouble(loop.group(1));
        double st = Double.parseDouble(loop.group(2)), atoms = Double.parseDouble(loop.group(3));
        double frac = Double.parseDouble(cpu.group(1)) / 100.0;
        double pairWall = Double.parseDouble(pair.group(2));
        double us = 1e6 / st / atoms;
        return new double[] {wall * frac * us, wall * us, pairWall * frac * us, pairWall * us};
    }
}
