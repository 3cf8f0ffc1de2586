package org.crucible.executors.descriptors;

import java.util.Map;

/**
 * Rebuilds an {@link AceBasis} from its {@link AceBasis#spec()} map ({@code type = "ace"}; see
 * {@link AceParameters#fromMap} for keys). Missing optional keys take the defaults of
 * {@link AceParameters#defaults}.
 *
 * <pre>{@code
 * LinearBasis basis = new AceBasisFactory().fromSpec(model.basisSpec());
 * }</pre>
 */
public final class AceBasisFactory implements LinearBasisFactory {
    @Override
    public LinearBasis fromSpec(Map<String, Object> spec) {
        return new AceBasis(AceParameters.fromMap(spec));
    }
}
