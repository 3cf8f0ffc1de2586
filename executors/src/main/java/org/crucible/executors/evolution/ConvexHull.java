package org.crucible.executors.evolution;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The lower convex hull of formation enthalpies of a binary A_(1-x) B_x (x = fraction of B, 0 to 1; enthalpy of
 * formation per atom in eV/atom, H_f(x) = H(x) - (1 - x) H_A - x H_B) and each phase's distance above it (eV/atom), the
 * fitness of variable-composition evolutionary search (USPEX; Lyakhov et al., Comput. Phys. Commun. 184, 1172
 * (2013)). Exact: Andrew's monotone chain on (x, H_f) with exact cross products of the given doubles; collinear
 * points are not vertices (they lie on the hull at distance 0).
 *
 * <pre>{@code
 * ConvexHull h = ConvexHull.of(List.of(new ConvexHull.Point(0, 0), new ConvexHull.Point(0.5, -0.3), new ConvexHull.Point(1, 0)));
 * h.distance(0.25, -0.1); // 0.05 eV/atom above the tie line at x = 0.25
 * }</pre>
 */
public record ConvexHull(List<Point> vertices) {
    /** A phase: composition x in [0, 1] and formation enthalpy per atom (eV/atom). */
    public record Point(double x, double enthalpy) {
        public Point {
            if (!(x >= 0 && x <= 1)) throw new IllegalArgumentException("composition x must be in [0, 1], got " + x);
            if (!Double.isFinite(enthalpy)) throw new IllegalArgumentException("formation enthalpy must be finite, got " + enthalpy);
        }
    }

    public ConvexHull {
        vertices = List.copyOf(vertices);
        if (vertices.isEmpty() || vertices.get(0).x() != 0 || vertices.get(vertices.size() - 1).x() != 1) {
            throw new IllegalArgumentException("a binary hull runs from x = 0 to x = 1, got " + vertices);
        }
    }

    /** The lower hull of {@code points}; both ends (x = 0 and x = 1) must be among them. */
    public static ConvexHull of(List<Point> points) {
        List<Point> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingDouble(Point::x).thenComparingDouble(Point::enthalpy));
        List<Point> hull = new ArrayList<>();
        for (Point p : sorted) {
            if (!hull.isEmpty() && hull.get(hull.size() - 1).x() == p.x()) continue; // the lowest at each x comes first
            while (hull.size() >= 2 && cross(hull.get(hull.size() - 2), hull.get(hull.size() - 1), p) <= 0) hull.remove(hull.size() - 1);
            hull.add(p);
        }
        return new ConvexHull(hull);
    }

    /** Hull enthalpy at composition x (eV/atom): linear between the neighbouring vertices. */
    public double enthalpyAt(double x) {
        if (!(x >= 0 && x <= 1)) throw new IllegalArgumentException("composition x must be in [0, 1], got " + x);
        for (int i = 1; i < vertices.size(); i++) {
            Point a = vertices.get(i - 1), b = vertices.get(i);
            if (x <= b.x()) return a.enthalpy() + (b.enthalpy() - a.enthalpy()) * (x - a.x()) / (b.x() - a.x());
        }
        return vertices.get(vertices.size() - 1).enthalpy();
    }

    /** Distance above the hull (eV/atom, >= 0 for any phase the hull was built from). */
    public double distance(double x, double enthalpy) {
        return enthalpy - enthalpyAt(x);
    }

    /** (b - a) x (c - a): positive when a, b, c turn counter-clockwise (b lies below the chord a-c). */
    private static double cross(Point a, Point b, Point c) {
        return (b.x() - a.x()) * (c.enthalpy() - a.enthalpy()) - (b.enthalpy() - a.enthalpy()) * (c.x() - a.x());
    }
}
