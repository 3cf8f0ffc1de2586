package org.crucible.driver.pool;

import java.io.Serializable;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Which summaries reach the driver when a pool is too large to collect whole: the {@code count} selectable rows
 * ({@link PoolSummary#selectable()}) with the lowest selection score s = E/atom - omega_f * max|F| (eV/atom; omega_f in
 * Angstrom), ties by id. On Spark each partition keeps its own {@code count} lowest in a bounded queue and the driver
 * merges them ({@code takeOrdered}), so the driver holds O(count) rows, never the pool, and the set is the pool-wide
 * {@code count} lowest: it does not depend on the partitioning.
 *
 * <p>{@link #highestGrades} instead keeps the {@code count} rows with a descriptor row of largest uncertainty (an
 * extrapolation grade), ties by id, whether or not they have an energy (unrelaxed cells of a pre-exploration).
 *
 * <p>Usage: {@code pool.summaries(new Preselection(20_000, 0.5))}.
 */
public record Preselection(int count, double omegaF, boolean byGrade) implements Serializable {
    /** The lowest selection scores s = E/atom - omega_f * max|F|. */
    public Preselection(int count, double omegaF) {
        this(count, omegaF, false);
    }

    /** The {@code count} rows with a descriptor row and the largest uncertainty, ties by id. */
    public static Preselection highestGrades(int count) {
        return new Preselection(count, 0.0, true);
    }

    public Preselection {
        if (count < 1) throw new IllegalArgumentException("preselection count must be >= 1, got " + count);
        if (!(omegaF >= 0) || Double.isInfinite(omegaF)) throw new IllegalArgumentException("omega_f must be a finite number >= 0, got " + omegaF);
    }

    /** s = E/atom - omega_f * max|F| (the score of {@code ClusterSelector}); minus the uncertainty when by grade. */
    public double score(PoolSummary s) {
        return byGrade ? -s.uncertainty() : s.energyPerAtom() - omegaF * s.maxForce();
    }

    /** Whether a row may be kept: selectable, or (by grade) carrying a descriptor row. */
    public boolean keeps(PoolSummary s) {
        return byGrade ? s.features().length > 0 : s.selectable();
    }

    /** Lowest score first, then lowest id: a total order on selectable rows. */
    public Comparator<PoolSummary> order() {
        return new Order(this);
    }

    /** The preselected rows of {@code rows}, sorted by id (the reference the Spark path is tested against). */
    public List<PoolSummary> apply(Stream<PoolSummary> rows) {
        return rows.filter(this::keeps).sorted(order()).limit(count).sorted(Comparator.comparingLong(PoolSummary::id)).toList();
    }

    /** Serializable, since Spark ships it to the executors. */
    private record Order(Preselection p) implements Comparator<PoolSummary>, Serializable {
        @Override
        public int compare(PoolSummary a, PoolSummary b) {
            int c = Double.compare(p.score(a), p.score(b));
            return c != 0 ? c : Long.compare(a.id(), b.id());
        }
    }
}
