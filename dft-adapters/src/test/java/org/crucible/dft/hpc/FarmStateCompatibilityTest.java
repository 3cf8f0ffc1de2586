package org.crucible.dft.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.crucible.dft.hpc.FarmState.TaskPhase;
import org.crucible.dft.hpc.FarmState.TaskRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** state.json written before tasks had extra outputs still resumes; the new field round-trips. */
class FarmStateCompatibilityTest {
    static FarmSettings settings() {
        return new FarmSettings("c1", "/remote/work", null, null, null, 1, 1, Duration.ofMinutes(5), List.of(), List.of(), 1, 1,
                Duration.ofSeconds(1), Duration.ofSeconds(2), 0, Duration.ofMinutes(1), false);
    }

    @Test
    void aStateFileWithoutExtraOutputsResumes(@TempDir Path dir) throws Exception {
        // the layout JobManager wrote before the field existed
        Files.writeString(dir.resolve("state.json"), "{\n  \"campaign\" : \"c1\",\n  \"nextBatch\" : 2,\n  \"tasks\" : {\n"
                + "    \"0123456789abcdef0123456789abcdef\" : {\n      \"hash\" : \"0123456789abcdef0123456789abcdef\",\n"
                + "      \"name\" : \"si2\",\n      \"code\" : \"qe\",\n      \"commandLine\" : \"pw.x '-in' 'pw.in'\",\n"
                + "      \"stdoutFile\" : \"pw.out\",\n      \"mainOutput\" : \"pw.out\",\n      \"phase\" : \"PENDING\",\n"
                + "      \"batch\" : null,\n      \"failures\" : [ ],\n      \"message\" : null\n    }\n  },\n  \"batches\" : { }\n}\n");
        try (JobManager m = new JobManager(settings(), new LocalShell(), new SlurmScheduler(), dir, Clock.systemUTC(), Sleeper.SYSTEM)) {
            TaskRecord t = m.state().tasks().get("0123456789abcdef0123456789abcdef");
            assertEquals("si2", t.name());
            assertEquals(List.of(), t.extraOutputs());
            assertEquals(List.of("pw.out"), t.outputFiles());
        }
    }

    @Test
    void extraOutputsRoundTripAndNothingElseIsWritten() throws Exception {
        TaskRecord t = new TaskRecord("h", "feo", "vasp", "vasp_std", "vasp.out", "OUTCAR", TaskPhase.DONE, "b000001", List.of(), null,
                List.of("CONTCAR"));
        FarmState s = new FarmState("c1", 2, Map.of("h", t), Map.of());
        ObjectMapper json = new ObjectMapper();
        String text = json.writeValueAsString(s);
        assertTrue(text.contains("\"extraOutputs\":[\"CONTCAR\"]"), text);
        assertFalse(text.contains("outputFiles"), "a derived list must not be persisted: " + text);
        FarmState back = json.readValue(text, FarmState.class);
        assertEquals(t, back.tasks().get("h"));
        assertEquals(List.of("vasp.out", "OUTCAR", "CONTCAR"), back.tasks().get("h").outputFiles());
    }

    @Test
    void aBatchKeepsTheResourcesItWasSubmittedWithAndOldBatchesReadWithout() throws Exception {
        ObjectMapper json = new ObjectMapper();
        // a batch as JobManager wrote it before batches recorded their resources
        FarmState.BatchRecord old = json.readValue("{\"id\":\"b000001\",\"tasks\":[\"h\"],\"phase\":\"ENDED\",\"jobId\":\"17\","
                + "\"endState\":\"CD\",\"endSeen\":2,\"array\":null,\"arrayIndex\":0}", FarmState.BatchRecord.class);
        assertEquals(null, old.resources());
        JobResources r = new JobResources(1, 0, 16, 2, "64G", null, null);
        FarmState.BatchRecord b = new FarmState.BatchRecord("b000002", List.of("h"), FarmState.BatchPhase.PREPARED, null, null, 0, null, 0, r);
        FarmState.BatchRecord back = json.readValue(json.writeValueAsString(b), FarmState.BatchRecord.class);
        assertEquals(b, back, json.writeValueAsString(b));
        String text = json.writeValueAsString(r);
        assertFalse(text.contains("cores") || text.contains("describe"), "derived values are not persisted: " + text);
        assertEquals(32, back.resources().cores());
        assertEquals("32 cores: ntasks 16 x cpus_per_task 2, nodes 1, ntasks_per_node 16, mem 64G", back.resources().describe());
    }
}
