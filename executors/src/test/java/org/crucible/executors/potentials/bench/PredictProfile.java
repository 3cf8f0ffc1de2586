package org.crucible.executors.potentials.bench;

import java.util.List;
import org.crucible.core.Structure;
import org.crucible.executors.calculators.StillingerWeber;
import org.crucible.executors.descriptors.AceBasis;
import org.crucible.executors.descriptors.AceParameters;
import org.crucible.executors.potentials.FitOptions;
import org.crucible.executors.potentials.LinearPotential;
import org.crucible.executors.potentials.PotentialFitter;
import org.crucible.executors.potentials.SiStructures;

/** Where the time of one committee prediction goes (16-atom Si, default ACE, K = 8), in thread CPU time. */
public final class PredictProfile {
    public static void main(String[] args) {
        StillingerWeber sw = StillingerWeber.silicon();
        AceBasis basis = new AceBasis(AceParameters.defaults(14));
        List<Structure> data = SiStructures.label(SiStructures.mixed(1, 60), sw);
        LinearPotential pot = PotentialFitter.fit(data, basis, FitOptions.defaults()).potential();
        Structure s = data.stream().filter(x -> x.size() == 16).findFirst().orElseThrow();
        double[][] one = {pot.coefficients()};
        double[][] nine = new double[9][];
        nine[0] = pot.coefficients();
        System.arraycopy(pot.committee(), 0, nine, 1, 8);
        for (int rep = 0; rep < 3; rep++) {
            int n = 200;
            var mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long t0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) basis.evaluate(s, one);
            long t1 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) basis.evaluate(s, nine);
            long t2 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) basis.atomicFeatures(s);
            long t3 = mx.getCurrentThreadCpuTime();
            double[] b = basis.atomicFeatures(s);
            for (int i = 0; i < n; i++) pot.activeSet().grade(b, s.size());
            long t4 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) pot.predict(s, false);
            long t5 = mx.getCurrentThreadCpuTime();
            System.out.printf("per call: evaluate K=1 %.2f ms, K=9 %.2f ms, atomicFeatures %.2f ms, grade %.2f ms, predict without grade %.2f ms%n",
                    (t1 - t0) / 1e6 / n, (t2 - t1) / 1e6 / n, (t3 - t2) / 1e6 / n, (t4 - t3) / 1e6 / n, (t5 - t4) / 1e6 / n);
        }
    }
}
