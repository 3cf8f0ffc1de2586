package org.crucible.driver.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.crucible.driver.pool.Pool;
import org.crucible.driver.pool.PoolSummary;
import org.crucible.driver.pool.Seeds;

/**
 * The initial selector of pool relaxation: {@code batch} ids drawn uniformly without replacement (a seeded partial
 * Fisher-Yates shuffle) from the generated entries of the generator's {@code training} blocks, returned sorted.
 */
public record RandomTrainingPick(Generator generator, int batch) implements Selector {
    /** The name recorded in selection files and label provenance. */
    public static final String NAME = "cycle0-random";
    private static final long PICK = 0x5049434BL;

    @Override
    public Selection select(Pool pool, StageContext ctx) {
        List<long[]> ranges = generator.plan(ctx.cycle()).ranges("training");
        List<Long> ids = new ArrayList<>();
        for (PoolSummary s : pool.summaries()) for (long[] r : ranges) if (s.id() >= r[0] && s.id() < r[1]) ids.add(s.id());
        List<Long> out = SeededDraw.sorted(ids, batch, new SplittableRandom(Seeds.mix(ctx.seed(), 0, PICK)));
        return new Selection(NAME, out, List.of(), List.of(), Map.of("selector", NAME, "ids", out),
                out.size() + " random training cells selected for the oracle");
    }
}
