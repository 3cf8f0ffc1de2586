package org.crucible.executors.md;

import java.util.Map;
import org.crucible.core.Elements;

/**
 * What an MD run does, in the units of the public API: time step (fs), number of steps, thermostat, optional
 * barostat, Monte Carlo atom swaps, how often a frame is reported, and optional masses per element (amu; the
 * element table's standard atomic weights otherwise).
 *
 * <p>Usage: {@code MdSettings.nve(1.0, 1000).withThermostat(new Thermostat.Langevin(800, 100)).withSwaps(10, 4, 800)}.
 *
 * @param timestepFs   integration time step (fs), in (0, 100]
 * @param steps        number of steps, at least 0
 * @param thermostat   {@link Thermostat.None} for NVE
 * @param barostat     null for constant volume
 * @param swapEvery    attempt atom swaps every this many steps; 0 for none
 * @param swapsPerEvent swap attempts each time
 * @param swapTemperatureK temperature (K) of the swap acceptance exp(-dE / k_B T)
 * @param sampleEvery  report a frame every this many steps (step 0 and the last step are always reported)
 * @param masses       element symbol to mass (amu) overrides, e.g. an EAM file's masses
 * @param volumeMoves  Monte Carlo volume moves ({@link VolumeMove}) between MD steps, or null
 */
public record MdSettings(double timestepFs, int steps, Thermostat thermostat, Barostat barostat, int swapEvery, int swapsPerEvent,
                         double swapTemperatureK, int sampleEvery, Map<String, Double> masses, VolumeMoves volumeMoves) {
    public MdSettings {
        if (!(timestepFs > 0) || timestepFs > 100) throw new IllegalArgumentException("time step must be in (0, 100] fs, got " + timestepFs);
        if (steps < 0) throw new IllegalArgumentException("number of steps must be >= 0, got " + steps);
        if (thermostat == null) throw new IllegalArgumentException("thermostat is required (Thermostat.None for NVE)");
        if (swapEvery < 0) throw new IllegalArgumentException("swap interval must be >= 0 steps, got " + swapEvery);
        if (swapEvery > 0 && swapsPerEvent < 1) throw new IllegalArgumentException("swaps per event must be >= 1, got " + swapsPerEvent);
        if (swapEvery > 0 && (!(swapTemperatureK > 0) || Double.isInfinite(swapTemperatureK))) {
            throw new IllegalArgumentException("swap temperature must be a positive number of K, got " + swapTemperatureK);
        }
        if (sampleEvery < 1) throw new IllegalArgumentException("sample interval must be >= 1 step, got " + sampleEvery);
        masses = Map.copyOf(masses == null ? Map.of() : masses);
        for (var e : masses.entrySet()) {
            if (!Elements.isSymbol(e.getKey())) throw new IllegalArgumentException("mass given for '" + e.getKey() + "', not an element symbol");
            if (!(e.getValue() > 0)) throw new IllegalArgumentException("mass of " + e.getKey() + " must be positive amu, got " + e.getValue());
        }
    }

    /** NVE with the given time step (fs) and number of steps, reporting every step. */
    public static MdSettings nve(double timestepFs, int steps) {
        return new MdSettings(timestepFs, steps, new Thermostat.None(), null, 0, 1, 0, 1, Map.of(), null);
    }

    public MdSettings withThermostat(Thermostat t) {
        return new MdSettings(timestepFs, steps, t, barostat, swapEvery, swapsPerEvent, swapTemperatureK, sampleEvery, masses, volumeMoves);
    }

    public MdSettings withBarostat(Barostat b) {
        return new MdSettings(timestepFs, steps, thermostat, b, swapEvery, swapsPerEvent, swapTemperatureK, sampleEvery, masses, volumeMoves);
    }

    public MdSettings withSwaps(int every, int perEvent, double temperatureK) {
        return new MdSettings(timestepFs, steps, thermostat, barostat, every, perEvent, temperatureK, sampleEvery, masses, volumeMoves);
    }

    public MdSettings withSampleEvery(int every) {
        return new MdSettings(timestepFs, steps, thermostat, barostat, swapEvery, swapsPerEvent, swapTemperatureK, every, masses, volumeMoves);
    }

    public MdSettings withMasses(Map<String, Double> m) {
        return new MdSettings(timestepFs, steps, thermostat, barostat, swapEvery, swapsPerEvent, swapTemperatureK, sampleEvery, m, volumeMoves);
    }

    public MdSettings withSteps(int n) {
        return new MdSettings(timestepFs, n, thermostat, barostat, swapEvery, swapsPerEvent, swapTemperatureK, sampleEvery, masses, volumeMoves);
    }

    public MdSettings withVolumeMoves(VolumeMoves v) {
        return new MdSettings(timestepFs, steps, thermostat, barostat, swapEvery, swapsPerEvent, swapTemperatureK, sampleEvery, masses, v);
    }

    /**
     * Monte Carlo volume moves every {@code every} steps: {@code attempts} attempts of at most
     * {@code maxLogVolumeStep} in ln V at pressure {@code pressureGPa} (GPa) and temperature {@code temperatureK} (K).
     */
    public record VolumeMoves(int every, int attempts, double maxLogVolumeStep, double pressureGPa, double temperatureK) {
        public VolumeMoves {
            if (every < 1) throw new IllegalArgumentException("volume-move interval must be >= 1 step, got " + every);
            if (attempts < 1) throw new IllegalArgumentException("volume-move attempts must be >= 1, got " + attempts);
            if (!(maxLogVolumeStep > 0) || maxLogVolumeStep > 1) throw new IllegalArgumentException("largest ln-volume step must be in (0, 1], got " + maxLogVolumeStep);
            if (!Double.isFinite(pressureGPa)) throw new IllegalArgumentException("volume-move pressure must be finite (GPa), got " + pressureGPa);
            if (!(temperatureK > 0) || Double.isInfinite(temperatureK)) throw new IllegalArgumentException("volume-move temperature must be a positive number of K, got " + temperatureK);
        }
    }

    /** Mass (amu) of an element under these settings. */
    public double mass(int atomicNumber) {
        Double m = masses.get(Elements.byZ(atomicNumber).symbol());
        return m != null ? m : Elements.byZ(atomicNumber).mass();
    }
}
