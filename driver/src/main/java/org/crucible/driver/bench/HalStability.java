package org.crucible.driver.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.Oracle;
import org.crucible.core.Structure;
import org.crucible.driver.campaign.CampaignRunner;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.protocol.SeedStructures;
import org.crucible.driver.store.TrainingStore;
import org.crucible.executors.calculators.CalculationException;
import org.crucible.executors.calculators.Calculator;
import org.crucible.executors.calculators.Eam;
import org.crucible.executors.calculators.StillingerWeber;
import org.crucible.executors.md.MdFrame;
import org.crucible.executors.md.MdSettings;
import org.crucible.executors.md.MolecularDynamics;
import org.crucible.executors.md.Thermostat;
import org.crucible.executors.md.Velocities;
import org.crucible.executors.potentials.LinearPotential;
import org.crucible.executors.potentials.ModelFile;

/**
 * The HAL paper's central measurement at a small size: for each model of a finished HAL campaign
 * ({@code models/model-NNN.json}), {@code runs} independent unbiased Langevin MD runs with the model's mean potential
 * (T K, damping 100 fs, {@code steps} steps of {@code dt} fs, run i seeded i) from the campaign's cycle-1 starting
 * configurations (the seeds, with random occupancy when configured), and whether every run stays physical: no pair
 * closer than {@code minDistance} Angstrom and |conserved energy(t) - conserved energy(0)| / n at most
 * {@code maxDriftEvPerAtom} eV/atom in every sampled frame (every 10 steps; the conserved energy includes the Langevin
 * bath's, so it drifts only by integration error, and a blown-up model breaks it at once), and the potential never
 * refuses a configuration. The row of a model gives the oracle calls it was fitted to (labels of cycles up to its
 * own). Then the held-out error of the last model against the oracle (SW or EAM) on frames of unbiased oracle MD at
 * T (energy meV/atom, forces meV/Angstrom RMSE).
 *
 * <p>A run ends at its first unphysical frame (its worst pair and drift are those of that frame), so a collapsing model
 * costs little; a model's runs share {@link Settings#threads()} threads, and {@link Settings#failFast()} stops a model at its
 * first unphysical run, which is what "oracle calls until N runs stay physical" needs. The last lines give the first
 * all-stable model and the model from which every later one is all-stable (an early model fitted to a few crystal
 * configurations can stay near its crystal, and a later one still collapse).
 */
public final class HalStability {
    /**
     * The test: runs, steps, time step (fs), temperature (K), shortest allowed pair (Angstrom), largest drift (eV/atom),
     * oracle-MD frames for the held-out error, threads (runs of one model in parallel; results do not depend on it), and
     * fail-fast (stop a model's runs at its first unphysical one: the model is then known not to be all-stable, and its
     * stable-run count is a lower bound), and whether the oracle itself (SW or EAM) runs the same test as a reference row
     * (its shortest pair shows what --min-distance leaves between a model and the physics).
     */
    public record Settings(int runs, int steps, double timestepFs, double temperatureK, double minDistance, double maxDriftEvPerAtom, int heldOutFrames,
            int threads, boolean failFast, boolean oracleRow) {
        public Settings {
            if (runs < 1 || steps < 1 || !(timestepFs > 0) || !(temperatureK > 0) || !(minDistance > 0) || !(maxDriftEvPerAtom > 0) || heldOutFrames < 0 || threads < 1) {
                throw new IllegalArgumentException("hal-stability settings out of range: runs, steps, threads >= 1; time step, temperature, distance, drift > 0; frames >= 0");
            }
        }

        /** All runs of every model, one thread (the settings of session 30-34's tables). */
        public Settings(int runs, int steps, double timestepFs, double temperatureK, double minDistance, double maxDriftEvPerAtom, int heldOutFrames) {
            this(runs, steps, timestepFs, temperatureK, minDistance, maxDriftEvPerAtom, heldOutFrames, 1, false, false);
        }
    }

    /**
     * One model's result. {@code completedRuns} is {@code runs} unless fail-fast stopped the model; {@code firstUnstable}
     * is the lowest index of an unphysical run found (-1 if none) and {@code firstUnstableStep} the MD step where it was
     * found unphysical.
     */
    public record Row(int cycle, int oracleCalls, int stableRuns, int completedRuns, int runs, double worstMinDistance, double worstDriftEvPerAtom,
            int firstUnstable, long firstUnstableStep) {
        public boolean allStable() {
            return stableRuns == runs;
        }
    }

    /** One run: physical or not, the shortest pair and largest drift seen, and the step at which it stopped being physical. */
    record Run(boolean physical, double minDistance, double driftEvPerAtom, long unphysicalStep) {
    }

    /** Thrown by the frame observer to end a run as soon as it is unphysical (nothing after that point can make it physical again). */
    private static final class Unphysical extends RuntimeException {
        final long step;

        Unphysical(long step) {
            super(null, null, false, false);
            this.step = step;
        }
    }

    private final PrintWriter out;
    /**
     * Rows already measured in this instance, by the potential's {@link #fingerprint}, the settings and the starts:
     * campaigns that differ only in tau_r share their first models (the same labels give the same fit), and a cycle that
     * labelled nothing refits the same mean; each is run once.
     */
    private final Map<String, Row> measured = new java.util.HashMap<>();

    public HalStability(PrintWriter out) {
        this.out = out;
    }

    /** Evaluates every model of the campaign in {@code dir}; prints a table and returns the rows. */
    public List<Row> run(Path dir, Settings set) throws IOException {
        CampaignConfig cfg = CampaignRunner.config(dir);
        List<Structure> starts = new SeedStructures(cfg).plan(1).blocks().get(0).given().stream().map(PoolEntry::structure).toList();
        if (starts.isEmpty()) throw new IllegalArgumentException(dir + ": the campaign has no seed structures (hal.seeds)");
        Map<Integer, Integer> byCycle;
        try (TrainingStore store = TrainingStore.open(CampaignRunner.storeUri(cfg, dir), new org.apache.hadoop.conf.Configuration())) {
            byCycle = new TreeMap<>(store.stats().byCycle());
        }
        List<Row> rows = new ArrayList<>();
        out.printf(Locale.ROOT, "%s: %d runs x %d steps of %.1f fs at %.0f K from %d start(s); physical = no pair < %.2f A and |drift| <= %.3f eV/atom%s%n",
                dir, set.runs(), set.steps(), set.timestepFs(), set.temperatureK(), starts.size(), set.minDistance(), set.maxDriftEvPerAtom(),
                set.failFast() ? "; fail-fast (a model stops at its first unphysical run)" : "");
        out.println("model  oracle_calls  stable_runs  worst_min_pair_A  worst_drift_eV_per_atom  first_unphysical(run@step)  wall_s");
        LinearPotential last = null;
        for (int c = 0; ; c++) {
            Path model = dir.resolve(String.format("models/model-%03d.json", c));
            if (!Files.exists(model)) break;
            LinearPotential pot = ModelFile.read(model).potential();
            last = pot;
            int calls = 0;
            for (var e : byCycle.entrySet()) if (e.getKey() <= c) calls += e.getValue();
            long t0 = System.nanoTime();
            String key = fingerprint(pot) + " " + set + " " + startsKey(starts);
            Row seen = measured.get(key);
            Row r = seen != null ? new Row(c, calls, seen.stableRuns(), seen.completedRuns(), seen.runs(), seen.worstMinDistance(), seen.worstDriftEvPerAtom(),
                    seen.firstUnstable(), seen.firstUnstableStep()) : stability(pot, c, calls, starts, set);
            measured.putIfAbsent(key, r);
            rows.add(r);
            print(String.format(Locale.ROOT, "%5d", c), Integer.toString(calls), r, t0);
            if (seen != null) out.println("       (the same potential as a model measured above: its row is reused)");
            out.flush();
        }
        if (set.oracleRow()) {
            Calculator oracle = oracle(cfg);
            String key = "oracle " + oracle.name() + " " + set + " " + startsKey(starts);
            Row seen = measured.get(key);
            long t0 = System.nanoTime();
            Row r = seen != null ? seen : stability(oracle, -1, 0, starts, set);
            measured.putIfAbsent(key, r);
            print("oracle", "-", r, t0);
            out.println("       (the oracle itself, " + oracle.name() + ", under the same test: its shortest pair calibrates --min-distance)");
        }
        Integer first = rows.stream().filter(Row::allStable).map(Row::oracleCalls).findFirst().orElse(null);
        out.println("first all-stable model: " + (first == null ? "none" : first + " oracle calls"));
        Integer from = stableFrom(rows);
        out.println("stable from (this model and every later one all-stable): " + (from == null ? "none" : from + " oracle calls"));
        if (last != null && set.heldOutFrames() > 0) {
            double[] err = heldOut(last, oracle(cfg), starts.get(0), set);
            out.printf(Locale.ROOT, "held-out (last model vs oracle, %d frames of oracle MD at %.0f K): energy %.2f meV/atom, forces %.1f meV/A%n",
                    set.heldOutFrames(), set.temperatureK(), err[0], err[1]);
        }
        out.flush();
        return rows;
    }

    /**
     * SHA-256 (hex) of what the stability runs use of a model: its model-file form without the committee (only the mean
     * potential drives the MD) and without the provenance. Equal for models fitted to the same labels.
     */
    static String fingerprint(LinearPotential pot) {
        try {
            Map<String, Object> json = new TreeMap<>(ModelFile.toJson(pot, Map.of()));
            json.remove("committee");
            json.remove("provenance");
            byte[] bytes = new com.fasterxml.jackson.databind.ObjectMapper().configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
                    .writeValueAsBytes(json);
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot fingerprint the potential", e);
        }
    }

    /** The start configurations' cells, atomic numbers and positions, as a cache key. */
    private static String startsKey(List<Structure> starts) {
        StringBuilder b = new StringBuilder();
        for (Structure s : starts) {
            b.append(java.util.Arrays.hashCode(s.cell().matrix())).append(':').append(java.util.Arrays.hashCode(s.atomicNumbers())).append(':')
                    .append(java.util.Arrays.hashCode(s.positions())).append(';');
        }
        return b.toString();
    }

    /** One table row: model (or "oracle"), oracle calls, stable runs (a lower bound after fail-fast), worst pair and drift, first unphysical run, wall s since {@code t0}. */
    private void print(String model, String calls, Row r, long t0) {
        String stable = r.completedRuns() == r.runs() ? r.stableRuns() + "/" + r.runs() : ">=" + r.stableRuns() + "/" + r.runs() + " (" + r.completedRuns() + " run)";
        out.printf(Locale.ROOT, "%5s  %12s  %11s  %16.3f  %23.4f  %26s  %6.0f%n", model, calls, stable, r.worstMinDistance(), r.worstDriftEvPerAtom(),
                r.firstUnstable() < 0 ? "-" : r.firstUnstable() + "@" + r.firstUnstableStep(), (System.nanoTime() - t0) / 1e9);
    }

    /** The oracle calls of the first model from which every model is all-stable, or null when the last one is not. */
    static Integer stableFrom(List<Row> rows) {
        Integer from = null;
        for (int i = rows.size() - 1; i >= 0 && rows.get(i).allStable(); i--) from = rows.get(i).oracleCalls();
        return from;
    }

    /**
     * Runs {@code set.runs()} unbiased Langevin runs with {@code pot} on {@code set.threads()} threads. Run i starts from
     * {@code starts[i mod size]} with velocities and noise from {@code SplittableRandom(i)}, so each run, and without
     * fail-fast the whole row, is the same for any thread count. With fail-fast, runs not yet started when an unphysical
     * run is found are skipped.
     */
    static Row stability(Calculator pot, int cycle, int calls, List<Structure> starts, Settings set) {
        MdSettings md = MdSettings.nve(set.timestepFs(), set.steps()).withThermostat(new Thermostat.Langevin(set.temperatureK(), 100)).withSampleEvery(10);
        Run[] results = new Run[set.runs()];
        AtomicBoolean failed = new AtomicBoolean();
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int i; (i = next.getAndIncrement()) < set.runs(); ) {
                if (set.failFast() && failed.get()) return;
                Run r = run(pot, md, starts.get(i % starts.size()), i, set);
                results[i] = r;
                if (!r.physical()) failed.set(true);
            }
        };
        if (set.threads() == 1) {
            worker.run();
        } else {
            ExecutorService ex = Executors.newFixedThreadPool(set.threads(), r -> {
                Thread t = new Thread(r, "hal-stability");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<?>> fs = new ArrayList<>();
                for (int k = 0; k < set.threads(); k++) fs.add(ex.submit(worker));
                for (Future<?> f : fs) f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running the stability MD", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) throw re;
                throw new IllegalStateException(e.getCause());
            } finally {
                ex.shutdownNow();
            }
        }
        int stable = 0, completed = 0, firstBad = -1;
        long firstBadStep = -1;
        double worstD = Double.POSITIVE_INFINITY, worstDrift = 0;
        for (int i = 0; i < results.length; i++) {
            Run r = results[i];
            if (r == null) continue;
            completed++;
            if (r.physical()) stable++;
            else if (firstBad < 0) {
                firstBad = i;
                firstBadStep = r.unphysicalStep();
            }
            worstD = Math.min(worstD, r.minDistance());
            worstDrift = Math.max(worstDrift, r.driftEvPerAtom());
        }
        return new Row(cycle, calls, stable, completed, set.runs(), worstD, worstDrift, firstBad, firstBadStep);
    }

    /** Run i: ends at the first sampled frame (every 10 steps) that is unphysical, or when the potential refuses a configuration. */
    static Run run(Calculator pot, MdSettings md, Structure s, int i, Settings set) {
        SplittableRandom rng = new SplittableRandom(i);
        double[] v = Velocities.maxwellBoltzmann(MolecularDynamics.masses(s, md), set.temperatureK(), rng, true);
        double[] e0 = {Double.NaN};
        double[] minD = {Double.POSITIVE_INFINITY};
        double[] drift = {0};
        long[] lastStep = {0};
        try {
            new MolecularDynamics(pot, md).run(s, v, rng, f -> {
                lastStep[0] = f.step();
                if (Double.isNaN(e0[0])) e0[0] = f.conservedEnergy();
                double d = Math.abs(f.conservedEnergy() - e0[0]) / s.size();
                drift[0] = Math.max(drift[0], Double.isNaN(d) ? Double.POSITIVE_INFINITY : d);
                minD[0] = Math.min(minD[0], minPair(f));
                if (minD[0] < set.minDistance() || drift[0] > set.maxDriftEvPerAtom()) throw new Unphysical(f.step());
            });
            return new Run(true, minD[0], drift[0], -1);
        } catch (Unphysical u) {
            return new Run(false, minD[0], drift[0], u.step);
        } catch (CalculationException e) {
            return new Run(false, minD[0], Double.POSITIVE_INFINITY, lastStep[0]);
        }
    }

    /** Shortest interatomic distance (Angstrom), periodic images within one cell of the minimum image included. */
    static double minPair(MdFrame f) {
        Structure s = f.structure();
        double[] h = s.cell().matrix();
        double[] frac = s.cell().toFractionalAll(s.positions());
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < s.size(); i++) {
            for (int j = i + 1; j < s.size(); j++) {
                double[] df = new double[3];
                for (int k = 0; k < 3; k++) {
                    df[k] = frac[3 * j + k] - frac[3 * i + k];
                    df[k] -= Math.rint(df[k]);
                }
                for (int a = -1; a <= 1; a++) {
                    for (int b = -1; b <= 1; b++) {
                        for (int c = -1; c <= 1; c++) {
                            double fx = df[0] + a, fy = df[1] + b, fz = df[2] + c;
                            double x = fx * h[0] + fy * h[3] + fz * h[6];
                            double y = fx * h[1] + fy * h[4] + fz * h[7];
                            double z = fx * h[2] + fy * h[5] + fz * h[8];
                            best = Math.min(best, Math.sqrt(x * x + y * y + z * z));
                        }
                    }
                }
            }
        }
        return best;
    }

    /** RMSE of energy (meV/atom) and forces (meV/Angstrom) of {@code pot} against {@code oracle} on oracle MD frames. */
    static double[] heldOut(LinearPotential pot, Calculator oracle, Structure start, Settings set) {
        int every = Math.max(1, set.steps() / set.heldOutFrames());
        MdSettings md = MdSettings.nve(set.timestepFs(), every * set.heldOutFrames()).withThermostat(new Thermostat.Langevin(set.temperatureK(), 100))
                .withSampleEvery(every);
        SplittableRandom rng = new SplittableRandom(12345);
        double[] v = Velocities.maxwellBoltzmann(MolecularDynamics.masses(start, md), set.temperatureK(), rng, true);
        double[] acc = new double[4];
        new MolecularDynamics(oracle, md).run(start, v, rng, f -> {
            if (f.step() == 0) return;
            Structure s = f.structure();
            var ref = s.labels();
            var mine = pot.calculate(s.withLabels(null));
            double de = (mine.energy() - ref.energy()) / s.size();
            acc[0] += de * de;
            acc[1]++;
            double[] a = mine.forces(), b = ref.forces();
            for (int k = 0; k < a.length; k++) acc[2] += (a[k] - b[k]) * (a[k] - b[k]);
            acc[3] += a.length;
        });
        return new double[] {1000 * Math.sqrt(acc[0] / acc[1]), 1000 * Math.sqrt(acc[2] / acc[3])};
    }

    static Calculator oracle(CampaignConfig cfg) {
        if (cfg.oracle() instanceof Oracle.Embedded em && em.type().equals("sw")) {
            return em.parameterFile() == null ? StillingerWeber.silicon() : StillingerWeber.fromFile(Path.of(em.parameterFile()));
        }
        if (cfg.oracle() instanceof Oracle.Eam eam) return Eam.fromFile(Path.of(eam.file()));
        throw new IllegalArgumentException("the held-out test runs oracle MD, which needs an embedded sw or eam oracle, not " + cfg.oracle().type());
    }
}
