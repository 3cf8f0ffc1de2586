package org.crucible.driver.campaign;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checkpoint of a campaign ({@code state.json} in the campaign directory), written atomically after every stage:
 * the next stage to run, the cycle, where the current pool and model are, the current selection, the oracle counters,
 * the validated best structures, the seconds spent per stage, and the protocol's own state: one section per stage
 * kind that keeps state between cycles ({@code protocol_state}, e.g. {@code convergence: {history: [[...]]}}, the k
 * lowest cluster energies per cycle in eV/atom). Together with the campaign file (copied into the directory) and the
 * seed it determines every later decision, so {@code crucible resume} continues exactly where the last completed
 * stage left off. Checkpoints of format {@code crucible-campaign-1} (history at the top level) are read as the
 * pool-relaxation protocol's.
 *
 * @param status {@code running}, {@code converged}, {@code max-cycles}, {@code budget} (while validating and after),
 *               or {@code failed}
 * @param protocol      the preset name the campaign runs ({@code protocol.name})
 * @param protocolState per stage kind ({@code convergence}, ...), that stage's own state as JSON
 */
public record CampaignState(String format, String name, long seed, String configSha256, int cycle, Stage next, String status,
                            String poolUri, String modelFile, List<Long> selection, List<Long> validationCandidates,
                            String protocol, Map<String, JsonNode> protocolState, int oracleSinglePoints, int oracleFailures, int validationSinglePoints,
                            Map<String, Double> stageSeconds, List<Best> best, String message) {
    public static final String FORMAT = "crucible-campaign-2";
    /** The checkpoint format before protocol sections; read, never written. */
    public static final String FORMAT_1 = "crucible-campaign-1";
    /** The protocol of checkpoints that name none. */
    public static final String DEFAULT_PROTOCOL = "pool-relaxation";
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public CampaignState {
        selection = List.copyOf(selection);
        validationCandidates = List.copyOf(validationCandidates);
        if (protocol == null) protocol = DEFAULT_PROTOCOL;
        Map<String, JsonNode> sections = new java.util.TreeMap<>();
        protocolState.forEach((k, v) -> sections.put(k, v.deepCopy()));
        protocolState = java.util.Collections.unmodifiableMap(sections);
        stageSeconds = Map.copyOf(stageSeconds);
        best = List.copyOf(best);
        if (message == null) message = "";
    }

    /** A checkpoint of the pool-relaxation protocol with its convergence history (eV/atom per cycle). */
    public CampaignState(String format, String name, long seed, String configSha256, int cycle, Stage next, String status, String poolUri,
                         String modelFile, List<Long> selection, List<Long> validationCandidates, List<List<Double>> history,
                         int oracleSinglePoints, int oracleFailures, int validationSinglePoints, Map<String, Double> stageSeconds, List<Best> best,
                         String message) {
        this(format, name, seed, configSha256, cycle, next, status, poolUri, modelFile, selection, validationCandidates, DEFAULT_PROTOCOL,
                Map.of(CONVERGENCE, historySection(history)), oracleSinglePoints, oracleFailures, validationSinglePoints, stageSeconds, best, message);
    }

    /** The section of the convergence stage. */
    public static final String CONVERGENCE = "convergence";

    /** A convergence section holding {@code history}. */
    public static ObjectNode historySection(List<List<Double>> history) {
        ObjectNode n = JSON.createObjectNode();
        n.set("history", JSON.valueToTree(history));
        return n;
    }

    /**
     * Per cycle, the ascending lowest cluster (or structure) energies in eV/atom the convergence stage tracked, oldest
     * first; empty when the protocol keeps none.
     */
    public List<List<Double>> history() {
        JsonNode h = protocolState.getOrDefault(CONVERGENCE, JSON.createObjectNode()).path("history");
        List<List<Double>> out = new ArrayList<>();
        for (JsonNode row : h) {
            List<Double> r = new ArrayList<>();
            for (JsonNode v : row) r.add(v.isNumber() ? v.doubleValue() : Double.NaN);
            out.add(List.copyOf(r));
        }
        return List.copyOf(out);
    }

    /** A validated structure: oracle energy (eV/atom), model energy before validation, space group (null when unknown), file. */
    public record Best(long poolId, double energyEvPerAtom, double predictedEvPerAtom, String spaceGroup, String file, String stopReason) {
    }

    /** The state of a new campaign. */
    public static CampaignState initial(String name, long seed, String configSha256) {
        return initial(name, seed, configSha256, DEFAULT_PROTOCOL);
    }

    /** The state of a new campaign running {@code protocol}. */
    public static CampaignState initial(String name, long seed, String configSha256, String protocol) {
        return new CampaignState(FORMAT, name, seed, configSha256, 0, Stage.GENERATE, "running", null, null, List.of(), List.of(), protocol,
                Map.of(), 0, 0, 0, Map.of(), List.of(), "");
    }

    public boolean finished() {
        return next == Stage.DONE;
    }

    /** Builder-style copy. */
    public Edit edit() {
        return new Edit(this);
    }

    /** Writes {@code file} atomically (temp file in the same directory, then an atomic rename). */
    public void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, JSON.writeValueAsBytes(this));
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        org.crucible.driver.store.DurableFiles.fsyncDirectory(file.toAbsolutePath().getParent());
    }

    public static CampaignState read(Path file) throws IOException {
        JsonNode root = JSON.readTree(file.toFile());
        String format = root.path("format").asText();
        if (FORMAT_1.equals(format) && root instanceof ObjectNode o) {
            // The first format kept the convergence history at the top level: it is the pool-relaxation protocol's section.
            JsonNode history = o.remove("history");
            o.put("format", FORMAT);
            o.put("protocol", DEFAULT_PROTOCOL);
            o.set("protocol_state", JSON.createObjectNode().set(CONVERGENCE, historySection(history == null ? List.of()
                    : JSON.convertValue(history, new com.fasterxml.jackson.core.type.TypeReference<List<List<Double>>>() { }))));
        } else if (!FORMAT.equals(format)) {
            throw new IOException(file + ": not a campaign state (format '" + format + "', expected " + FORMAT + " or " + FORMAT_1 + ")");
        }
        return JSON.treeToValue(root, CampaignState.class);
    }

    /** JSON text of this state. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A mutable copy used to build the next state. */
    public static final class Edit {
        int cycle;

        Stage next;
        String status;
        String poolUri;
        String modelFile;
        List<Long> selection;
        List<Long> validationCandidates;
        final Map<String, JsonNode> protocolState;
        int oracleSinglePoints;
        int oracleFailures;
        int validationSinglePoints;
        Map<String, Double> stageSeconds;
        List<Best> best;
        String message;
        private final CampaignState base;

        Edit(CampaignState s) {
            base = s;
            cycle = s.cycle;
            next = s.next;
            status = s.status;
            poolUri = s.poolUri;
            modelFile = s.modelFile;
            selection = s.selection;
            validationCandidates = s.validationCandidates;
            protocolState = new java.util.TreeMap<>(s.protocolState);
            oracleSinglePoints = s.oracleSinglePoints;
            oracleFailures = s.oracleFailures;
            validationSinglePoints = s.validationSinglePoints;
            stageSeconds = new LinkedHashMap<>(s.stageSeconds);
            best = s.best;
            message = s.message;
        }

        public CampaignState done() {
            return new CampaignState(base.format, base.name, base.seed, base.configSha256, cycle, next, status, poolUri, modelFile, selection,
                    validationCandidates, base.protocol, protocolState, oracleSinglePoints, oracleFailures, validationSinglePoints, stageSeconds, best, message);
        }
    }
}
