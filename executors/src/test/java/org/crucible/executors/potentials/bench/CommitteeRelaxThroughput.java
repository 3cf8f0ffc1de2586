package org.crucible.executors.potentials.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.executors.calculators.Calculator;
import org.crucible.executors.calculators.RandomStructures;
import org.crucible.executors.calculators.StillingerWeber;
import org.crucible.executors.descriptors.AceBasis;
import org.crucible.executors.descriptors.AceParameters;
import org.crucible.executors.potentials.FitOptions;
import org.crucible.executors.potentials.LinearPotential;
import org.crucible.executors.potentials.PotentialFitter;
import org.crucible.executors.potentials.SiStructures;
import org.crucible.executors.relax.Fire;
import org.crucible.executors.relax.Relaxer;
import org.crucible.executors.relax.Lbfgs;
import org.crucible.executors.relax.RelaxResult;
import org.crucible.executors.relax.RelaxSettings;
import org.crucible.executors.relax.StopReason;

/**
 * Issue 23, goal 4: random Si16 cells relaxed with the committee model per core-second, as a campaign's relax stage
 * does it (FIRE, variable cell, fmax 0.05 eV/Angstrom, smax 0.1 GPa, at most 100 steps, patience 20; the
 * examples' settings), with and without the uncertainty stop U = max_i sigma_F,i / max_i |F_i| >= 0.5. The model:
 * default ACE for Si (307 functions), K = 8, fitted to 200 SW-labelled Si cells ({@code SiStructures.mixed}). With the
 * stop every step evaluates the mean and the 8 members ({@code predict(s, false)}); without it, the mean model alone
 * ({@code calculate}). Thread CPU time, after relaxing 10 cells as warm-up.
 * Usage: {@code java -cp ... org.crucible.executors.potentials.bench.CommitteeRelaxThroughput [CELLS] [fire|lbfgs|precon]}
 * (default 60 cells, FIRE: the campaigns' optimizer; {@code lbfgs} and {@code precon}, the exponential-preconditioned
 * L-BFGS, show what the optimizer alone changes).
 */
public final class CommitteeRelaxThroughput {
    private CommitteeRelaxThroughput() {
    }

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        String optimizer = args.length > 1 ? args[1] : "fire";
        List<Structure> data = SiStructures.label(SiStructures.mixed(1, 200), StillingerWeber.silicon());
        LinearPotential pot = PotentialFitter.fit(data, new AceBasis(AceParameters.defaults(14)), FitOptions.defaults()).potential();
        Random rng = new Random(7);
        List<Structure> cells = new ArrayList<>();
        for (int i = 0; i < count + 10; i++) cells.add(RandomStructures.random(rng, new String[] {"Si"}, 16, 20, 2.0, false));
        RelaxSettings base = RelaxSettings.DEFAULT.withFmax(0.05).withSmaxGPa(0.1).withMaxSteps(100).withPatience(20);
        System.out.println("| mode | random Si16 cells relaxed per CPU second | mean steps | stop reasons | calculator calls per CPU second |");
        System.out.println("|---|---|---|---|---|");
        for (boolean withStop : new boolean[] {true, false}) {
            double[] lastU = {Double.NaN};
            Calculator calc = withStop ? new Calculator() {
                @Override
                public java.util.Set<Property> implementedProperties() {
                    return pot.implementedProperties();
                }

                @Override
                public Labels calculate(Structure s) {
                    var p = pot.predict(s, false);
                    lastU[0] = p.ensembleUncertainty();
                    return p.labels();
                }

                @Override
                public String name() {
                    return pot.name();
                }
            } : pot;
            RelaxSettings settings = withStop ? base.withEarlyStop((s, step) -> lastU[0] >= 0.5) : base;
            Relaxer fire = switch (optimizer) {
                case "fire" -> new Fire();
                case "lbfgs" -> new Lbfgs();
                case "precon" -> Lbfgs.exp();
                default -> throw new IllegalArgumentException("optimizer fire, lbfgs or precon, got " + optimizer);
            };
            for (int i = 0; i < 10; i++) fire.relax(cells.get(count + i), calc, settings);
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            Map<StopReason, Integer> reasons = new EnumMap<>(StopReason.class);
            long steps = 0, evals = 0;
            long c0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < count; i++) {
                RelaxResult r = fire.relax(cells.get(i), calc, settings);
                reasons.merge(r.reason(), 1, Integer::sum);
                steps += r.steps();
                evals += r.evaluations();
            }
            double cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
            System.out.printf(Locale.ROOT, "| %s, %s | %.1f | %.1f | %s | %.0f |%n", withStop ? "committee, uncertainty stop U >= 0.5" : "mean model, no stop", fire.name(),
                    count / cpu, (double) steps / count, reasons, evals / cpu);
        }
    }
}
