package org.crucible.driver.campaign;

import java.io.IOException;
import java.nio.file.Path;
import org.crucible.driver.pool.Pool;
import org.crucible.driver.pool.PoolBackend;
import org.crucible.executors.descriptors.AceBasisFactory;
import org.crucible.executors.potentials.FitResult;
import org.crucible.executors.potentials.LinearPotential;
import org.crucible.executors.potentials.ModelFile;

/**
 * The pools and models a campaign's stages hand to each other, each written whole before the state that points to it:
 * pools at {@code cycle=N/stage=WHAT} under the pool root ({@code pools.uri}; the state keeps that relative location,
 * so a campaign directory can be moved), models at {@code models/model-NNN.json} (temp file, then rename).
 */
final class CampaignArtifacts {
    private final CampaignFiles files;
    private final PoolBackend backend;

    CampaignArtifacts(CampaignFiles files, PoolBackend backend) {
        this.files = files;
        this.backend = backend;
    }

    /** The pool at a location kept in the state. */
    Pool load(String relativePool) {
        return backend.load(files.resolve(relativePool));
    }

    /** Saves {@code pool} as {@code cycle=N/stage=what} under the pool root and returns that relative location for the state. */
    String save(Pool pool, int cycle, String what) {
        String uri = CampaignFiles.poolUri(cycle, what);
        pool.save(files.resolve(uri));
        return uri;
    }

    /** The potential of the model file at {@code relative} (to the campaign directory), as the state names it. */
    LinearPotential model(String relative) {
        if (relative == null) throw new CampaignException("no model has been fitted yet (state.json has no model_file)");
        try {
            return ModelFile.read(files.dir().resolve(relative), new AceBasisFactory()).potential();
        } catch (IOException ex) {
            throw new CampaignException("cannot read model " + files.dir().resolve(relative) + ": " + ex.getMessage(), ex);
        }
    }

    /** Writes the fit of {@code cycle} as {@code models/model-NNN.json} and returns that path relative to the campaign directory. */
    String writeModel(FitResult fit, int cycle) {
        Path model = files.dir().resolve(String.format("models/model-%03d.json", cycle));
        try {
            ModelFile.write(fit, model);
        } catch (IOException ex) {
            throw new CampaignException("fit: cannot write " + model + ": " + ex.getMessage(), ex);
        }
        return files.dir().relativize(model).toString();
    }
}
