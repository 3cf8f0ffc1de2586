package org.crucible.dft.hpc;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** SHA-256 helpers for staged files, and parsing of {@code sha256sum} output. */
public final class Checksums {
    private Checksums() {
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /**
     * Parses {@code sha256sum} output ({@code <64 hex>  <path>} per line) into path to hash. File names with a
     * newline or backslash are escaped by GNU sha256sum with a leading backslash; such names are rejected by
     * callers before they get here.
     */
    public static Map<String, String> parseSha256sum(String output) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            if (line.isBlank()) continue;
            if (line.length() < 67 || line.charAt(64) != ' ') {
                throw new IllegalArgumentException("not a sha256sum line: " + line);
            }
            String hash = line.substring(0, 64);
            String path = line.substring(66);
            out.put(path, hash);
        }
        return out;
    }
}
