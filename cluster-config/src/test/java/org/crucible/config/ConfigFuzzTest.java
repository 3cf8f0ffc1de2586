package org.crucible.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.crucible.config.campaign.CampaignConfigLoader;
import org.crucible.core.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.crucible.core.config.ConfigurationException;

/**
 * Random damage to every campaign file in {@code examples/} and to a site cluster profile: each case either loads
 * or ends in the loader's configuration error naming the file, with no Java class name in the message; never a
 * NullPointerException, ClassCastException, NumberFormatException, stack overflow or out-of-memory. The CLI maps
 * that error to exit 2 (CampaignCliTest, ClusterPreflightTest), so this is issue 20's "every mutation ends in exit 0
 * or 2 with a message" at the level where the parsing happens, thousands of times in seconds.
 */
class ConfigFuzzTest {
    static final int CASES = Integer.getInteger("crucible.fuzz.cases", 3000);
    /** YAML-shaped junk: wrong types, out-of-range numbers, flow collections, anchors, tags, quotes. */
    static final String[] JUNK = {"", "-1", "0", "1e308", "-1e308", ".nan", ".inf", "NaN", "abc", "~", "null", "[]", "{}", "[1, 2", "{a: 1",
        "\"", "'", "&a", "*a", "!!binary x", "2147483648", "99999999999999999999", "true", "- x", ": :", "0x1F", "1_000", "\t", "yes",
        "[227, 141, -5]", "{type: bogus}", "Si-1", "Si0", "/nonexistent/file", "../../etc/passwd", "12:30", "1e-400"};
    static final Pattern CLASS_NAME = Pattern.compile("\\b(java|javax|com|org)\\.[a-z0-9_.]+\\.[A-Z]\\w*(Exception|Error)\\b");

    @TempDir
    Path tmp;

    /** One random damage: truncation, a dropped, doubled or swapped line, a value replaced, indentation changed, bytes inserted. */
    static String mutate(String text, SplittableRandom r) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        int li = r.nextInt(lines.size());
        String line = lines.get(li);
        switch (r.nextInt(8)) {
            case 0 -> {
                return text.substring(0, r.nextInt(text.length() + 1));
            }
            case 1 -> lines.remove(li);
            case 2 -> lines.add(li, line);
            case 3 -> {
                int lj = r.nextInt(lines.size());
                lines.set(li, lines.get(lj));
                lines.set(lj, line);
            }
            case 4, 5 -> {
                int colon = line.indexOf(':');
                String junk = JUNK[r.nextInt(JUNK.length)];
                lines.set(li, colon >= 0 ? line.substring(0, colon + 1) + " " + junk : junk);
            }
            case 6 -> lines.set(li, r.nextBoolean() ? "  " + line : line.stripLeading());
            default -> {
                StringBuilder sb = new StringBuilder(line);
                int at = r.nextInt(sb.length() + 1);
                for (int k = r.nextInt(1, 6); k > 0; k--) sb.insert(at, (char) r.nextInt(1, 128));
                lines.set(li, sb.toString());
            }
        }
        return String.join("\n", lines);
    }

    /** Runs {@link #CASES} damaged copies of {@code seeds} through {@code load}, which reads {@code file}. */
    void fuzz(String name, Path file, List<String> seeds, Class<? extends RuntimeException> refusal, Consumer<Path> load) throws IOException {
        SplittableRandom r = new SplittableRandom(name.hashCode());
        int loaded = 0;
        int refused = 0;
        for (int i = 0; i < CASES; i++) {
            String text = seeds.get(r.nextInt(seeds.size()));
            for (int m = 1 + r.nextInt(3); m > 0; m--) text = mutate(text, r);
            Files.writeString(file, text);
            try {
                load.accept(file);
                loaded++;
            } catch (RuntimeException e) {
                if (!refusal.isInstance(e)) fail("case " + i + ": " + e + " instead of a configuration error for:\n" + text, e);
                refused++;
                String msg = String.valueOf(e.getMessage());
                assertTrue(msg.contains(file.getFileName().toString()), "case " + i + ": the message names the file: " + msg);
                assertFalse(CLASS_NAME.matcher(msg).find(), "case " + i + ": a Java class name in '" + msg + "' for:\n" + text);
            } catch (StackOverflowError | OutOfMemoryError e) {
                fail("case " + i + ": " + e + " for:\n" + text, e);
            }
        }
        System.out.printf("[fuzz] %s: %d cases, %d loaded, %d refused with a message%n", name, CASES, loaded, refused);
        assertTrue(loaded > 0 && refused > CASES / 10, "the mutations exercise both outcomes: " + loaded + " loaded, " + refused + " refused");
    }

    @Test
    void campaignFilesLoadOrAreRefusedWithTheFileNamed() throws IOException {
        Path examples = TestEnvironment.repositoryRoot().resolve("examples");
        // a copy of examples/ so relative references (references/, parameter files, recipes) resolve as in the original
        Path copy = tmp.resolve("examples");
        try (Stream<Path> all = Files.walk(examples)) {
            for (Path p : all.toList()) {
                Path to = copy.resolve(examples.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(to);
                else Files.copy(p, to);
            }
        }
        List<String> seeds = new ArrayList<>();
        Path probe = copy.resolve("fuzz-campaign.yaml");
        try (Stream<Path> files = Files.list(examples)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                String text = Files.readString(p);
                if (text.lines().noneMatch(l -> l.startsWith("oracle:"))) continue; // a DFT recipe (qe-si.yaml), not a campaign
                Files.writeString(probe, text);
                CampaignConfigLoader.load(probe); // every example loads as it stands (a failure here is a broken example)
                seeds.add(text);
            }
        }
        assertTrue(seeds.size() >= 8, "examples found: " + seeds.size());
        fuzz("campaign files", probe, seeds, ConfigurationException.class, CampaignConfigLoader::load);
    }

    @Test
    void clusterProfilesLoadOrAreRefusedWithTheFileNamed() throws IOException {
        Files.writeString(tmp.resolve("known_hosts"), "");
        Path file = tmp.resolve("archer2.yaml");
        fuzz("cluster profiles", file, List.of(ClusterProfilesTest.SITE, ClusterProfilesTest.SITE.replace("partition: standard\n", "transport: local\n")),
                ConfigurationException.class, ClusterProfiles::read);
    }
}
