package io.github.compressredis.core.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.github.compressredis.core.CompressedValueException;
import io.github.compressredis.core.CompressingRedisSerializer;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.format.DecodeFault;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.policy.PolicySource;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.embedded.RedisClusterProcess;
import io.github.compressredis.embedded.RedisServerProcess;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.serializer.JacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.data.redis.serializer.SerializationException;
import org.springframework.data.redis.serializer.StringRedisSerializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link CompressingRedisSerializer} behind a {@link RedisTemplate}, on real
 * redis-servers (one standalone server and a 3-master cluster), through Lettuce and
 * Jedis. What is stored is checked byte for byte with a plain RESP client.
 */
@TestInstance(Lifecycle.PER_CLASS)
class RedisTemplateIntegrationTests {

	private static final CompressionPolicy ZSTD = CompressionPolicy.defaults();

	private static final CompressionPolicy LZ4 = CompressionPolicy.builder().algorithm(Algorithm.LZ4).build();

	private static final CompressionPolicy GZIP = CompressionPolicy.builder().algorithm(Algorithm.GZIP).build();

	private static final CompressionPolicy DISABLED = CompressionPolicy.builder().algorithm(Algorithm.NONE).build();

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final RedisSerializer<Object> json = new JacksonJsonRedisSerializer<>(this.mapper, Object.class);

	private final CompressionPolicyHolder policies = new CompressionPolicyHolder(ZSTD);

	private final ValueCompressor compressor = new ValueCompressor(this.policies, new CodecRegistry(),
			new CompressionStats());

	private final Map<Setup, Deployment> deployments = new EnumMap<>(Setup.class);

	private RedisServerProcess server;

	private RedisClusterProcess cluster;

	@BeforeAll
	void startRedisAndClients() {
		this.server = RedisServerProcess.start();
		this.cluster = RedisClusterProcess.start(3);
		for (Setup setup : Setup.values()) {
			this.deployments.put(setup, deploy(setup));
		}
	}

	@AfterAll
	void stopClientsAndRedis() throws Exception {
		for (Deployment deployment : this.deployments.values()) {
			deployment.close();
		}
		if (this.cluster != null) {
			this.cluster.close();
		}
		if (this.server != null) {
			this.server.close();
		}
	}

	@BeforeEach
	void flushEveryNodeAndRestoreZstd() {
		for (Deployment deployment : this.deployments.values()) {
			deployment.raw.flushAll();
		}
		this.policies.update(ZSTD, PolicySource.API);
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void largeJsonValueReadsBackEqualAndIsStoredFramedWithZstdInFewerBytes(Setup setup) {
		Deployment redis = this.deployments.get(setup);
		String key = setup.prefix("large") + "order:7";
		Map<String, Object> order = JsonDocuments.order(7, 100);
		byte[] original = this.json.serialize(order);
		assertThat(original.length).isGreaterThan(20_000);

		redis.json.opsForValue().set(key, order);

		assertThat(redis.json.opsForValue().get(key)).isEqualTo(order);
		byte[] stored = redis.raw.get(key);
		assertFramed(stored, Algorithm.ZSTD);
		assertThat(stored.length).isLessThan(original.length / 2);
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void realDocumentsFromTheCorpusReadBackEqualAndAreStoredInFewerBytes(Setup setup) {
		Deployment redis = this.deployments.get(setup);
		List<String> documents = new ArrayList<>();
		documents.addAll(JsonDocuments.corpusValues("mdn-bcd.jsonl", 4_000, 64_000, 3));
		documents.addAll(JsonDocuments.corpusValues("cities-by-country.jsonl", 4_000, 64_000, 3));
		documents.addAll(JsonDocuments.corpusValues("emoji.jsonl", 1_000, 8_000, 2));
		assertThat(documents).hasSize(8);

		for (int i = 0; i < documents.size(); i++) {
			String text = documents.get(i);
			Object document = this.mapper.readValue(text, Object.class);
			String textKey = setup.prefix("corpus") + "text:" + i;
			String jsonKey = setup.prefix("corpus") + "json:" + i;
			redis.strings.opsForValue().set(textKey, text);
			redis.json.opsForValue().set(jsonKey, document);

			assertThat(redis.strings.opsForValue().get(textKey)).isEqualTo(text);
			assertThat(redis.json.opsForValue().get(jsonKey)).isEqualTo(document);
			byte[] storedText = redis.raw.get(textKey);
			assertFramed(storedText, Algorithm.ZSTD);
			assertThat(storedText.length).isLessThan(text.getBytes(StandardCharsets.UTF_8).length);
			byte[] storedJson = redis.raw.get(jsonKey);
			assertFramed(storedJson, Algorithm.ZSTD);
			assertThat(storedJson.length).isLessThan(this.json.serialize(document).length);
		}
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void keysAreStoredAsTheirExactUtf8Bytes(Setup setup) {
		Deployment redis = this.deployments.get(setup);
		String prefix = setup.prefix("keys");
		List<String> keys = List.of(prefix + "user:42", prefix + "{order}:1", prefix + "{order}:2",
				prefix + "café:Ελλάδα:東京:🚀");
		Map<String, Object> order = JsonDocuments.order(42, 20);

		for (String key : keys) {
			redis.json.opsForValue().set(key, order);
		}

		for (String key : keys) {
			byte[] raw = RawRedis.utf8(key);
			assertThat(redis.raw.exists(raw)).as("EXISTS %s", key).isEqualTo(1);
			assertFramed((byte[]) redis.raw.on(raw, "GET", raw), Algorithm.ZSTD);
			assertThat(redis.json.opsForValue().get(key)).isEqualTo(order);
		}
		assertThat(redis.raw.dbSize()).isEqualTo(keys.size());
		assertThat(redis.json.keys(prefix + "*")).containsExactlyInAnyOrderElementsOf(keys);
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void keysWithTheSameHashTagLiveInOneSlotOnOneNode(Setup setup) {
		Deployment redis = this.deployments.get(setup);
		String first = setup.prefix("tags") + "{order}:1";
		String second = setup.prefix("tags") + "{order}:2";
		Map<String, Object> one = JsonDocuments.order(1, 10);
		Map<String, Object> two = JsonDocuments.order(2, 10);

		redis.json.opsForValue().set(first, one);
		redis.json.opsForValue().set(second, two);

		byte[] rawFirst = RawRedis.utf8(first);
		byte[] rawSecond = RawRedis.utf8(second);
		int slot = SlotHash.getSlot(rawFirst);
		assertThat(SlotHash.getSlot(rawSecond)).isEqualTo(slot).isEqualTo(SlotHash.getSlot("order"));
		assertThat(redis.raw.nodeFor(rawSecond)).isSameAs(redis.raw.nodeFor(rawFirst));
		assertThat(redis.raw.on(rawFirst, "EXISTS", rawFirst, rawSecond)).as("both keys on the node of slot %d", slot)
			.isEqualTo(2L);
		if (setup.cluster) {
			assertThat(redis.raw.on(rawFirst, "CLUSTER", "KEYSLOT", rawFirst)).isEqualTo((long) slot);
		}
		assertThat(redis.json.opsForValue().multiGet(List.of(first, second))).containsExactly(one, two);
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void hashValuesAreCompressedWhileFieldNamesStayPlain(Setup setup) {
		Deployment redis = this.deployments.get(setup);
		String key = setup.prefix("hash") + "customer:9";
		Map<String, Object> profile = JsonDocuments.order(9, 40);
		Map<String, Object> lastOrder = JsonDocuments.order(10, 60);
		Map<String, Object> summary = Map.of("orders", 2);
		Map<String, Object> more = new LinkedHashMap<>();
		more.put("lastOrder", lastOrder);
		more.put("résumé", summary);

		redis.json.<String, Object>opsForHash().put(key, "profile", profile);
		redis.json.<String, Object>opsForHash().putAll(key, more);

		assertThat(redis.raw.hkeys(key)).map((field) -> new String(field, StandardCharsets.UTF_8))
			.containsExactlyInAnyOrder("profile", "lastOrder", "résumé");
		byte[] storedProfile = redis.raw.hget(key, "profile");
		assertFramed(storedProfile, Algorithm.ZSTD);
		assertThat(storedProfile.length).isLessThan(this.json.serialize(profile).length);
		assertFramed(redis.raw.hget(key, "lastOrder"), Algorithm.ZSTD);
		assertThat(redis.raw.hget(key, "résumé")).as("a value below min-size stays plain")
			.isEqualTo(this.json.serialize(summary));
		assertThat(redis.json.<String, Object>opsForHash().get(key, "profile")).isEqualTo(profile);
		assertThat(redis.json.<String, Object>opsForHash().entries(key))
			.isEqualTo(Map.of("profile", profile, "lastOrder", lastOrder, "résumé", summary));
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void valuesWrittenBeforeCompressionWasEnabledReadBackFine(Setup setup) {
		Deployment redis = this.deployments.get(setup);
		String prefix = setup.prefix("legacy");
		String text = new String(this.json.serialize(JsonDocuments.order(3, 30)), StandardCharsets.UTF_8);
		Object document = this.mapper.readValue(text, Object.class);
		long plainReads = this.compressor.getStats().plainReads();

		redis.plain.opsForValue().set(prefix + "template", text);
		redis.raw.set(prefix + "raw", ("{\"city\":\"Zürich\",\"population\":421878,\"tags\":[\"lac\",\"Üetliberg\"]}")
			.getBytes(StandardCharsets.UTF_8));
		redis.plain.opsForHash().put(prefix + "hash", "order", text);

		assertThat(redis.json.opsForValue().get(prefix + "template")).isEqualTo(document);
		assertThat(redis.strings.opsForValue().get(prefix + "template")).isEqualTo(text);
		assertThat(redis.json.opsForValue().get(prefix + "raw"))
			.isEqualTo(Map.of("city", "Zürich", "population", 421878, "tags", List.of("lac", "Üetliberg")));
		assertThat(redis.json.<String, Object>opsForHash().get(prefix + "hash", "order")).isEqualTo(document);
		assertThat(this.compressor.getStats().plainReads() - plainReads).isEqualTo(4);
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void valueBelowMinSizeIsStoredAsItsPlainBytes(Setup setup) {
		Deployment redis = this.deployments.get(setup);
		String prefix = setup.prefix("small");
		String text = "{\"id\":42,\"name\":\"Zoë\"}";
		Map<String, Object> document = Map.of("id", 42, "name", "Zoë");
		assertThat(text.length()).isLessThan(ZSTD.minSize());

		redis.strings.opsForValue().set(prefix + "text", text);
		redis.json.opsForValue().set(prefix + "json", document);

		assertThat(redis.raw.get(prefix + "text")).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
		assertThat(redis.raw.get(prefix + "json")).isEqualTo(this.json.serialize(document));
		assertThat(redis.plain.opsForValue().get(prefix + "text")).isEqualTo(text);
		assertThat(redis.strings.opsForValue().get(prefix + "text")).isEqualTo(text);
		assertThat(redis.json.opsForValue().get(prefix + "json")).isEqualTo(document);
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void valuesWrittenUnderSuccessivePoliciesReadBackWhicheverPolicyIsInForce(Setup setup) {
		Deployment redis = this.deployments.get(setup);
		Map<String, Object> expected = new LinkedHashMap<>();
		Map<String, Algorithm> codecs = new LinkedHashMap<>();
		int id = 0;
		for (CompressionPolicy policy : List.of(ZSTD, LZ4, GZIP)) {
			this.policies.update(policy, PolicySource.API);
			for (int i = 0; i < 3; i++) {
				String key = setup.prefix("mixed") + policy.algorithm().tag() + ":" + i;
				Map<String, Object> order = JsonDocuments.order(++id, 10 + 15 * i);
				redis.json.opsForValue().set(key, order);
				expected.put(key, order);
				codecs.put(key, policy.algorithm());
			}
		}

		for (CompressionPolicy inForce : List.of(ZSTD, LZ4, GZIP, DISABLED)) {
			this.policies.update(inForce, PolicySource.API);
			for (Map.Entry<String, Object> entry : expected.entrySet()) {
				assertThat(redis.json.opsForValue().get(entry.getKey()))
					.as("%s read with %s in force", entry.getKey(), inForce.algorithm().tag())
					.isEqualTo(entry.getValue());
			}
			assertThat(redis.json.opsForValue().multiGet(List.copyOf(expected.keySet())))
				.containsExactlyElementsOf(expected.values());
		}
		Set<Integer> codecIds = new TreeSet<>();
		for (Map.Entry<String, Algorithm> entry : codecs.entrySet()) {
			byte[] stored = redis.raw.get(entry.getKey());
			assertFramed(stored, entry.getValue());
			codecIds.add(stored[2] & 0x0F);
		}
		assertThat(codecIds).containsExactly(1, 2, 3);
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void corruptStoredValueFailsTheReadWithCompressedValueExceptionAndIsCounted(Setup setup) {
		Deployment redis = this.deployments.get(setup);
		String key = setup.prefix("corrupt") + "order:5";
		redis.json.opsForValue().set(key, JsonDocuments.order(5, 50));
		byte[] stored = redis.raw.get(key);
		assertFramed(stored, Algorithm.ZSTD);
		int payloadOffset = WireFormat.parse(stored).payloadOffset();
		byte[] corrupt = stored.clone();
		corrupt[payloadOffset + (corrupt.length - payloadOffset) / 2] ^= (byte) 0xFF;
		redis.raw.set(key, corrupt);
		long failures = this.compressor.getStats().readFailures();

		assertThatThrownBy(() -> redis.json.opsForValue().get(key)).isInstanceOf(SerializationException.class)
			.satisfies((ex) -> assertThat(causeChain(ex)).filteredOn(CompressedValueException.class::isInstance)
				.singleElement()
				.extracting((cause) -> ((CompressedValueException) cause).getFault())
				.isIn(DecodeFault.CORRUPT, DecodeFault.CHECKSUM_MISMATCH, DecodeFault.LENGTH_MISMATCH));
		assertThat(this.compressor.getStats().readFailures() - failures).isEqualTo(1);
		assertThat(redis.raw.get(key)).as("a failed read leaves the stored value alone").isEqualTo(corrupt);
	}

	private Deployment deploy(Setup setup) {
		RedisConnectionFactory factory = setup.connectionFactory(this.server, this.cluster);
		RawRedis raw = setup.cluster ? RawRedis.cluster(this.cluster) : RawRedis.standalone(this.server);
		RedisTemplate<String, Object> json = template(factory,
				new CompressingRedisSerializer<>(this.json, this.compressor));
		RedisTemplate<String, String> strings = template(factory,
				new CompressingRedisSerializer<>(StringRedisSerializer.UTF_8, this.compressor));
		StringRedisTemplate plain = new StringRedisTemplate(factory);
		return new Deployment(factory, json, strings, plain, raw);
	}

	private static <V> RedisTemplate<String, V> template(RedisConnectionFactory factory,
			RedisSerializer<V> valueSerializer) {
		RedisTemplate<String, V> template = new RedisTemplate<>();
		template.setConnectionFactory(factory);
		template.setKeySerializer(StringRedisSerializer.UTF_8);
		template.setHashKeySerializer(StringRedisSerializer.UTF_8);
		template.setValueSerializer(valueSerializer);
		template.setHashValueSerializer(valueSerializer);
		template.afterPropertiesSet();
		return template;
	}

	private static void assertFramed(byte[] stored, Algorithm algorithm) {
		assertThat(stored).as("stored value").isNotNull().hasSizeGreaterThan(4);
		assertThat(Arrays.copyOf(stored, 3)).as("magic and version/codec byte of a %s value", algorithm.tag())
			.containsExactly(0xC1, 0x8D, (1 << 4) | algorithm.id());
	}

	private static List<Throwable> causeChain(Throwable ex) {
		List<Throwable> chain = new ArrayList<>();
		for (Throwable current = ex; current != null && !chain.contains(current); current = current.getCause()) {
			chain.add(current);
		}
		return chain;
	}

	enum Setup {

		LETTUCE_STANDALONE("lettuce-standalone", true, false),

		LETTUCE_CLUSTER("lettuce-cluster", true, true),

		JEDIS_STANDALONE("jedis-standalone", false, false),

		JEDIS_CLUSTER("jedis-cluster", false, true);

		private final String tag;

		private final boolean lettuce;

		private final boolean cluster;

		Setup(String tag, boolean lettuce, boolean cluster) {
			this.tag = tag;
			this.lettuce = lettuce;
			this.cluster = cluster;
		}

		String prefix(String test) {
			return test + ":" + this.tag + ":";
		}

		RedisConnectionFactory connectionFactory(RedisServerProcess server, RedisClusterProcess cluster) {
			RedisClusterConfiguration clusterConfiguration = new RedisClusterConfiguration(cluster.nodes());
			RedisStandaloneConfiguration standaloneConfiguration = new RedisStandaloneConfiguration(server.host(),
					server.port());
			if (this.lettuce) {
				LettuceConnectionFactory factory = this.cluster ? new LettuceConnectionFactory(clusterConfiguration)
						: new LettuceConnectionFactory(standaloneConfiguration);
				factory.afterPropertiesSet();
				factory.start();
				return factory;
			}
			JedisConnectionFactory factory = this.cluster ? new JedisConnectionFactory(clusterConfiguration)
					: new JedisConnectionFactory(standaloneConfiguration);
			factory.afterPropertiesSet();
			factory.start();
			return factory;
		}

		@Override
		public String toString() {
			return this.tag;
		}

	}

	private record Deployment(RedisConnectionFactory factory, RedisTemplate<String, Object> json,
			RedisTemplate<String, String> strings, StringRedisTemplate plain, RawRedis raw) implements AutoCloseable {

		@Override
		public void close() throws Exception {
			this.raw.close();
			if (this.factory instanceof DisposableBean disposable) {
				disposable.destroy();
			}
		}

	}

}
