package io.github.compressredis.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.github.compressredis.autoconfigure.nacos.CompressRedisNacosProperties;
import io.github.compressredis.core.dictionary.DictionarySettings;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.resilience.BreakerSettings;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.core.Conventions;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata generated at build time (what an IDE shows) against the
 * core's defaults: every property has its default there, the same as the properties class
 * binds and as the core uses when nothing is configured, so the three can never drift
 * apart.
 */
class ConfigurationMetadataTests {

	private static final Path METADATA = Path.of("target/classes/META-INF/spring-configuration-metadata.json");

	@Test
	void everyPropertyWithADefaultShowsIt() throws IOException {
		Set<String> missing = new TreeSet<>();
		properties().forEach((name, property) -> {
			if (!property.containsKey("defaultValue") && !property.containsKey("deprecation")
					&& hasDefault(javaDefault(name))) {
				missing.add(name);
			}
		});
		assertThat(missing).as("properties with a default the metadata does not show").isEmpty();
	}

	@Test
	void propertiesWithoutADefaultAreThoseWhoseAbsenceMeansSomething() throws IOException {
		Set<String> withoutDefault = new TreeSet<>();
		properties().forEach((name, property) -> {
			// a deprecated property only sets its replacement, which has the default
			if (!property.containsKey("defaultValue") && !property.containsKey("deprecation")) {
				withoutDefault.add(name);
			}
		});
		// the algorithm's own level; nothing excluded, overridden or read besides the
		// format
		assertThat(withoutDefault).contains("compress.redis.level", "compress.redis.read-foreign",
				"compress.redis.template.exclude", "compress.redis.cache.policies");
		withoutDefault.forEach((name) -> assertThat(hasDefault(javaDefault(name))).as(name).isFalse());
	}

	private static @Nullable Object javaDefault(String name) {
		String nacos = "compress.redis.nacos.";
		BeanWrapperImpl bean = name.startsWith(nacos) ? new BeanWrapperImpl(new CompressRedisNacosProperties())
				: new BeanWrapperImpl(new CompressRedisProperties());
		String path = name.startsWith(nacos) ? name.substring(nacos.length())
				: name.substring("compress.redis.".length());
		return bean.getPropertyValue(Conventions.attributeNameToPropertyName(path));
	}

	private static boolean hasDefault(@Nullable Object value) {
		return value != null && !(value instanceof Collection<?> collection && collection.isEmpty())
				&& !(value instanceof Map<?, ?> map && map.isEmpty());
	}

	@Test
	@SuppressWarnings("unchecked")
	void deprecatedPropertiesNameTheirReplacement() throws IOException {
		Map<String, Map<String, Object>> properties = properties();
		Map<String, Object> deprecation = (Map<String, Object>) properties.get("compress.redis.endpoint.write-enabled")
			.get("deprecation");
		assertThat(deprecation).as("kept for one release, deprecated").isNotNull();
		assertThat(deprecation).containsEntry("replacement", "management.endpoint.compression.access")
			.containsEntry("since", "0.2.0");
		assertThat((Map<String, Object>) properties.get("compress.redis.resilience.breaker.latency-percentile")
			.get("deprecation")).containsEntry("replacement", "compress.redis.resilience.breaker.slow-call-rate")
			.containsEntry("since", "0.2.0");
		properties.forEach((name, property) -> {
			Map<String, Object> deprecated = (Map<String, Object>) property.get("deprecation");
			if (deprecated != null) {
				assertThat(deprecated.get("replacement")).as("replacement of deprecated %s", name).isNotNull();
			}
		});
	}

	@Test
	void policyDefaultsAreTheCoresDefaults() throws IOException {
		CompressionPolicy core = CompressionPolicy.defaults();
		Map<String, Object> expected = new LinkedHashMap<>();
		expected.put("algorithm", core.algorithm());
		expected.put("min-size", DataSize.ofBytes(core.minSize()));
		expected.put("max-ratio", core.maxRatio());
		expected.put("checksum", core.checksum());
		expected.put("max-decompressed-size", DataSize.ofBytes(core.maxDecompressedSize()));
		expected.put("rollout-percent", core.rolloutPercent());
		expected.put("format.write-version", core.writeVersion());
		assertDefaults("compress.redis", expected);
	}

	@Test
	void breakerDefaultsAreTheCoresDefaults() throws IOException {
		BreakerSettings core = BreakerSettings.defaults();
		Map<String, Object> expected = new LinkedHashMap<>();
		expected.put("latency-budget", core.latencyBudget());
		expected.put("latency-budget-per-mb", core.latencyBudgetPerMb());
		expected.put("max-cost-ratio", core.maxCostRatio());
		expected.put("slow-call-rate", core.slowCallRate());
		expected.put("host-cpu-threshold", core.hostCpuThreshold());
		expected.put("window", core.window());
		expected.put("minimum-calls", core.minimumCalls());
		expected.put("minimum-samples", core.minimumSamples());
		expected.put("failure-threshold", core.failureThreshold());
		expected.put("failure-rate", core.failureRate());
		expected.put("cool-down", core.coolDown());
		expected.put("probes", core.probes());
		expected.put("fallback", core.fallback());
		assertDefaults("compress.redis.resilience.breaker", expected);
		assertThat(new CompressRedisProperties().getResilience().getBreaker().toSettings())
			.hasToString(core.toString());
	}

	@Test
	void dictionaryDefaultsAreTheCoresDefaults() throws IOException {
		DictionarySettings core = DictionarySettings.defaults();
		Map<String, Object> expected = new LinkedHashMap<>();
		expected.put("sample-rate", core.sampleRate());
		expected.put("samples", core.samples());
		expected.put("max-sample-size", DataSize.ofBytes(core.maxSampleSize()));
		expected.put("size", DataSize.ofBytes(core.dictionarySize()));
		expected.put("level", core.level());
		expected.put("min-size", DataSize.ofBytes(core.minSize()));
		expected.put("min-improvement", core.minImprovement());
		expected.put("drift-threshold", core.driftThreshold());
		expected.put("retrain-interval", core.retrainInterval());
		expected.put("poll-interval", core.pollInterval());
		assertDefaults("compress.redis.dictionary", expected);
		assertThat(new CompressRedisProperties().getDictionary().toSettings()).isEqualTo(core);
	}

	private void assertDefaults(String group, Map<String, Object> expected) throws IOException {
		Map<String, Map<String, Object>> properties = properties();
		expected.forEach((field, coreDefault) -> {
			String name = group + "." + field;
			assertThat(properties).as(name).containsKey(name);
			Object metadataDefault = properties.get(name).get("defaultValue");
			assertThat(metadataDefault).as("default of %s in the metadata", name).isNotNull();
			assertThat(parse(metadataDefault, coreDefault)).as("default of %s in the metadata", name)
				.isEqualTo(coreDefault);
			Object beanDefault = javaDefault(name);
			assertThat(number(beanDefault)).as("default of %s in CompressRedisProperties", name)
				.isEqualTo(number(coreDefault));
		});
	}

	private static Object parse(Object metadataDefault, Object like) {
		String text = String.valueOf(metadataDefault);
		if (like instanceof DataSize) {
			return DataSize.parse(text);
		}
		if (like instanceof Duration) {
			return DurationStyle.detectAndParse(text);
		}
		if (like instanceof Enum<?> constant) {
			return Enum.valueOf(constant.getDeclaringClass(), text.replace('-', '_').toUpperCase(Locale.ROOT));
		}
		if (like instanceof Integer) {
			return ((Number) metadataDefault).intValue();
		}
		if (like instanceof Double) {
			return ((Number) metadataDefault).doubleValue();
		}
		return metadataDefault;
	}

	private static Object number(Object value) {
		return (value instanceof Number number && !(value instanceof Double)) ? number.longValue() : value;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Map<String, Object>> properties() throws IOException {
		assertThat(METADATA).as("generated by spring-boot-configuration-processor at compile time").exists();
		Map<String, Object> metadata = JsonParserFactory.getJsonParser()
			.parseMap(Files.readString(METADATA, StandardCharsets.UTF_8));
		Map<String, Map<String, Object>> properties = new LinkedHashMap<>();
		for (Object property : (List<Object>) metadata.get("properties")) {
			Map<String, Object> map = (Map<String, Object>) property;
			String name = (String) map.get("name");
			if (name.startsWith("compress.redis.")) {
				properties.put(name, map);
			}
		}
		return properties;
	}

}
