package org.crucible.driver.campaign;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.core.Structure;
import org.crucible.driver.oracle.Oracle;
import org.crucible.driver.oracle.OracleRelaxation;
import org.crucible.driver.oracle.OracleTask;
import org.crucible.driver.pool.Pool;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.Provenance;
import org.crucible.driver.store.TaskHash;
import org.crucible.executors.symmetry.SpaceGroupFinder;

/**
 * The last stage of every protocol: the selector's validation candidates (the best structures of the lowest
 * clusters) relaxed with the oracle itself to fmax {@code validation.fmax} eV/Angstrom in at most
 * {@code validation.steps} steps, written to {@code best/best-NN.extxyz} with their space group (found at
 * {@code validation.symmetry_tolerance} Angstrom), and reported lowest energy (eV/atom) first.
 */
final class FinalValidation {
    private final CampaignConfig.Validation v;
    private final Oracle oracle;
    private final CampaignFiles files;
    private final Clock clock;
    private final CampaignLog log;

    FinalValidation(CampaignConfig.Validation v, Oracle oracle, CampaignFiles files, Clock clock, CampaignLog log) {
        this.v = v;
        this.oracle = oracle;
        this.files = files;
        this.clock = clock;
        this.log = log;
    }

    /** Validates {@code candidates} of {@code pool}; sets the best structures and the oracle's single points on {@code e}. */
    void run(Pool pool, List<Long> candidates, CampaignState.Edit e) {
        List<CampaignState.Best> best = new ArrayList<>();
        List<PoolEntry> entries = order(pool.fetch(candidates), candidates);
        List<OracleTask> tasks = entries.stream().map(p -> OracleTask.of(p.structure(), oracle, p.id())).toList();
        log.info(String.format("validation: relaxing the best cells of the %d lowest clusters with %s (fmax %.3g eV/A, at most %d steps)",
                tasks.size(), oracle.code(), v.fmax(), v.steps()));
        List<OracleRelaxation> relaxations;
        try {
            relaxations = oracle.relax(tasks, v.fmax(), v.steps());
        } catch (UnsupportedOperationException ex) {
            throw new CampaignException("validate: " + ex.getMessage() + "; set validation.top_k: 0 to skip the validation", ex);
        }
        int evaluations = 0;
        for (int rank = 1; rank <= entries.size(); rank++) {
            PoolEntry p = entries.get(rank - 1);
            OracleRelaxation r = relaxations.get(rank - 1);
            evaluations += r.singlePoints();
            if (!r.ok()) {
                log.info(String.format("validation %d: pool id %d predicted %.4f eV/atom: %s relaxation %s after %d single points (%s)", rank, p.id(),
                        p.energyPerAtom(), oracle.code(), r.stopReason(), r.singlePoints(), r.jobId()));
                continue;
            }
            Structure low = r.relaxed();
            double ePerAtom = r.energyPerAtom();
            Path file = files.dir().resolve(String.format("best/best-%02d.extxyz", rank));
            Provenance prov = new Provenance(oracle.code(), oracle.codeVersion(), oracle.settingsHash(), r.jobId(), "driver", e.cycle, "validation", 0.0,
                    Instant.now(clock));
            CampaignFiles.writeRecord(file, LabelRecord.ok(TaskHash.of(low, oracle.settingsHash()), low, prov));
            String group = spaceGroup(low, v.symmetryTolerance());
            best.add(new CampaignState.Best(p.id(), ePerAtom, p.energyPerAtom(), group, files.dir().relativize(file).toString(), r.stopReason()));
            log.info(String.format("validation %d: pool id %d predicted %.4f eV/atom, %s %.4f eV/atom after %d single points (%s), space group %s", rank,
                    p.id(), p.energyPerAtom(), oracle.code(), ePerAtom, r.singlePoints(), r.stopReason(), group));
        }
        best.sort(Comparator.comparingDouble(CampaignState.Best::energyEvPerAtom));
        e.best = best;
        e.validationSinglePoints = evaluations;
    }

    /** "Fd-3m (227)" from the symmetry finder at {@code tolerance} Angstrom; "unknown (reason)" when it finds none. */
    static String spaceGroup(Structure s, double tolerance) {
        try {
            SpaceGroupFinder.Result r = SpaceGroupFinder.find(s, tolerance);
            return r.symbol() + " (" + r.number() + ")";
        } catch (IllegalArgumentException | IllegalStateException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static List<PoolEntry> order(List<PoolEntry> entries, List<Long> ids) {
        Map<Long, PoolEntry> byId = new LinkedHashMap<>();
        for (PoolEntry p : entries) byId.put(p.id(), p);
        List<PoolEntry> out = new ArrayList<>();
        for (Long id : ids) if (byId.containsKey(id)) out.add(byId.get(id));
        return out;
    }
}
