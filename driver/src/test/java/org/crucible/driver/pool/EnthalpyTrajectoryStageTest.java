package org.crucible.driver.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EnthalpyTrajectoryStageTest {
    static EnthalpyTrajectoryStage stage(int every, int maxFrames) {
        return new EnthalpyTrajectoryStage("fire", 0.05, 100, every, maxFrames, 1.0, 0.2, 0.7, Map.of());
    }

    @Test
    void thinningKeepsTheFirstAndLastFramesEvenlyAndAtMostTheLimit() {
        List<Integer> frames = IntStream.range(0, 31).boxed().toList();
        assertEquals(List.of(0, 8, 15, 23, 30), EnthalpyTrajectoryStage.thin(frames, 5));
        assertEquals(frames, EnthalpyTrajectoryStage.thin(frames, 40));
        assertEquals(List.of(30), EnthalpyTrajectoryStage.thin(frames, 1));
    }

    @Test
    void eachCellsPressureIsAFunctionOfItsSeedWithTheMeanOfEquationSix() {
        EnthalpyTrajectoryStage s = stage(5, 20);
        assertEquals(s.pressureGPa(42L), s.pressureGPa(42L));
        // eq. 6 is exponential with mean beta p0 = 0.2 GPa and standard deviation 0.2 GPa: 20,000 seeds, 5 sigma
        int n = 20_000;
        double mean = IntStream.range(0, n).mapToDouble(i -> s.pressureGPa(Seeds.mix(7L, i))).average().orElseThrow();
        assertEquals(0.2, mean, 5 * 0.2 / Math.sqrt(n));
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> stage(0, 20));
        assertThrows(IllegalArgumentException.class, () -> new EnthalpyTrajectoryStage("fire", 0.05, 100, 5, 20, -1.0, 0.2, 0.7, Map.of()));
    }
}
