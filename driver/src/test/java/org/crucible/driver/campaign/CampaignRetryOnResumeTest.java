package org.crucible.driver.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.driver.oracle.CalculatorOracle;
import org.crucible.driver.oracle.LedgeredOracle;
import org.crucible.driver.oracle.Oracle;
import org.crucible.driver.oracle.OracleCallLedger;
import org.crucible.driver.pool.PoolBackend;
import org.crucible.driver.store.LabelRecord;
import org.crucible.driver.store.LabelStatus;
import org.crucible.driver.store.TrainingStore;
import org.crucible.executors.calculators.CalculationException;
import org.crucible.executors.calculators.Calculator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole campaign resumed after FAILED labels: the Stillinger-Weber calculator behind the campaign's calculator
 * oracle fails (a {@link CalculationException}, as a crashed code would) the first time it meets each of the first two
 * structures it is asked to label, leaving a marker file per structure, and computes them afterwards. The campaign
 * stops after cycle 0's LABEL with two FAILED labels; the resumed campaign retries them before its FIT (attempt 2,
 * OK, the failure in provenance), then runs to the end.
 */
class CampaignRetryOnResumeTest {
    @TempDir
    Path dir;

    /** SW that fails once for each of the first {@code failures} structures it sees (marker files in {@code markers}). */
    private record FailingOnce(Calculator sw, Path markers, int failures) implements Calculator {
        @Override
        public Set<Property> implementedProperties() {
            return sw.implementedProperties();
        }

        @Override
        public String name() {
            return sw.name();
        }

        @Override
        public Labels calculate(Structure s) {
            try {
                Path marker = markers.resolve(s.contentHash());
                if (!Files.exists(marker)) {
                    try (var m = Files.list(markers)) {
                        if (m.count() < failures) {
                            Files.writeString(marker, "failed once\n");
                            throw new CalculationException("injected failure: first attempt at " + s.contentHash().substring(0, 12));
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return sw.calculate(s);
        }
    }

    @Test
    void failedLabelsOfAnInterruptedCycleAreRetriedWhenTheCampaignResumes() throws Exception {
        Path markers = Files.createDirectories(dir.resolve("markers"));
        Calculator sw = CampaignDeterminismTest.sw().calculator().orElseThrow();
        Path campaign = dir.resolve("c");
        CampaignFixtures.init(campaign);
        try (TrainingStore store = CampaignFixtures.store(campaign)) {
            Campaign c = CampaignFixtures.open(campaign, PoolBackend.local(), oracle(sw, markers, campaign), store, st -> {
                if (st.cycle() == 0 && st.next() == Stage.FIT) throw new CampaignDeterminismTest.Crash("stop after cycle 0's LABEL");
            });
            assertThrows(CampaignDeterminismTest.Crash.class, c::run);
            assertEquals(2, store.stats().byStatus().get("failed"), store.stats().toString());
        }
        List<String> failed;
        try (TrainingStore store = CampaignFixtures.store(campaign)) {
            failed = store.entries().entrySet().stream().filter(e -> e.getValue().status() == LabelStatus.FAILED).map(Map.Entry::getKey).toList();
        }
        assertEquals(2, failed.size());

        CampaignState done;
        try (TrainingStore store = CampaignFixtures.store(campaign)) {
            done = CampaignFixtures.open(campaign, PoolBackend.local(), oracle(sw, markers, campaign), store, null).run();
        }
        assertEquals(Stage.DONE, done.next());
        try (TrainingStore store = CampaignFixtures.store(campaign)) {
            assertEquals(store.stats().records(), store.stats().ok(), "every label OK after the retries: " + store.stats());
            for (String h : failed) {
                LabelRecord r = store.get(h).orElseThrow();
                assertEquals(LabelStatus.OK, r.status());
                assertEquals(2, r.provenance().attempt());
                assertTrue(r.provenance().earlierFailures().get(0).reason().startsWith("injected failure"), r.provenance().toString());
                assertEquals(0, r.provenance().cycle(), "retried in the cycle it was selected in");
            }
            TrainingStore.Verification v = store.verify();
            assertTrue(v.clean(), v.toString());
            assertEquals(0, v.duplicates().size());
        }
        assertTrue(Files.readString(campaign.resolve("campaign.log")).contains("retrying 2 failed label(s) (oracle.max_attempts 2"),
                Files.readString(campaign.resolve("campaign.log")));
        List<OracleCallLedger.Call> calls = OracleCallLedger.read(campaign.resolve(OracleCallLedger.FILE)).labels();
        for (String h : failed) {
            assertEquals(List.of(1, 2), calls.stream().filter(c -> c.taskHash().equals(h)).map(OracleCallLedger.Call::attempt).toList());
        }
    }

    private static Oracle oracle(Calculator sw, Path markers, Path campaign) {
        return new LedgeredOracle(new CalculatorOracle(new FailingOnce(sw, markers, 2), "test", Map.of("calculator", "sw"), "host", CampaignFixtures.clock(),
                CampaignFixtures.ticker()), OracleCallLedger.open(campaign.resolve(OracleCallLedger.FILE)), CampaignFixtures.clock());
    }
}
