package org.crucible.driver.protocol;

import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.HalConfig;
import org.crucible.driver.pool.Pool;
import org.crucible.driver.pool.Seeds;
import org.crucible.executors.md.HalSettings;
import org.crucible.executors.potentials.LinearPotential;

/**
 * The HAL explorer: one hyperactive-learning trajectory ({@link HalStage}) per entry of the cycle's fresh pool, as one
 * {@link Pool#map} stage where the pool lives (Spark partitions or the local pool), the committee potential and the
 * settings of the {@code hal} section broadcast; the trajectory of entry {@code id} is seeded with
 * mix(mix(seed, cycle, salt), id), so a retried or resumed partition repeats it.
 */
public record HalExplorer(CampaignConfig cfg) implements Explorer {
    /** The registry name. */
    public static final String NAME = "hal-md";
    private static final long SALT = 0x48414C4DL;

    /** The executor settings of the campaign's {@code hal} section. */
    public static HalSettings settings(HalConfig h) {
        HalSettings s = new HalSettings(h.temperatureK(), h.dampingFs(), h.timestepFs(), h.maxSteps(), h.tauRelative(), h.softmaxTolerance(), h.burnIn(),
                h.window(), h.pressureGPa(), h.barostatTauFs(), h.bulkModulusGPa(), h.swapEvery(), h.swapsPerEvent(), h.volumeEvery(), h.volumeAttempts(),
                h.maxLogVolumeStep(), java.util.Map.of());
        return s;
    }

    @Override
    public Pool explore(Pool pool, LinearPotential model, StageContext ctx) {
        HalConfig h = cfg.hal();
        ctx.log().accept(String.format(java.util.Locale.ROOT, "cycle %d: %d HAL trajectories (tau_r %.3f, s_tol %s, %.0f K%s, at most %d steps of %.2f fs)",
                ctx.cycle(), pool.size(), h.tauRelative(), h.softmaxTolerance(), h.temperatureK(), h.hasPressure() ? String.format(", %.2f GPa", h.pressureGPa()) : "",
                h.maxSteps(), h.timestepFs()));
        return pool.map(new HalStage(), new HalStage.Model(model, settings(h)), Seeds.mix(ctx.seed(), ctx.cycle(), SALT), "hal cycle " + ctx.cycle());
    }
}
