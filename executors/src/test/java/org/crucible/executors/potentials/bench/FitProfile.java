package org.crucible.executors.potentials.bench;

import java.util.List;
import org.crucible.core.Structure;
import org.crucible.executors.calculators.StillingerWeber;
import org.crucible.executors.descriptors.AceBasis;
import org.crucible.executors.descriptors.AceParameters;
import org.crucible.executors.descriptors.LinearBasis;
import org.crucible.executors.potentials.FitOptions;
import org.crucible.executors.potentials.FitResult;
import org.crucible.executors.potentials.PotentialFitter;
import org.crucible.executors.potentials.SiStructures;
import org.crucible.executors.potentials.StreamingQr;

/**
 * Stage timings of a fit, wall clock and process CPU time (the CPU figure is the robust one on a shared machine):
 * java -cp ... FitProfile N [ace|swace].
 */
public final class FitProfile {
    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        StillingerWeber sw = StillingerWeber.silicon();
        AceParameters p = args.length > 1 && args[1].equals("swace")
                ? new AceParameters(new int[] {14}, sw.cutoff(), 0.0, 0.0, Double.NaN, new int[] {16, 16}, 1.0, 2)
                : AceParameters.defaults(14);
        LinearBasis basis = new AceBasis(p);
        List<Structure> data = SiStructures.label(SiStructures.mixed(1, n), sw);
        int atoms = data.stream().mapToInt(Structure::size).sum();
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long c0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        long rows = 0;
        for (Structure s : data) rows += basis.designRows(s).forces().length / basis.size() + 7;
        long t1 = System.nanoTime();
        long c1 = os.getProcessCpuTime();
        StreamingQr qr = new StreamingQr(basis.size());
        double[] row = new double[basis.size()];
        java.util.Random r = new java.util.Random(1);
        for (long i = 0; i < rows; i++) {
            for (int j = 0; j < row.length; j++) row[j] = r.nextGaussian();
            qr.add(row, 0, r.nextGaussian(), 1.0);
        }
        qr.problem();
        long t2 = System.nanoTime();
        long c2 = os.getProcessCpuTime();
        FitResult fit = PotentialFitter.fit(data, basis, FitOptions.defaults().withActiveSet(false));
        long t3 = System.nanoTime();
        long c3 = os.getProcessCpuTime();
        FitResult fit2 = PotentialFitter.fit(data, basis, FitOptions.defaults());
        long t4 = System.nanoTime();
        long c4 = os.getProcessCpuTime();
        System.out.printf("structures %d atoms %d F %d rows %d (wall / process CPU seconds): design rows alone (serial) %.1f / %.1f;"
                        + " streaming QR of as many rows alone %.1f / %.1f; full fit without active set %.1f / %.1f; full fit with active set %.1f / %.1f;"
                        + " train RMSE %s%n",
                n, atoms, basis.size(), rows, (t1 - t0) / 1e9, (c1 - c0) / 1e9, (t2 - t1) / 1e9, (c2 - c1) / 1e9,
                (t3 - t2) / 1e9, (c3 - c2) / 1e9, (t4 - t3) / 1e9, (c4 - c3) / 1e9, fit2.trainingErrors());
    }
}
