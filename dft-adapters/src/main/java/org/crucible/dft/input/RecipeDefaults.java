package org.crucible.dft.input;

/**
 * The defaults of the recipe settings that changed over time, so that a campaign keeps the ones it was created with.
 * Today's ({@link #CURRENT}) hold for recipe files and a campaign file's inline {@code oracle.settings} alike: one
 * schema, one default per key. A campaign directory records every resolved setting at creation
 * ({@code oracle-settings.resolved.json}) and resumes from that record; a campaign created before the record existed
 * resumes with the defaults of its kind: {@link #LEGACY_INLINE} for inline settings, {@link #CURRENT} for a recipe file
 * (whose defaults did not change).
 *
 * @param kpointSpacing k-point spacing when neither {@code kpoint_spacing} nor {@code kpoints} is given, in 1/Angstrom
 *                      with 2*pi included ({@link KpointMesh}: n_i = max(1, ceil(|b_i| / spacing)))
 * @param smearing      pw.x smearing when {@code smearing} is not given (null: fixed occupations)
 */
public record RecipeDefaults(double kpointSpacing, String smearing) {
    /** The one default k-point spacing, 1/Angstrom with 2*pi included (6x6x6 for conventional diamond Si). */
    public static final double KPOINT_SPACING = 0.2;

    /** Today's defaults: k-point spacing 0.2 1/Angstrom, fixed occupations (pw.x's own default). */
    public static final RecipeDefaults CURRENT = new RecipeDefaults(KPOINT_SPACING, null);

    /**
     * The defaults of a campaign file's inline {@code oracle.settings} before it shared the recipe schema: spacing
     * 0.3 1/Angstrom (then spelt {@code kspacing}), Marzari-Vanderbilt smearing (its width 0.01 Ry, unchanged).
     */
    public static final RecipeDefaults LEGACY_INLINE = new RecipeDefaults(0.3, "mv");

    public RecipeDefaults {
        if (!(kpointSpacing > 0 && Double.isFinite(kpointSpacing))) throw new IllegalArgumentException("kpoint spacing must be > 0 1/Angstrom, got " + kpointSpacing);
    }
}
