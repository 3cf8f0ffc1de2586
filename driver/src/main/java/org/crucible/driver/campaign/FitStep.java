package org.crucible.driver.campaign;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.crucible.driver.pool.Seeds;
import org.crucible.driver.protocol.Protocol;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.TrainingStore;
import org.crucible.executors.potentials.FitResult;

/**
 * The FIT stage: the protocol's {@link org.crucible.driver.protocol.Fitter} on the store's OK labels sorted by task
 * hash (so the order labels arrived in never changes the model), the model written whole before the state that points
 * to it ({@link CampaignArtifacts#writeModel}), then the next cycle's RELAX.
 */
final class FitStep {
    private final Protocol protocol;
    private final TrainingStore store;
    private final CampaignArtifacts artifacts;
    private final CampaignLog log;

    FitStep(Protocol protocol, TrainingStore store, CampaignArtifacts artifacts, CampaignLog log) {
        this.protocol = protocol;
        this.store = store;
        this.artifacts = artifacts;
        this.log = log;
    }

    /** Fits cycle {@code e.cycle}, records the model in {@code e} and moves it to RELAX of the next cycle; returns the fit. */
    FitResult run(CampaignState.Edit e) {
        List<LabelRecord> data = new ArrayList<>(store.trainingSet());
        data.sort(Comparator.comparing(LabelRecord::taskHash));
        if (data.isEmpty()) throw new CampaignException("fit (cycle " + e.cycle + "): the store has no successful label to fit");
        FitResult fit = protocol.fitter().fit(data.stream().map(LabelRecord::structure).toList(), e.cycle);
        e.modelFile = artifacts.writeModel(fit, e.cycle);
        log.info(String.format("cycle %d: fitted %d structures (%d excluded), training RMSE %s; model %s (seed %s)", e.cycle, data.size(),
                fit.excluded().size(), fit.trainingErrors().describe(), e.modelFile, Seeds.text(fit.seed())));
        e.cycle = e.cycle + 1;
        e.next = Stage.RELAX;
        return fit;
    }
}
