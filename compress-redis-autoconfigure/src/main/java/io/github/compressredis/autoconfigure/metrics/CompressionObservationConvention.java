package io.github.compressredis.autoconfigure.metrics;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and key values of the compression Observations; a bean of this type replaces
 * {@link DefaultCompressionObservationConvention}.
 *
 * @author compress-redis contributors
 */
public interface CompressionObservationConvention extends ObservationConvention<CompressionObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof CompressionObservationContext;
	}

}
