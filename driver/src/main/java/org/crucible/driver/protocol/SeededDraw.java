package org.crucible.driver.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A seeded draw without replacement of pool ids, for selectors whose choice must be a pure function of the seed. */
final class SeededDraw {
    private SeededDraw() {
    }

    /**
     * {@code n} of {@code ids} drawn without replacement by a partial Fisher-Yates shuffle with {@code rng}, returned
     * sorted; {@code ids} is reordered in place. {@code n} is capped at {@code ids.size()}.
     */
    static List<Long> sorted(List<Long> ids, int n, SplittableRandom rng) {
        int k = Math.min(n, ids.size());
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(ids.size() - i);
            Long t = ids.get(i);
            ids.set(i, ids.get(j));
            ids.set(j, t);
        }
        List<Long> out = new ArrayList<>(ids.subList(0, k));
        out.sort(Long::compare);
        return out;
    }
}
