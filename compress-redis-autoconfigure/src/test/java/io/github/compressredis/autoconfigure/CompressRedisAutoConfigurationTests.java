package io.github.compressredis.autoconfigure;

import java.nio.ByteBuffer;
import java.time.Duration;

import io.github.compressredis.actuate.endpoint.CompressionEndpoint;
import io.github.compressredis.autoconfigure.metrics.CompressRedisMetricsAutoConfiguration;
import io.github.compressredis.autoconfigure.metrics.CompressionMetrics;
import io.github.compressredis.core.CompressingRedisSerializer;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.policy.PolicySource;
import io.github.compressredis.core.stats.CompressionStats;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.RedisCache;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.serializer.JdkSerializationRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializationContext.SerializationPair;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.data.redis.serializer.StringRedisSerializer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CompressRedisAutoConfiguration} and the cache and session
 * configurations it imports. Nothing here talks to Redis: Lettuce connects lazily, and
 * values are written through serializers and serialization pairs only.
 */
class CompressRedisAutoConfigurationTests {

	private static final String VALUE = TestPayloads.json(4096);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.dataRedis(),
				BootAutoConfigurations.dataRedisReactive(), CompressRedisAutoConfiguration.class,
				CompressRedisMetricsAutoConfiguration.class, CompressionEndpointAutoConfiguration.class));

	@Test
	void compressionBeansArePresentByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(CompressRedisProperties.class)
				.hasSingleBean(CompressionPolicyHolder.class)
				.hasSingleBean(CodecRegistry.class)
				.hasSingleBean(CompressionStats.class)
				.hasSingleBean(ValueCompressor.class)
				.hasSingleBean(CompressingSerializerFactory.class)
				.hasSingleBean(CompressionMetrics.class)
				.hasBean("redisTemplateCompressionPostProcessor");
			CompressionPolicyHolder holder = context.getBean(CompressionPolicyHolder.class);
			assertThat(holder.policy()).isEqualTo(CompressionPolicy.defaults());
			assertThat(holder.current().source()).isEqualTo(PolicySource.PROPERTIES);
			ValueCompressor compressor = context.getBean(ValueCompressor.class);
			assertThat(compressor.getPolicies()).isSameAs(holder);
			assertThat(compressor.getCodecs()).isSameAs(context.getBean(CodecRegistry.class));
			assertThat(compressor.getStats()).isSameAs(context.getBean(CompressionStats.class));
			assertThat(context.getBean(CompressingSerializerFactory.class).getCompressor()).isSameAs(compressor);
		});
	}

	@Test
	void policyHolderBacksOffWhenUserDefinesOne() {
		this.contextRunner
			.withBean(CompressionPolicyHolder.class,
					() -> new CompressionPolicyHolder(CompressionPolicy.builder().algorithm(Algorithm.GZIP).build()))
			.run((context) -> {
				assertThat(context).hasSingleBean(CompressionPolicyHolder.class);
				CompressionPolicyHolder holder = context.getBean(CompressionPolicyHolder.class);
				assertThat(holder.policy().algorithm()).isEqualTo(Algorithm.GZIP);
				assertThat(context.getBean(ValueCompressor.class).getPolicies()).isSameAs(holder);
			});
	}

	@Test
	void codecRegistryBacksOffWhenUserDefinesOne() {
		CodecRegistry codecs = new CodecRegistry();
		this.contextRunner.withBean(CodecRegistry.class, () -> codecs).run((context) -> {
			assertThat(context).hasSingleBean(CodecRegistry.class);
			assertThat(context.getBean(ValueCompressor.class).getCodecs()).isSameAs(codecs);
		});
	}

	@Test
	void compressionStatsBackOffWhenUserDefinesThem() {
		CompressionStats stats = new CompressionStats();
		this.contextRunner.withBean(CompressionStats.class, () -> stats).run((context) -> {
			assertThat(context).hasSingleBean(CompressionStats.class);
			assertThat(context.getBean(ValueCompressor.class).getStats()).isSameAs(stats);
		});
	}

	@Test
	void serializerFactoryBacksOffWhenUserDefinesOneAndTemplatesUseIt() {
		CompressingSerializerFactory factory = new CompressingSerializerFactory(
				new ValueCompressor(new CompressionPolicyHolder(CompressionPolicy.defaults()), new CodecRegistry(),
						new CompressionStats()));
		this.contextRunner.withBean(CompressingSerializerFactory.class, () -> factory).run((context) -> {
			assertThat(context).hasSingleBean(CompressingSerializerFactory.class);
			assertThat(context.getBean(CompressingSerializerFactory.class)).isSameAs(factory);
			RedisTemplate<?, ?> template = context.getBean("redisTemplate", RedisTemplate.class);
			assertThat(compressorOf(template.getValueSerializer())).isSameAs(factory.getCompressor());
		});
	}

	@Test
	void userPolicyBeanBecomesThePolicyWithSourceBean() {
		CompressionPolicy policy = CompressionPolicy.builder().algorithm(Algorithm.GZIP).level(9).minSize(512).build();
		this.contextRunner.withBean(CompressionPolicy.class, () -> policy)
			.withPropertyValues("compress.redis.algorithm=lz4")
			.run((context) -> {
				CompressionPolicyHolder holder = context.getBean(CompressionPolicyHolder.class);
				assertThat(holder.policy()).isEqualTo(policy);
				assertThat(holder.current().source()).isEqualTo(PolicySource.BEAN);
			});
	}

	@Test
	void nothingIsCreatedWhenCompressionIsDisabled() {
		this.contextRunner.withPropertyValues("compress.redis.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(CompressRedisProperties.class)
				.doesNotHaveBean(CompressionPolicyHolder.class)
				.doesNotHaveBean(CodecRegistry.class)
				.doesNotHaveBean(CompressionStats.class)
				.doesNotHaveBean(ValueCompressor.class)
				.doesNotHaveBean(CompressingSerializerFactory.class)
				.doesNotHaveBean(CompressionMetrics.class)
				.doesNotHaveBean("redisTemplateCompressionPostProcessor")
				.doesNotHaveBean("springSessionDefaultRedisSerializer");
			RedisTemplate<?, ?> template = context.getBean("redisTemplate", RedisTemplate.class);
			assertThat(template.getValueSerializer()).isInstanceOf(JdkSerializationRedisSerializer.class);
			assertThat(template.getHashValueSerializer()).isInstanceOf(JdkSerializationRedisSerializer.class);
			assertThat(context.getBean(StringRedisTemplate.class).getValueSerializer())
				.isInstanceOf(StringRedisSerializer.class);
		});
	}

	@Test
	void propertiesBindToThePolicy() {
		this.contextRunner
			.withPropertyValues("compress.redis.algorithm=lz4", "compress.redis.level=9", "compress.redis.min-size=1KB",
					"compress.redis.max-ratio=0.8", "compress.redis.checksum=false")
			.run((context) -> {
				CompressionPolicyHolder holder = context.getBean(CompressionPolicyHolder.class);
				CompressionPolicy policy = holder.policy();
				assertThat(policy.algorithm()).isEqualTo(Algorithm.LZ4);
				assertThat(policy.level()).isEqualTo(9);
				assertThat(policy.minSize()).isEqualTo(1024);
				assertThat(policy.maxRatio()).isEqualTo(0.8);
				assertThat(policy.checksum()).isFalse();
				assertThat(policy.maxDecompressedSize()).isEqualTo(CompressionPolicy.DEFAULT_MAX_DECOMPRESSED_SIZE);
				assertThat(holder.current().source()).isEqualTo(PolicySource.PROPERTIES);
			});
	}

	@Test
	void formatWriteVersionBindsToThePolicyAndWritersWriteIt() {
		this.contextRunner.withPropertyValues("compress.redis.format.write-version=2").run((context) -> {
			assertThat(context.getBean(CompressionPolicyHolder.class).policy().writeVersion()).isEqualTo(2);
			// a value that begins with the magic is always framed (escaped)
			byte[] stored = context.getBean(ValueCompressor.class).compress(new byte[] { (byte) 0xC1, (byte) 0x8D, 1 });
			assertThat(stored[2] >> 4).as("format version of a value written").isEqualTo(2);
		});
		this.contextRunner
			.run((context) -> assertThat(context.getBean(CompressionPolicyHolder.class).policy().writeVersion())
				.isEqualTo(1));
	}

	@Test
	void invalidFormatWriteVersionFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("compress.redis.format.write-version=3")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("format.write-version"));
	}

	@Test
	void rolloutPercentIsBoundButAtStartupEveryWriteFollowsThePolicy() {
		this.contextRunner.withPropertyValues("compress.redis.rollout-percent=30").run((context) -> {
			assertThat(context.getBean(CompressRedisProperties.class).getRolloutPercent()).isEqualTo(30);
			CompressionPolicyHolder holder = context.getBean(CompressionPolicyHolder.class);
			assertThat(holder.policy().rolloutPercent()).as("nothing to roll out from").isEqualTo(100);
			assertThat(holder.current().baseline()).isNull();
			assertThat(holder.policyForWrite()).isSameAs(holder.policy());
		});
	}

	@Test
	void rolloutPercentOutOfRangeFailsStartupNamingIt() {
		this.contextRunner.withPropertyValues("compress.redis.rollout-percent=0").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure())
				.hasStackTraceContaining("Invalid compress.redis.rollout-percent: must be between 1 and 100");
		});
	}

	@Test
	void invalidLevelFailsStartupWithAMessageNamingLevel() {
		this.contextRunner.withPropertyValues("compress.redis.algorithm=zstd", "compress.redis.level=30")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure())
					.hasStackTraceContaining("Invalid compress.redis.level: 30 is out of range for zstd");
			});
	}

	@Test
	void bootTemplatesCompressValuesAndHashValuesButKeepTheirKeySerializers() {
		this.contextRunner.run((context) -> {
			RedisTemplate<?, ?> template = context.getBean("redisTemplate", RedisTemplate.class);
			assertWrapped(template.getValueSerializer(), JdkSerializationRedisSerializer.class);
			assertWrapped(template.getHashValueSerializer(), JdkSerializationRedisSerializer.class);
			assertThat(template.getKeySerializer()).isInstanceOf(JdkSerializationRedisSerializer.class);
			assertThat(template.getHashKeySerializer()).isInstanceOf(JdkSerializationRedisSerializer.class);
			StringRedisTemplate stringTemplate = context.getBean("stringRedisTemplate", StringRedisTemplate.class);
			assertWrapped(stringTemplate.getValueSerializer(), StringRedisSerializer.class);
			assertWrapped(stringTemplate.getHashValueSerializer(), StringRedisSerializer.class);
			assertThat(stringTemplate.getKeySerializer()).isInstanceOf(StringRedisSerializer.class);
			assertThat(stringTemplate.getHashKeySerializer()).isInstanceOf(StringRedisSerializer.class);
			byte[] stored = serialize(stringTemplate.getValueSerializer(), VALUE);
			assertThat(TestPayloads.isFramed(stored)).isTrue();
			assertThat(stored[2]).isEqualTo(TestPayloads.VERSION_1_ZSTD);
			assertThat(stored.length).isLessThan(VALUE.length() / 2);
			assertThat(stringTemplate.getValueSerializer().deserialize(stored)).isEqualTo(VALUE);
		});
	}

	@Test
	void userTemplateIsCompressedToo() {
		this.contextRunner.withUserConfiguration(UserTemplateConfiguration.class).run((context) -> {
			RedisTemplate<?, ?> template = context.getBean("myTemplate", RedisTemplate.class);
			assertWrapped(template.getValueSerializer(), StringRedisSerializer.class);
			assertWrapped(template.getHashValueSerializer(), StringRedisSerializer.class);
			assertThat(template.getKeySerializer()).isInstanceOf(StringRedisSerializer.class);
		});
	}

	@Test
	void excludedTemplateIsLeftAlone() {
		this.contextRunner.withUserConfiguration(UserTemplateConfiguration.class)
			.withPropertyValues("compress.redis.template.exclude=myTemplate")
			.run((context) -> {
				RedisTemplate<?, ?> template = context.getBean("myTemplate", RedisTemplate.class);
				assertThat(template.getValueSerializer()).isInstanceOf(StringRedisSerializer.class);
				assertThat(template.getHashValueSerializer()).isInstanceOf(StringRedisSerializer.class);
				assertThat(context.getBean("redisTemplate", RedisTemplate.class).getValueSerializer())
					.isInstanceOf(CompressingRedisSerializer.class);
			});
	}

	@Test
	void templatesAreLeftAloneWhenTemplateCompressionIsDisabled() {
		this.contextRunner.withUserConfiguration(UserTemplateConfiguration.class)
			.withPropertyValues("compress.redis.template.enabled=false")
			.run((context) -> {
				assertThat(context).hasSingleBean(ValueCompressor.class);
				assertThat(context.getBean("redisTemplate", RedisTemplate.class).getValueSerializer())
					.isInstanceOf(JdkSerializationRedisSerializer.class);
				assertThat(context.getBean("stringRedisTemplate", StringRedisTemplate.class).getValueSerializer())
					.isInstanceOf(StringRedisSerializer.class);
				assertThat(context.getBean("myTemplate", RedisTemplate.class).getValueSerializer())
					.isInstanceOf(StringRedisSerializer.class);
				assertThat(context.getBean("myTemplate", RedisTemplate.class).getHashValueSerializer())
					.isInstanceOf(StringRedisSerializer.class);
			});
	}

	@Test
	void reactiveTemplatesWriteCompressedValues() {
		this.contextRunner.run((context) -> {
			ReactiveStringRedisTemplate stringTemplate = context.getBean("reactiveStringRedisTemplate",
					ReactiveStringRedisTemplate.class);
			byte[] stored = write(stringTemplate.getSerializationContext().getValueSerializationPair(), VALUE);
			assertThat(TestPayloads.isFramed(stored)).isTrue();
			assertThat(stored[2]).isEqualTo(TestPayloads.VERSION_1_ZSTD);
			assertThat(
					stringTemplate.getSerializationContext().getValueSerializationPair().read(ByteBuffer.wrap(stored)))
				.isEqualTo(VALUE);
			byte[] hashValue = write(stringTemplate.getSerializationContext().getHashValueSerializationPair(), VALUE);
			assertThat(TestPayloads.isFramed(hashValue)).isTrue();
			byte[] key = write(stringTemplate.getSerializationContext().getKeySerializationPair(), VALUE);
			assertThat(key).isEqualTo(TestPayloads.utf8(VALUE));
			ReactiveRedisTemplate<Object, Object> template = reactiveRedisTemplate(
					context.getBean("reactiveRedisTemplate"));
			assertThat(
					TestPayloads.isFramed(write(template.getSerializationContext().getValueSerializationPair(), VALUE)))
				.isTrue();
		});
	}

	@Test
	void reactiveTemplatesAreLeftAloneWhenReactiveCompressionIsDisabled() {
		this.contextRunner.withPropertyValues("compress.redis.reactive.enabled=false").run((context) -> {
			ReactiveStringRedisTemplate stringTemplate = context.getBean("reactiveStringRedisTemplate",
					ReactiveStringRedisTemplate.class);
			byte[] stored = write(stringTemplate.getSerializationContext().getValueSerializationPair(), VALUE);
			assertThat(stored).isEqualTo(TestPayloads.utf8(VALUE));
			ReactiveRedisTemplate<Object, Object> template = reactiveRedisTemplate(
					context.getBean("reactiveRedisTemplate"));
			assertThat(
					TestPayloads.isFramed(write(template.getSerializationContext().getValueSerializationPair(), VALUE)))
				.isFalse();
			assertThat(context.getBean("redisTemplate", RedisTemplate.class).getValueSerializer())
				.isInstanceOf(CompressingRedisSerializer.class);
		});
	}

	@Test
	void worksWithoutTheActuator() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.withPropertyValues("management.endpoints.web.exposure.include=compression")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(CompressionEndpoint.class);
				assertTemplatesCompress(context.getBean("stringRedisTemplate", StringRedisTemplate.class));
			});
	}

	@Test
	void worksWithoutMicrometer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer")).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(CompressionMetrics.class);
			assertTemplatesCompress(context.getBean("stringRedisTemplate", StringRedisTemplate.class));
		});
	}

	@Test
	void worksWithoutJedis() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("redis.clients.jedis"))
			.withPropertyValues("spring.data.redis.client-type=lettuce")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(RedisConnectionFactory.class)).isInstanceOf(LettuceConnectionFactory.class);
				assertTemplatesCompress(context.getBean("stringRedisTemplate", StringRedisTemplate.class));
			});
	}

	@Test
	void worksWithoutSpringSession() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.session")).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean("springSessionDefaultRedisSerializer");
			assertTemplatesCompress(context.getBean("stringRedisTemplate", StringRedisTemplate.class));
		});
	}

	@Test
	void worksWithoutReactor() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("reactor.core")).run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(ReactiveRedisTemplate.class)
				.hasSingleBean(CompressingSerializerFactory.class);
			assertTemplatesCompress(context.getBean("stringRedisTemplate", StringRedisTemplate.class));
		});
	}

	@Test
	void sessionSerializerIsPresentWhenSpringSessionIsOnTheClasspath() {
		this.contextRunner.run((context) -> {
			RedisSerializer<?> serializer = context.getBean("springSessionDefaultRedisSerializer",
					RedisSerializer.class);
			assertWrapped(serializer, JdkSerializationRedisSerializer.class);
			assertThat(compressorOf(serializer))
				.isSameAs(context.getBean(CompressionTargets.class).target("session").compressor());
		});
	}

	@Test
	void sessionSerializerIsAbsentWhenSessionCompressionIsDisabled() {
		this.contextRunner.withPropertyValues("compress.redis.session.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ValueCompressor.class)
				.doesNotHaveBean("springSessionDefaultRedisSerializer"));
	}

	@Test
	void userSessionSerializerIsWrapped() {
		this.contextRunner.withUserConfiguration(UserSessionSerializerConfiguration.class).run((context) -> {
			RedisSerializer<?> serializer = context.getBean("springSessionDefaultRedisSerializer",
					RedisSerializer.class);
			assertWrapped(serializer, StringRedisSerializer.class);
		});
	}

	@Test
	void userSessionSerializerIsLeftAloneWhenSessionCompressionIsDisabled() {
		this.contextRunner.withUserConfiguration(UserSessionSerializerConfiguration.class)
			.withPropertyValues("compress.redis.session.enabled=false")
			.run((context) -> assertThat(context.getBean("springSessionDefaultRedisSerializer"))
				.isInstanceOf(StringRedisSerializer.class));
	}

	@Test
	void cacheManagerValuesAreCompressed() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.cache()))
			.withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues("spring.cache.type=redis", "spring.cache.cache-names=a,b")
			.run((context) -> {
				RedisCacheManager cacheManager = context.getBean(RedisCacheManager.class);
				assertThat(cacheManager.getCacheNames()).containsExactlyInAnyOrder("a", "b");
				for (String name : new String[] { "a", "b" }) {
					RedisCacheConfiguration configuration = cacheConfiguration(cacheManager, name);
					byte[] stored = write(configuration.getValueSerializationPair(), VALUE);
					assertThat(TestPayloads.isFramed(stored)).as(name).isTrue();
					assertThat(stored[2]).as(name).isEqualTo(TestPayloads.VERSION_1_ZSTD);
					assertThat(configuration.getValueSerializationPair().read(ByteBuffer.wrap(stored)))
						.isEqualTo(VALUE);
					assertThat(configuration.getKeyPrefixFor(name)).isEqualTo(name + "::");
				}
				// a cache created on first use gets the compressing defaults
				RedisCacheConfiguration created = cacheConfiguration(cacheManager, "created-later");
				assertThat(TestPayloads.isFramed(write(created.getValueSerializationPair(), VALUE))).isTrue();
			});
	}

	@Test
	void cacheManagerKeepsTheUsersCacheConfiguration() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.cache()))
			.withUserConfiguration(CachingConfiguration.class, UserCacheConfiguration.class)
			.withPropertyValues("spring.cache.type=redis", "spring.cache.cache-names=a,b")
			.run((context) -> {
				RedisCacheConfiguration configuration = cacheConfiguration(context.getBean(RedisCacheManager.class),
						"a");
				assertThat(configuration.getTtlFunction().getTimeToLive("key", VALUE)).isEqualTo(Duration.ofMinutes(7));
				assertThat(configuration.getKeyPrefixFor("a")).isEqualTo("app:a::");
				assertThat(configuration.getAllowCacheNullValues()).isFalse();
				byte[] stored = write(configuration.getValueSerializationPair(), VALUE);
				assertThat(TestPayloads.isFramed(stored)).isTrue();
				// the user's value serializer (String) is what is compressed
				assertThat(configuration.getValueSerializationPair().read(ByteBuffer.wrap(stored))).isEqualTo(VALUE);
				assertThat(new CompressingRedisSerializer<>(RedisSerializer.string(),
						context.getBean(ValueCompressor.class))
					.deserialize(stored)).isEqualTo(VALUE);
			});
	}

	@Test
	void perCachePolicyChangesTheAlgorithmOfThatCacheOnly() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.cache()))
			.withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues("spring.cache.type=redis", "spring.cache.cache-names=a,b",
					"compress.redis.cache.policies.b.algorithm=lz4")
			.run((context) -> {
				RedisCacheManager cacheManager = context.getBean(RedisCacheManager.class);
				byte[] a = write(cacheConfiguration(cacheManager, "a").getValueSerializationPair(), VALUE);
				byte[] b = write(cacheConfiguration(cacheManager, "b").getValueSerializationPair(), VALUE);
				assertThat(TestPayloads.isFramed(a)).isTrue();
				assertThat(a[2]).isEqualTo(TestPayloads.VERSION_1_ZSTD);
				assertThat(TestPayloads.isFramed(b)).isTrue();
				assertThat(b[2]).isEqualTo(TestPayloads.VERSION_1_LZ4);
				// either cache reads what the other wrote: the codec is in the header
				assertThat(cacheConfiguration(cacheManager, "a").getValueSerializationPair().read(ByteBuffer.wrap(b)))
					.isEqualTo(VALUE);
				assertThat(context.getBean(CompressionPolicyHolder.class).policy().algorithm())
					.isEqualTo(Algorithm.ZSTD);
			});
	}

	@Test
	void cacheManagerIsLeftAloneWhenCacheCompressionIsDisabled() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.cache()))
			.withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues("spring.cache.type=redis", "spring.cache.cache-names=a",
					"compress.redis.cache.enabled=false")
			.run((context) -> {
				RedisCacheConfiguration configuration = cacheConfiguration(context.getBean(RedisCacheManager.class),
						"a");
				assertThat(TestPayloads.isFramed(write(configuration.getValueSerializationPair(), VALUE))).isFalse();
			});
	}

	private static void assertTemplatesCompress(StringRedisTemplate template) {
		assertWrapped(template.getValueSerializer(), StringRedisSerializer.class);
		assertThat(TestPayloads.isFramed(serialize(template.getValueSerializer(), VALUE))).isTrue();
	}

	private static void assertWrapped(RedisSerializer<?> serializer, Class<?> delegateType) {
		assertThat(serializer).isInstanceOf(CompressingRedisSerializer.class);
		assertThat(((CompressingRedisSerializer<?>) serializer).getDelegate()).isInstanceOf(delegateType);
	}

	private static ValueCompressor compressorOf(RedisSerializer<?> serializer) {
		assertThat(serializer).isInstanceOf(CompressingRedisSerializer.class);
		return ((CompressingRedisSerializer<?>) serializer).getCompressor();
	}

	@SuppressWarnings("unchecked")
	private static byte[] serialize(RedisSerializer<?> serializer, String value) {
		byte[] bytes = ((RedisSerializer<Object>) serializer).serialize(value);
		assertThat(bytes).isNotNull();
		return bytes;
	}

	@SuppressWarnings("unchecked")
	private static byte[] write(SerializationPair<?> pair, String value) {
		ByteBuffer buffer = ((SerializationPair<Object>) pair).write(value);
		byte[] bytes = new byte[buffer.remaining()];
		buffer.get(bytes);
		return bytes;
	}

	@SuppressWarnings("unchecked")
	private static ReactiveRedisTemplate<Object, Object> reactiveRedisTemplate(Object bean) {
		assertThat(bean).isInstanceOf(ReactiveRedisTemplate.class);
		return (ReactiveRedisTemplate<Object, Object>) bean;
	}

	private static RedisCacheConfiguration cacheConfiguration(RedisCacheManager cacheManager, String name) {
		RedisCache cache = (RedisCache) cacheManager.getCache(name);
		assertThat(cache).as(name).isNotNull();
		return cache.getCacheConfiguration();
	}

	@Configuration(proxyBeanMethods = false)
	static class UserTemplateConfiguration {

		@Bean
		RedisTemplate<String, String> myTemplate(RedisConnectionFactory connectionFactory) {
			RedisTemplate<String, String> template = new RedisTemplate<>();
			template.setConnectionFactory(connectionFactory);
			template.setKeySerializer(RedisSerializer.string());
			template.setValueSerializer(RedisSerializer.string());
			template.setHashKeySerializer(RedisSerializer.string());
			template.setHashValueSerializer(RedisSerializer.string());
			return template;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserSessionSerializerConfiguration {

		@Bean
		RedisSerializer<String> springSessionDefaultRedisSerializer() {
			return new StringRedisSerializer();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	static class UserCacheConfiguration {

		@Bean
		RedisCacheConfiguration redisCacheConfiguration() {
			return RedisCacheConfiguration.defaultCacheConfig()
				.entryTtl(Duration.ofMinutes(7))
				.prefixCacheNameWith("app:")
				.disableCachingNullValues()
				.serializeValuesWith(SerializationPair.fromSerializer(RedisSerializer.string()));
		}

	}

}
