package org.crucible.executors.md;

/**
 * Berendsen's proportional-control barostat (Berendsen, Postma, van Gunsteren, DiNola, Haak, J. Chem. Phys. 81,
 * 3684 (1984), Eq. 22-24) on the full cell: every step the cell matrix and the positions are scaled by
 * <pre>
 *   mu = I - dt / (3 tau B) (P0 I - P)             (anisotropic: P the full symmetric pressure tensor)
 *   mu = (1 - dt / (tau B) (P0 - p))^(1/3) I         (isotropic: p = tr P / 3, as LAMMPS' fix press/berendsen)
 * </pre>
 * P = (sum_i m_i v_i v_i^T) / V - sigma, sigma the calculator's stress (ASE sign). The mean pressure relaxes to P0
 * with time constant tau; the volume fluctuations are not those of the isothermal-isobaric ensemble (Berendsen
 * suppresses them), so use it to reach a density, not to measure compressibilities.
 *
 * @param pressureGPa  target P0 (GPa)
 * @param tauFs        relaxation time tau (fs), typically 100-1000 dt
 * @param bulkModulusGPa an estimate B of the material's bulk modulus (GPa): a larger value moves the cell more slowly
 * @param isotropic    scale the cell uniformly (true) or follow the full pressure tensor (false; the cell may shear)
 */
public record Barostat(double pressureGPa, double tauFs, double bulkModulusGPa, boolean isotropic) {
    public Barostat {
        if (!Double.isFinite(pressureGPa)) throw new IllegalArgumentException("barostat pressure must be finite (GPa), got " + pressureGPa);
        if (!(tauFs > 0) || Double.isInfinite(tauFs)) throw new IllegalArgumentException("barostat time constant must be a positive number of fs, got " + tauFs);
        if (!(bulkModulusGPa > 0) || Double.isInfinite(bulkModulusGPa)) {
            throw new IllegalArgumentException("barostat bulk modulus must be a positive number of GPa, got " + bulkModulusGPa);
        }
    }
}
