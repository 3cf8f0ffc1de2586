package org.crucible.executors.potentials;

import java.util.ArrayList;
import java.util.List;

/**
 * Batch selection by the maxvol update of the MTP active-learning papers (Podryabinkin and Shapeev, Comput. Mater.
 * Sci. 140, 171 (2017); Podryabinkin, Tikhonov, Shapeev, Oganov, PRB 99, 064114 (2019), eq. 5): from candidate
 * structures, each a block of per-atom descriptor rows, repeatedly take the one with the largest extrapolation grade
 * gamma = max over its atoms and k of |c_k|, c = x A^-1, against the current active set A, and add it to A by
 * {@link ActiveSet#update} (each accepted row replaces the active row of its largest |c_k|, multiplying |det A| by
 * that |c_k|); grades of the remaining candidates are re-evaluated against the updated set, so a candidate that is
 * nearly a copy of one already picked drops below gamma_select and is not picked. Stops after {@code batch} picks or
 * when no candidate exceeds gamma_select. The picks are therefore the most linearly independent of the candidates
 * with respect to the training set (the largest volume gain), not merely the highest grades. Ties break by id.
 *
 * <pre>{@code
 * BatchMaxvol.Result r = BatchMaxvol.select(active, candidates, 20);
 * r.picks(); // ids in the order they were added
 * }</pre>
 */
public final class BatchMaxvol {
    private BatchMaxvol() {
    }

    /** A candidate structure: its id and its per-atom descriptor rows (atoms x F, row-major). */
    public record Candidate(long id, double[] rows, int atoms) {
        public Candidate {
            if (atoms < 1 || rows.length % atoms != 0) throw new IllegalArgumentException("candidate " + id + ": " + rows.length + " values for " + atoms + " atoms");
            rows = rows.clone();
        }
    }

    /** The picked ids (in order), their grades when picked, and the active set after the update. */
    public record Result(List<Long> picks, List<Double> grades, ActiveSet updated) {
        public Result {
            picks = List.copyOf(picks);
            grades = List.copyOf(grades);
        }
    }

    /** Up to {@code batch} candidates by the greedy maxvol update of {@code start}. */
    public static Result select(ActiveSet start, List<Candidate> candidates, int batch) {
        if (batch < 0) throw new IllegalArgumentException("batch must be >= 0, got " + batch);
        List<Candidate> left = new ArrayList<>(candidates);
        left.sort(java.util.Comparator.comparingLong(Candidate::id));
        ActiveSet set = start;
        List<Long> picks = new ArrayList<>();
        List<Double> grades = new ArrayList<>();
        while (picks.size() < batch && !left.isEmpty()) {
            int best = -1;
            double bestGrade = set.gammaSelect();
            for (int i = 0; i < left.size(); i++) {
                Candidate c = left.get(i);
                if (c.rows.length / c.atoms != set.features()) {
                    throw new IllegalArgumentException("candidate " + c.id + " has " + c.rows.length / c.atoms + " features, the active set " + set.features());
                }
                double g = set.grade(c.rows, c.atoms);
                if (g > bestGrade) {
                    bestGrade = g;
                    best = i;
                }
            }
            if (best < 0) break;
            Candidate pick = left.remove(best);
            set = set.update(pick.rows, pick.atoms);
            picks.add(pick.id);
            grades.add(bestGrade);
        }
        return new Result(picks, grades, set);
    }
}
