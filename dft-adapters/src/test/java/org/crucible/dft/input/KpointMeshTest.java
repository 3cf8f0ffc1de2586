package org.crucible.dft.input;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.crucible.core.Cell;
import org.crucible.dft.DftInputException;
import org.junit.jupiter.api.Test;

class KpointMeshTest {
    @Test
    void spacingRuleIncludesTwoPi() {
        // Conventional Si: |b| = 2 pi / 5.431 = 1.1569 1/A; 0.2 -> ceil(5.78) = 6.
        assertArrayEquals(new int[] {6, 6, 6}, KpointMesh.ofSpacing(0.2).gridFor(Cell.cubic(5.431)));
        // Orthorhombic: each axis by its own height; 2 pi / (10 * 0.2) = 3.14 -> 4; 2 pi / (3 * 0.2) = 10.47 -> 11.
        Cell c = Cell.periodic(new double[][] {{10, 0, 0}, {0, 3, 0}, {0, 0, 2 * Math.PI / 0.2 / 5}});
        assertArrayEquals(new int[] {4, 11, 5}, KpointMesh.ofSpacing(0.2).gridFor(c), "an exact multiple must not add a point");
        // Huge cell: at least one point.
        assertArrayEquals(new int[] {1, 1, 1}, KpointMesh.ofSpacing(0.2).gridFor(Cell.cubic(100)));
    }

    @Test
    void nonPeriodicAxesGetOnePoint() {
        Cell slab = new Cell(new double[] {3, 0, 0, 0, 3, 0, 0, 0, 20}, new boolean[] {true, true, false});
        assertArrayEquals(new int[] {11, 11, 1}, KpointMesh.ofSpacing(0.2).gridFor(slab));
        assertArrayEquals(new int[] {4, 4, 1}, KpointMesh.ofGrid(4, 4, 4).gridFor(slab));
    }

    @Test
    void invalid() {
        assertThrows(DftInputException.class, () -> KpointMesh.ofSpacing(0));
        assertThrows(DftInputException.class, () -> KpointMesh.ofGrid(0, 1, 1));
        assertThrows(DftInputException.class, () -> new KpointMesh(0.2, new int[] {1, 1, 1}));
    }
}
