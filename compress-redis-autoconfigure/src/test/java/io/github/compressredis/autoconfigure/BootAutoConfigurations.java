package io.github.compressredis.autoconfigure;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.springframework.util.ClassUtils;

/**
 * Spring Boot's auto-configuration classes that moved between the Boot lines this suite
 * runs on, by name: Boot 4 split them into modules with new packages and names. A test
 * that runs on every line takes them from here rather than importing one line's class.
 *
 * @author compress-redis contributors
 */
public final class BootAutoConfigurations {

	private static final ClassLoader CLASS_LOADER = BootAutoConfigurations.class.getClassLoader();

	private BootAutoConfigurations() {
	}

	/**
	 * Return Boot's Redis auto-configuration ({@code DataRedisAutoConfiguration} in Boot
	 * 4, {@code RedisAutoConfiguration} in Boot 3.5).
	 * @return the class of the Boot line on the class path
	 */
	public static Class<?> dataRedis() {
		return first("org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
				"org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration");
	}

	/**
	 * Return Boot's reactive Redis auto-configuration
	 * ({@code DataRedisReactiveAutoConfiguration} in Boot 4,
	 * {@code RedisReactiveAutoConfiguration} in Boot 3.5).
	 * @return the class of the Boot line on the class path
	 */
	public static Class<?> dataRedisReactive() {
		return first("org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration",
				"org.springframework.boot.autoconfigure.data.redis.RedisReactiveAutoConfiguration");
	}

	/**
	 * Return Boot's cache auto-configuration and, on Boot 3.5, compress-redis's
	 * auto-configuration of the line's cache customizer (on Boot 4 the shared
	 * auto-configuration declares it).
	 * @return the classes of the Boot line on the class path
	 */
	public static Class<?>[] cache() {
		Class<?> cache = first("org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration",
				"org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration");
		return present(cache, "io.github.compressredis.autoconfigure.boot3.CompressRedisCacheAutoConfiguration");
	}

	/**
	 * Return Boot's Micrometer auto-configurations of a registry: the meter registry
	 * support, the composite registry and the simple registry (in
	 * {@code org.springframework.boot.micrometer.metrics.autoconfigure} in Boot 4, in
	 * {@code org.springframework.boot.actuate.autoconfigure.metrics} in Boot 3.5).
	 * @return the classes of the Boot line on the class path
	 */
	public static Class<?>[] metrics() {
		return new Class<?>[] {
				first("org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
						"org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration"),
				first("org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
						"org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration"),
				first("org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
						"org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration") };
	}

	/**
	 * Return Boot's Observation auto-configuration ({@code ObservationAutoConfiguration}
	 * in {@code org.springframework.boot.micrometer.observation.autoconfigure} in Boot 4,
	 * in {@code org.springframework.boot.actuate.autoconfigure.observation} in Boot 3.5).
	 * @return the class of the Boot line on the class path
	 */
	public static Class<?> observation() {
		return first("org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
				"org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration");
	}

	private static Class<?> first(String... names) {
		return Arrays.stream(names)
			.filter((name) -> ClassUtils.isPresent(name, CLASS_LOADER))
			.findFirst()
			.map((name) -> ClassUtils.resolveClassName(name, CLASS_LOADER))
			.orElseThrow(() -> new IllegalStateException("None of " + List.of(names) + " is on the class path"));
	}

	private static Class<?>[] present(Class<?> first, String... names) {
		Stream<Class<?>> more = Arrays.stream(names)
			.filter((name) -> ClassUtils.isPresent(name, CLASS_LOADER))
			.map((name) -> ClassUtils.resolveClassName(name, CLASS_LOADER));
		return Stream.concat(Stream.of(first), more).toArray(Class<?>[]::new);
	}

}
