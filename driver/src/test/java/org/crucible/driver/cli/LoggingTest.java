package org.crucible.driver.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * One logging path: SLF4J 2 reaches log4j2 (Spark's and Hadoop's loggers are not no-ops), System.Logger goes the same
 * way, and the campaign log gets Crucible at INFO and the rest at WARN unless --verbose.
 */
class LoggingTest {
    @AfterEach
    void reset() {
        Logging.configure(Logging.Verbosity.NORMAL);
    }

    @Test
    void crucibleSparkAndSystemLoggerMessagesReachTheCampaignLog(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("campaign.log");
        Logging.configure(Logging.Verbosity.QUIET, log);
        assertFalse(LoggerFactory.getILoggerFactory().getClass().getName().contains("NOP"), "an SLF4J binding is present");
        LoggerFactory.getLogger("org.apache.spark.scheduler.TaskSetManager").warn("lost task 1.0 in stage 3.0");
        LoggerFactory.getLogger("org.apache.spark.SparkContext").info("running Spark version 3.5.5");
        LoggerFactory.getLogger("org.crucible.driver.campaign.Campaign").info("cycle 2: relax ...");
        LoggerFactory.getLogger("org.crucible.driver.campaign.Campaign").debug("a detail");
        System.getLogger("org.crucible.dft.hpc.JobManager").log(System.Logger.Level.WARNING, "poll of campaign x failed");
        String text = Files.readString(log);
        assertTrue(text.matches("(?s)\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z WARN  TaskSetManager: lost task 1.0 in stage 3.0\n.*"), text);
        assertTrue(text.contains("INFO  Campaign: cycle 2: relax ..."), text);
        assertTrue(text.contains("WARN  JobManager: poll of campaign x failed"), text);
        assertFalse(text.contains("running Spark version"), "Spark INFO stays out by default: " + text);
        assertFalse(text.contains("a detail"), text);

        Logging.configure(Logging.Verbosity.VERBOSE, log);
        LoggerFactory.getLogger("org.apache.spark.SparkContext").info("running Spark version 3.5.5");
        assertTrue(Files.readString(log).contains("INFO  SparkContext: running Spark version 3.5.5"), "--verbose keeps Spark's INFO");
    }
}
