package org.crucible.executors.potentials;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.crucible.core.Elements;
import org.crucible.executors.descriptors.AceBasisFactory;
import org.crucible.executors.descriptors.LinearBasis;
import org.crucible.executors.descriptors.LinearBasisFactory;

/**
 * The versioned JSON model file of a {@link LinearPotential}:
 *
 * <pre>
 * {"format": "crucible-linear-potential", "version": 1,
 *  "basis": {basis spec}, "reference_energies_eV": {"Si": -4.33},
 *  "coefficients": [F numbers], "committee": [[F numbers] x K], "epsilon_eV_per_A": 0.2,
 *  "active_set": {"features": F, "rank": m, "projection": [F*m], "rows": [m*m], "gamma_select": 2, "gamma_break": 10},
 *  "provenance": {"data_sha256": ..., "seed": ..., "solver": ..., "hyperparameters": {...}, "excluded": [...], ...}}
 * </pre>
 *
 * Numbers are written with the shortest decimal that parses back to the same double (Jackson uses
 * {@link Double#toString}), so a loaded model reproduces predictions bit for bit; the active set's inverse is
 * recomputed from its stored rows by the same deterministic routine that computed it when fitting.
 */
public final class ModelFile {
    public static final String FORMAT = "crucible-linear-potential";
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelFile() {
    }

    /** Model file contents of a fit. */
    public static Map<String, Object> toJson(FitResult fit) {
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("data_sha256", fit.dataHash());
        // unsigned, as every seed is shown to people: a JSON number up to 2^64 - 1 (read back with asLong(), the same 64 bits)
        prov.put("seed", new java.math.BigInteger(Long.toUnsignedString(fit.seed())));
        prov.put("structures_fitted", fit.structuresFitted());
        prov.put("observations", fit.observations());
        prov.put("hyperparameters", finite(fit.posterior().hyperparameters()));
        prov.put("training_errors", finite(fit.trainingErrors().toMap()));
        List<Map<String, Object>> excluded = new ArrayList<>();
        for (FitResult.Excluded e : fit.excluded()) {
            excluded.add(Map.of("index", e.index(), "hash", e.hash(), "max_force_eV_per_A", e.maxForce(), "reason", e.reason()));
        }
        prov.put("excluded", excluded);
        prov.put("crucible_version", ModelFile.class.getPackage().getImplementationVersion() == null ? "dev"
                : ModelFile.class.getPackage().getImplementationVersion());
        return toJson(fit.potential(), prov);
    }

    /** Model file contents of a potential with the given provenance. */
    public static Map<String, Object> toJson(LinearPotential p, Map<String, Object> provenance) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("format", FORMAT);
        out.put("version", VERSION);
        out.put("basis", p.basis().spec());
        Map<String, Object> e0 = new LinkedHashMap<>();
        for (Map.Entry<Integer, Double> e : p.referenceEnergies().entrySet()) e0.put(Elements.byZ(e.getKey()).symbol(), e.getValue());
        out.put("reference_energies_eV", e0);
        out.put("coefficients", p.coefficients());
        out.put("committee", p.committee());
        out.put("epsilon_eV_per_A", p.epsilon());
        ActiveSet a = p.activeSet();
        if (a != null) {
            Map<String, Object> as = new LinkedHashMap<>();
            as.put("features", a.features());
            as.put("rank", a.size());
            as.put("projection", a.projection());
            as.put("rows", a.rows());
            as.put("gamma_select", a.gammaSelect());
            as.put("gamma_break", a.gammaBreak());
            out.put("active_set", as);
        }
        out.put("provenance", provenance);
        return out;
    }

    public static void write(FitResult fit, Path path) throws IOException {
        write(toJson(fit), path);
    }

    public static void write(Map<String, Object> json, Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), json);
        Files.move(tmp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads a model file, rebuilding the basis with {@link AceBasisFactory} for {@code "type": "ace"} and otherwise
     * with the first {@link LinearBasisFactory} registered for {@link ServiceLoader} that accepts the spec.
     */
    public static PotentialModel read(Path path) throws IOException {
        return read(path, null);
    }

    /**
     * Reads a model file.
     *
     * @param factory the basis factory, or null to look one up with {@link ServiceLoader}
     * @throws ModelFileException naming the file and field when the content is not a valid model
     */
    public static PotentialModel read(Path path, LinearBasisFactory factory) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(path.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ModelFileException(path + ": not valid JSON at line " + e.getLocation().getLineNr() + ": " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw new ModelFileException(path + ": not a JSON object");
        String format = root.path("format").asText("");
        if (!FORMAT.equals(format)) throw new ModelFileException(path + ": field 'format' is '" + format + "', expected '" + FORMAT + "'");
        int version = root.path("version").asInt(-1);
        if (version != VERSION) throw new ModelFileException(path + ": field 'version' is " + root.path("version") + ", this build reads version " + VERSION);
        Map<String, Object> spec = JSON.convertValue(require(root, "basis", path), new TypeReference<Map<String, Object>>() { });
        LinearBasis basis = basis(spec, factory, path);
        double[] coefficients = doubles(require(root, "coefficients", path), "coefficients", path);
        JsonNode com = require(root, "committee", path);
        double[][] committee = new double[com.size()][];
        for (int k = 0; k < com.size(); k++) committee[k] = doubles(com.get(k), "committee[" + k + "]", path);
        Map<Integer, Double> e0 = new TreeMap<>();
        var fields = require(root, "reference_energies_eV", path).fields();
        while (fields.hasNext()) {
            var e = fields.next();
            if (!e.getValue().isNumber()) throw new ModelFileException(path + ": reference_energies_eV." + e.getKey() + " is not a number");
            try {
                e0.put(Elements.bySymbol(e.getKey()).z(), e.getValue().doubleValue());
            } catch (IllegalArgumentException ex) {
                throw new ModelFileException(path + ": reference_energies_eV has unknown element '" + e.getKey() + "'");
            }
        }
        double epsilon = root.path("epsilon_eV_per_A").asDouble(LinearPotential.DEFAULT_EPSILON);
        ActiveSet active = null;
        JsonNode as = root.get("active_set");
        if (as != null && !as.isNull()) {
            active = ActiveSet.of(as.path("features").asInt(), as.path("rank").asInt(),
                    doubles(as.path("projection"), "active_set.projection", path), doubles(as.path("rows"), "active_set.rows", path),
                    as.path("gamma_select").asDouble(ActiveSet.DEFAULT_GAMMA_SELECT), as.path("gamma_break").asDouble(ActiveSet.DEFAULT_GAMMA_BREAK));
        }
        Map<String, Object> prov = root.has("provenance") ? JSON.convertValue(root.get("provenance"), new TypeReference<Map<String, Object>>() { }) : Map.of();
        try {
            return new PotentialModel(new LinearPotential(basis, coefficients, committee, e0, active, epsilon), prov);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(path + ": " + e.getMessage());
        }
    }

    private static LinearBasis basis(Map<String, Object> spec, LinearBasisFactory factory, Path path) {
        try {
            if (factory != null) return factory.fromSpec(spec);
            if ("ace".equals(spec.get("type"))) return new AceBasisFactory().fromSpec(spec);
            for (LinearBasisFactory f : ServiceLoader.load(LinearBasisFactory.class)) {
                if (f.accepts(spec)) return f.fromSpec(spec);
            }
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(path + ": field 'basis': " + e.getMessage());
        }
        throw new ModelFileException(path + ": no registered LinearBasisFactory accepts the basis spec " + spec.get("type"));
    }

    private static JsonNode require(JsonNode root, String field, Path path) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) throw new ModelFileException(path + ": missing field '" + field + "'");
        return n;
    }

    private static double[] doubles(JsonNode n, String field, Path path) {
        if (n == null || !n.isArray()) throw new ModelFileException(path + ": field '" + field + "' is not an array of numbers");
        double[] out = new double[n.size()];
        for (int i = 0; i < out.length; i++) {
            if (!n.get(i).isNumber()) throw new ModelFileException(path + ": field '" + field + "[" + i + "]' is not a number: " + n.get(i));
            out[i] = n.get(i).doubleValue();
        }
        return out;
    }

    private static Map<String, Object> finite(Map<String, Object> m) {
        Map<String, Object> out = new TreeMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            Object v = e.getValue();
            out.put(e.getKey(), v instanceof Double d && !Double.isFinite(d) ? null : v);
        }
        return out;
    }

    /** A model file that cannot be used; the message names the file and field. */
    public static final class ModelFileException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public ModelFileException(String message) {
            super(message);
        }
    }
}
