package org.crucible.driver.oracle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.crucible.dft.DftParseException;
import org.crucible.dft.DftParsers;
import org.crucible.dft.DftResult;
import org.crucible.dft.DftStatus;
import org.crucible.dft.RelaxationOutcome;
import org.crucible.dft.DftInputException;
import org.crucible.dft.input.RelaxationRequest;
import org.crucible.dft.input.InputGenerator;
import org.crucible.dft.input.InputSet;
import org.crucible.dft.run.DftRunner;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.LabelStatus;
import org.crucible.driver.store.Provenance;

/**
 * A DFT code run on this machine as an {@link Oracle} (pw.x through dft-adapters' input generator and
 * {@link DftRunner}). Each task runs in {@code workRoot/<first 16 hex of its task hash>}; a directory whose output
 * already parses as a finished run (a result computed before the driver was killed, not yet stored) is harvested
 * instead of run again, so a resumed campaign repeats no calculation. OK results become labels (energy eV, forces
 * eV/Angstrom, stress eV/Angstrom^3 as the adapters convert them); SCF not converged becomes UNCONVERGED; anything
 * else FAILED with the adapter's message.
 */
public final class LocalDftOracle extends ProvenancedOracle {
    private final InputGenerator generator;
    private final DftRunner runner;
    private final Path workRoot;

    /** @param settings what determines the labels (code, pseudopotentials, cutoffs, k-points...), hashed into task hashes */
    public LocalDftOracle(InputGenerator generator, DftRunner runner, Path workRoot, Map<String, ?> settings, String host, Clock clock) {
        super("unknown", settings, host, clock);
        this.generator = generator;
        this.runner = runner;
        this.workRoot = workRoot;
    }

    @Override
    public String code() {
        return dftCodeName(generator.code());
    }

    @Override
    public void label(List<OracleTask> batch, int cycle, String selector, Consumer<LabelRecord> sink) {
        for (OracleTask t : batch) {
            Path dir = workRoot.resolve(t.taskHash().substring(0, 16));
            InputSet inputs = generator.inputSet(t.structure());
            DftResult r = harvest(inputs, dir);
            if (r == null) r = runner.run(inputs, dir);
            noteVersion(r.codeVersion());
            Provenance p = provenance("local:" + dir.getFileName(), cycle, selector, r.wallSeconds() == null ? 0.0 : r.wallSeconds());
            if (r.status() == DftStatus.OK) {
                sink.accept(LabelRecord.ok(t.taskHash(), t.structure().withLabels(r.labels()), p));
            } else {
                LabelStatus s = r.status() == DftStatus.SCF_NOT_CONVERGED ? LabelStatus.UNCONVERGED : LabelStatus.FAILED;
                sink.accept(LabelRecord.failed(t.taskHash(), t.structure(), s, r.status().name().toLowerCase() + ": " + r.message(), p));
            }
        }
    }

    /**
     * Relaxes each structure with the code's own variable-cell relaxation (pw.x {@code vc-relax}), one run per
     * structure in {@code workRoot/relax-<first 16 hex of the task hash>}; a run that already finished there (before
     * a kill) is harvested, not repeated. Every complete ionic step counts as one single point.
     */
    @Override
    public List<OracleRelaxation> relax(List<OracleTask> tasks, double fmaxEvPerAngstrom, int maxSteps) {
        RelaxationRequest request = new RelaxationRequest(fmaxEvPerAngstrom, 0.0, maxSteps, true);
        List<OracleRelaxation> out = new java.util.ArrayList<>();
        for (OracleTask t : tasks) {
            Path dir = workRoot.resolve("relax-" + t.taskHash().substring(0, 16));
            String where = "local:" + dir.getFileName();
            InputSet inputs;
            try {
                inputs = generator.relaxationInputSet(t.structure(), request);
            } catch (DftInputException e) {
                out.add(new OracleRelaxation(t.poolId(), null, 0, "failed: input: " + e.getMessage(), where));
                continue;
            }
            RelaxationOutcome o = harvestRelaxation(inputs, dir, t.structure());
            if (o == null) {
                runner.run(inputs, dir);
                try {
                    o = DftParsers.relaxation(inputs.code(), dir, inputs, t.structure());
                } catch (DftParseException e) {
                    out.add(new OracleRelaxation(t.poolId(), null, 0, "failed: " + e.getMessage(), where));
                    continue;
                }
            }
            out.add(relaxation(t.poolId(), o, where));
        }
        return out;
    }

    /** The driver's view of a DFT relaxation: the labelled last step, or a failure with the code's message. */
    static OracleRelaxation relaxation(long poolId, RelaxationOutcome o, String where) {
        DftResult r = o.result();
        if (!r.isOk()) {
            return new OracleRelaxation(poolId, null, o.ionicSteps(), "failed: " + r.status().name().toLowerCase() + ": " + r.message(), where);
        }
        return new OracleRelaxation(poolId, o.relaxed(), o.ionicSteps(), o.converged() ? "converged" : "max_steps", where);
    }

    /** A finished relaxation already in {@code dir} (ionic criterion met or step limit reached), or null. */
    private static RelaxationOutcome harvestRelaxation(InputSet inputs, Path dir, org.crucible.core.Structure initial) {
        if (!Files.exists(dir.resolve(inputs.mainOutput()))) return null;
        try {
            RelaxationOutcome o = DftParsers.relaxation(inputs.code(), dir, inputs, initial);
            return o.result().isOk() ? o : null;
        } catch (DftParseException e) {
            return null;
        }
    }

    /** A finished OK result already in {@code dir}, or null (then the task is run). */
    private static DftResult harvest(InputSet inputs, Path dir) {
        Path main = dir.resolve(inputs.mainOutput());
        if (!Files.exists(main)) return null;
        try {
            DftResult r = DftParsers.forCode(inputs.code()).parse(main, false);
            return r.status() == DftStatus.OK ? r : null;
        } catch (DftParseException e) {
            return null;
        }
    }
}
