package org.crucible.driver.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.crucible.driver.cli.BadInputException;
import org.junit.jupiter.api.Test;

/** Master URLs: syntax, cluster managers this class path lacks, spark-submit's master, and {@code --conf}. */
class SparkMastersTest {
    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) p.setProperty(kv[i], kv[i + 1]);
        return p;
    }

    @Test
    void spark_submitsMasterIsReadOnlyInClientMode() {
        assertEquals(Optional.empty(), SparkMasters.submitted(props("spark.master", "local[3]")), "no spark-submit: no deploy mode set");
        assertEquals(Optional.of("spark://n1:7077"),
                SparkMasters.submitted(props("spark.submit.deployMode", "client", "spark.master", "spark://n1:7077")));
        BadInputException e = assertThrows(BadInputException.class,
                () -> SparkMasters.submitted(props("spark.submit.deployMode", "cluster", "spark.master", "spark://n1:7077")));
        assertTrue(e.getMessage().contains("--deploy-mode client"), e.getMessage());
    }

    @Test
    void commandLineMasterWinsAndOriginIsNamed() {
        SparkMasters.Choice c = SparkMasters.choose("local[2]", "local[*]", "c.yaml: spark.master");
        assertEquals("local[2]", c.master());
        assertEquals("--master", c.where());
        // This JVM was not started by spark-submit, so the campaign file's master follows --master.
        SparkMasters.Choice f = SparkMasters.choose(null, "local[*]", "c.yaml: spark.master");
        assertEquals(new SparkMasters.Choice("local[*]", "c.yaml: spark.master"), f);
    }

    @Test
    void masterProblemsNameTheirOrigin() {
        assertFalse(SparkMasters.problem("local[2]", "--master").isPresent());
        assertFalse(SparkMasters.problem("spark://127.0.0.1:7077", "--master").isPresent());
        String bad = SparkMasters.problem("sprak://x:1", "c.yaml: spark.master").orElseThrow();
        assertTrue(bad.startsWith("c.yaml: spark.master: 'sprak://x:1' is not a Spark master URL"), bad);
        String yarn = SparkMasters.problem("yarn", "spark-submit --master").orElseThrow();
        assertTrue(yarn.startsWith("spark-submit --master: 'yarn' needs Spark's YARN support"), yarn);
    }

    @Test
    void confArgumentsAreSparkKeys() {
        assertEquals("8g", SparkMasters.conf(List.of("spark.executor.memory=4g", "spark.executor.memory=8g")).get("spark.executor.memory"));
        assertThrows(BadInputException.class, () -> SparkMasters.conf(List.of("executor.memory=4g")));
        assertThrows(BadInputException.class, () -> SparkMasters.conf(List.of("spark.master=local")));
    }
}
