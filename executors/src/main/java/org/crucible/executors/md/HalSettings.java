package org.crucible.executors.md;

import java.util.Map;
import org.crucible.core.Elements;

/**
 * What one hyperactive-learning trajectory ({@link HyperactiveMd}) does, in the units of the public API.
 *
 * <p>Langevin MD (BAOAB, {@link Thermostat.Langevin}) at {@code temperatureK} (K, damping {@code dampingFs} fs,
 * time step {@code timestepFs} fs) on E_HAL = E - tau sigma_E (HAL paper, Eq. 9-11), with tau from
 * {@link AdaptiveTau} (Eq. 12: zero for {@code burnIn} steps, then tau_r times the ratio of the mean model-force norm
 * to the mean bias-gradient norm over the last {@code window} steps). The run stops at the first step whose softmax
 * of the relative force uncertainty (Eq. 6-8) exceeds {@code softmaxTolerance}, or after {@code maxSteps} steps.
 *
 * <p>Optional: an isotropic Berendsen barostat ({@link Barostat}) at {@code pressureGPa} (GPa; NaN for constant
 * volume) with time constant {@code barostatTauFs} (fs) and bulk-modulus estimate {@code bulkModulusGPa} (GPa);
 * Metropolis element swaps ({@link AtomSwap}, {@code swapsPerEvent} attempts every {@code swapEvery} steps, 0 for
 * none) and volume moves ({@link VolumeMove}, {@code volumeAttempts} attempts of at most {@code maxLogVolumeStep} in
 * ln V every {@code volumeEvery} steps at {@code pressureGPa}, or 0 GPa when no pressure is given), both accepted on
 * the biased energy E_HAL at the run's temperature.
 *
 * <p>Usage: {@code HalSettings.nvt(800, 1.0, 2000, 0.1)} then {@code .withSwaps(20, 8)}.
 *
 * @param tauRelative      tau_r in [0, 1] (dimensionless; the paper uses 0.05-0.25); 0 never biases
 * @param softmaxTolerance s_tol in (0, 1) (dimensionless; the paper's default 0.5)
 * @param burnIn           steps at tau = 0 before tau adapts, at least 1
 * @param window           steps averaged for Eq. 12, at least 1
 * @param masses           element symbol to mass (amu) overrides, e.g. an EAM file's masses
 */
public record HalSettings(double temperatureK, double dampingFs, double timestepFs, int maxSteps, double tauRelative, double softmaxTolerance,
                          int burnIn, int window, double pressureGPa, double barostatTauFs, double bulkModulusGPa, int swapEvery, int swapsPerEvent,
                          int volumeEvery, int volumeAttempts, double maxLogVolumeStep, Map<String, Double> masses) implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public HalSettings {
        if (!(temperatureK > 0) || Double.isInfinite(temperatureK)) throw new IllegalArgumentException("HAL temperature must be a positive number of K, got " + temperatureK);
        if (!(dampingFs > 0) || Double.isInfinite(dampingFs)) throw new IllegalArgumentException("HAL Langevin damping must be a positive number of fs, got " + dampingFs);
        if (!(timestepFs > 0) || timestepFs > 100) throw new IllegalArgumentException("HAL time step must be in (0, 100] fs, got " + timestepFs);
        if (maxSteps < 1) throw new IllegalArgumentException("HAL max steps must be >= 1, got " + maxSteps);
        if (!(tauRelative >= 0 && tauRelative <= 1)) throw new IllegalArgumentException("HAL tau_r must be in [0, 1], got " + tauRelative);
        if (!(softmaxTolerance > 0 && softmaxTolerance < 1)) throw new IllegalArgumentException("HAL s_tol must be in (0, 1), got " + softmaxTolerance);
        if (burnIn < 1) throw new IllegalArgumentException("HAL burn-in must be >= 1 step, got " + burnIn);
        if (window < 1) throw new IllegalArgumentException("HAL window must be >= 1 step, got " + window);
        if (!Double.isNaN(pressureGPa) && Double.isInfinite(pressureGPa)) throw new IllegalArgumentException("HAL pressure must be finite (GPa) or NaN, got " + pressureGPa);
        if (!Double.isNaN(pressureGPa) && (!(barostatTauFs > 0) || !(bulkModulusGPa > 0))) {
            throw new IllegalArgumentException("HAL barostat needs a positive time constant (fs) and bulk modulus (GPa), got " + barostatTauFs + " and " + bulkModulusGPa);
        }
        if (swapEvery < 0) throw new IllegalArgumentException("HAL swap interval must be >= 0 steps, got " + swapEvery);
        if (swapEvery > 0 && swapsPerEvent < 1) throw new IllegalArgumentException("HAL swaps per event must be >= 1, got " + swapsPerEvent);
        if (volumeEvery < 0) throw new IllegalArgumentException("HAL volume-move interval must be >= 0 steps, got " + volumeEvery);
        if (volumeEvery > 0 && (volumeAttempts < 1 || !(maxLogVolumeStep > 0) || maxLogVolumeStep > 1)) {
            throw new IllegalArgumentException("HAL volume moves need attempts >= 1 and a ln-volume step in (0, 1], got " + volumeAttempts + " and " + maxLogVolumeStep);
        }
        masses = Map.copyOf(masses == null ? Map.of() : masses);
        for (var e : masses.entrySet()) {
            if (!Elements.isSymbol(e.getKey())) throw new IllegalArgumentException("mass given for '" + e.getKey() + "', not an element symbol");
            if (!(e.getValue() > 0)) throw new IllegalArgumentException("mass of " + e.getKey() + " must be positive amu, got " + e.getValue());
        }
    }

    /** NVT at {@code temperatureK} K, damping 100 fs, s_tol 0.5, burn-in and window 100 steps, no pressure, swaps or volume moves. */
    public static HalSettings nvt(double temperatureK, double timestepFs, int maxSteps, double tauRelative) {
        return new HalSettings(temperatureK, 100, timestepFs, maxSteps, tauRelative, 0.5, 100, 100, Double.NaN, 500, 100, 0, 1, 0, 1, 0.02, Map.of());
    }

    public HalSettings withTolerance(double sTol) {
        return new HalSettings(temperatureK, dampingFs, timestepFs, maxSteps, tauRelative, sTol, burnIn, window, pressureGPa, barostatTauFs,
                bulkModulusGPa, swapEvery, swapsPerEvent, volumeEvery, volumeAttempts, maxLogVolumeStep, masses);
    }

    public HalSettings withAveraging(int newBurnIn, int newWindow) {
        return new HalSettings(temperatureK, dampingFs, timestepFs, maxSteps, tauRelative, softmaxTolerance, newBurnIn, newWindow, pressureGPa,
                barostatTauFs, bulkModulusGPa, swapEvery, swapsPerEvent, volumeEvery, volumeAttempts, maxLogVolumeStep, masses);
    }

    /** Isotropic Berendsen barostat at {@code p} GPa (time constant fs, bulk modulus GPa). */
    public HalSettings withPressure(double p, double tauFs, double bulkGPa) {
        return new HalSettings(temperatureK, dampingFs, timestepFs, maxSteps, tauRelative, softmaxTolerance, burnIn, window, p, tauFs, bulkGPa,
                swapEvery, swapsPerEvent, volumeEvery, volumeAttempts, maxLogVolumeStep, masses);
    }

    public HalSettings withSwaps(int every, int perEvent) {
        return new HalSettings(temperatureK, dampingFs, timestepFs, maxSteps, tauRelative, softmaxTolerance, burnIn, window, pressureGPa,
                barostatTauFs, bulkModulusGPa, every, perEvent, volumeEvery, volumeAttempts, maxLogVolumeStep, masses);
    }

    public HalSettings withVolumeMoves(int every, int attempts, double maxLnV) {
        return new HalSettings(temperatureK, dampingFs, timestepFs, maxSteps, tauRelative, softmaxTolerance, burnIn, window, pressureGPa,
                barostatTauFs, bulkModulusGPa, swapEvery, swapsPerEvent, every, attempts, maxLnV, masses);
    }

    public HalSettings withMasses(Map<String, Double> m) {
        return new HalSettings(temperatureK, dampingFs, timestepFs, maxSteps, tauRelative, softmaxTolerance, burnIn, window, pressureGPa,
                barostatTauFs, bulkModulusGPa, swapEvery, swapsPerEvent, volumeEvery, volumeAttempts, maxLogVolumeStep, m);
    }

    /** Whether a barostat acts (a pressure was given). */
    public boolean hasPressure() {
        return !Double.isNaN(pressureGPa);
    }

    /** Mass (amu) of an element under these settings. */
    public double mass(int atomicNumber) {
        Double m = masses.get(Elements.byZ(atomicNumber).symbol());
        return m != null ? m : Elements.byZ(atomicNumber).mass();
    }
}
