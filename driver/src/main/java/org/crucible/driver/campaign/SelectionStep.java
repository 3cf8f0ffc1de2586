package org.crucible.driver.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.driver.pool.Pool;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.protocol.Convergence;
import org.crucible.driver.protocol.Protocol;
import org.crucible.driver.protocol.Selection;
import org.crucible.driver.protocol.StageContext;

/**
 * The SELECT stage of the loop: the protocol's selector picks what to label (its initial selector in cycle 0), its
 * convergence test updates its section of {@code state.json}, and the stopping rules (converged, {@code max_cycles},
 * the oracle budget {@code max_oracle_calls}, nothing left to label) decide whether the campaign labels or validates
 * next. The decision record goes to {@code cycles/NNN/selection.json} (atomically) before the state that follows it.
 */
final class SelectionStep {
    private final CampaignConfig cfg;
    private final Protocol protocol;
    private final CampaignFiles files;
    private final CampaignArtifacts artifacts;
    private final CampaignLog log;
    private final IntFunction<StageContext> context;

    SelectionStep(CampaignConfig cfg, Protocol protocol, CampaignFiles files, CampaignArtifacts artifacts, CampaignLog log, IntFunction<StageContext> context) {
        this.cfg = cfg;
        this.protocol = protocol;
        this.files = files;
        this.artifacts = artifacts;
        this.log = log;
        this.context = context;
    }

    void run(CampaignState.Edit e) {
        Pool pool = artifacts.load(e.poolUri);
        if (e.cycle == 0) {
            Selection s = protocol.initialSelector().select(pool, context.apply(0));
            e.selection = s.picks();
            CampaignFiles.writeJson(files.cycleDir(0).resolve("selection.json"), s.record());
            log.info("cycle 0: " + s.summary());
            e.next = Stage.LABEL;
            return;
        }
        Selection s = protocol.selector().select(pool, context.apply(e.cycle));
        JsonNode section = e.protocolState.getOrDefault(CampaignState.CONVERGENCE, JsonNodeFactory.instance.objectNode());
        Convergence.Verdict v = protocol.convergence().assess(section, s);
        e.protocolState.put(CampaignState.CONVERGENCE, v.state());
        e.validationCandidates = s.validationCandidates();
        CampaignConfig.Stopping st = cfg.stopping();
        // stopping.oracle_agreement: the previous cycle's lowest picks, as labelled, against the model that picked them
        java.util.Optional<OracleAgreement.Result> agreement = st.oracleAgreementEvPerAtom() > 0 && e.cycle >= 2
                ? OracleAgreement.measure(files.dir(), context.apply(e.cycle).store(), e.cycle - 1, st.k()) : java.util.Optional.empty();
        boolean agreed = agreement.isPresent() && agreement.get().agreement() <= st.oracleAgreementEvPerAtom();
        boolean converged = v.converged() || agreed;
        Map<String, Object> record = new LinkedHashMap<>(s.record());
        record.put("change_eV_per_atom", Double.isFinite(v.change()) ? v.change() : null);
        if (agreement.isPresent()) {
            record.put("oracle_agreement_eV_per_atom", agreement.get().agreement());
            record.put("oracle_agreement_of_picks_eV_per_atom", agreement.get().labels());
        }
        record.putAll(uncertaintyOfPicks(pool, s.picks()));
        record.put("converged", converged);
        CampaignFiles.writeJson(files.cycleDir(e.cycle).resolve("selection.json"), record);
        String change = Double.isFinite(v.change()) ? String.format("change %.4f eV/atom", v.change())
                : e.cycle <= 1 ? "no earlier cycle to compare yet" : "no cluster energies to compare (selector " + cfg.protocol().stages().get("selector") + ")";
        String agree = agreement.map(a -> String.format(", cycle %d's lowest %d picks vs the oracle within %.4f eV/atom", e.cycle - 1, st.k(), a.agreement()))
                .orElse("");
        log.info(String.format("cycle %d: %s, %s%s%s", e.cycle, s.summary(), change, agree,
                v.converged() ? " -> converged" : agreed ? " -> converged (oracle agreement)" : ""));
        int budgetLeft = st.maxOracleCalls() == 0 ? Integer.MAX_VALUE : st.maxOracleCalls() - e.oracleSinglePoints;
        String stop = converged ? "converged" : e.cycle >= st.maxCycles() ? "max-cycles" : budgetLeft <= 0 ? "budget" : null;
        if (stop != null) {
            e.status = stop;
            e.next = Stage.VALIDATE;
            return;
        }
        e.selection = s.picks().subList(0, Math.min(s.picks().size(), budgetLeft));
        // A protocol with fresh candidates every cycle (an evolutionary search) goes on to its next generation when
        // nothing needs a label: the refit on the same data gives the same potential.
        boolean carryOn = e.selection.isEmpty() && protocol.generator().freshEachCycle();
        e.next = e.selection.isEmpty() && !carryOn ? Stage.VALIDATE : Stage.LABEL;
        if (e.selection.isEmpty() && !carryOn) e.status = "no-candidates";
    }

    /**
     * Median and largest explorer uncertainty U of the picked entries (whatever the explorer stored: the committee
     * ratio for the relaxation), for the status table; fetches only the picks. Empty when none is finite.
     */
    private static Map<String, Object> uncertaintyOfPicks(Pool pool, List<Long> picks) {
        if (picks.isEmpty()) return Map.of();
        double[] u = pool.fetch(picks).stream().mapToDouble(PoolEntry::uncertainty).filter(Double::isFinite).sorted().toArray();
        if (u.length == 0) return Map.of();
        double median = u.length % 2 == 1 ? u[u.length / 2] : 0.5 * (u[u.length / 2 - 1] + u[u.length / 2]);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("selected_uncertainty_median", median);
        m.put("selected_uncertainty_max", u[u.length - 1]);
        return m;
    }
}
