package org.crucible.driver.protocol;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.core.Cell;
import org.crucible.core.Structure;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.pool.PoolFlatStage;
import org.crucible.executors.calculators.EntropyEffectiveEnergy;
import org.crucible.executors.calculators.EnvironmentFeatures;
import org.crucible.executors.md.AnnealingSchedule;
import org.crucible.executors.md.EntropyAnnealing;

/**
 * One entropy-maximisation annealing chain per pool entry ({@link EntropyAnnealing}): the entry is put into the
 * configured cell (its fractional coordinates kept), then {@code cyclesPerChain} cycles run from the per-entry seed;
 * output i is the end of cycle i, with energy the effective energy V (eV), max force 0 (the chain ends at T = t_end
 * and is not relaxed), status {@code harvested}, the entropy S in its origin and, as its descriptor row, the mean
 * and standard deviation of its atoms' environment features ({@link HarvestThinning#descriptor}, what CUR thinning
 * selects on). The model argument is the chain's
 * settings (the explorer needs no potential).
 */
public final class AnnealingChainStage implements PoolFlatStage<AnnealingChainStage.Settings> {
    private static final long serialVersionUID = 1L;

    /**
     * What a chain does: the schedule, repulsion E_0 (eV) and hard-core radius (Angstrom), number of cycles, the cell
     * edge lengths (Angstrom; empty for a cube at {@code densityPerA3} atoms/Angstrom^3), the element's
     * nearest-neighbour distance (Angstrom) that scales the environment features.
     */
    public record Settings(AnnealingSchedule schedule, double repulsionEv, double hardCoreAngstrom, int cycles, double[] cell, double densityPerA3,
                           double nearestNeighbourAngstrom) implements Serializable {
        public Settings {
            cell = cell.clone();
        }

        /** With the W feature scale. */
        public Settings(AnnealingSchedule schedule, double repulsionEv, double hardCoreAngstrom, int cycles, double[] cell, double densityPerA3) {
            this(schedule, repulsionEv, hardCoreAngstrom, cycles, cell, densityPerA3, EnvironmentFeatures.TUNGSTEN_NEAREST_NEIGHBOUR);
        }

        /** From the campaign's {@code entropy} section. */
        public static Settings of(CampaignConfig.Entropy e) {
            return new Settings(new AnnealingSchedule(e.tStartK(), e.tEndK(), e.kMaxEv(), e.stepsPerCycle(), e.timestepFs(), e.dampingFs(), e.segments()),
                    e.repulsionEv(), e.hardCoreAngstrom(), e.cyclesPerChain(), e.cell().stream().mapToDouble(Double::doubleValue).toArray(), e.densityPerA3(),
                    e.nearestNeighbourAngstrom());
        }

        /** The structure with its fractional coordinates in the configured cell. */
        public Structure place(Structure s) {
            double[] frac = s.cell().isFullyPeriodic() ? s.cell().toFractionalAll(s.positions()) : null;
            if (frac == null) throw new IllegalArgumentException("annealing needs a periodic cell, got " + s.formula());
            double a, b, c;
            if (cell.length == 3) {
                a = cell[0];
                b = cell[1];
                c = cell[2];
            } else {
                a = b = c = Math.cbrt(s.size() / densityPerA3);
            }
            Cell box = Cell.periodic(new double[][] {{a, 0, 0}, {0, b, 0}, {0, 0, c}});
            return Structure.of(box, s.atomicNumbers(), box.toCartesianAll(frac));
        }
    }

    @Override
    public List<PoolEntry> apply(PoolEntry entry, Settings settings, long seed) {
        Structure start = settings.place(entry.structure());
        LinkedHashSet<String> species = new LinkedHashSet<>();
        for (int i = 0; i < start.size(); i++) species.add(start.symbol(i));
        EnvironmentFeatures features = EnvironmentFeatures.forNearestNeighbour(settings.nearestNeighbourAngstrom(), start.size() / start.cell().volume());
        EntropyEffectiveEnergy bias = new EntropyEffectiveEnergy(features, settings.repulsionEv(), settings.hardCoreAngstrom(), 0, species.toArray(String[]::new));
        List<EntropyAnnealing.Harvest> chain = new EntropyAnnealing(bias, settings.schedule()).chain(start, settings.cycles(), new SplittableRandom(seed));
        List<PoolEntry> out = new ArrayList<>(chain.size());
        for (EntropyAnnealing.Harvest h : chain) {
            String origin = String.format("%s; anneal chain of entry %d cycle %d S=%.4f", entry.origin(), entry.id(), h.cycle(), h.entropy());
            out.add(PoolEntry.of(entry.id(), h.structure(), origin).withExploration(h.effectiveEnergy(), 0, 0,
                    settings.schedule().stepsPerCycle() * (h.cycle() + 1), "harvested", new double[0][])
                    .withFeatures(HarvestThinning.descriptor(features.compute(h.structure()))));
        }
        return out;
    }
}
