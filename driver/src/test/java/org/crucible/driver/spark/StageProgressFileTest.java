package org.crucible.driver.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver's stage-progress file on a real local[2] context: while tasks are held, the file shows the stage active
 * with tasks running; after the job, the stage is in {@code completed} with every task done.
 */
class StageProgressFileTest {
    /** Holds the tasks of the job until the test has seen them running (local mode: same JVM). */
    static final CountDownLatch RELEASE = new CountDownLatch(1);

    @Test
    void showsRunningThenCompletedStages(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(StageProgressFile.FILE);
        ObjectMapper json = new ObjectMapper();
        try (JavaSparkContext sc = SparkContexts.create("local[2]", "stage-progress-test", false, 4040, Map.of())) {
            sc.sc().addSparkListener(new StageProgressFile(file, null, Clock.systemUTC()));
            assertTrue(Files.exists(file), "written at once");
            sc.setJobDescription("held stage");
            CompletableFuture<Long> job = CompletableFuture.supplyAsync(() -> sc.parallelize(List.of(1, 2, 3, 4), 4).map(x -> {
                RELEASE.await(60, TimeUnit.SECONDS);
                return x;
            }).count());
            JsonNode active = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                JsonNode doc = json.readTree(file.toFile());
                if (doc.get("active").size() == 1 && doc.get("active").get(0).get("running").asInt() == 2) {
                    active = doc.get("active").get(0);
                    break;
                }
                Thread.sleep(50);
            }
            RELEASE.countDown();
            assertEquals(4L, job.get(60, TimeUnit.SECONDS));
            assertTrue(active != null, "the file showed the held stage with its two running tasks: " + Files.readString(file));
            assertEquals("held stage", active.get("name").asText());
            assertEquals(4, active.get("tasks").asInt());
            assertEquals(0, active.get("done").asInt());
            JsonNode done = json.readTree(file.toFile());
            assertEquals(0, done.get("active").size(), done.toString());
            JsonNode last = done.get("completed").get(done.get("completed").size() - 1);
            assertEquals("held stage", last.get("name").asText());
            assertEquals(4, last.get("done").asInt());
            assertEquals(0, last.get("failed").asInt());
            assertTrue(done.get("ui_url").isNull());
        }
    }
}
