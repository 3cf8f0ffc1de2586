package org.crucible.driver.spark;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Creates Spark contexts the way Crucible runs them: driver and UI bound to 127.0.0.1 (services bind to loopback
 * unless the user configures otherwise), the Java 17 module flags passed to executors, Kryo off (entries are Java
 * serializable and small), and the UI URL reported.
 *
 * <pre>{@code
 * try (JavaSparkContext sc = SparkContexts.create("local[2]", "si16", false, 4040, Map.of())) { ... }
 * }</pre>
 */
public final class SparkContexts {
    /** Same list as the launcher and the parent POM: Spark needs these on Java 17. */
    public static final String JAVA17_OPENS = String.join(" ",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED", "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED", "-Djdk.reflect.useDirectMethodHandle=false");

    private SparkContexts() {
    }

    /** The configuration {@link #create} uses; {@code extra} entries win. */
    public static SparkConf conf(String master, String appName, boolean ui, int uiPort, Map<String, String> extra) {
        SparkConf c = new SparkConf().setMaster(master).setAppName(appName)
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.ui.enabled", Boolean.toString(ui))
                .set("spark.ui.port", Integer.toString(uiPort))
                .set("spark.ui.showConsoleProgress", "false")
                .set("spark.executor.extraJavaOptions", JAVA17_OPENS)
                .set("spark.task.maxFailures", "4")
                .set("spark.port.maxRetries", "32");
        extra.forEach(c::set);
        return c;
    }

    /** A context; the caller closes it. */
    public static JavaSparkContext create(String master, String appName, boolean ui, int uiPort, Map<String, String> extra) {
        return new JavaSparkContext(conf(master, appName, ui, uiPort, extra));
    }

    /** The UI URL of a running context, if the UI is on. */
    public static java.util.Optional<String> uiUrl(JavaSparkContext sc) {
        scala.Option<String> u = sc.sc().uiWebUrl();
        return u.isDefined() ? java.util.Optional.of(u.get()) : java.util.Optional.empty();
    }
}
