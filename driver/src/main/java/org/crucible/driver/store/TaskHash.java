package org.crucible.driver.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.crucible.core.Structure;

/**
 * Identity of an oracle task: SHA-256 over the structure's content hash and the oracle's settings hash. The same
 * structure labelled with the same code and settings has the same task hash, which is what makes the store and the
 * campaign idempotent (a label is never stored twice; a resumed campaign never sends a task again).
 */
public final class TaskHash {
    private TaskHash() {
    }

    /** Task hash of {@code s} under the oracle settings identified by {@code settingsHash}. */
    public static String of(Structure s, String settingsHash) {
        return sha256(s.contentHash() + "\n" + settingsHash);
    }

    /** A stable hash of a settings map (keys sorted, values by their string form). */
    public static String ofSettings(Map<String, ?> settings) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(settings).forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sha256(sb.toString());
    }

    /** Lower-case hex SHA-256 of the UTF-8 bytes of {@code text}. */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
