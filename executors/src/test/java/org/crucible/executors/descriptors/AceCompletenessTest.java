package org.crucible.executors.descriptors;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.crucible.core.Structure;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.junit.jupiter.api.Test;

/**
 * Completeness sanity check: a Stillinger-Weber (2+3-body) energy surface is in the span of the nu &lt;= 2 ACE
 * basis (its angular part (cos theta + 1/3)^2 needs l &lt;= 2), so a plain least-squares fit of total energies
 * must reproduce held-out random Si cells to well under 1 meV/atom.
 */
class AceCompletenessTest {
    private static final int SI = 14;

    @Test
    void nuTwoFitReproducesStillingerWeberOnHeldOutRandomCells() {
        AceBasis basis = new AceBasis(new AceParameters(new int[] {SI}, StillingerWeberSiteEnergy.cutoff(), 0.0, 0.0, Double.NaN, new int[] {16, 16}, 1.0, 2));
        Random rnd = new Random(2024);
        List<Structure> train = new ArrayList<>(), test = new ArrayList<>();
        for (int k = 0; k < 700; k++) train.add(TestStructures.randomCell(rnd, 4 + rnd.nextInt(5), new int[] {SI}, 17 + 7 * rnd.nextDouble(), 2.05));
        for (int k = 0; k < 100; k++) test.add(TestStructures.randomCell(rnd, 4 + rnd.nextInt(5), new int[] {SI}, 17 + 7 * rnd.nextDouble(), 2.05));
        int f = basis.size();
        DMatrixRMaj x = new DMatrixRMaj(train.size(), f);
        DMatrixRMaj y = new DMatrixRMaj(train.size(), 1);
        for (int r = 0; r < train.size(); r++) {
            Structure s = train.get(r);
            double[] b = basis.atomicFeatures(s);
            for (int i = 0; i < s.size(); i++) for (int c = 0; c < f; c++) x.add(r, c, b[i * f + c] / s.size());
            y.set(r, 0, StillingerWeberSiteEnergy.energy(s) / s.size());
        }
        // column scaling keeps the QR well conditioned; coefficients are scaled back below
        double[] scale = new double[f];
        for (int c = 0; c < f; c++) {
            double m = 0;
            for (int r = 0; r < train.size(); r++) m = Math.max(m, Math.abs(x.get(r, c)));
            scale[c] = m > 0 ? 1 / m : 1;
            for (int r = 0; r < train.size(); r++) x.set(r, c, x.get(r, c) * scale[c]);
        }
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.pseudoInverse(true);
        assertTrue(solver.setA(x));
        DMatrixRMaj coef = new DMatrixRMaj(f, 1);
        solver.solve(y, coef);
        double[] c = new double[f];
        for (int k = 0; k < f; k++) c[k] = coef.get(k, 0) * scale[k];
        double sq = 0, worst = 0, spread = 0;
        for (Structure s : test) {
            double pred = basis.evaluate(s, new double[][] {c}).energies()[0] / s.size();
            double ref = StillingerWeberSiteEnergy.energy(s) / s.size();
            double err = pred - ref;
            sq += err * err;
            worst = Math.max(worst, Math.abs(err));
            spread = Math.max(spread, Math.abs(ref));
        }
        double rmse = Math.sqrt(sq / test.size());
        System.out.printf("ACE nu<=2 (F=%d) fit of Stillinger-Weber: held-out RMSE %.4f meV/atom, max %.4f meV/atom (energies up to %.2f eV/atom)%n",
                f, 1e3 * rmse, 1e3 * worst, spread);
        assertTrue(rmse < 1e-3, "held-out RMSE " + rmse + " eV/atom");
    }
}
