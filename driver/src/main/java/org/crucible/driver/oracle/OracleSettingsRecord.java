package org.crucible.driver.oracle;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.crucible.driver.campaign.CampaignException;
import org.crucible.driver.store.DurableFiles;

/**
 * The resolved DFT oracle settings of a campaign, {@code DIR/oracle-settings.resolved.json}: every recipe setting after
 * defaults (units of the recipe file: Ry, 1/Angstrom with 2*pi included, seconds), written atomically when the campaign
 * is created, before any task is sent, and read instead of today's defaults on every resume, so a change of a default
 * never changes what a running campaign computes nor its task hashes. {@code identity} says what enters the oracle's
 * settings hash besides the code and the pseudopotential files: {@link #RESOLVED} these settings (campaigns created
 * with the record), {@link #LEGACY_INLINE} the text that identified inline settings before (a campaign created before
 * the record, whose missing record is written on its first resume with the old inline defaults) or {@link #RECIPE_FILE}
 * the SHA-256 of the campaign's copy of its recipe file (recipe files of codes other than pw.x, and campaigns created
 * before the record). For an embedded calculator ({@code sw}, {@code tersoff}, {@code eam}, {@code lj}; identity
 * {@link #EMBEDDED}) the record holds what its settings hash is computed from (type, parameter file SHA-256 or LJ
 * specification) and the file's path, and a resume refuses a calculator that no longer matches it
 * ({@link #requireSameCalculator}).
 *
 * <pre>{@code
 * {"code": "qe", "identity": "resolved", "settings": {"pseudo_dir": "/usr/share/espresso/pseudo", "kpoint_spacing": 0.2, ...}}
 * }</pre>
 *
 * @param code     the DFT code ({@code qe}, {@code vasp}, {@code castep}) or the embedded calculator's type
 * @param identity one of {@link #IDENTITIES}
 * @param settings every setting after defaults (pw.x) or the recipe as given (other codes)
 */
public record OracleSettingsRecord(String code, String identity, Map<String, Object> settings) {
    /** The record's file name in the campaign directory. */
    public static final String FILE = "oracle-settings.resolved.json";
    public static final String RESOLVED = "resolved";
    public static final String LEGACY_INLINE = "legacy-inline";
    public static final String RECIPE_FILE = "recipe-file";
    /** An embedded calculator: its type, the SHA-256 of its parameter file (or the LJ specification) and the file's path. */
    public static final String EMBEDDED = "embedded";
    public static final List<String> IDENTITIES = List.of(RESOLVED, LEGACY_INLINE, RECIPE_FILE, EMBEDDED);
    /** The entry of an embedded record that only says where the parameters were read (not part of their identity). */
    static final String PARAMETER_FILE = "parameter_file";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public OracleSettingsRecord {
        if (code == null || code.isBlank()) throw new IllegalArgumentException("code is required");
        if (!IDENTITIES.contains(identity)) throw new IllegalArgumentException("identity must be one of " + IDENTITIES + ", got " + identity);
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** The record of the campaign in {@code dir}, empty when it has none (not a DFT oracle, or created before records). */
    public static Optional<OracleSettingsRecord> read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) return Optional.empty();
        try {
            Map<String, Object> m = JSON.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, Object>>() { });
            @SuppressWarnings("unchecked")
            Map<String, Object> settings = (Map<String, Object>) m.get("settings");
            return Optional.of(new OracleSettingsRecord(String.valueOf(m.get("code")), String.valueOf(m.get("identity")), settings));
        } catch (IOException | RuntimeException e) {
            throw new CampaignException("cannot read the oracle settings record " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * For an embedded calculator, refuses to resume the campaign in {@code dir} when what identifies the calculator
     * {@code now} (its parameter file's SHA-256, or the LJ specification) differs from this record, written when the
     * campaign was created: its labels would come from another calculator under new task hashes, mixed in one store with
     * the old ones. Nothing to check for DFT records (their settings are read from this record).
     *
     * @throws CampaignException naming the record, the file and both hashes
     */
    public void requireSameCalculator(OracleSettingsRecord now, Path dir) {
        if (!EMBEDDED.equals(identity)) return;
        Map<String, Object> was = new LinkedHashMap<>(settings);
        Map<String, Object> is = new LinkedHashMap<>(now.settings);
        Object file = was.remove(PARAMETER_FILE);
        is.remove(PARAMETER_FILE);
        if (code.equals(now.code) && was.equals(is)) return;
        throw new CampaignException(dir.resolve(FILE) + ": the " + code + " oracle changed since the campaign started (recorded " + was
                + (file != null ? " from " + file : "") + ", now " + now.code + " " + is + (now.settings.get(PARAMETER_FILE) != null
                ? " from " + now.settings.get(PARAMETER_FILE) : "") + "); resuming would label with another calculator under new task hashes: "
                + "restore the parameter file or start a new campaign");
    }

    /** Writes {@code DIR/oracle-settings.resolved.json} atomically (temporary file, fsync, rename). */
    public void write(Path dir) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code);
        m.put("identity", identity);
        m.put("settings", settings);
        try {
            DurableFiles.writeAtomically(dir.resolve(FILE), JSON.writeValueAsBytes(m));
        } catch (IOException e) {
            throw new CampaignException("cannot write " + dir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }
}
