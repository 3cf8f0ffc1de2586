package org.crucible.driver.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * The Spark UI of a real local context listens on loopback only (read from the kernel's socket table, not from the
 * URL Spark prints) and has no kill links; binding elsewhere is an explicit setting.
 */
class SparkUiBindingTest {
    /** IPv4 local addresses (hex, as /proc/net/tcp writes them; IPv4-mapped IPv6 addresses mapped back) of the sockets listening on {@code port}. */
    static List<String> listeners(int port) throws IOException {
        List<String> out = new ArrayList<>();
        for (String f : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(f);
            if (!Files.exists(p)) continue;
            for (String line : Files.readAllLines(p)) {
                String[] t = line.trim().split("\\s+");
                if (t.length < 4 || !t[3].equals("0A")) continue; // LISTEN
                String[] addr = t[1].split(":");
                if (Integer.parseInt(addr[1], 16) != port) continue;
                String a = addr[0];
                // Java listens on IPv6 sockets: ::ffff:127.0.0.1 is IPv4 loopback, :: is every interface.
                if (a.length() == 32 && a.startsWith("0000000000000000FFFF0000")) a = a.substring(24);
                if (a.matches("0{32}")) a = "00000000";
                out.add(a);
            }
        }
        return out;
    }

    static int status(int port, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        c.setInstanceFollowRedirects(false);
        try {
            return c.getResponseCode();
        } finally {
            c.disconnect();
        }
    }

    /** Runs a 3 s job, sends the UI's kill request for it while it runs, and returns what the job collected, summed. */
    static List<Integer> killWhileRunning(JavaSparkContext sc, int port) throws Exception {
        org.apache.spark.api.java.JavaFutureAction<List<Integer>> job = sc.parallelize(List.of(1, 2, 3), 1).map(x -> {
            Thread.sleep(1000);
            return x;
        }).collectAsync();
        int[] active = new int[0];
        for (int i = 0; i < 100 && active.length == 0; i++) {
            active = sc.statusTracker().getActiveJobIds();
            Thread.sleep(20);
        }
        assertEquals(1, active.length, "the job is running");
        status(port, "/jobs/job/kill/?id=" + active[0]);
        return List.of(job.get().stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void theUiListensOnLoopbackOnlyAndHasNoKillHandler() throws Exception {
        try (JavaSparkContext sc = SparkContexts.create("local[1]", "ui-binding", true, 4140, Map.of())) {
            int port = sc.sc().ui().get().boundPort();
            List<String> l = listeners(port);
            assertFalse(l.isEmpty(), "the UI listens on port " + port);
            assertEquals(List.of("0100007F"), l, "127.0.0.1 only, not every interface (00000000)");
            assertEquals(200, status(port, "/jobs/"));
            assertFalse(sc.sc().ui().get().killEnabled());
            assertEquals(List.of(6), killWhileRunning(sc, port), "a kill request through the UI does not stop the job");
            assertTrue(SparkContexts.uiUrl(sc).orElseThrow().contains("127.0.0.1"));
        }
    }

    @Test
    void anotherAddressIsAnExplicitSetting() throws Exception {
        try (JavaSparkContext sc = SparkContexts.create("local[1]", "ui-binding", true, 4140,
                Map.of(SparkContexts.UI_HOST_KEY, "0.0.0.0", "spark.ui.killEnabled", "true"))) {
            int port = sc.sc().ui().get().boundPort();
            assertTrue(listeners(port).contains("00000000"), "every interface when asked: " + listeners(port));
            assertThrows(Exception.class, () -> killWhileRunning(sc, port), "with kill links on, the same request cancels the job (so the test above means something)");
        }
    }
}
