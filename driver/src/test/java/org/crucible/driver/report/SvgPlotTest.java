package org.crucible.driver.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SvgPlotTest {
    static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }

    @Test
    void niceTicksCoverTheDataWithRoundSteps() {
        NiceScale s = NiceScale.of(-4.31, -4.02, 6);
        assertEquals(0.05, NiceScale.of(-4.31, -4.02, 10).step(), 1e-12);
        assertEquals(0.1, s.step(), 1e-12);
        assertTrue(s.lo() <= -4.31 && s.hi() >= -4.02);
        assertEquals(List.of("-4.4", "-4.3", "-4.2", "-4.1", "-4.0"), s.ticks().stream().map(s::label).toList());
        NiceScale z = NiceScale.of(3, 3, 5);
        assertTrue(z.hi() > z.lo(), "a single value gets a range");
        assertEquals(List.of("0", "20", "40", "60", "80", "100"), NiceScale.of(0, 97, 6).ticks().stream().map(NiceScale.of(0, 97, 6)::label).toList());
    }

    @Test
    void tenPointsAreTenMarkers() {
        double[] x = new double[10], y = new double[10];
        for (int i = 0; i < 10; i++) {
            x[i] = i;
            y[i] = i * i;
        }
        String svg = new SvgPlot("t", "ten", "x (\u00c5)", "y (eV)").scatter("a", x, y, Palette.category(0)).render();
        assertEquals(10, count(svg, "<circle"));
        assertTrue(svg.contains("x (\u00c5)") && svg.contains("y (eV)"));
        assertTrue(svg.contains("data-points=\"10\""));
    }

    @Test
    void aHundredThousandPointsAreBinnedAndSaySo() {
        SplittableRandom r = new SplittableRandom(1);
        int n = 100_000;
        double[] x = new double[n], y = new double[n], c = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextGaussian();
            y[i] = x[i] + 0.1 * r.nextGaussian();
            c[i] = y[i];
        }
        String plain = new SvgPlot("big", "big", "x", "y").scatter(null, x, y, "#000").diagonal().render();
        assertEquals(0, count(plain, "<circle"));
        assertTrue(plain.contains("100000 points binned into 70 x 50 cells"), "says it is binned");
        assertTrue(plain.length() < 400_000, "bounded size: " + plain.length());
        assertTrue(count(plain, "<rect") > 100, "cells drawn");
        String valued = new SvgPlot("big2", "big", "x", "y").scatterByValue(x, y, c, "E (eV/atom)").render();
        assertTrue(valued.contains("colour = mean E (eV/atom)"));
        String named = new SvgPlot("big3", "big", "x", "y").scatter("cluster 1", x, y, "#000").render();
        assertTrue(named.contains("every 25-th of 100000 points shown"));
        assertEquals(4000, count(named, "<circle"));
    }

    @Test
    void nonFiniteValuesAreCountedNotDrawn() {
        String svg = new SvgPlot("nan", "nan", "x", "y").scatter("a", new double[]{1, Double.NaN, 3}, new double[]{1, 2, Double.POSITIVE_INFINITY}, "#000").render();
        assertEquals(1, count(svg, "<circle"));
        assertTrue(svg.contains("2 non-finite point(s) not shown"));
        assertFalse(svg.contains("NaN"));
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SvgPlot("Bad id", "t", "x", "y"));
        assertThrows(IllegalArgumentException.class, () -> new SvgPlot("p", "t", "x", "y").scatter("a", new double[2], new double[3], "#000"));
    }

    @Test
    void classicalMdsRecoversAPlanarConfiguration() {
        double[][] pts = {{0, 0}, {3, 0}, {0, 1}, {3, 1}, {1.5, 0.5}};
        int n = pts.length;
        double[][] d = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) d[i][j] = Math.hypot(pts[i][0] - pts[j][0], pts[i][1] - pts[j][1]);
        double[][] e = ClassicalMds.embed(d);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) assertEquals(d[i][j], Math.hypot(e[i][0] - e[j][0], e[i][1] - e[j][1]), 1e-6, "distance " + i + "," + j);
        }
    }

    @Test
    void escapesMarkup() {
        assertEquals("a&lt;b&gt;&amp;&quot;&#39;", Html.escape("a<b>&\"'"));
        assertEquals("#440154", Palette.viridis(0));
        assertEquals("#fde725", Palette.viridis(1));
    }

    @Test
    void aRobustRangeKeepsTheBulkLegibleAndCountsTheOutliers() {
        int n = 1000;
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = Math.sin(i);
            y[i] = x[i];
        }
        x[0] = y[0] = 300;
        String svg = new SvgPlot("r", "r", "x", "y").scatter("a", x, y, "#000").diagonal().robust().render();
        assertTrue(svg.contains("1 point(s) outside the axes"), svg.substring(0, 600));
        assertFalse(svg.contains(">300<") || svg.contains(">200<"), "the axis does not reach the outlier");
        String plain = new SvgPlot("p", "p", "x", "y").scatter("a", x, y, "#000").diagonal().render();
        assertTrue(plain.contains(">300<"), "without robust() the extremes set the range");
    }

    @Test
    void withAFewHundredPointsOneCyclesOutliersDoNotSetTheRange() {
        // the SW example: 200 energies near -4 eV/atom, three of one early model's at -14 eV/atom
        int n = 200;
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = -4.3 + 0.5 * Math.abs(Math.sin(i));
            y[i] = x[i] + 0.02 * Math.cos(i);
        }
        for (int i = 0; i < 3; i++) y[i] = -14 + i;
        String svg = new SvgPlot("r", "r", "x", "y").scatter("a", x, y, "#000").diagonal().robust().render();
        assertTrue(svg.contains("3 point(s) outside the axes"), svg.substring(0, 800));
        assertFalse(svg.contains(">-14<") || svg.contains(">-12<") || svg.contains(">-10<"), "the axis does not reach the outliers");
    }
}
