package io.github.compressredis.autoconfigure.metrics;

import io.github.compressredis.core.foreign.ForeignFormat;
import io.github.compressredis.core.foreign.ForeignFormats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code redis.compression.foreign.reads{format}}: values read in a foreign format
 * ({@code compress.redis.read-foreign}), one counter per enabled format, so an operator
 * sees when the last of them has been rewritten.
 *
 * @author compress-redis contributors
 */
public class ForeignFormatMetrics implements MeterBinder {

	private final ForeignFormats formats;

	public ForeignFormatMetrics(ForeignFormats formats) {
		this.formats = formats;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (ForeignFormat format : this.formats.enabled()) {
			FunctionCounter.builder("redis.compression.foreign.reads", this.formats, (f) -> f.decoded(format))
				.description("Values read in a foreign format (compress.redis.read-foreign), by format")
				.tag("format", format.tag())
				.register(registry);
		}
	}

}
