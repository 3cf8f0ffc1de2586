package org.crucible.driver.protocol;

import java.util.TreeSet;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.GapRssSettings;
import org.crucible.core.Elements;
import org.crucible.driver.pool.Pool;
import org.crucible.driver.pool.Seeds;
import org.crucible.driver.pool.SoapDescribeStage;
import org.crucible.executors.descriptors.AveragedSoap;
import org.crucible.executors.descriptors.SoapParameters;
import org.crucible.executors.generators.Composition;
import org.crucible.executors.potentials.LinearPotential;

/**
 * Configuration-averaged SOAP rows (GAP-RSS eqs. 2-4, {@link AveragedSoap}) for every entry, on executors, with the
 * parameters of {@code protocol.gap_rss.soap} (n_max, l_max, cutoff and sigma_at in Angstrom) and the species of
 * all compositions, so every structure (isolated atoms and dimers included) has a row of the same length. The
 * model is not used: the descriptor is fixed for the whole campaign.
 */
public record SoapMeanDescriber(AveragedSoap soap) implements Describer {
    private static final long SALT = 3;

    /** The describer of a campaign's configuration. */
    public SoapMeanDescriber(CampaignConfig cfg) {
        this(soap(cfg));
    }

    /** The averaged SOAP of {@code protocol.gap_rss.soap} over the campaign's elements. */
    public static AveragedSoap soap(CampaignConfig cfg) {
        GapRssSettings g = cfg.protocol().gapRss();
        TreeSet<Integer> z = new TreeSet<>();
        for (var c : cfg.compositions()) for (String s : Composition.parse(c.formula()).symbols()) z.add(Elements.bySymbol(s).z());
        return new AveragedSoap(new SoapParameters(g.soapNMax(), g.soapLMax(), g.soapSigma(), g.soapCutoff(), Math.min(0.5, g.soapCutoff() / 2),
                1.0, g.zeta(), z.stream().mapToInt(Integer::intValue).toArray()));
    }

    /** Describes {@code pool} (no model needed). */
    public Pool describe(Pool pool, StageContext ctx) {
        return pool.map(new SoapDescribeStage(), soap, Seeds.mix(ctx.seed(), ctx.cycle(), SALT), "soap cycle " + ctx.cycle());
    }

    @Override
    public Pool describe(Pool pool, LinearPotential model, StageContext ctx) {
        return describe(pool, ctx);
    }
}
