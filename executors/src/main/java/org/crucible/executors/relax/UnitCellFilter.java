package org.crucible.executors.relax;

import org.crucible.core.Cell;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.core.units.Units;

/**
 * The generalised coordinates of a variable-cell relaxation, with the semantics of ASE's
 * {@code UnitCellFilter} (E. B. Tadmor et al., Phys. Rev. B 59, 235 (1999)): the cell is L = L0 F^T for a
 * deformation gradient F relative to the starting cell L0, atoms sit at r_i = F s_i with reference positions
 * s_i, and the vector the optimiser moves is x = (s_1, ..., s_N, c F) with c the cell factor (the number of
 * atoms, as in ASE). The objective is the enthalpy H = E + pV (eV) and the generalised forces are exactly -dH/dx:
 *
 * <pre>
 * -dH/ds_i = F^T f_i
 * -dH/d(cF) = W F^-T / c,   W = -V (sigma + p I)  (the virial, eV)
 * </pre>
 *
 * With a fixed cell the vector is just the Cartesian positions. Stress sigma is in ASE convention
 * (eV/Angstrom^3), p in eV/Angstrom^3 internally and GPa at the constructor.
 *
 * <p>Not thread-safe: one instance per relaxation.
 */
public final class UnitCellFilter {
    private final Structure template;
    private final int n;
    private final boolean relaxCell;
    private final double[] cell0;
    private final double cellFactor;
    private final double pressure;
    private final double[] deform = new double[9];
    private final double[] positions;

    /**
     * @param start       the starting structure (its cell is L0)
     * @param relaxCell   whether the 9 cell degrees of freedom are included
     * @param pressureGPa external pressure (GPa)
     */
    public UnitCellFilter(Structure start, boolean relaxCell, double pressureGPa) {
        if (relaxCell && !start.cell().isFullyPeriodic()) {
            throw new IllegalArgumentException("a variable-cell relaxation needs a fully periodic cell; " + start.formula() + " has pbc "
                    + java.util.Arrays.toString(start.cell().pbc()));
        }
        this.template = start.withLabels(Labels.NONE);
        this.n = start.size();
        this.relaxCell = relaxCell;
        this.cell0 = start.cell().matrix();
        this.cellFactor = Math.max(1, n);
        this.pressure = pressureGPa * Units.GPA_TO_EV_PER_A3;
        this.positions = new double[3 * n];
    }

    /** Length of the generalised vector: 3N, plus 9 with a variable cell. */
    public int dimension() {
        return 3 * n + (relaxCell ? 9 : 0);
    }

    /** The starting vector (F = I). */
    public double[] initial() {
        double[] x = new double[dimension()];
        System.arraycopy(template.positions(), 0, x, 0, 3 * n);
        if (relaxCell) {
            x[3 * n] = cellFactor;
            x[3 * n + 4] = cellFactor;
            x[3 * n + 8] = cellFactor;
        }
        return x;
    }

    /**
     * The structure at generalised coordinates x.
     *
     * @throws IllegalArgumentException when x is not finite or the cell degenerates
     */
    public Structure structureAt(double[] x) {
        if (!relaxCell) return template.withPositions(x.length == 3 * n ? x : java.util.Arrays.copyOf(x, 3 * n));
        for (int a = 0; a < 9; a++) deform[a] = x[3 * n + a] / cellFactor;
        double[] f = deform;
        double[] cell = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                cell[3 * r + c] = f[3 * c] * cell0[3 * r] + f[3 * c + 1] * cell0[3 * r + 1] + f[3 * c + 2] * cell0[3 * r + 2];
            }
        }
        for (int i = 0; i < n; i++) {
            double sx = x[3 * i], sy = x[3 * i + 1], sz = x[3 * i + 2];
            positions[3 * i] = f[0] * sx + f[1] * sy + f[2] * sz;
            positions[3 * i + 1] = f[3] * sx + f[4] * sy + f[5] * sz;
            positions[3 * i + 2] = f[6] * sx + f[7] * sy + f[8] * sz;
        }
        Cell c = template.cell().withMatrix(cell);
        return template.withCell(c, false).withPositions(positions);
    }

    /** Enthalpy H = E + pV (eV) of a labelled frame. */
    public double enthalpy(Structure s) {
        return s.labels().energy() + (relaxCell || s.cell().isFullyPeriodic() ? pressure * s.cell().volume() : 0.0);
    }

    /**
     * Writes the generalised forces -dH/dx of the labelled frame at x into {@code out}. Call after
     * {@link #structureAt(double[])} for the same x.
     */
    public void generalisedForces(Structure s, double[] out) {
        Labels l = s.labels();
        double[] forces = l.forces();
        if (!relaxCell) {
            System.arraycopy(forces, 0, out, 0, 3 * n);
            return;
        }
        double[] f = deform;
        for (int i = 0; i < n; i++) {
            double fx = forces[3 * i], fy = forces[3 * i + 1], fz = forces[3 * i + 2];
            out[3 * i] = f[0] * fx + f[3] * fy + f[6] * fz;
            out[3 * i + 1] = f[1] * fx + f[4] * fy + f[7] * fz;
            out[3 * i + 2] = f[2] * fx + f[5] * fy + f[8] * fz;
        }
        double v = s.cell().volume();
        double[] sig = Units.fromVoigt(l.stress());
        double[] w = new double[9];
        for (int a = 0; a < 9; a++) w[a] = -v * (sig[a] + (a % 4 == 0 ? pressure : 0.0));
        // W F^-T: solve F^T-transposed system via the explicit inverse of the 3x3 F
        double det = f[0] * (f[4] * f[8] - f[5] * f[7]) - f[1] * (f[3] * f[8] - f[5] * f[6]) + f[2] * (f[3] * f[7] - f[4] * f[6]);
        double id = 1.0 / det;
        double[] inv = {
            (f[4] * f[8] - f[5] * f[7]) * id, (f[2] * f[7] - f[1] * f[8]) * id, (f[1] * f[5] - f[2] * f[4]) * id,
            (f[5] * f[6] - f[3] * f[8]) * id, (f[0] * f[8] - f[2] * f[6]) * id, (f[2] * f[3] - f[0] * f[5]) * id,
            (f[3] * f[7] - f[4] * f[6]) * id, (f[1] * f[6] - f[0] * f[7]) * id, (f[0] * f[4] - f[1] * f[3]) * id};
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                // (W F^-T)_rc = sum_k W_rk (F^-1)_ck
                out[3 * n + 3 * r + c] = (w[3 * r] * inv[3 * c] + w[3 * r + 1] * inv[3 * c + 1] + w[3 * r + 2] * inv[3 * c + 2]) / cellFactor;
            }
        }
    }

    /** Largest |sigma_ab + p delta_ab| of a labelled frame (GPa); 0 for a fixed cell. */
    public double maxStressDeviationGPa(Structure s) {
        if (!relaxCell) return 0.0;
        double[] st = s.labels().stress();
        double m = 0;
        for (int a = 0; a < 6; a++) m = Math.max(m, Math.abs(st[a] + (a < 3 ? pressure : 0.0)));
        return m * Units.EV_PER_A3_TO_GPA;
    }

    /** The starting structure (without labels). */
    public Structure initialStructure() {
        return template;
    }

    public boolean relaxesCell() {
        return relaxCell;
    }
}
