package org.crucible.driver.pool.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.crucible.core.Structure;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.pool.RelaxStage;
import org.crucible.executors.calculators.StillingerWeber;
import org.crucible.executors.descriptors.AceBasis;
import org.crucible.executors.descriptors.AceParameters;
import org.crucible.executors.generators.Composition;
import org.crucible.executors.generators.RandomCellGenerator;
import org.crucible.executors.potentials.FitOptions;
import org.crucible.executors.potentials.LinearPotential;
import org.crucible.executors.potentials.PotentialFitter;

/**
 * Issue 19 item 6: the pool relaxation's cost when the committee spread U is measured on every k-th calculator call
 * ({@code protocol.relax.uncertainty_every}). The stage is the campaign's own ({@link RelaxStage}: FIRE, variable
 * cell, fmax 0.05 eV/Angstrom, at most 100 steps, patience 20, U stop 0.5, hard-core guard 0.7); the model is the
 * default ACE for Si (K = 8) fitted to 150 SW-labelled random Si cells (8-16 atoms) from the campaign's generator;
 * the pool is N further random Si16 cells. Prints, per k, relaxations per thread-CPU second, mean steps, stop
 * reasons, and how many relaxed entries equal k = 1's bit for bit. Warm-up: 10 relaxations per k.
 *
 * <p>Usage: {@code java -cp <driver test classpath> org.crucible.driver.pool.bench.UncertaintyEveryBenchmark [N] [k...]}
 * (default 60 cells, k = 1 2 5 10).
 */
public final class UncertaintyEveryBenchmark {
    private UncertaintyEveryBenchmark() {
    }

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        List<Integer> ks = new ArrayList<>();
        for (int i = 1; i < args.length; i++) ks.add(Integer.parseInt(args[i]));
        if (ks.isEmpty()) ks = List.of(1, 2, 5, 10);
        StillingerWeber sw = StillingerWeber.silicon();
        RandomCellGenerator small = new RandomCellGenerator(RandomCellGenerator.Settings.of(Composition.parse("Si"), 8, 16));
        List<Structure> train = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            Structure s = small.generate(1, i);
            train.add(s.withLabels(sw.calculate(s)));
        }
        LinearPotential pot = PotentialFitter.fit(train, new AceBasis(AceParameters.defaults(14)), FitOptions.defaults()).potential();
        RandomCellGenerator si16 = new RandomCellGenerator(RandomCellGenerator.Settings.of(Composition.parse("Si"), 16, 16));
        List<PoolEntry> pool = new ArrayList<>();
        for (int i = 0; i < count + 10; i++) pool.add(PoolEntry.of(i, si16.generate(2, i), "random"));
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        List<PoolEntry> reference = null;
        System.out.println("| k | Si16 relaxations per CPU second | mean steps | stop reasons | equal to k = 1 |");
        System.out.println("|---|---|---|---|---|");
        for (int k : ks) {
            RelaxStage stage = new RelaxStage("fire", 0.05, 100, 20, 0.5, 5, 0.7, Map.of(), k);
            for (int i = 0; i < 10; i++) stage.apply(pool.get(count + i), pot, 0);
            List<PoolEntry> out = new ArrayList<>();
            Map<String, Integer> reasons = new TreeMap<>();
            long steps = 0;
            long c0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < count; i++) {
                PoolEntry e = stage.apply(pool.get(i), pot, 0);
                out.add(e);
                reasons.merge(e.status(), 1, Integer::sum);
                steps += e.steps();
            }
            double cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
            if (reference == null) reference = out;
            int same = 0;
            for (int i = 0; i < count; i++) if (out.get(i).equals(reference.get(i))) same++;
            System.out.printf(Locale.ROOT, "| %d | %.1f | %.1f | %s | %d of %d |%n", k, count / cpu, (double) steps / count, reasons, same, count);
        }
    }
}
