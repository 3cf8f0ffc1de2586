package org.crucible.driver.protocol;

import java.util.List;
import java.util.TreeSet;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.config.campaign.Composition;
import org.crucible.core.Elements;
import org.crucible.core.Structure;
import org.crucible.driver.pool.Seeds;
import org.crucible.executors.descriptors.AceBasis;
import org.crucible.executors.descriptors.AceParameters;
import org.crucible.executors.descriptors.LinearBasis;
import org.crucible.executors.potentials.FitOptions;
import org.crucible.executors.potentials.FitResult;
import org.crucible.executors.potentials.PotentialFitter;

/**
 * A linear ACE potential ({@code potential.basis}: cutoff in Angstrom, degrees, l cap) fitted by Bayesian ridge or
 * ARD ({@code potential.fit}) with a committee of {@code potential.committee} posterior samples (NN-ensemble eq. 3-4),
 * excluding outliers beyond {@code potential.outlier_sigmas} standard deviations of the per-structure max force. The
 * committee's sampling seed is mixed from the campaign seed and the cycle.
 */
public record AceCommitteeFitter(CampaignConfig cfg) implements Fitter {
    private static final long SALT = 0x464954L;

    @Override
    public FitResult fit(List<Structure> data, int cycle) {
        CampaignConfig.PotentialSpec p = cfg.potential();
        FitOptions opts = FitOptions.defaults().withSolver(p.fit()).withCommitteeSize(p.committee()).withOutlierSigmas(p.outlierSigmas())
                .withSeed(Seeds.mix(cfg.seed(), cycle, SALT));
        return PotentialFitter.fit(data, basis(cfg), opts);
    }

    /** The linear ACE basis of the configuration, covering every element of every composition. */
    public static LinearBasis basis(CampaignConfig cfg) {
        TreeSet<Integer> zs = new TreeSet<>();
        for (Composition c : cfg.compositions()) for (String sym : c.counts().keySet()) zs.add(Elements.bySymbol(sym).z());
        CampaignConfig.PotentialSpec p = cfg.potential();
        AceParameters params = AceParameters.defaults(zs.stream().mapToInt(Integer::intValue).toArray()).withCutoff(p.cutoff())
                .withInnerCutoff(p.innerCutoff()).withDegrees(p.maxDegree().stream().mapToInt(Integer::intValue).toArray(), p.wL(), p.lMax());
        return new AceBasis(params);
    }
}
