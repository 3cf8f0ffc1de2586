package org.crucible.driver.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crucible.core.Cell;
import org.crucible.core.Elements;
import org.crucible.core.Structure;
import org.crucible.executors.calculators.Calculator;
import org.crucible.executors.calculators.Eam;
import org.crucible.executors.calculators.StillingerWeber;
import org.crucible.executors.calculators.Tersoff;
import org.crucible.executors.md.MdSettings;
import org.crucible.executors.md.MolecularDynamics;
import org.crucible.executors.md.Velocities;

/**
 * Crucible's calculators against LAMMPS ({@code lmp}) on the same structures in one run: per potential, the same
 * rattled box is written as a LAMMPS data file, LAMMPS runs NVE molecular dynamics on it twice (its default Verlet
 * list, and a list rebuilt on every step), and Crucible evaluates the same box.
 *
 * <p>Rows (microseconds per atom, CPU time of the measuring thread for Crucible, LAMMPS's loop time times its
 * reported "% CPU use" for LAMMPS, so a busy machine inflates neither side's figure by its wall-clock share):
 * <ul>
 * <li><b>evaluation, list reused</b>: Crucible's energy, forces and stress of two frames 0.02 Angstrom apart in
 * turn (the per-thread list with its skin stays valid, displacements are recomputed) against LAMMPS's "Pair" time
 * per atom-step with its default list (no neighbour work);</li>
 * <li><b>evaluation, list rebuilt</b>: Crucible on frames a rigid 0.7 Angstrom apart (beyond the skin: the list is
 * built for every call) against LAMMPS's Pair + Neigh time per atom-step with {@code neigh_modify every 1 delay 0
 * check no};</li>
 * <li><b>MD step</b>: Crucible's {@link MolecularDynamics} NVE (velocity Verlet, 1 fs) against LAMMPS's whole loop
 * ({@code fix nve}) per atom-step, both reusing their lists.</li>
 * </ul>
 * The first frame's energy from both programs is printed as a check that the structures are the same (SW, Tersoff
 * and EAM agree with LAMMPS to about 1e-13 eV/atom; a large difference means the comparison is not like for like).
 *
 * <p>Written by hand rather than with JMH because LAMMPS has to run inside the same invocation; the Crucible side warms
 * up for a fixed CPU time first, as the JMH benchmarks in docs/benchmarks.md do.
 */
public final class LammpsComparison {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static final Pattern LOOP = Pattern.compile("Loop time of ([0-9.eE+-]+) on (\\d+) procs for (\\d+) steps with (\\d+) atoms");
    private static final Pattern CPU = Pattern.compile("([0-9.]+)% CPU use");

    /**
     * @param atoms   about this many atoms per box (diamond Si: 8 per cubic cell, fcc Al-Cu: 4), at least 8
     * @param steps   LAMMPS and Crucible MD steps per run (the list-rebuilt LAMMPS run too), at least 10
     * @param seconds Crucible's CPU time per evaluation measurement (warm-up the same, at least 1 s), &gt; 0
     * @param kernels which of sw, tersoff, eam
     */
    public record Settings(int atoms, int steps, double seconds, List<String> kernels, String lmp, Path potentials, long seed) {
        public Settings {
            if (atoms < 8) throw new IllegalArgumentException("--atoms must be >= 8, got " + atoms);
            if (steps < 10) throw new IllegalArgumentException("--steps must be >= 10, got " + steps);
            if (!(seconds > 0) || !Double.isFinite(seconds)) throw new IllegalArgumentException("--seconds must be > 0, got " + seconds);
            if (kernels.isEmpty()) throw new IllegalArgumentException("--kernels names none of sw, tersoff, eam");
            for (String k : kernels) {
                if (!List.of("sw", "tersoff", "eam").contains(k)) throw new IllegalArgumentException("--kernels: unknown kernel '" + k + "' (sw, tersoff, eam)");
            }
            kernels = List.copyOf(kernels);
        }
    }

    /**
     * One kernel's figures, microseconds per atom (CPU); energies eV/atom.
     *
     * @param energyDifference |E_crucible - E_lammps| per atom of the first frame
     */
    public record Row(String kernel, String potentialFile, int atoms, double crucibleReused, double lammpsPair, double crucibleRebuilt,
                      double lammpsPairNeigh, double crucibleMd, double lammpsMd, double energyPerAtom, double energyDifference) {
        public double reusedRatio() {
            return crucibleReused / lammpsPair;
        }

        public double rebuiltRatio() {
            return crucibleRebuilt / lammpsPairNeigh;
        }

        public double mdRatio() {
            return crucibleMd / lammpsMd;
        }
    }

    /** A LAMMPS run's figures: CPU microseconds per atom-step for the loop, Pair and Neigh, and the step-0 energy. */
    record LammpsRun(double loop, double pair, double neigh, double energy) {
    }

    private final Path work;
    private final LongSupplier cpuNanos;

    /** @param work directory for the data files, inputs and logs of LAMMPS (kept, so each run can be inspected) */
    public LammpsComparison(Path work) {
        this(work, MX::getCurrentThreadCpuTime);
    }

    LammpsComparison(Path work, LongSupplier cpuNanos) {
        this.work = work;
        this.cpuNanos = cpuNanos;
    }

    public List<Row> run(Settings set) throws IOException, InterruptedException {
        List<Row> rows = new ArrayList<>();
        for (String k : set.kernels()) rows.add(row(k, set));
        return rows;
    }

    private Row row(String kernel, Settings set) throws IOException, InterruptedException {
        Path file;
        Calculator calc;
        Structure box;
        String[] species;
        String pairStyle;
        double[] masses;
        switch (kernel) {
            case "sw", "tersoff" -> {
                file = set.potentials().resolve(kernel.equals("sw") ? "Si.sw" : "Si.tersoff");
                requireFile(file);
                calc = kernel.equals("sw") ? StillingerWeber.fromFile(file) : Tersoff.fromFile(file);
                int reps = Math.max(1, (int) Math.round(Math.cbrt(set.atoms() / 8.0)));
                box = crystal(DIAMOND, reps, 5.431, new int[] {14}, 0, set.seed());
                species = new String[] {"Si"};
                masses = new double[] {Elements.bySymbol("Si").mass()};
                pairStyle = kernel;
            }
            case "eam" -> {
                file = set.potentials().resolve("AlCu.eam.alloy");
                requireFile(file);
                Eam eam = Eam.fromFile(file);
                calc = eam;
                int reps = Math.max(2, (int) Math.round(Math.cbrt(set.atoms() / 4.0)));
                // a random Al-Cu fcc alloy, 25 % Cu, at the Al lattice constant
                box = crystal(FCC, reps, 4.05, new int[] {13, 29}, 0.25, set.seed());
                species = eam.elements();
                masses = eam.masses();
                pairStyle = "eam/alloy";
            }
            default -> throw new IllegalArgumentException("unknown kernel " + kernel);
        }
        int n = box.size();
        Path dir = Files.createDirectories(work.resolve(kernel));
        writeData(dir.resolve("box.data"), box, species, masses);
        LammpsRun reused = lammps(set.lmp(), dir, "reused", pairStyle, file, species, set.steps(), false);
        LammpsRun rebuilt = lammps(set.lmp(), dir, "rebuilt", pairStyle, file, species, set.steps(), true);

        double energy = calc.calculate(box).energy();
        double warm = time(calc, box, shifted(box, 0.02, 2), set.seconds());
        double cold = time(calc, box, shifted(box, 0.7, 0), set.seconds());
        Map<String, Double> massOf = new java.util.HashMap<>();
        for (int s = 0; s < species.length; s++) massOf.put(species[s], masses[s]);
        MdSettings md = MdSettings.nve(1.0, set.steps()).withSampleEvery(set.steps()).withMasses(massOf);
        double[] v0 = Velocities.maxwellBoltzmann(MolecularDynamics.masses(box, md), 300, new SplittableRandom(set.seed()), true);
        new MolecularDynamics(calc, md.withSteps(Math.max(10, set.steps() / 5))).run(box, v0, null, null); // warm-up
        long c0 = cpuNanos.getAsLong();
        new MolecularDynamics(calc, md).run(box, v0, null, null);
        double mdUs = (cpuNanos.getAsLong() - c0) / 1e3 / set.steps() / n;
        return new Row(kernel, file.toString(), n, warm, reused.pair(), cold, rebuilt.pair() + rebuilt.neigh(), mdUs, reused.loop(), energy / n,
                Math.abs(energy - reused.energy()) / n);
    }

    private static void requireFile(Path file) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("potential file " + file + " not found (--potentials)");
    }

    /**
     * CPU microseconds per atom per evaluation, alternating between two frames; warms up for as long first, and for
     * at least one CPU second (the JIT compiles a large loop late: a 256-atom EAM box measured after 0.3 s of
     * warm-up read 23 us/atom, 5.3 once compiled).
     */
    private double time(Calculator calc, Structure s, Structure t, double seconds) {
        double sink = 0;
        long measure = (long) (seconds * 1e9);
        long w0 = cpuNanos.getAsLong();
        while (cpuNanos.getAsLong() - w0 < Math.max(measure, 1_000_000_000L)) sink += calc.calculate(s).energy() + calc.calculate(t).energy();
        int reps = 0;
        long c0 = cpuNanos.getAsLong();
        while (cpuNanos.getAsLong() - c0 < measure || reps < 6) {
            sink += calc.calculate(s).energy() + calc.calculate(t).energy();
            reps += 2;
        }
        long cpu = cpuNanos.getAsLong() - c0;
        if (sink == 42) System.out.print("");
        return cpu / 1e3 / reps / s.size();
    }

    /**
     * Runs {@code lmp} on the box: NVE at 300 K for {@code steps} steps, thermo at steps 0 and the last; returns its
     * CPU figures per atom-step and the step-0 potential energy (eV).
     */
    LammpsRun lammps(String lmp, Path dir, String name, String pairStyle, Path file, String[] species, int steps, boolean rebuildEveryStep)
            throws IOException, InterruptedException {
        String in = String.join("\n", "units metal", "atom_style atomic", "boundary p p p", "read_data box.data",
                "pair_style " + pairStyle, "pair_coeff * * " + file.toAbsolutePath() + " " + String.join(" ", species),
                "velocity all create 300 4928459 mom yes rot no", rebuildEveryStep ? "neigh_modify every 1 delay 0 check no" : "neigh_modify every 1 delay 0 check yes",
                "fix 1 all nve", "thermo_style custom step pe", "thermo_modify format float %.12f", "thermo " + steps, "timestep 0.001", "run " + steps, "");
        Files.writeString(dir.resolve("in." + name), in);
        Process p;
        try {
            p = new ProcessBuilder(lmp, "-in", "in." + name, "-log", "log." + name, "-screen", "none").directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("out." + name).toFile()).start();
        } catch (IOException e) {
            throw new IOException("cannot run LAMMPS '" + lmp + "' (--lmp): " + e.getMessage(), e);
        }
        if (!p.waitFor(3600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("LAMMPS did not finish within an hour in " + dir);
        }
        Path log = dir.resolve("log." + name);
        if (p.exitValue() != 0 || !Files.exists(log)) throw new IOException("LAMMPS failed (exit " + p.exitValue() + "); see " + dir.resolve("out." + name));
        return parseLog(Files.readString(log, StandardCharsets.UTF_8), log);
    }

    /** The figures of a LAMMPS log: loop, Pair and Neigh CPU microseconds per atom-step, and the first thermo energy. */
    static LammpsRun parseLog(String log, Path where) throws IOException {
        Matcher loop = LOOP.matcher(log);
        Matcher cpu = CPU.matcher(log);
        if (!loop.find() || !cpu.find()) throw new IOException("no loop time in " + where);
        double wall = Double.parseDouble(loop.group(1));
        double steps = Double.parseDouble(loop.group(3)), atoms = Double.parseDouble(loop.group(4));
        double frac = Double.parseDouble(cpu.group(1)) / 100.0;
        double perStep = 1e6 / steps / atoms * frac;
        Matcher thermo = Pattern.compile("(?m)^\\s*Step\\s+PotEng\\s*\\n\\s*0\\s+(-?[0-9.eE+-]+)").matcher(log);
        if (!thermo.find()) throw new IOException("no step-0 energy in " + where);
        return new LammpsRun(wall * perStep, section(log, "Pair", where) * perStep, section(log, "Neigh", where) * perStep,
                Double.parseDouble(thermo.group(1)));
    }

    /** The average time (s) of one row of LAMMPS's "MPI task timing breakdown". */
    private static double section(String log, String name, Path where) throws IOException {
        Matcher m = Pattern.compile("(?m)^" + name + "\\s*\\|\\s*[0-9.eE+-]+\\s*\\|\\s*([0-9.eE+-]+)\\s*\\|").matcher(log);
        if (!m.find()) throw new IOException("no " + name + " time in " + where);
        return Double.parseDouble(m.group(1));
    }

    /** A LAMMPS data file (atomic style) of an orthogonal periodic box with the origin at 0. */
    static void writeData(Path file, Structure s, String[] species, double[] masses) throws IOException {
        double[] l = s.cell().matrix();
        if (l[1] != 0 || l[2] != 0 || l[3] != 0 || l[5] != 0 || l[6] != 0 || l[7] != 0) {
            throw new IllegalArgumentException("the LAMMPS comparison writes orthogonal boxes only");
        }
        StringBuilder sb = new StringBuilder("# crucible bench lammps\n\n");
        sb.append(s.size()).append(" atoms\n").append(species.length).append(" atom types\n\n");
        sb.append(String.format(Locale.ROOT, "0 %.17g xlo xhi%n0 %.17g ylo yhi%n0 %.17g zlo zhi%n%nMasses%n%n", l[0], l[4], l[8]));
        for (int t = 0; t < species.length; t++) sb.append(t + 1).append(' ').append(masses[t]).append('\n');
        sb.append("\nAtoms # atomic\n\n");
        for (int i = 0; i < s.size(); i++) {
            String sym = Elements.byZ(s.atomicNumber(i)).symbol();
            int type = List.of(species).indexOf(sym) + 1;
            if (type == 0) throw new IllegalArgumentException("no LAMMPS type for " + sym);
            double[] p = s.position(i);
            sb.append(String.format(Locale.ROOT, "%d %d %.17g %.17g %.17g%n", i + 1, type, p[0], p[1], p[2]));
        }
        Files.writeString(file, sb.toString());
    }

    static final double[][] DIAMOND = {{0, 0, 0}, {0.25, 0.25, 0.25}, {0, 0.5, 0.5}, {0.25, 0.75, 0.75}, {0.5, 0, 0.5}, {0.75, 0.25, 0.75},
        {0.5, 0.5, 0}, {0.75, 0.75, 0.25}};
    static final double[][] FCC = {{0, 0, 0}, {0, 0.5, 0.5}, {0.5, 0, 0.5}, {0.5, 0.5, 0}};

    /**
     * reps^3 conventional cells of a cubic crystal, each atom rattled by up to +-0.025 Angstrom per coordinate and
     * wrapped into the box; with two elements the second takes a fraction {@code second} of the sites at random.
     */
    static Structure crystal(double[][] basis, int reps, double a, int[] z, double second, long seed) {
        int n = basis.length * reps * reps * reps;
        double[] xyz = new double[3 * n];
        int[] zs = new int[n];
        Random rng = new Random(seed);
        double len = reps * a;
        int i = 0;
        for (int x = 0; x < reps; x++) {
            for (int y = 0; y < reps; y++) {
                for (int w = 0; w < reps; w++) {
                    for (double[] f : basis) {
                        double[] p = {(x + f[0]) * a, (y + f[1]) * a, (w + f[2]) * a};
                        for (int c = 0; c < 3; c++) {
                            double v = p[c] + 0.05 * (rng.nextDouble() - 0.5);
                            xyz[3 * i + c] = v - len * Math.floor(v / len);
                        }
                        zs[i] = z.length > 1 && rng.nextDouble() < second ? z[1] : z[0];
                        i++;
                    }
                }
            }
        }
        return Structure.of(Cell.cubic(len), zs, xyz);
    }

    /** seed 0: every atom moved rigidly by {@code amount} Angstrom along (1,1,1); otherwise each coordinate by a random +-amount/2. */
    static Structure shifted(Structure s, double amount, long seed) {
        Random rng = new Random(seed);
        double[] p = s.positions();
        double r = amount / Math.sqrt(3);
        for (int i = 0; i < p.length; i++) p[i] += seed == 0 ? r : amount * (rng.nextDouble() - 0.5);
        return s.withPositions(p);
    }
}
