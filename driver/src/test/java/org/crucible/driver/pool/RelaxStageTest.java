package org.crucible.driver.pool;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.executors.calculators.CalculationException;
import org.junit.jupiter.api.Test;

/** The hard-core guard of the pool relaxation: overlapping atoms end a relaxation instead of feeding a potential hole. */
class RelaxStageTest {
    private static Structure pair(double d, double box) {
        return Structure.of(Cell.cubic(box), new int[] {14, 14}, new double[] {0.5, 0.5, 0.5, 0.5 + d, 0.5, 0.5});
    }

    @Test
    void atomsCloserThanTheFractionOfTheirCovalentRadiiAreRefusedNamingThePair() {
        // Si covalent radius 1.11 A (Cordero): 0.6 x 2.22 = 1.332 A.
        CalculationException e = assertThrows(CalculationException.class, () -> RelaxStage.checkSeparations(pair(1.30, 8.0), 0.6, java.util.Map.of()));
        assertTrue(e.getMessage().contains("atoms 0 (Si) and 1 (Si) are 1.300 Angstrom apart") && e.getMessage().contains("1.332"), e.getMessage());
        assertDoesNotThrow(() -> RelaxStage.checkSeparations(pair(1.34, 8.0), 0.6, java.util.Map.of()));
        assertDoesNotThrow(() -> RelaxStage.checkSeparations(pair(2.35, 8.0), 0.6, java.util.Map.of()));
    }

    @Test
    void periodicImagesCount() {
        // In a 3.0 A box, an atom 2.0 A away along x is 1.0 A from the image of the other.
        assertThrows(CalculationException.class, () -> RelaxStage.checkSeparations(pair(2.0, 3.0), 0.6, java.util.Map.of()));
        // A single atom in a small cell is close to its own image.
        Structure one = Structure.of(Cell.cubic(1.2), new int[] {14}, new double[] {0, 0, 0});
        assertThrows(CalculationException.class, () -> RelaxStage.checkSeparations(one, 0.6, java.util.Map.of()));
    }

    @Test
    void trainedLimitsComeFromTheShortestPairOfTheDataAndTakePrecedenceWhenLarger() {
        var limits = RelaxStage.trainedLimits(java.util.List.of(pair(2.30, 8.0), pair(2.10, 8.0), pair(2.50, 8.0)), 0.9, 5.0);
        assertTrue(Math.abs(limits.get("Si-Si") - 0.9 * 2.10) < 1e-12, limits.toString());
        // 1.80 A passes the covalent guard (0.6 x 2.22 = 1.332) but not the data guard (1.89).
        CalculationException e = assertThrows(CalculationException.class, () -> RelaxStage.checkSeparations(pair(1.80, 8.0), 0.6, limits));
        assertTrue(e.getMessage().contains("shortest Si-Si distance of the training set"), e.getMessage());
        assertDoesNotThrow(() -> RelaxStage.checkSeparations(pair(1.95, 8.0), 0.6, limits));
        assertEquals("O-Si", RelaxStage.pairKey("Si", "O"));
    }
}
