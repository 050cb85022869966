package io.github.compressredis.autoconfigure.nacos;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The policy keys of the followed data ID, imported with {@code spring.config.import},
 * are kept out of the environment; everything else stays.
 */
class FollowedDataIdPropertySourceFilterTests {

	private final FollowedDataIdPropertySourceFilter filter = new FollowedDataIdPropertySourceFilter();

	@Test
	void policyKeysOfTheFollowedDataIdLeaveTheEnvironment() {
		StandardEnvironment environment = environment();
		this.filter.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("compress.redis.algorithm")).isEqualTo("zstd");
		assertThat(environment.getProperty("compress.redis.level")).isNull();
		assertThat(environment.getProperty("compress.redis.algoritm")).isNull();
		assertThat(environment.getProperty("catalog.page-size")).isEqualTo("20");
		assertThat(environment.getProperty("compress.redis.min-size")).isEqualTo("1KB");
	}

	@Test
	void anotherFollowedDataIdLeavesTheImportAlone() {
		StandardEnvironment environment = environment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("args", Map.of("compress.redis.nacos.data-id", "policy.yaml")));
		this.filter.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("compress.redis.level")).isEqualTo("99");
	}

	@Test
	void nothingIsFilteredWhenNacosIsNotFollowed() {
		StandardEnvironment environment = environment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("args", Map.of("compress.redis.nacos.enabled", "false")));
		this.filter.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("compress.redis.level")).isEqualTo("99");
	}

	// as spring.config.import=nacos:compress-redis.yaml leaves it, above application.yml
	private static StandardEnvironment environment() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addLast(new MapPropertySource("DEFAULT_GROUP@compress-redis.yaml", Map.of("compress.redis.level", "99",
					"compress.redis.algorithm", "lz4", "compress.redis.algoritm", "gzip", "catalog.page-size", "20")));
		environment.getPropertySources()
			.addLast(new MapPropertySource("other@other.yaml", Map.of("compress.redis.min-size", "1KB")));
		environment.getPropertySources()
			.addLast(new MapPropertySource("application.yml", Map.of("compress.redis.algorithm", "zstd")));
		return environment;
	}

}
