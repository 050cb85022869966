package io.github.compressredis.core.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.compressredis.core.CompressedValueException;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.dictionary.Dictionary;
import io.github.compressredis.core.dictionary.DictionaryRegistry;
import io.github.compressredis.core.dictionary.DictionarySettings;
import io.github.compressredis.core.dictionary.DictionaryTarget;
import io.github.compressredis.core.dictionary.RedisDictionaryStore;
import io.github.compressredis.core.format.DecodeFault;
import io.github.compressredis.core.internal.dictionary.DictionaryTrainer;
import io.github.compressredis.core.internal.format.Header;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.embedded.RedisServerProcess;
import io.github.compressredis.testsupport.corpus.Corpus;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Dictionaries kept in a real redis-server and shared by two application instances (each
 * its own connection, store, registry and compressor), across restarts and rotations.
 */
@TestInstance(Lifecycle.PER_CLASS)
class DictionarySharingIntegrationTests {

	private static final String TARGET = "cache:emoji";

	private static final DictionarySettings SETTINGS = new DictionarySettings(1, 400, 16 * 1024, 16 * 1024, 0, 32, 0.05,
			0.1, Duration.ofHours(1), Duration.ofHours(1));

	private RedisServerProcess server;

	private final List<Instance> instances = new ArrayList<>();

	@BeforeAll
	void startServer() {
		this.server = RedisServerProcess.start();
	}

	@AfterAll
	void stopServer() {
		this.instances.forEach(Instance::close);
		this.server.close();
	}

	@Test
	void instancesShareDictionariesThroughRedisAcrossRestartsAndRotations() throws Exception {
		String prefix = "test:share:";
		List<byte[]> values = Corpus.values(Corpus.EMOJI);
		Instance a = instance(prefix);
		Instance b = instance(prefix);
		byte[] legacy = a.write("legacy", values.get(0));
		assertThat(WireFormat.isFramed(legacy) && WireFormat.parse(legacy).dictionaryId() != 0).isFalse();

		// instance A samples its writes and trains in the background once the reservoir
		// is full
		for (int i = 0; i < 400; i++) {
			a.write("warm:" + i, values.get(i));
		}
		awaitDictionary(a.target);
		int first = a.target.codec().id();
		byte[] written = a.write("a:1", values.get(500));
		assertThat(WireFormat.parse(written).dictionaryId()).isEqualTo(first);
		assertThat(a.raw("a:1")).isEqualTo(written);

		// instance B reads A's value (the dictionary is fetched by id); meeting a new
		// dictionary makes it
		// read the current ids at once (long before its poll interval), so it adopts A's
		// dictionary for its writes
		assertThat(b.target.codec()).isNull();
		assertThat(b.read("a:1")).isEqualTo(values.get(500));
		awaitDictionary(b.target);
		assertThat(b.target.codec().id()).isEqualTo(first);
		assertThat(b.registry.adoptions()).isEqualTo(1);
		byte[] fromB = b.write("b:1", values.get(501));
		assertThat(WireFormat.parse(fromB).dictionaryId()).isEqualTo(first);
		assertThat(a.read("b:1")).isEqualTo(values.get(501));

		// the dictionary is stored raw, once, under its id; the target's current id
		// beside it
		RedisDictionaryStore store = new RedisDictionaryStore(a.connectionFactory, prefix);
		assertThat(this.server.commandString("GET", prefix + "current:" + TARGET)).isEqualTo(Integer.toString(first));
		assertThat(this.server.commandString("TTL", store.dictionaryKey(first))).isEqualTo("-1");
		Dictionary dictionary = store.find(first, Integer.MAX_VALUE);
		assertThat(dictionary.target()).isEqualTo(TARGET);
		assertThat(dictionary.samples()).isEqualTo(400);
		assertThat(store.save(new Dictionary(first, TARGET, new byte[] { 1, 2, 3 }, Instant.now(), 0, 1, 1))).isFalse();

		// rotate: a second dictionary becomes current for the target
		List<byte[]> more = Corpus.sample(Corpus.EMOJI, 600);
		byte[] trained = DictionaryTrainer.train(more, 8 * 1024);
		int second = store.allocateId();
		assertThat(store.save(new Dictionary(second, TARGET, trained, Instant.now(), more.size(), 0.3, 0.5))).isTrue();
		store.setCurrent(TARGET, second);
		b.registry.refresh();
		assertThat(b.target.codec().id()).isEqualTo(second);
		byte[] rotated = b.write("b:2", values.get(502));
		assertThat(WireFormat.parse(rotated).dictionaryId()).isEqualTo(second);

		// restart: new instances read everything written before, with either dictionary
		// or none
		a.close();
		b.close();
		Instance c = instance(prefix);
		assertThat(c.read("legacy")).isEqualTo(values.get(0));
		assertThat(c.read("a:1")).isEqualTo(values.get(500));
		assertThat(c.read("b:1")).isEqualTo(values.get(501));
		assertThat(c.read("b:2")).isEqualTo(values.get(502));
		c.registry.refresh();
		assertThat(c.target.codec().id()).isEqualTo(second);

		// a forged id fails cleanly, naming the id and the key it was looked up at
		byte[] forged = forge(c.raw("a:1"), 120);
		assertThatExceptionOfType(CompressedValueException.class).isThrownBy(() -> c.compressor.decompress(forged))
			.satisfies((ex) -> assertThat(ex.getFault()).isEqualTo(DecodeFault.MISSING_DICTIONARY))
			.withMessageContaining("dictionary 120")
			.withMessageContaining(prefix + "120");
	}

	@Test
	void aValueWrittenBeforeDictionariesExistedReadsThroughADictionaryEnabledInstance() {
		Instance a = instance("test:legacy:");
		byte[] value = "{\"plain\":true}".getBytes(StandardCharsets.UTF_8);
		a.template.opsForValue().set("legacy:plain".getBytes(StandardCharsets.UTF_8), value);
		assertThat(a.read("legacy:plain")).isEqualTo(value);
	}

	private static byte[] forge(byte[] stored, int id) {
		Header header = WireFormat.parse(stored);
		int at = 4 + ((header.originalLength() < 128) ? 1 : (header.originalLength() < 16384) ? 2 : 3);
		byte[] forged = stored.clone();
		forged[at] = (byte) id;
		return forged;
	}

	private static void awaitDictionary(DictionaryTarget target) {
		Awaitility.await("dictionary trained in the background")
			.atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> target.codec() != null);
	}

	private Instance instance(String prefix) {
		Instance instance = new Instance(this.server.port(), prefix);
		this.instances.add(instance);
		return instance;
	}

	/**
	 * One application instance: its own connection factory, dictionary store and
	 * registry, codecs and compressor.
	 */
	static final class Instance implements AutoCloseable {

		final LettuceConnectionFactory connectionFactory;

		final DictionaryRegistry registry;

		final DictionaryTarget target;

		final CodecRegistry codecs = new CodecRegistry();

		final ValueCompressor compressor;

		final RedisTemplate<byte[], byte[]> template = new RedisTemplate<>();

		private boolean closed;

		Instance(int port, String prefix) {
			this.connectionFactory = new LettuceConnectionFactory(
					new RedisStandaloneConfiguration(RedisServerProcess.HOST, port));
			this.connectionFactory.afterPropertiesSet();
			this.connectionFactory.start();
			this.registry = new DictionaryRegistry(new RedisDictionaryStore(this.connectionFactory, prefix), SETTINGS);
			this.target = this.registry.target(TARGET);
			this.compressor = new ValueCompressor(new CompressionPolicyHolder(CompressionPolicy.defaults()),
					this.codecs, new CompressionStats(), null, this.registry, this.target);
			this.template.setConnectionFactory(this.connectionFactory);
			this.template.setKeySerializer(RedisSerializer.byteArray());
			this.template.setValueSerializer(RedisSerializer.byteArray());
			this.template.afterPropertiesSet();
		}

		byte[] write(String key, byte[] value) {
			byte[] stored = this.compressor.compress(value);
			this.template.opsForValue().set(key.getBytes(StandardCharsets.UTF_8), stored);
			return stored;
		}

		byte[] raw(String key) {
			return this.template.opsForValue().get(key.getBytes(StandardCharsets.UTF_8));
		}

		byte[] read(String key) {
			return this.compressor.decompress(raw(key));
		}

		@Override
		public void close() {
			if (!this.closed) {
				this.closed = true;
				this.registry.close();
				this.codecs.close();
				this.connectionFactory.destroy();
			}
		}

	}

}
