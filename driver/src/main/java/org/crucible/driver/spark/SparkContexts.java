package org.crucible.driver.spark;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Creates Spark contexts the way Crucible runs them: driver and UI bound to 127.0.0.1 (services bind to loopback
 * unless the user configures otherwise), the Java 17 module flags passed to executors, Kryo off (entries are Java
 * serializable and small), and the UI URL reported.
 *
 * <p>The Spark UI has no access control, so it listens on loopback only and its kill links are off
 * ({@code spark.ui.killEnabled=false}). Spark takes the UI's listening address only from the environment variable
 * {@code SPARK_LOCAL_IP} (default: every interface), so the context is built from a {@link SparkConf} that answers
 * that variable with {@value #UI_HOST_KEY} (default {@code 127.0.0.1}). Binding elsewhere is an explicit setting of
 * that key and logs a warning.
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

    /** The address the Spark UI listens on (Crucible's own key; default 127.0.0.1). */
    public static final String UI_HOST_KEY = "spark.crucible.ui.host";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SparkContexts.class);

    private SparkContexts() {
    }

    /**
     * A configuration whose {@code SPARK_LOCAL_IP} is {@value #UI_HOST_KEY}: the one place Spark's UI looks for its
     * listening address. {@link #clone()} keeps the class, since a context works on a clone of the configuration.
     */
    static final class BoundConf extends SparkConf {
        private static final long serialVersionUID = 1L;

        BoundConf(boolean loadDefaults) {
            super(loadDefaults);
        }

        @Override
        public String getenv(String name) {
            if (name.equals("SPARK_LOCAL_IP")) return get(UI_HOST_KEY, "127.0.0.1");
            return super.getenv(name);
        }

        @Override
        public SparkConf clone() {
            BoundConf c = new BoundConf(false);
            for (scala.Tuple2<String, String> kv : getAll()) c.set(kv._1(), kv._2());
            return c;
        }
    }

    /** The configuration {@link #create} uses; {@code extra} entries win. */
    public static SparkConf conf(String master, String appName, boolean ui, int uiPort, Map<String, String> extra) {
        SparkConf c = new BoundConf(true).setMaster(master).setAppName(appName)
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.ui.enabled", Boolean.toString(ui))
                .set("spark.ui.port", Integer.toString(uiPort))
                .set("spark.ui.showConsoleProgress", "false")
                .set("spark.ui.killEnabled", "false")
                .set(UI_HOST_KEY, "127.0.0.1")
                .set("spark.executor.extraJavaOptions", JAVA17_OPENS)
                .set("spark.task.maxFailures", "4")
                .set("spark.port.maxRetries", "32");
        extra.forEach(c::set);
        String host = c.get(UI_HOST_KEY);
        if (ui && !host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("::1")) {
            LOG.warn("the Spark UI will listen on {} ({}); it has no access control: anyone who reaches that address sees the campaign", host,
                    UI_HOST_KEY);
        }
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
