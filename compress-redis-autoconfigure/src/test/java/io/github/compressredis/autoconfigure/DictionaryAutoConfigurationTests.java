package io.github.compressredis.autoconfigure;

import java.time.Duration;
import java.util.Locale;

import io.github.compressredis.actuate.endpoint.CompressionEndpoint;
import io.github.compressredis.actuate.endpoint.CompressionEndpoint.TargetDescriptor;
import io.github.compressredis.autoconfigure.metrics.CompressRedisMetricsAutoConfiguration;
import io.github.compressredis.autoconfigure.metrics.DictionaryMetrics;
import io.github.compressredis.core.CompressingRedisSerializer;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.dictionary.DictionaryRegistry;
import io.github.compressredis.core.dictionary.DictionarySettings;
import io.github.compressredis.core.dictionary.DictionaryTarget;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.embedded.RedisServerProcess;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dictionaries through the auto-configuration, on a real redis-server: off for writers by
 * default (readers still find them), one target per cache and per template when on,
 * trained from what the application writes, and shown by the endpoint and the meters.
 */
class DictionaryAutoConfigurationTests {

	@AutoClose
	private static final RedisServerProcess redis = RedisServerProcess.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(BootAutoConfigurations.dataRedis(), CompressRedisAutoConfiguration.class,
						CompressRedisMetricsAutoConfiguration.class, CompressionEndpointAutoConfiguration.class))
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.cache()))
		.withUserConfiguration(CachingConfiguration.class)
		.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port(),
				"spring.cache.type=redis", "spring.cache.cache-names=products,users");

	@Test
	void readersFindDictionariesButWritersDoNotUseThemByDefault() {
		this.contextRunner.run((context) -> {
			DictionaryRegistry registry = context.getBean(DictionaryRegistry.class);
			assertThat(context.getBean(ValueCompressor.class).getDictionaries()).isSameAs(registry);
			assertThat(context.getBean(CompressingSerializerFactory.class).getDictionaries()).isNull();
			assertThat(compressorOf(context.getBean(StringRedisTemplate.class)).getDictionaryTarget()).isNull();
			assertThat(registry.targets()).isEmpty();
			assertThat(registry.settings()).as("the bound defaults are the core's")
				.isEqualTo(DictionarySettings.defaults());
		});
	}

	@Test
	void noDictionaryRegistryWithoutARedisConnectionFactory() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CompressRedisAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(DictionaryRegistry.class);
				assertThat(context.getBean(ValueCompressor.class).getDictionaries()).isNull();
			});
	}

	@Test
	void eachCacheAndTemplateTrainsItsOwnDictionaryWhenEnabled() {
		this.contextRunner
			.withPropertyValues("compress.redis.dictionary.enabled=true", "compress.redis.dictionary.sample-rate=1",
					"compress.redis.dictionary.samples=300", "compress.redis.dictionary.size=2KB",
					"compress.redis.dictionary.level=9", "compress.redis.dictionary.prefix=test:autoconfig:",
					"management.endpoints.web.exposure.include=compression")
			.run((context) -> {
				DictionaryRegistry registry = context.getBean(DictionaryRegistry.class);
				StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
				assertThat(registry.targets()).extracting(DictionaryTarget::name)
					.contains("cache", "cache:products", "cache:users", "template:redisTemplate",
							"template:stringRedisTemplate");
				DictionaryTarget target = compressorOf(template).getDictionaryTarget();
				assertThat(target.name()).isEqualTo("template:stringRedisTemplate");
				for (int i = 0; i < 300; i++) {
					template.opsForValue().set("product:" + i, product(i));
				}
				Awaitility.await("trained in the background")
					.atMost(Duration.ofSeconds(20))
					.pollInterval(Duration.ofMillis(20))
					.until(() -> target.codec() != null);
				template.opsForValue().set("product:new", product(1000));
				byte[] stored = template.getConnectionFactory()
					.getConnection()
					.stringCommands()
					.get("product:new".getBytes());
				assertThat(WireFormat.parse(stored).dictionaryId()).isEqualTo(target.codec().id());
				assertThat(template.opsForValue().get("product:new")).isEqualTo(product(1000));
				assertThat(compressorOf(
						context.getBean("redisTemplate", org.springframework.data.redis.core.RedisTemplate.class))
					.getDictionaryTarget()
					.codec()).as("another target has its own reservoir").isNull();

				CompressionEndpoint.CompressionDescriptor descriptor = context.getBean(CompressionEndpoint.class)
					.compression();
				TargetDescriptor shown = descriptor.dictionaries()
					.targets()
					.stream()
					.filter((candidate) -> candidate.target().equals("template:stringRedisTemplate"))
					.findFirst()
					.orElseThrow();
				assertThat(shown.id()).isEqualTo(target.codec().id());
				assertThat(shown.samples()).isEqualTo(300);
				assertThat(shown.size()).isPositive().isLessThanOrEqualTo(2048);
				assertThat(shown.ratio()).isLessThan(shown.ratioWithout());
				assertThat(descriptor.dictionaries().trainings()).containsEntry("published", 1L);
				assertThat(descriptor.dictionaries().level()).isEqualTo(9);
				assertThat(descriptor.dictionaries().size()).isEqualTo(2048);

				MeterRegistry meters = new SimpleMeterRegistry();
				context.getBean(DictionaryMetrics.class).bindTo(meters);
				assertThat(meters.get("redis.compression.dictionary.trainings")
					.tag("outcome", "published")
					.functionCounter()
					.count()).isEqualTo(1);
				assertThat(meters.get("redis.compression.dictionary.targets").gauge().value()).isEqualTo(1);
				assertThat(meters.get("redis.compression.dictionary.lookups").functionCounter().count())
					.isEqualTo(registry.lookups());
				assertThat(meters.get("redis.compression.dictionary.lookups.limited").functionCounter().count())
					.isZero();
			});
	}

	@Test
	void aCacheNameThatCannotNameADictionaryTargetFailsStartupWithTheNameAndTheFix() {
		this.contextRunner
			.withPropertyValues("compress.redis.dictionary.enabled=true", "spring.cache.cache-names=my products",
					"compress.redis.dictionary.prefix=test:autoconfig-names:")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("Dictionary target name 'cache:my products'")
				.hasMessageContaining("rename the cache or template, or exclude it"));
	}

	private static String product(int i) {
		String[] colors = { "red", "green", "blue", "black", "white" };
		return String.format(Locale.ROOT,
				"{\"id\":%d,\"sku\":\"SKU-%06d\",\"name\":\"Product %d\",\"color\":\"%s\",\"price\":%d.%02d,"
						+ "\"inStock\":%b,\"tags\":[\"catalog\",\"%s\"]}",
				i, i * 7919 % 1000000, i, colors[i % colors.length], i % 500, i % 100, i % 3 == 0,
				colors[(i / 5) % colors.length]);
	}

	private static ValueCompressor compressorOf(org.springframework.data.redis.core.RedisTemplate<?, ?> template) {
		assertThat(template.getValueSerializer()).isInstanceOf(CompressingRedisSerializer.class);
		return ((CompressingRedisSerializer<?>) template.getValueSerializer()).getCompressor();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

}
