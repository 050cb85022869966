package io.github.compressredis.core.dictionary;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.compressredis.core.CompressedValueException;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.format.DecodeFault;
import io.github.compressredis.core.internal.format.Header;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.core.internal.format.WireFormatException;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.embedded.RedisServerProcess;
import io.github.compressredis.testsupport.corpus.Corpus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * What a reader does with dictionary records and ids it cannot trust, against a real
 * redis-server: records too large are refused before they are transferred, unknown ids
 * cost a bounded number of lookups, and a reset sequence never hands an old id to a new
 * dictionary. Time is a manual clock.
 */
@TestInstance(Lifecycle.PER_CLASS)
class RedisDictionaryStoreLimitsIntegrationTests {

	/**
	 * 1 KB dictionaries: a reader accepts records up to 4 x 1 KB + the line, 5,120 bytes.
	 */
	private static final DictionarySettings SETTINGS = new DictionarySettings(1, 400, 16 * 1024, 1024, 0, 32, 0.05, 0.1,
			Duration.ofHours(1), Duration.ofHours(1));

	private static final String TARGET = "cache:emoji";

	private final AtomicLong clock = new AtomicLong(1_000_000_000L);

	private RedisServerProcess server;

	private LettuceConnectionFactory connectionFactory;

	private RedisDictionaryStore store;

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private int test;

	@BeforeAll
	void startServer() {
		this.server = RedisServerProcess.start();
		this.connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(RedisServerProcess.HOST, this.server.port()));
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
	}

	@AfterAll
	void stopServer() {
		this.connectionFactory.destroy();
		this.server.close();
	}

	@BeforeEach
	void freshPrefix() {
		this.store = new RedisDictionaryStore(this.connectionFactory, "test:limits:" + (++this.test) + ":");
		this.server.command("CONFIG", "RESETSTAT");
	}

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
		this.closeables.clear();
	}

	@Test
	void aRecordLargerThanTheLimitIsRefusedHavingTransferredNoMoreThanTheLimit() {
		int limit = Dictionary.maxRecordLength(SETTINGS.dictionarySize());
		assertThat(limit).isEqualTo(5120);
		// a well-formed record of 2 MB: the reader must not fetch it to find out
		byte[] huge = dictionary(7, Corpus.ofSize(Corpus.EMOJI, 2 * 1024 * 1024)).encode();
		this.server.command("SET", this.store.dictionaryKey(7), huge);
		DictionaryRegistry registry = registry();
		long sentBefore = netOutputBytes();
		assertThatExceptionOfType(WireFormatException.class).isThrownBy(() -> registry.codec(7))
			.satisfies((ex) -> assertThat(ex.getFault()).isEqualTo(DecodeFault.MISSING_DICTIONARY))
			.withMessageContaining(this.store.dictionaryKey(7))
			.withMessageContaining("refused without reading it")
			.withMessageContaining("compress.redis.dictionary.size");
		// the second read is answered from memory, not by another transfer, and says why
		assertThatExceptionOfType(WireFormatException.class).isThrownBy(() -> registry.codec(7))
			.withMessageContaining("refused less than 10 s ago")
			.withMessageContaining("refused without reading it");
		long sent = netOutputBytes() - sentBefore;
		// the server sent the limit plus the INFO replies, not the 2 MB record
		assertThat(sent).isLessThan(limit + 8 * 1024);
		assertThat(commandCalls("getrange")).isEqualTo(1);
		assertThat(commandCalls("get")).isZero();
		assertThat(registry.loadedCount()).isZero();
	}

	@Test
	void aRecordWithinTheLimitReads() {
		Dictionary dictionary = dictionary(3, Corpus.ofSize(Corpus.EMOJI, 1024));
		assertThat(this.store.save(dictionary)).isTrue();
		assertThat(this.store.find(3, dictionary.encode().length).bytes()).isEqualTo(dictionary.bytes());
		assertThatExceptionOfType(DictionaryRecordTooLargeException.class)
			.isThrownBy(() -> this.store.find(3, dictionary.encode().length - 1));
		assertThat(registry().codec(3).size()).isEqualTo(1024);
	}

	@Test
	void garbageDictionaryIdsInValuesCostABoundedNumberOfLookups() {
		DictionaryRegistry writing = registry();
		byte[] genuine = writeWithDictionary(writing, 1, Corpus.values(Corpus.EMOJI).get(3));
		// a registry with a target polls the store in the background; closing it waits
		// for that poll,
		// so that only the reader's lookups are counted
		writing.close();
		DictionaryRegistry registry = registry();
		ValueCompressor reader = reader(registry);
		// the reader loads the genuine dictionary before counting starts
		assertThat(reader.decompress(genuine)).isEqualTo(Corpus.values(Corpus.EMOJI).get(3));
		// and a second later the lookup that took has been given back to the burst
		this.clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
		this.server.command("CONFIG", "RESETSTAT");
		// 20,000 reads of values naming 20,000 different ids nobody stored, with no time
		// passing
		int failures = 0;
		for (int id = 1000; id < 21_000; id++) {
			try {
				reader.decompress(withDictionaryId(genuine, id));
			}
			catch (CompressedValueException ex) {
				assertThat(ex.getFault()).isEqualTo(DecodeFault.MISSING_DICTIONARY);
				failures++;
			}
		}
		assertThat(failures).isEqualTo(20_000);
		long lookups = commandCalls("getrange") + commandCalls("get");
		assertThat(lookups).isEqualTo(DictionaryRegistry.LOOKUP_BURST);
		assertThat(registry.limitedLookups()).isEqualTo(20_000 - DictionaryRegistry.LOOKUP_BURST);
		// one second later: at most one second's worth more
		this.clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
		for (int id = 30_000; id < 31_000; id++) {
			byte[] forged = withDictionaryId(genuine, id);
			assertThatExceptionOfType(CompressedValueException.class).isThrownBy(() -> reader.decompress(forged));
		}
		assertThat(commandCalls("getrange") + commandCalls("get"))
			.isEqualTo(DictionaryRegistry.LOOKUP_BURST + DictionaryRegistry.LOOKUPS_PER_SECOND);
		// the genuine value still reads, its dictionary being in memory
		assertThat(reader.decompress(genuine)).isEqualTo(Corpus.values(Corpus.EMOJI).get(3));
	}

	@Test
	void aMissingIdIsRememberedForTenSecondsThenLookedUpAgain() {
		DictionaryRegistry registry = registry();
		for (int i = 0; i < 100; i++) {
			assertThatExceptionOfType(WireFormatException.class).isThrownBy(() -> registry.codec(9));
		}
		assertThat(commandCalls("getrange")).isEqualTo(1);
		// published meanwhile (the id was missing only for now): readers see it once the
		// entry expires
		assertThat(this.store.save(dictionary(9, Corpus.ofSize(Corpus.EMOJI, 1000)))).isTrue();
		this.clock.addAndGet(DictionaryRegistry.MISSING_TTL_NANOS - 1);
		assertThatExceptionOfType(WireFormatException.class).isThrownBy(() -> registry.codec(9));
		assertThat(commandCalls("getrange")).isEqualTo(1);
		this.clock.addAndGet(1);
		assertThat(registry.codec(9).size()).isEqualTo(1000);
		assertThat(commandCalls("getrange")).isEqualTo(2);
		assertThat(registry.missingCount()).isZero();
	}

	@Test
	void theMissingCacheIsBoundedAndForgetsItsOldestEntriesNotAllOfThem() {
		DictionaryRegistry registry = registry();
		int ids = DictionaryRegistry.MAX_MISSING + 500;
		for (int id = 1; id <= ids; id++) {
			// lookups not held to the rate limit (as when the store names them current),
			// all within the TTL
			assertThat(registry.load(id, false)).isNull();
		}
		assertThat(registry.missingCount()).isEqualTo(DictionaryRegistry.MAX_MISSING);
		assertThat(commandCalls("getrange")).isEqualTo(ids);
		// the newest are still answered from memory, the oldest are looked up again
		assertThat(registry.load(ids, false)).isNull();
		assertThat(registry.load(ids - DictionaryRegistry.MAX_MISSING + 1, false)).isNull();
		assertThat(commandCalls("getrange")).isEqualTo(ids);
		assertThat(registry.load(1, false)).isNull();
		assertThat(commandCalls("getrange")).isEqualTo(ids + 1);
		// expired entries go first
		this.clock.addAndGet(DictionaryRegistry.MISSING_TTL_NANOS);
		assertThat(registry.load(ids + 1, false)).isNull();
		assertThat(registry.missingCount()).isEqualTo(1);
	}

	@Test
	void anIdOutsideWhatAHeaderCanCarryIsRefusedWithoutALookup() {
		DictionaryRegistry registry = registry();
		assertThatExceptionOfType(WireFormatException.class).isThrownBy(() -> registry.codec(0))
			.withMessageContaining("outside the ids a header can carry");
		assertThatExceptionOfType(WireFormatException.class).isThrownBy(() -> registry.codec(-1))
			.withMessageContaining("outside the ids a header can carry");
		assertThat(commandCalls("getrange")).isZero();
		this.server.command("SET", this.store.sequenceKey(), Integer.toString(Dictionary.MAX_ID));
		assertThatIllegalStateException().isThrownBy(this.store::allocateId).withMessageContaining("outside 1 to");
	}

	@Test
	void aDeletedSequenceNeverGivesAnIdInUseToANewDictionary() {
		List<byte[]> values = Corpus.values(Corpus.EMOJI);
		DictionaryRegistry writer = registry();
		DictionaryTarget target = writer.target(TARGET);
		CompressionPolicy noChecksum = CompressionPolicy.builder().checksum(false).build();
		ValueCompressor compressor = new ValueCompressor(new CompressionPolicyHolder(noChecksum), codecs(),
				new CompressionStats(), null, writer, target);
		int first = this.store.allocateId();
		assertThat(this.store.save(dictionary(first, Corpus.ofSize(Corpus.EMOJI, 1024)))).isTrue();
		this.store.setCurrent(TARGET, first);
		writer.refresh();
		assertThat(target.codec().id()).isEqualTo(first);
		List<byte[]> old = new ArrayList<>();
		for (int i = 1000; i < 1200; i++) {
			old.add(compressor.compress(values.get(i)));
			assertThat(WireFormat.parse(old.get(old.size() - 1)).dictionaryId()).isEqualTo(first);
		}
		// an operator deletes the sequence (not the dictionaries): the next dictionary
		// must not take id 1
		this.server.command("DEL", this.store.sequenceKey());
		DictionaryTarget other = writer.target("cache:other");
		int second = train(other, values.subList(400, 700));
		assertThat(second).isGreaterThan(first);
		// a fresh reader decodes every old value with the dictionary it was written with
		ValueCompressor reader = reader(registry());
		for (int i = 0; i < old.size(); i++) {
			assertThat(reader.decompress(old.get(i))).isEqualTo(values.get(1000 + i));
		}
		// and the sequence was moved past the ids present
		assertThat(Long.parseLong(this.server.commandString("GET", this.store.sequenceKey()))).isEqualTo(second);
	}

	@Test
	void afterAWipedStoreReusesAnIdTheChecksumKeepsEveryOldValueFromReadingAsWrongBytes() {
		List<byte[]> values = Corpus.values(Corpus.EMOJI);
		DictionaryRegistry writer = registry();
		DictionaryTarget target = writer.target(TARGET);
		ValueCompressor compressor = new ValueCompressor(new CompressionPolicyHolder(CompressionPolicy.defaults()),
				codecs(), new CompressionStats(), null, writer, target);
		int first = train(target, values.subList(0, 300));
		List<byte[]> old = new ArrayList<>();
		for (int i = 1000; i < 1200; i++) {
			old.add(compressor.compress(values.get(i)));
		}
		// an operator deletes every key under the prefix: the store cannot know the ids
		// used before
		for (String key : new String[] { this.store.dictionaryKey(first), this.store.sequenceKey(),
				this.store.currentKey(TARGET) }) {
			this.server.command("DEL", key);
		}
		DictionaryRegistry other = registry();
		int reused = train(other.target("cache:other"), values.subList(300, 600));
		assertThat(reused).isEqualTo(first);
		// a fresh reader meets the new dictionary under the old id: each old value reads
		// exactly or fails
		ValueCompressor reader = reader(registry());
		int exact = 0;
		for (int i = 0; i < old.size(); i++) {
			try {
				assertThat(reader.decompress(old.get(i))).isEqualTo(values.get(1000 + i));
				exact++;
			}
			catch (CompressedValueException ex) {
				assertThat(ex.getFault()).isIn(DecodeFault.CHECKSUM_MISMATCH, DecodeFault.CORRUPT,
						DecodeFault.LENGTH_MISMATCH, DecodeFault.TRUNCATED);
			}
		}
		assertThat(exact).isLessThan(old.size());
	}

	/**
	 * Train on the calling thread: fewer samples than the reservoir holds start no
	 * background check.
	 */
	private int train(DictionaryTarget target, List<byte[]> samples) {
		assertThat(samples).hasSizeLessThan(SETTINGS.samples());
		for (byte[] sample : samples) {
			target.offer(sample, 3);
		}
		int before = (target.codec() != null) ? target.codec().id() : 0;
		assertThat(target.check()).isEqualTo(TrainingOutcome.PUBLISHED);
		int id = target.codec().id();
		assertThat(id).isNotEqualTo(before);
		return id;
	}

	private byte[] writeWithDictionary(DictionaryRegistry registry, int id, byte[] value) {
		this.store.save(dictionary(id, Corpus.ofSize(Corpus.EMOJI, 1024)));
		this.store.setCurrent(TARGET, id);
		DictionaryTarget target = registry.target(TARGET);
		registry.refresh();
		assertThat(target.codec().id()).isEqualTo(id);
		ValueCompressor writer = new ValueCompressor(new CompressionPolicyHolder(CompressionPolicy.defaults()),
				codecs(), new CompressionStats(), null, registry, target);
		byte[] stored = writer.compress(value);
		assertThat(WireFormat.parse(stored).dictionaryId()).isEqualTo(id);
		return stored;
	}

	/** The same value with another dictionary id in its header. */
	private static byte[] withDictionaryId(byte[] stored, int id) {
		Header header = WireFormat.parse(stored);
		byte[] payload = Arrays.copyOfRange(stored, header.payloadOffset(), stored.length);
		byte[] forged = new byte[WireFormat.headerLength(header.originalLength(), id, header.checksumPresent())
				+ payload.length];
		int at = WireFormat.writeHeader(forged, header.codecId(), header.originalLength(), id, header.checksumPresent(),
				header.checksum());
		System.arraycopy(payload, 0, forged, at, payload.length);
		return forged;
	}

	private static Dictionary dictionary(int id, byte[] bytes) {
		return new Dictionary(id, TARGET, bytes, Instant.parse("2026-01-02T03:04:05Z"), 400, 0.3, 0.5);
	}

	private DictionaryRegistry registry() {
		DictionaryRegistry registry = new DictionaryRegistry(this.store, SETTINGS, this.clock::get);
		this.closeables.add(registry);
		return registry;
	}

	private CodecRegistry codecs() {
		CodecRegistry codecs = new CodecRegistry();
		this.closeables.add(codecs);
		return codecs;
	}

	private ValueCompressor reader(DictionaryRegistry registry) {
		return new ValueCompressor(new CompressionPolicyHolder(CompressionPolicy.defaults()), codecs(),
				new CompressionStats(), null, registry, null);
	}

	private long netOutputBytes() {
		return infoField("stats", "total_net_output_bytes");
	}

	private long commandCalls(String command) {
		String line = infoLine("commandstats", "cmdstat_" + command + ":");
		if (line == null) {
			return 0;
		}
		String calls = line.substring(line.indexOf("calls=") + "calls=".length());
		return Long.parseLong(calls.substring(0, calls.indexOf(',')));
	}

	private long infoField(String section, String field) {
		String line = infoLine(section, field + ":");
		return Long.parseLong(line.substring(field.length() + 1).trim());
	}

	private String infoLine(String section, String start) {
		for (String line : this.server.commandString("INFO", section).split("\r\n")) {
			if (line.startsWith(start)) {
				return line;
			}
		}
		return null;
	}

}
