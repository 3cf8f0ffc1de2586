package org.crucible.config.campaign;

/**
 * The {@code hal} section, read by the {@code hal} protocol (hyperactive learning: van der Oord et al., npj Comput.
 * Mater. 9, 168 (2023); docs/hal.md). Each cycle runs one HAL trajectory per seed structure and random seed
 * ({@code seeds} x {@code trajectoriesPerSeed}): Langevin MD at {@code temperatureK} (K, damping {@code dampingFs} fs,
 * time step {@code timestepFs} fs) on E - tau sigma_E with tau adapted so that the bias force is {@code tauRelative}
 * times the model force (Eq. 12, averaged over {@code window} steps after {@code burnIn} steps at tau = 0), stopping when
 * the softmax of the relative force uncertainty exceeds {@code softmaxTolerance} (Eq. 6-8) or after {@code maxSteps}.
 *
 * @param tauRelative         tau_r in [0, 1] (dimensionless; paper 0.05-0.25)
 * @param softmaxTolerance    s_tol in (0, 1) (paper 0.5)
 * @param temperatureK        K
 * @param pressureGPa         isotropic Berendsen barostat target (GPa), NaN for constant volume
 * @param barostatTauFs       barostat time constant (fs)
 * @param bulkModulusGPa      the barostat's bulk-modulus estimate (GPa)
 * @param timestepFs          fs
 * @param dampingFs           Langevin damping time (fs)
 * @param maxSteps            steps before a trajectory gives up (its last frame is flagged not triggered)
 * @param swapEvery           element swaps every this many steps (0: none)
 * @param swapsPerEvent       swap attempts each time
 * @param volumeEvery         Monte Carlo volume moves every this many steps (0: none)
 * @param volumeAttempts      volume-move attempts each time
 * @param maxLogVolumeStep    largest ln V change per volume move
 * @param burnIn              steps at tau = 0
 * @param window              steps averaged for tau
 * @param seeds               extended XYZ file of seed structures (absolute), or null for random P1 cells of the
 *                            compositions ({@code pools.training} settings)
 * @param trajectoriesPerSeed independent trajectories per seed structure and cycle
 * @param rattle              Gaussian displacement (Angstrom, per Cartesian component) of the cycle-0 copies of the seeds
 * @param randomOccupancy     reassign the elements of each seed at random to match the campaign composition (alloys)
 */
public record HalConfig(double tauRelative, double softmaxTolerance, double temperatureK, double pressureGPa, double barostatTauFs,
                        double bulkModulusGPa, double timestepFs, double dampingFs, int maxSteps, int swapEvery, int swapsPerEvent, int volumeEvery,
                        int volumeAttempts, double maxLogVolumeStep, int burnIn, int window, String seeds, int trajectoriesPerSeed, double rattle,
                        boolean randomOccupancy) {
    /** tau_r 0.1, s_tol 0.5, 800 K, constant volume, 1 fs, damping 100 fs, 2,000 steps, burn-in and window 100. */
    public static final HalConfig DEFAULTS = new HalConfig(0.1, 0.5, 800, Double.NaN, 500, 100, 1.0, 100, 2000, 0, 4, 0, 1, 0.02, 100, 100, null, 4,
            0.05, false);

    public HalConfig {
        if (!(tauRelative >= 0 && tauRelative <= 1)) throw new IllegalArgumentException("hal.tau_r must be in [0, 1], got " + tauRelative);
        if (!(softmaxTolerance > 0 && softmaxTolerance < 1)) throw new IllegalArgumentException("hal.s_tol must be in (0, 1), got " + softmaxTolerance);
        if (maxSteps < 1 || burnIn < 1 || window < 1 || trajectoriesPerSeed < 1) {
            throw new IllegalArgumentException("hal.max_steps, hal.burn_in, hal.window and hal.trajectories_per_seed must be >= 1");
        }
    }

    /** Whether a barostat acts. */
    public boolean hasPressure() {
        return !Double.isNaN(pressureGPa);
    }
}
