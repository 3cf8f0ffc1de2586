package org.crucible.driver.potentials;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.crucible.core.Structure;
import org.crucible.driver.cli.FitCommandTestData;
import org.crucible.executors.descriptors.AceBasis;
import org.crucible.executors.descriptors.AceParameters;
import org.crucible.executors.potentials.FitOptions;
import org.crucible.executors.potentials.LinearPotential;
import org.crucible.executors.potentials.PotentialFitter;
import org.crucible.executors.potentials.Prediction;
import org.junit.jupiter.api.Test;

/**
 * The potential is broadcast to real Spark executors (local mode, 2 threads, Java serialisation of the broadcast)
 * and evaluated in mapPartitions: the distributed predictions equal the driver's bit for bit.
 */
class PotentialBroadcastTest {
    @Test
    void broadcastPotentialPredictsOnExecutorsExactlyAsOnTheDriver() {
        List<Structure> data = FitCommandTestData.rattledSi8(3, 30);
        AceBasis basis = new AceBasis(new AceParameters(new int[] {14}, 3.77118, 0.0, 0.0, Double.NaN, new int[] {10, 10}, 1.0, 2));
        LinearPotential potential = PotentialFitter.fit(data, basis, FitOptions.defaults().withSeed(4)).potential();
        List<Structure> pool = FitCommandTestData.rattledSi8(8, 12);
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("potential-broadcast-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            Broadcast<LinearPotential> b = sc.broadcast(potential);
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < pool.size(); i++) idx.add(i);
            List<double[]> remote = sc.parallelize(idx, 4).mapPartitions(it -> {
                List<double[]> out = new ArrayList<>();
                LinearPotential p = b.value();
                List<Structure> local = FitCommandTestData.rattledSi8(8, 12);  // executors rebuild the pool deterministically
                while (it.hasNext()) {
                    Prediction pr = p.predict(local.get(it.next()));
                    out.add(new double[] {pr.energy(), pr.sigmaEnergy(), pr.extrapolationGrade(), pr.forces()[0]});
                }
                return out.iterator();
            }).collect();
            assertEquals(pool.size(), remote.size());
            for (int i = 0; i < pool.size(); i++) {
                Prediction pr = potential.predict(pool.get(i));
                assertArrayEquals(new double[] {pr.energy(), pr.sigmaEnergy(), pr.extrapolationGrade(), pr.forces()[0]}, remote.get(i), 0.0, "structure " + i);
            }
        }
    }
}
