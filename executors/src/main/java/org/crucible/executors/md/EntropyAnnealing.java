package org.crucible.executors.md;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.crucible.core.Structure;
import org.crucible.executors.calculators.EntropyEffectiveEnergy;

/**
 * A chain of entropy-maximisation annealing cycles (entropy-maximisation paper, Sec. 1 and Fig. 1) on the MD engine.
 * Each cycle draws Maxwell-Boltzmann velocities at t_start, then runs Langevin MD on the effective energy
 * V = E_rep - K S ({@link EntropyEffectiveEnergy}) while T falls and K rises as the {@link AnnealingSchedule} says;
 * the end configuration (wrapped into the cell) is harvested and is the start of the next cycle. A chain is a pure
 * function of (start, schedule, calculator, random sequence), so the same seed harvests the same structures.
 *
 * <pre>{@code
 * var annealer = new EntropyAnnealing(new EntropyEffectiveEnergy(EnvironmentFeatures.tungsten(0.03), 1, 2, 0, "W"), schedule);
 * List<EntropyAnnealing.Harvest> h = annealer.chain(start, 10, new SplittableRandom(seed));
 * }</pre>
 */
public final class EntropyAnnealing {
    private final EntropyEffectiveEnergy bias;
    private final AnnealingSchedule schedule;

    /**
     * @param bias     the effective energy (its own K is ignored; the schedule sets K)
     * @param schedule one cycle's T and K ramps
     */
    public EntropyAnnealing(EntropyEffectiveEnergy bias, AnnealingSchedule schedule) {
        if (bias == null || schedule == null) throw new IllegalArgumentException("bias and schedule are required");
        this.bias = bias;
        this.schedule = schedule;
    }

    /** One harvested configuration: the end of cycle {@code cycle} (0-based), its entropy S (nats) and final V (eV). */
    public record Harvest(int cycle, Structure structure, double entropy, double effectiveEnergy) {
    }

    /** Runs {@code cycles} cycles from {@code start} and returns the end of each. */
    public List<Harvest> chain(Structure start, int cycles, RandomGenerator rng) {
        if (cycles < 1) throw new IllegalArgumentException("a chain needs at least one cycle, got " + cycles);
        List<Harvest> out = new ArrayList<>(cycles);
        Structure s = start.withInfo(Map.of());
        for (int c = 0; c < cycles; c++) {
            MdSettings base = MdSettings.nve(schedule.timestepFs(), 1);
            double[] v = Velocities.maxwellBoltzmann(MolecularDynamics.masses(s, base), schedule.tStartK(), rng, true);
            int done = 0;
            MdFrame last = null;
            for (int p = 0; p < schedule.segments(); p++) {
                int steps = schedule.end(p) - done;
                if (steps == 0) continue;
                done += steps;
                MdSettings set = base.withSteps(steps).withSampleEvery(steps).withThermostat(new Thermostat.Langevin(schedule.temperature(p), schedule.dampingFs()));
                last = new MolecularDynamics(bias.withK(schedule.k(p)), set).run(s, v, rng, null);
                s = last.structure().withInfo(Map.of());
                v = last.velocities();
            }
            s = s.wrapped();
            out.add(new Harvest(c, s, bias.entropy(s), last.potentialEnergy()));
        }
        return out;
    }
}
