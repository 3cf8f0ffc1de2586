package org.crucible.driver.campaign;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
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
 * the next stage to run, the cycle, where the current pool and model are, the current selection, the history of the
 * k lowest cluster energies (eV/atom), the oracle counters, the validated best structures and the seconds spent per
 * stage. Together with the campaign file (copied into the directory) and the seed it determines every later
 * decision, so {@code crucible resume} continues exactly where the last completed stage left off.
 *
 * @param status {@code running}, {@code converged}, {@code max-cycles}, {@code budget} (while validating and after),
 *               or {@code failed}
 */
public record CampaignState(String format, String name, long seed, String configSha256, int cycle, Stage next, String status,
                            String poolUri, String modelFile, List<Long> selection, List<Long> validationCandidates,
                            List<List<Double>> history, int oracleSinglePoints, int oracleFailures, int validationSinglePoints,
                            Map<String, Double> stageSeconds, List<Best> best, String message) {
    public static final String FORMAT = "crucible-campaign-1";
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public CampaignState {
        selection = List.copyOf(selection);
        validationCandidates = List.copyOf(validationCandidates);
        List<List<Double>> h = new ArrayList<>();
        for (List<Double> row : history) h.add(List.copyOf(row));
        history = List.copyOf(h);
        stageSeconds = Map.copyOf(stageSeconds);
        best = List.copyOf(best);
        if (message == null) message = "";
    }

    /** A validated structure: oracle energy (eV/atom), model energy before validation, space group (null when unknown), file. */
    public record Best(long poolId, double energyEvPerAtom, double predictedEvPerAtom, String spaceGroup, String file, String stopReason) {
    }

    /** The state of a new campaign. */
    public static CampaignState initial(String name, long seed, String configSha256) {
        return new CampaignState(FORMAT, name, seed, configSha256, 0, Stage.GENERATE, "running", null, null, List.of(), List.of(), List.of(),
                0, 0, 0, Map.of(), List.of(), "");
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
        CampaignState s = JSON.readValue(file.toFile(), CampaignState.class);
        if (!FORMAT.equals(s.format())) throw new IOException(file + ": not a campaign state (format '" + s.format() + "', expected " + FORMAT + ")");
        return s;
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
        List<List<Double>> history;
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
            history = new ArrayList<>(s.history);
            oracleSinglePoints = s.oracleSinglePoints;
            oracleFailures = s.oracleFailures;
            validationSinglePoints = s.validationSinglePoints;
            stageSeconds = new LinkedHashMap<>(s.stageSeconds);
            best = s.best;
            message = s.message;
        }

        public CampaignState done() {
            return new CampaignState(base.format, base.name, base.seed, base.configSha256, cycle, next, status, poolUri, modelFile, selection,
                    validationCandidates, history, oracleSinglePoints, oracleFailures, validationSinglePoints, stageSeconds, best, message);
        }
    }
}
