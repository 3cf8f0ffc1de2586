package org.crucible.driver.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.crucible.config.campaign.CampaignConfig;
import org.crucible.driver.selection.ConvergenceTest;

/**
 * NN-ensemble Sec. 2.6 ({@link ConvergenceTest}): converged when the k lowest cluster energies (eV/atom) moved less
 * than epsilon between consecutive cycles over the last {@code stopping.cycles_compared} cycle pairs. Its state is
 * {@code {"history": [[e1, ..., ek], ...]}}, one row per cycle, oldest first. With {@code enabled} false it keeps
 * the history but never converges (registry name {@code none}).
 */
public record LowestClustersConvergence(CampaignConfig.Stopping stopping, boolean enabled) implements Convergence {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Verdict assess(JsonNode state, Selection selection) {
        List<List<Double>> history = new ArrayList<>();
        for (JsonNode row : state.path("history")) {
            List<Double> r = new ArrayList<>();
            for (JsonNode v : row) r.add(v.doubleValue());
            history.add(r);
        }
        history.add(selection.lowestEnergies());
        ConvergenceTest test = new ConvergenceTest(stopping.k(), stopping.epsilonEvPerAtom(), stopping.cyclesCompared());
        ObjectNode next = JSON.createObjectNode();
        ArrayNode h = next.putArray("history");
        for (List<Double> row : history) {
            ArrayNode a = h.addArray();
            row.forEach(a::add);
        }
        return new Verdict(enabled && test.converged(history), test.lastChange(history), next);
    }
}
