package org.crucible.executors.md;

import java.util.LinkedHashMap;
import java.util.Map;
import org.crucible.core.AtomProperty;
import org.crucible.core.Structure;

/**
 * One reported state of an MD run.
 *
 * @param step            step number (0 is the start)
 * @param timeFs          simulated time (fs)
 * @param structure       positions (Angstrom), cell and elements, with the calculator's labels (eV, eV/Angstrom,
 *                        stress eV/Angstrom^3)
 * @param velocities      flat 3n, Angstrom/fs
 * @param potentialEnergy eV
 * @param kineticEnergy   eV
 * @param temperatureK    2 KE / (dof k_B), dof from the thermostat (3n - 3 for NVE, 3n with Langevin)
 * @param pressureGPa     tr(P)/3 with P = (sum m v v^T) / V - sigma (GPa); NaN without a periodic cell
 * @param swapsAttempted  Monte Carlo swap attempts so far
 * @param swapsAccepted   accepted swaps so far
 * @param bathEnergy      energy (eV) taken up by the thermostat: the Nose-Hoover chain's extended energy, or minus the
 *                        kinetic energy the Langevin noise and friction added; 0 for NVE. {@link #conservedEnergy()}
 *                        is constant up to integration error unless a barostat or Monte Carlo moves act
 */
public record MdFrame(long step, double timeFs, Structure structure, double[] velocities, double potentialEnergy, double kineticEnergy,
                      double temperatureK, double pressureGPa, long swapsAttempted, long swapsAccepted, double bathEnergy) {
    public MdFrame {
        velocities = velocities.clone();
    }

    @Override
    public double[] velocities() {
        return velocities.clone();
    }

    /** Potential plus kinetic energy (eV), conserved by NVE. */
    public double totalEnergy() {
        return potentialEnergy + kineticEnergy;
    }

    /** Total energy plus the bath's (eV): conserved by NVE, Langevin and Nose-Hoover dynamics up to O(dt^2). */
    public double conservedEnergy() {
        return totalEnergy() + bathEnergy;
    }

    /**
     * The frame as a structure for extended XYZ: info {@code step}, {@code time_fs}, {@code temperature_K},
     * {@code pressure_GPa} (periodic cells), {@code kinetic_energy}, {@code total_energy}, {@code conserved_energy} (eV), swap counters when
     * swaps ran, the labels ({@code energy}, {@code forces}, {@code stress}) and a per-atom {@code velocities} column
     * (Angstrom/fs).
     */
    public Structure toStructure() {
        Map<String, Object> info = new LinkedHashMap<>(structure.info());
        info.put("step", step);
        info.put("time_fs", timeFs);
        info.put("temperature_K", temperatureK);
        if (!Double.isNaN(pressureGPa)) info.put("pressure_GPa", pressureGPa);
        info.put("kinetic_energy", kineticEnergy);
        info.put("total_energy", totalEnergy());
        info.put("conserved_energy", conservedEnergy());
        if (swapsAttempted > 0) {
            info.put("swaps_attempted", swapsAttempted);
            info.put("swaps_accepted", swapsAccepted);
        }
        return structure.withInfo(info).withAtomProperty(AtomProperty.reals("velocities", 3, velocities));
    }
}
