package org.crucible.executors.evolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.crucible.executors.evolution.ConvexHull.Point;
import org.junit.jupiter.api.Test;

/** The binary lower hull of formation enthalpies and the distance to it. */
class ConvexHullTest {
    @Test
    void aStableCompoundIsAVertexAndAnUnstableOneIsNot() {
        ConvexHull h = ConvexHull.of(List.of(new Point(0, 0), new Point(1, 0), new Point(0.5, -0.4), new Point(0.25, -0.1), new Point(0.75, -0.3),
                new Point(0.5, -0.2)));
        assertEquals(List.of(new Point(0, 0), new Point(0.5, -0.4), new Point(0.75, -0.3), new Point(1, 0)), h.vertices());
        assertEquals(0.1, h.distance(0.25, -0.1), 1e-15, "0.1 eV/atom above the tie line 0 .. -0.4");
        assertEquals(0.2, h.distance(0.5, -0.2), 1e-15, "the higher polymorph at x = 0.5");
        assertEquals(0.0, h.distance(0.75, -0.3), 0.0);
    }

    @Test
    void collinearAndPositivePointsAreNotVertices() {
        ConvexHull h = ConvexHull.of(List.of(new Point(0, 0), new Point(0.5, -0.5), new Point(0.25, -0.25), new Point(1, 0), new Point(0.9, 0.3)));
        assertEquals(List.of(new Point(0, 0), new Point(0.5, -0.5), new Point(1, 0)), h.vertices());
        assertEquals(0.0, h.distance(0.25, -0.25), 0.0);
        assertEquals(0.4, h.distance(0.9, 0.3), 1e-12, "hull at x = 0.9 is -0.1");
    }

    @Test
    void everyInputPointIsOnOrAboveTheHullAndEveryVertexIsAnInputPoint() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int trial = 0; trial < 200; trial++) {
            List<Point> pts = new ArrayList<>(List.of(new Point(0, rng.nextDouble() - 0.5), new Point(1, rng.nextDouble() - 0.5)));
            for (int i = 0; i < 10; i++) pts.add(new Point(rng.nextInt(9) / 8.0, -rng.nextDouble()));
            ConvexHull h = ConvexHull.of(pts);
            for (Point p : pts) assertTrue(h.distance(p.x(), p.enthalpy()) >= -1e-12, p + " below " + h.vertices());
            assertTrue(pts.containsAll(h.vertices()));
            for (int i = 1; i + 1 < h.vertices().size(); i++) {
                Point a = h.vertices().get(i - 1), b = h.vertices().get(i), c = h.vertices().get(i + 1);
                assertTrue(b.enthalpy() < a.enthalpy() + (c.enthalpy() - a.enthalpy()) * (b.x() - a.x()) / (c.x() - a.x()), "convex at " + b);
            }
        }
    }

    @Test
    void aHullNeedsBothEnds() {
        assertThrows(IllegalArgumentException.class, () -> ConvexHull.of(List.of(new Point(0, 0), new Point(0.5, -1))));
        assertThrows(IllegalArgumentException.class, () -> new Point(1.5, 0));
    }
}
