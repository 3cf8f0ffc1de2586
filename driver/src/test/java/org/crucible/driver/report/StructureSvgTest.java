package org.crucible.driver.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crucible.core.Structure;
import org.crucible.core.io.ExtendedXyz;
import org.junit.jupiter.api.Test;

/** The best-structure thumbnail: every atom, every bond of the periodic crystal, the 12 cell edges, inside the box. */
class StructureSvgTest {
    @Test
    void diamondSiliconHasFourHalfBondsPerAtom() throws Exception {
        Path file = Path.of("").toAbsolutePath().resolve("examples/si8-diamond.extxyz");
        if (!file.toFile().exists()) file = Path.of("").toAbsolutePath().getParent().resolve("examples/si8-diamond.extxyz");
        Structure si8 = ExtendedXyz.read(file).get(0);
        String svg = StructureSvg.render(si8, 120);
        assertEquals(8, count(svg, "<circle "), "one ball per atom");
        assertEquals(8 * 4 + 12, count(svg, "<line "), "4 half-bonds per atom (diamond) and 12 cell edges");
        Matcher m = Pattern.compile("(?:cx|cy|x1|y1|x2|y2)=\"(-?[0-9.]+)\"").matcher(svg);
        while (m.find()) {
            double v = Double.parseDouble(m.group(1));
            assertTrue(v >= 0 && v <= 120, "inside the picture: " + m.group());
        }
        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"cell\" width=\"120\""), svg);
    }

    private static int count(String s, String what) {
        return s.split(Pattern.quote(what), -1).length - 1;
    }
}
