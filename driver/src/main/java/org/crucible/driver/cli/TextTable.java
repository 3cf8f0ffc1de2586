package org.crucible.driver.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table for terminals and log files: columns as wide as their widest cell, text left-aligned, numbers
 * (cells starting with a digit, sign or dash) right-aligned, two spaces between columns, a rule under the header.
 *
 * <pre>{@code TextTable t = new TextTable("cycle", "labels"); t.row("0", "50"); out.print(t.render()); }</pre>
 */
final class TextTable {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    TextTable(String... header) {
        columns = header.length;
        rows.add(header.clone());
    }

    TextTable row(String... cells) {
        if (cells.length != columns) throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + columns + " columns");
        rows.add(cells.clone());
        return this;
    }

    String render() {
        int[] w = new int[columns];
        boolean[] numeric = new boolean[columns];
        java.util.Arrays.fill(numeric, true);
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < columns; c++) {
                w[c] = Math.max(w[c], rows.get(r)[c].length());
                if (r > 0 && !rows.get(r)[c].matches("[-+]?[0-9.:]*[0-9]?[0-9.:eE+-]*") ) numeric[c] = false;
            }
        }
        StringBuilder b = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                String cell = rows.get(r)[c];
                String pad = " ".repeat(w[c] - cell.length());
                if (c > 0) line.append("  ");
                line.append(numeric[c] ? pad + cell : cell + pad);
            }
            b.append(line.toString().stripTrailing()).append(System.lineSeparator());
            if (r == 0) {
                StringBuilder rule = new StringBuilder();
                for (int c = 0; c < columns; c++) rule.append(c > 0 ? "  " : "").append("-".repeat(w[c]));
                b.append(rule).append(System.lineSeparator());
            }
        }
        return b.toString();
    }
}
