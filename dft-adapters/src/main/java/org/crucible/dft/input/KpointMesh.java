package org.crucible.dft.input;

import java.util.Arrays;
import org.crucible.core.Cell;
import org.crucible.dft.DftInputException;

/**
 * The k-point rule shared by every periodic code: either a fixed Monkhorst-Pack grid or a maximum spacing
 * between k-points in reciprocal space.
 *
 * <p>Rule (2*pi included, the VASP {@code KSPACING} and ASE {@code kspacing} convention): with reciprocal
 * lattice vectors b_i = 2*pi * (a_j x a_k) / V, so that |b_i| = 2*pi / h_i where h_i is the perpendicular height
 * of the cell along i,
 * <pre>   n_i = max(1, ceil(|b_i| / spacing))   for periodic axes,   n_i = 1 for non-periodic axes.</pre>
 * The spacing is in 1/Angstrom; 0.2 1/Angstrom (the mesh interval of the NN-ensemble paper) gives 6x6x6 for
 * conventional diamond Si (a = 5.431 Angstrom). Grids are Gamma-centred in every code (QE offsets 0 0 0, VASP
 * {@code Gamma}, CASTEP offsets shifting even grids onto Gamma), so the same spacing samples the same points.
 *
 * @param spacing maximum k-point spacing in 1/Angstrom (2*pi included), or null when {@code grid} is fixed
 * @param grid    fixed grid n1 n2 n3 (each >= 1), or null when {@code spacing} is used
 */
public record KpointMesh(Double spacing, int[] grid) {
    public KpointMesh {
        if ((spacing == null) == (grid == null)) throw new DftInputException("k-points: give exactly one of kpoint_spacing or kpoints");
        if (spacing != null && !(spacing > 0 && Double.isFinite(spacing))) {
            throw new DftInputException("kpoint_spacing must be a positive number of 1/Angstrom (2*pi included), got " + spacing);
        }
        if (grid != null) {
            if (grid.length != 3) throw new DftInputException("kpoints must have 3 integers, got " + Arrays.toString(grid));
            for (int n : grid) if (n < 1) throw new DftInputException("kpoints must be >= 1, got " + Arrays.toString(grid));
            grid = grid.clone();
        }
    }

    public static KpointMesh ofSpacing(double spacing) {
        return new KpointMesh(spacing, null);
    }

    public static KpointMesh ofGrid(int n1, int n2, int n3) {
        return new KpointMesh(null, new int[] {n1, n2, n3});
    }

    @Override
    public int[] grid() {
        return grid == null ? null : grid.clone();
    }

    /** The Monkhorst-Pack grid for this cell (1 along non-periodic axes). */
    public int[] gridFor(Cell cell) {
        if (grid != null) {
            int[] g = grid.clone();
            for (int a = 0; a < 3; a++) if (!cell.isPeriodic(a)) g[a] = 1;
            return g;
        }
        double[] h = cell.heights();
        int[] g = new int[3];
        for (int a = 0; a < 3; a++) {
            // 1e-9 keeps an exact multiple (e.g. |b|/spacing = 6.0000000001 from round-off) from adding a point.
            g[a] = cell.isPeriodic(a) ? Math.max(1, (int) Math.ceil(2 * Math.PI / (h[a] * spacing) - 1e-9)) : 1;
        }
        return g;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KpointMesh k && java.util.Objects.equals(spacing, k.spacing) && Arrays.equals(grid, k.grid);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Objects.hashCode(spacing) + Arrays.hashCode(grid);
    }

    @Override
    public String toString() {
        return spacing != null ? "spacing " + spacing + " 1/A (2*pi included)" : "grid " + Arrays.toString(grid);
    }
}
