package io.github.compressredis.autoconfigure.metrics;

import io.github.compressredis.core.codec.Algorithm;
import io.micrometer.common.KeyValues;

/**
 * The default names and key values of the compression Observations. Low cardinality (also
 * the timer's tags): {@code target}, {@code codec}, {@code outcome}; high cardinality
 * (span tags only): {@code original.size} and {@code stored.size} in bytes.
 *
 * @author compress-redis contributors
 */
public class DefaultCompressionObservationConvention implements CompressionObservationConvention {

	/** The shared instance. */
	public static final DefaultCompressionObservationConvention INSTANCE = new DefaultCompressionObservationConvention();

	@Override
	public String getContextualName(CompressionObservationContext context) {
		return context.getOperation().contextualName();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(CompressionObservationContext context) {
		Algorithm codec = context.getCodec();
		return KeyValues.of("codec", (codec != null) ? codec.tag() : "unknown", "outcome", context.getOutcome(),
				"target", context.getTarget());
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(CompressionObservationContext context) {
		return KeyValues.of("original.size", Integer.toString(context.getOriginalBytes()), "stored.size",
				Integer.toString(context.getStoredBytes()));
	}

}
