package io.github.compressredis.autoconfigure.nacos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import io.github.compressredis.autoconfigure.CompressRedisAutoConfiguration;
import io.github.compressredis.autoconfigure.CompressRedisProperties;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.policy.PolicySource;
import io.github.compressredis.core.policy.PolicyVersion;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.autoconfigure.ConfigurationPropertiesRebinderAutoConfiguration;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.cloud.context.refresh.ContextRefresher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Spring Cloud refresh path with the real spring-cloud-context: configuration
 * imported with {@code spring.config.import} (here a file, as {@code nacos:} content is)
 * changes, a refresh publishes an {@link EnvironmentChangeEvent}, and the policy follows
 * or refuses the change.
 */
class PolicyRefreshTests {

	@AutoClose
	private final InProcessConfigService nacos = new InProcessConfigService();

	private final ApplicationContextRunner contextRunner = this.nacos.contextRunner()
		.withConfiguration(AutoConfigurations.of(ConfigurationPropertiesRebinderAutoConfiguration.class))
		.withPropertyValues("compress.redis.min-size=10B");

	@Test
	void refreshOfImportedConfigurationChangesThePolicyOrIsRefused(@TempDir Path directory) throws IOException {
		Path imported = directory.resolve("compress-redis.yaml");
		Files.writeString(imported, "compress:\n  redis:\n    algorithm: zstd\n    min-size: 100B\n");
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(RefreshApplication.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.run("--spring.config.import=file:" + imported, "--spring.cloud.nacos.config.enabled=false",
					"--spring.jmx.enabled=false")) {
			CompressionPolicyHolder holder = context.getBean(CompressionPolicyHolder.class);
			ContextRefresher refresher = context.getBean(ContextRefresher.class);
			assertThat(holder.policy().minSize()).isEqualTo(100);
			assertThat(holder.current().source()).isEqualTo(PolicySource.PROPERTIES);

			Files.writeString(imported, "compress:\n  redis:\n    algorithm: lz4\n    min-size: 200B\n");
			assertThat(refresher.refresh()).contains("compress.redis.algorithm", "compress.redis.min-size");
			assertThat(holder.policy().algorithm()).isEqualTo(Algorithm.LZ4);
			assertThat(holder.policy().minSize()).isEqualTo(200);
			assertThat(holder.current().source()).isEqualTo(PolicySource.NACOS);
			assertThat(context.getBean(CompressRedisProperties.class).getAlgorithm()).isEqualTo(Algorithm.LZ4);

			PolicyVersion before = holder.current();
			Files.writeString(imported, "compress:\n  redis:\n    algorithm: lz4\n    level: 30\n");
			refresher.refresh();
			assertThat(holder.current()).isSameAs(before);
			assertThat(holder.refusedCount()).isOne();
			assertThat(holder.lastRefused().reason())
				.isEqualTo("refreshed compress.redis configuration: 'level' 30 is out of range for lz4 (0 to 17)");

			Files.writeString(imported, "compress:\n  redis:\n    algorithm: gzip\n    rollout-percent: 40\n");
			refresher.refresh();
			assertThat(holder.policy().algorithm()).isEqualTo(Algorithm.GZIP);
			assertThat(holder.policy().rolloutPercent()).isEqualTo(40);
			assertThat(holder.current().baseline()).isEqualTo(before.policy());
		}
	}

	@Test
	void refreshKeepsTheNacosContentOnTop() throws Exception {
		this.nacos.publishConfig("compress-redis.yaml", "DEFAULT_GROUP", "min-size: 100B");
		this.contextRunner.run((context) -> {
			CompressionPolicyHolder holder = context.getBean(CompressionPolicyHolder.class);
			assertThat(holder.policy().minSize()).isEqualTo(100);
			refresh(context, Map.of("compress.redis.algorithm", "lz4", "compress.redis.min-size", "20B"));
			assertThat(holder.policy().algorithm()).isEqualTo(Algorithm.LZ4);
			assertThat(holder.policy().minSize()).isEqualTo(100);
			assertThat(holder.current().source()).isEqualTo(PolicySource.NACOS);
		});
	}

	@Test
	void refreshWithoutPolicyKeysLeavesThePolicy() {
		this.contextRunner.run((context) -> {
			CompressionPolicyHolder holder = context.getBean(CompressionPolicyHolder.class);
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("refreshed", Map.of("compress.redis.algorithm", "lz4")));
			context.publishEvent(new EnvironmentChangeEvent(context, Set.of("spring.application.name")));
			assertThat(holder.current().version()).isOne();
			refresh(context, Map.of("compress.redis.algorithm", "lz4"));
			assertThat(holder.policy().algorithm()).isEqualTo(Algorithm.LZ4);
		});
	}

	@Test
	void refreshIsRefusedWhileAPolicyBeanPinsThePolicy() {
		this.contextRunner
			.withBean("pinnedPolicy", CompressionPolicy.class, () -> CompressionPolicy.builder().minSize(1000).build())
			.run((context) -> {
				CompressionPolicyHolder holder = context.getBean(CompressionPolicyHolder.class);
				refresh(context, Map.of("compress.redis.min-size", "30B"));
				assertThat(holder.policy().minSize()).isEqualTo(1000);
				assertThat(holder.lastRefused().reason()).isEqualTo("refreshed compress.redis configuration: "
						+ "the policy is pinned by the CompressionPolicy bean 'pinnedPolicy'; "
						+ "remove that bean to let Nacos change the policy");
			});
	}

	@Test
	void unreadableRefreshedValueIsRefused() {
		this.contextRunner.run((context) -> {
			CompressionPolicyHolder holder = context.getBean(CompressionPolicyHolder.class);
			refresh(context, Map.of("compress.redis.algorithm", "brotli"));
			assertThat(holder.current().version()).isOne();
			assertThat(holder.lastRefused().reason()).isEqualTo("refreshed compress.redis configuration: "
					+ "'algorithm' 'brotli' cannot be read: use one of none, zstd, lz4, gzip, deflate, snappy");
			refresh(context, Map.of("compress.redis.min-size", "big"));
			assertThat(holder.current().version()).isOne();
			assertThat(holder.lastRefused().reason()).startsWith(
					"refreshed compress.redis configuration: 'min-size' 'big' cannot be read: use a size such as 192B");
		});
	}

	// what a refresh does: new values in the environment, then the event naming the
	// changed keys
	private static void refresh(ConfigurableApplicationContext context, Map<String, Object> changes) {
		Map<String, Object> values = new HashMap<>(changes);
		context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("refreshed", values));
		context.publishEvent(new EnvironmentChangeEvent(context, changes.keySet()));
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ RefreshAutoConfiguration.class, ConfigurationPropertiesRebinderAutoConfiguration.class,
			CompressRedisAutoConfiguration.class, CompressRedisNacosAutoConfiguration.class })
	static class RefreshApplication {

	}

}
