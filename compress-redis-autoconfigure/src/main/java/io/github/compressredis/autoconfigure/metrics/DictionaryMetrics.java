package io.github.compressredis.autoconfigure.metrics;

import java.util.Objects;

import io.github.compressredis.core.dictionary.DictionaryRegistry;
import io.github.compressredis.core.dictionary.DictionaryTarget;
import io.github.compressredis.core.dictionary.TrainingOutcome;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds the dictionary meters, under {@code redis.compression.dictionary.*}. Targets
 * (cache and template names) are not tags: per-target detail is in
 * {@code /actuator/compression}.
 *
 * @author compress-redis contributors
 */
public class DictionaryMetrics implements MeterBinder {

	private final DictionaryRegistry registry;

	public DictionaryMetrics(DictionaryRegistry registry) {
		this.registry = Objects.requireNonNull(registry, "'registry' must not be null");
	}

	@Override
	public void bindTo(MeterRegistry meterRegistry) {
		for (TrainingOutcome outcome : TrainingOutcome.values()) {
			FunctionCounter
				.builder("redis.compression.dictionary.trainings", this.registry,
						(registry) -> registry.trainings(outcome))
				.description("Dictionary training runs of this instance, by outcome (retrains on drift included)")
				.tag("outcome", outcome.tag())
				.register(meterRegistry);
		}
		FunctionCounter.builder("redis.compression.dictionary.adoptions", this.registry, DictionaryRegistry::adoptions)
			.description("Dictionaries adopted from Redis (published by another instance or before a restart)")
			.register(meterRegistry);
		FunctionCounter.builder("redis.compression.dictionary.lookups", this.registry, DictionaryRegistry::lookups)
			.description("Lookups in Redis of dictionary ids not held in memory")
			.register(meterRegistry);
		FunctionCounter
			.builder("redis.compression.dictionary.lookups.limited", this.registry, DictionaryRegistry::limitedLookups)
			.description(
					"Reads of unknown dictionary ids failed without a lookup because lookups were at their rate limit")
			.register(meterRegistry);
		Gauge.builder("redis.compression.dictionary.loaded", this.registry, DictionaryRegistry::loadedCount)
			.description("Dictionaries held in memory, in use or still read by older values")
			.register(meterRegistry);
		Gauge.builder("redis.compression.dictionary.targets", this.registry, DictionaryMetrics::targetsWithDictionary)
			.description("Caches and templates whose writes use a dictionary")
			.register(meterRegistry);
	}

	private static double targetsWithDictionary(DictionaryRegistry registry) {
		int count = 0;
		for (DictionaryTarget target : registry.targets()) {
			if (target.codec() != null) {
				count++;
			}
		}
		return count;
	}

}
