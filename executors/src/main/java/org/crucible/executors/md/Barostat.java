package org.crucible.executors.md;

/**
 * A barostat acting on the cell every MD step, of one of two kinds.
 *
 * <p>{@link Kind#BERENDSEN}: proportional control (Berendsen, Postma, van Gunsteren, DiNola, Haak, J. Chem. Phys. 81,
 * 3684 (1984), Eq. 22-24) on the full cell: the cell matrix and the positions are scaled by
 * <pre>
 *   mu = I - dt / (3 tau B) (P0 I - P)             (anisotropic: P the full symmetric pressure tensor)
 *   mu = (1 - dt / (tau B) (P0 - p))^(1/3) I         (isotropic: p = tr P / 3, as LAMMPS' fix press/berendsen)
 * </pre>
 * The mean pressure relaxes to P0 with time constant tau, but the volume fluctuations are not those of the
 * isothermal-isobaric ensemble (they are suppressed): use it to reach a density, not to measure compressibilities.
 *
 * <p>{@link Kind#STOCHASTIC_CELL_RESCALING}: the isotropic stochastic cell rescaling of Bernetti and Bussi, J. Chem.
 * Phys. 153, 114107 (2020), written for epsilon = ln V with Ito calculus:
 * <pre>
 *   d epsilon = -(dt / (tau B)) (P0 - p) + sqrt(2 k_B T dt / (V tau B)) xi,    xi ~ N(0, 1)
 * </pre>
 * (the paper's -k_B T / V drift term belongs to its form in V; in ln V it cancels against the Ito correction),
 * positions scaled by exp(d epsilon / 3) and velocities by exp(-d epsilon / 3). With a thermostat it samples the
 * isothermal-isobaric ensemble, volume fluctuations included (tested on the ideal gas); T is the thermostat's target.
 *
 * <p>In both, P = (sum_i m_i v_i v_i^T) / V - sigma, sigma the calculator's stress (ASE sign).
 *
 * @param kind           which barostat
 * @param pressureGPa    target P0 (GPa)
 * @param tauFs          relaxation time tau (fs), typically 100-1000 dt
 * @param bulkModulusGPa an estimate B of the material's bulk modulus (GPa): a larger value moves the cell more slowly
 * @param isotropic      scale the cell uniformly (true) or follow the full pressure tensor (false; Berendsen only)
 */
public record Barostat(Kind kind, double pressureGPa, double tauFs, double bulkModulusGPa, boolean isotropic) {
    /** The two barostats. */
    public enum Kind { BERENDSEN, STOCHASTIC_CELL_RESCALING }

    public Barostat {
        if (kind == null) throw new IllegalArgumentException("barostat kind is required");
        if (!Double.isFinite(pressureGPa)) throw new IllegalArgumentException("barostat pressure must be finite (GPa), got " + pressureGPa);
        if (!(tauFs > 0) || Double.isInfinite(tauFs)) throw new IllegalArgumentException("barostat time constant must be a positive number of fs, got " + tauFs);
        if (!(bulkModulusGPa > 0) || Double.isInfinite(bulkModulusGPa)) {
            throw new IllegalArgumentException("barostat bulk modulus must be a positive number of GPa, got " + bulkModulusGPa);
        }
        if (kind == Kind.STOCHASTIC_CELL_RESCALING && !isotropic) {
            throw new IllegalArgumentException("the stochastic cell rescaling barostat is isotropic only; use Berendsen for anisotropic cells");
        }
    }

    /** A Berendsen barostat. */
    public Barostat(double pressureGPa, double tauFs, double bulkModulusGPa, boolean isotropic) {
        this(Kind.BERENDSEN, pressureGPa, tauFs, bulkModulusGPa, isotropic);
    }

    /** An isotropic stochastic cell rescaling barostat. */
    public static Barostat stochasticCellRescaling(double pressureGPa, double tauFs, double bulkModulusGPa) {
        return new Barostat(Kind.STOCHASTIC_CELL_RESCALING, pressureGPa, tauFs, bulkModulusGPa, true);
    }
}
