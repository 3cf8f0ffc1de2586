package org.crucible.driver.spark;

import java.util.Optional;
import org.crucible.config.campaign.CampaignConfigLoader;

/**
 * Checks a Spark master URL before a command creates anything: the syntax Spark accepts, and for {@code yarn} and
 * {@code k8s://} whether this build carries the cluster manager (Spark loads it by class name only when the context
 * starts, which is after a campaign directory would exist). A problem is returned as a message for people naming
 * where the URL came from ({@code --master} or the campaign file's {@code spark.master}).
 */
public final class SparkMasters {
    private static final String YARN = "org.apache.spark.deploy.yarn.YarnClusterManager";
    private static final String K8S = "org.apache.spark.scheduler.cluster.k8s.KubernetesClusterManager";

    private SparkMasters() {
    }

    /**
     * The master {@code spark-submit} was given, when this JVM was started by it ({@code SparkSubmit} sets
     * {@code spark.submit.deployMode} and {@code spark.master} as system properties before it calls the main class).
     * A campaign's driver keeps its directory, checkpoints and store locks on the submitting host, so only client
     * mode is accepted: cluster mode would start the driver on a worker, away from the campaign directory.
     *
     * @throws org.crucible.driver.cli.BadInputException for {@code --deploy-mode cluster}
     */
    public static Optional<String> submitted() {
        return submitted(System.getProperties());
    }

    static Optional<String> submitted(java.util.Properties sys) {
        String mode = sys.getProperty("spark.submit.deployMode");
        if (mode == null) return Optional.empty();
        if (!mode.equals("client")) {
            throw new org.crucible.driver.cli.BadInputException("spark-submit --deploy-mode " + mode
                    + ": Crucible's driver keeps the campaign directory and its checkpoints on the submitting host; use --deploy-mode client");
        }
        return Optional.ofNullable(sys.getProperty("spark.master"));
    }

    /**
     * The master a command uses and where it came from: {@code --master} first, then {@code spark-submit --master},
     * then {@code fallback} (the campaign file's {@code spark.master}, or for a resume the recorded one: null).
     */
    public static Choice choose(String cliMaster, String fallback, String fallbackWhere) {
        if (cliMaster != null) return new Choice(cliMaster, "--master");
        Optional<String> s = submitted();
        if (s.isPresent()) return new Choice(s.get(), "spark-submit --master");
        return new Choice(fallback, fallbackWhere);
    }

    /** A master URL (null: the command's default) and where it came from, for messages. */
    public record Choice(String master, String where) {
    }

    /** Why {@code master} cannot be used (empty when it can); {@code where} names its origin in the message. */
    public static Optional<String> problem(String master, String where) {
        if (master == null || !CampaignConfigLoader.MASTER.matcher(master).matches()) {
            return Optional.of(where + ": '" + master + "' is not a Spark master URL; use local[N], local[*], spark://HOST:PORT, yarn or k8s://URL");
        }
        if (master.equals("yarn") && !present(YARN)) return Optional.of(missing(where, "yarn", "YARN"));
        if (master.startsWith("k8s://") && !present(K8S)) return Optional.of(missing(where, master, "Kubernetes"));
        return Optional.empty();
    }

    private static String missing(String where, String master, String manager) {
        return where + ": '" + master + "' needs Spark's " + manager + " support, which this build of Crucible does not include; "
                + "start a standalone cluster (deploy/spark-standalone) and use spark://HOST:PORT, or run on one host with local[N]";
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, SparkMasters.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * The command line's {@code --conf KEY=VALUE} settings in order (a later key wins); a malformed one or a key that
     * is not a Spark setting is refused with the argument quoted.
     */
    public static java.util.Map<String, String> conf(java.util.List<String> args) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0 || eq == a.length() - 1) {
                throw new org.crucible.driver.cli.BadInputException("--conf '" + a + "': expected KEY=VALUE, e.g. --conf spark.executor.memory=8g");
            }
            String key = a.substring(0, eq).trim();
            if (!key.startsWith("spark.") || key.length() == 6) {
                throw new org.crucible.driver.cli.BadInputException("--conf '" + a + "': '" + key + "' is not a Spark setting (keys start with 'spark.')");
            }
            if (key.equals("spark.master")) throw new org.crucible.driver.cli.BadInputException("--conf '" + a + "': use --master for the Spark master");
            out.put(key, a.substring(eq + 1));
        }
        return out;
    }
}
