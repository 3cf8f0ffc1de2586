package org.crucible.driver.protocol;

import java.util.Map;
import java.util.Objects;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.driver.protocol.StageRegistry.Kind;

/**
 * A protocol: one stage of each kind, composed by the campaign loop (generate; then per cycle explore, describe,
 * select, perturb and label, fit; convergence after each selection). Built from a campaign file's
 * {@code protocol.name} preset and {@code protocol.stages} overrides; {@link #stages()} records the names chosen.
 *
 * <pre>{@code
 * Protocol p = Protocol.of(cfg, StageRegistry.builtIn());
 * GenerationPlan plan = p.generator().plan(0);
 * }</pre>
 */
public record Protocol(String name, Map<String, String> stages, Generator generator, Explorer explorer, Describer describer,
                       Selector initialSelector, Selector selector, Perturbation perturbation, Fitter fitter, Convergence convergence) {
    public Protocol {
        Objects.requireNonNull(name, "name");
        stages = Map.copyOf(stages);
        Objects.requireNonNull(generator, "generator");
        Objects.requireNonNull(explorer, "explorer");
        Objects.requireNonNull(describer, "describer");
        Objects.requireNonNull(initialSelector, "initialSelector");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(perturbation, "perturbation");
        Objects.requireNonNull(fitter, "fitter");
        Objects.requireNonNull(convergence, "convergence");
    }

    /** The protocol {@code cfg} chooses, each stage built from {@code registry}. */
    public static Protocol of(CampaignConfig cfg, StageRegistry registry) {
        CampaignConfig.Protocol p = cfg.protocol();
        return new Protocol(p.name(), p.stages(),
                registry.create(Kind.GENERATOR, p.stage("generator"), cfg),
                registry.create(Kind.EXPLORER, p.stage("explorer"), cfg),
                registry.create(Kind.DESCRIBER, p.stage("describer"), cfg),
                registry.create(Kind.INITIAL_SELECTOR, p.stage("initial_selector"), cfg),
                registry.create(Kind.SELECTOR, p.stage("selector"), cfg),
                registry.create(Kind.PERTURBATION, p.stage("perturbation"), cfg),
                registry.create(Kind.FITTER, p.stage("fitter"), cfg),
                registry.create(Kind.CONVERGENCE, p.stage("convergence"), cfg));
    }

    /** The name of the stage chosen for {@code kind} (recorded in selection files and label provenance). */
    public String stage(String kind) {
        return stages.get(kind);
    }
}
