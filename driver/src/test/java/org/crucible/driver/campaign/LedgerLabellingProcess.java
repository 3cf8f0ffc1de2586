package org.crucible.driver.campaign;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.crucible.core.Labels;
import org.crucible.core.Structure;
import org.crucible.driver.oracle.CalculatorOracle;
import org.crucible.driver.oracle.LedgeredOracle;
import org.crucible.driver.oracle.Oracle;
import org.crucible.driver.oracle.OracleTask;
import org.crucible.driver.store.TrainingStore;
import org.crucible.driver.testing.RandomCells;
import org.crucible.executors.calculators.Calculator;
import org.crucible.executors.calculators.StillingerWeber;

/**
 * A driver process for {@link LedgerKillTest}: the LABEL step of a campaign ({@link ExactlyOnceLabelling}: the batch
 * recorded before any call, only tasks not in the store sent, each label stored as it arrives) over {@code n} random Si8
 * cells, with the Stillinger-Weber oracle in this JVM wrapped in the campaign's {@link LedgeredOracle}. The calculator
 * takes {@code delayMs} per call and keeps its own journal ({@link #JOURNAL}: {@code start H} when a calculation begins,
 * {@code end H} when it returns, H the structure's content hash), independent of the ledger, so a test can tell from it
 * where a kill landed. Prints {@code OPEN pid} once the store is open (then waits {@code pauseMs} before labelling) and
 * {@code DONE} at the end.
 *
 * <p>Arguments: directory, n, delay in ms, pause in ms.
 */
public final class LedgerLabellingProcess {
    /** The calculator's journal in the directory. */
    static final String JOURNAL = "calculator-journal.txt";

    private LedgerLabellingProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        long delayMs = Long.parseLong(args[2]);
        long pauseMs = Long.parseLong(args[3]);
        Files.createDirectories(dir);
        Oracle base = new CalculatorOracle(new Journaling(StillingerWeber.silicon(), dir.resolve(JOURNAL), delayMs), "test", Map.of("type", "sw"), "host",
                Clock.systemUTC(), System::nanoTime);
        Path batchFile = dir.resolve("batch.json");
        if (!Files.exists(batchFile)) {
            List<OracleTask> batch = new ArrayList<>();
            for (int i = 0; i < n; i++) batch.add(OracleTask.of(RandomCells.cell(8, 5.6, 2.1, 300 + i), base, i));
            CampaignFiles.writeBatch(batchFile, batch);
        }
        try (TrainingStore store = TrainingStore.open(dir.resolve("store").toUri(), new Configuration());
             Oracle oracle = LedgeredOracle.inCampaign(base, dir, Clock.systemUTC())) {
            System.out.println("OPEN " + ProcessHandle.current().pid());
            System.out.flush();
            if (pauseMs > 0) Thread.sleep(pauseMs);
            new ExactlyOnceLabelling(oracle, store, new CampaignLog(dir.resolve("campaign.log"), Clock.systemUTC(), (PrintStream) null), null, System::nanoTime)
                    .label(batchFile, () -> {
                        throw new IllegalStateException("the batch is recorded before the first call");
                    }, List.of(), null, 0, "test");
        }
        System.out.println("DONE");
        System.out.flush();
    }

    /** A calculator that journals each calculation's start and end around {@code delayMs} of waiting and the real one. */
    private static final class Journaling implements Calculator {
        private final Calculator calc;
        private final Path journal;
        private final long delayMs;

        Journaling(Calculator calc, Path journal, long delayMs) {
            this.calc = calc;
            this.journal = journal;
            this.delayMs = delayMs;
        }

        @Override
        public Set<Property> implementedProperties() {
            return calc.implementedProperties();
        }

        @Override
        public String name() {
            return calc.name();
        }

        @Override
        public Labels calculate(Structure s) {
            write("start " + s.contentHash());
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            Labels l = calc.calculate(s);
            write("end " + s.contentHash());
            return l;
        }

        private void write(String line) {
            try {
                Files.writeString(journal, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
