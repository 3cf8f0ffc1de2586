package org.crucible.driver.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crucible.core.Structure;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.LabelStatus;
import org.crucible.driver.store.TrainingStore;
import org.crucible.executors.descriptors.AceBasisFactory;
import org.crucible.executors.potentials.LinearPotential;
import org.crucible.executors.potentials.ModelFile;

/**
 * The oracle-agreement stopping rule ({@code stopping.oracle_agreement}, issue 23 item 5): has the model that picked
 * the previous cycle's structures already got the lowest basins right? After the labels of cycle c &gt;= 1 are in, take
 * that cycle's picks from its k lowest-energy clusters ({@code cycles/NNN/selection.json}), the structures as the
 * oracle labelled them (the perturbed cells of {@code cycles/NNN/batch.json}, their energies from the store) and the
 * model that relaxed and picked them ({@code models/model-(c-1).json}); the agreement is
 * <pre>
 *   A_c = max over those picks of |E_model(x) - E_oracle(x)| / N   (eV/atom)
 * </pre>
 * The campaign stops at cycle c + 1 when A_c &lt;= {@code oracle_agreement}: the labels bought in cycle c then add
 * little about the lowest basins that the model did not know. No label is spent on the test (the picks were labelled
 * anyway), and it is a function of files and store records written before, so a resumed campaign decides the same.
 *
 * <p>It is the suggestion ("stop once the lowest clusters agree with the oracle within epsilon"), in the form
 * that costs no single point: the oracle's energy of the perturbed pick, not of the relaxed cell.
 */
final class OracleAgreement {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param labels the agreement of each pick used (eV/atom), lowest cluster first
     */
    record Result(double agreement, List<Double> labels) {
    }

    private OracleAgreement() {
    }

    /**
     * A_c for the labelled cycle {@code c} (&gt;= 1), or empty when it is undefined: a selector without clusters,
     * fewer than k labelled picks, or no model of cycle c - 1.
     */
    static java.util.Optional<Result> measure(Path campaignDir, TrainingStore store, int c, int k) {
        if (c < 1) return java.util.Optional.empty();
        Path cycle = campaignDir.resolve(String.format("cycles/%03d", c));
        Path model = campaignDir.resolve(String.format("models/model-%03d.json", c - 1));
        try {
            if (!Files.exists(cycle.resolve("selection.json")) || !Files.exists(cycle.resolve("batch.json")) || !Files.exists(model)) {
                return java.util.Optional.empty();
            }
            JsonNode picks = JSON.readTree(cycle.resolve("selection.json").toFile()).path("picks");
            // the lowest-energy pick of each cluster, clusters in order of that energy
            Map<Long, JsonNode> byCluster = new LinkedHashMap<>();
            for (JsonNode p : picks) {
                if (!p.has("cluster") || !p.has("energyPerAtom") || !p.has("id")) return java.util.Optional.empty();
                byCluster.merge(p.get("cluster").asLong(), p, (a, b) -> a.get("energyPerAtom").asDouble() <= b.get("energyPerAtom").asDouble() ? a : b);
            }
            List<JsonNode> lowest = new ArrayList<>(byCluster.values());
            lowest.sort(Comparator.comparingDouble(p -> p.get("energyPerAtom").asDouble()));
            if (lowest.size() < k) return java.util.Optional.empty();
            Map<Long, String> taskOfPool = new HashMap<>();
            for (JsonNode t : JSON.readTree(cycle.resolve("batch.json").toFile()).path("tasks")) {
                taskOfPool.put(t.get("pool_id").asLong(), t.get("task_hash").asText());
            }
            LinearPotential pot = ModelFile.read(model, new AceBasisFactory()).potential();
            List<Double> diffs = new ArrayList<>();
            for (JsonNode p : lowest.subList(0, k)) {
                String task = taskOfPool.get(p.get("id").asLong());
                LabelRecord r = task == null ? null : store.get(task).filter(x -> x.status() == LabelStatus.OK).orElse(null);
                if (r == null) return java.util.Optional.empty(); // not labelled (budget) or failed
                Structure s = r.structure();
                diffs.add(Math.abs(pot.calculate(s).energy() - s.labels().energy()) / s.size());
            }
            return java.util.Optional.of(new Result(diffs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN), diffs));
        } catch (IOException e) {
            throw new CampaignException("oracle agreement of cycle " + c + ": cannot read " + cycle + " or " + model + ": " + e.getMessage(), e);
        }
    }
}
