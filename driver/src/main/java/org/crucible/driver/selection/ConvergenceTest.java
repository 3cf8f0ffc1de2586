package org.crucible.driver.selection;

import java.util.List;

/**
 * The NN-ensemble stopping rule: the campaign has converged when the energies (eV/atom) of the k lowest clusters
 * moved less than epsilon between consecutive cycles, over the last {@code cyclesCompared} cycle pairs. A cycle with
 * fewer than k clusters never counts as converged.
 */
public record ConvergenceTest(int k, double epsilonEvPerAtom, int cyclesCompared) {
    public ConvergenceTest {
        if (k < 1) throw new IllegalArgumentException("k must be >= 1, got " + k);
        if (!(epsilonEvPerAtom > 0)) throw new IllegalArgumentException("epsilon must be > 0 eV/atom, got " + epsilonEvPerAtom);
        if (cyclesCompared < 1) throw new IllegalArgumentException("cycles compared must be >= 1, got " + cyclesCompared);
    }

    /**
     * @param history per cycle, the ascending lowest cluster energies (eV/atom), oldest first
     */
    public boolean converged(List<List<Double>> history) {
        if (history.size() < cyclesCompared + 1) return false;
        for (int t = history.size() - cyclesCompared; t < history.size(); t++) {
            List<Double> now = history.get(t);
            List<Double> before = history.get(t - 1);
            if (now.size() < k || before.size() < k) return false;
            for (int i = 0; i < k; i++) if (!(Math.abs(now.get(i) - before.get(i)) < epsilonEvPerAtom)) return false;
        }
        return true;
    }

    /** The largest change among the k lowest cluster energies between the last two cycles (NaN when undefined). */
    public double lastChange(List<List<Double>> history) {
        if (history.size() < 2) return Double.NaN;
        List<Double> now = history.get(history.size() - 1);
        List<Double> before = history.get(history.size() - 2);
        if (now.size() < k || before.size() < k) return Double.NaN;
        double m = 0;
        for (int i = 0; i < k; i++) m = Math.max(m, Math.abs(now.get(i) - before.get(i)));
        return m;
    }
}
