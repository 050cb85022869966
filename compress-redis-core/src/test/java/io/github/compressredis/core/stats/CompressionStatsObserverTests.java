package io.github.compressredis.core.stats;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.github.compressredis.core.CompressedValueException;
import io.github.compressredis.core.TestJson;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.format.DecodeFault;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.core.internal.stats.CompressionObserver;
import io.github.compressredis.core.json.JsonCompressingRedisSerializer;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for the one observer of a statistics tree: each codec call reaches it once, with
 * the name of the part it was counted in and the handle its start returned, while the
 * counters add up in the parent; values not compressed are never timed; a second observer
 * is refused.
 */
class CompressionStatsObserverTests {

	private static final byte[] LARGE = "{\"id\":1,\"name\":\"compressible\"}".repeat(200)
		.getBytes(StandardCharsets.UTF_8);

	private static final byte[] SMALL = "{\"id\":1}".getBytes(StandardCharsets.UTF_8);

	private final CompressionPolicyHolder policies = new CompressionPolicyHolder(CompressionPolicy.defaults());

	private final CompressionStats root = new CompressionStats();

	private final CompressionStats part = new CompressionStats(this.root, "cache:products");

	private final RecordingObserver observer = new RecordingObserver();

	@Test
	void eachCallReachesTheObserverOnceWithItsPartsNameAndHandle() {
		this.root.setObserver(this.observer);
		ValueCompressor compressor = new ValueCompressor(this.policies, new CodecRegistry(), this.part);
		byte[] stored = compressor.compress(LARGE);
		compressor.compress(SMALL);
		compressor.decompress(stored);
		compressor.decompress(SMALL);
		assertThat(this.observer.events).containsExactly("compressing cache:products zstd " + LARGE.length,
				"written cache:products handle-1 compressed", "decompressing cache:products " + stored.length,
				"decompressed cache:products handle-2 zstd");
		assertThat(this.root.writes()).isEqualTo(2);
		assertThat(this.part.writes()).isEqualTo(2);
		assertThat(this.root.compressedReads()).isOne();
		assertThat(this.root.compressAttempts()).isOne();
	}

	@Test
	void aReadFailureEndsItsObservationWithTheFault() {
		this.root.setObserver(this.observer);
		ValueCompressor compressor = new ValueCompressor(this.policies, new CodecRegistry(), this.part);
		byte[] stored = compressor.compress(LARGE);
		stored[WireFormat.headerLength(LARGE.length, 0, true) - 1] ^= 0x5A;
		assertThatExceptionOfType(CompressedValueException.class).isThrownBy(() -> compressor.decompress(stored));
		assertThat(this.observer.events).last().isEqualTo("failed cache:products handle-2 zstd checksum-mismatch");
		assertThat(this.root.readFailures(DecodeFault.CHECKSUM_MISMATCH)).isOne();
	}

	@Test
	void aStreamedValueReachesTheObserverAsAnArrayDoes() {
		this.root.setObserver(this.observer);
		ValueCompressor compressor = new ValueCompressor(this.policies, new CodecRegistry(), this.part);
		JsonMapper mapper = JsonMapper.builder().build();
		JsonCompressingRedisSerializer<Object> json = JsonCompressingRedisSerializer.json(mapper, compressor);
		List<String> value = TestJson.records(1024 * 1024);
		int length = mapper.writeValueAsBytes(value).length;
		byte[] stored = json.serialize(value);
		assertThat(json.deserialize(stored)).isEqualTo(value);
		assertThat(this.observer.events).containsExactly("compressing cache:products zstd " + length,
				"written cache:products handle-1 compressed", "decompressing cache:products " + stored.length,
				"decompressed cache:products handle-2 zstd");
		assertThat(this.part.writes(WriteOutcome.COMPRESSED)).isOne();
		assertThat(this.part.compressedWrites(Algorithm.ZSTD)).isOne();
		assertThat(this.part.compressedReads(Algorithm.ZSTD)).isOne();
		assertThat(this.root.compressAttempts()).isOne();
		assertThat(this.root.writtenOriginalBytes()).isEqualTo(length);
		assertThat(this.root.writtenStoredBytes()).isEqualTo(stored.length);
	}

	@Test
	void aDamagedStreamedValueEndsItsObservationWithTheFault() {
		this.root.setObserver(this.observer);
		ValueCompressor compressor = new ValueCompressor(this.policies, new CodecRegistry(), this.part);
		JsonCompressingRedisSerializer<Object> json = JsonCompressingRedisSerializer.json(JsonMapper.builder().build(),
				compressor);
		byte[] stored = json.serialize(TestJson.records(1024 * 1024));
		// the checksum's last byte: the payload decodes, into the parser, and then fails
		// the check
		stored[WireFormat.parse(stored).payloadOffset() - 1] ^= 0x5A;
		assertThatExceptionOfType(CompressedValueException.class).isThrownBy(() -> json.deserialize(stored))
			.satisfies((ex) -> assertThat(ex.getFault()).isEqualTo(DecodeFault.CHECKSUM_MISMATCH));
		assertThat(this.observer.events).last().isEqualTo("failed cache:products handle-2 zstd checksum-mismatch");
		assertThat(this.part.readFailures(DecodeFault.CHECKSUM_MISMATCH)).isOne();
	}

	@Test
	void aSecondObserverIsRefusedAndOnlyTheRootHasOne() {
		this.root.setObserver(this.observer);
		assertThatIllegalStateException().isThrownBy(() -> this.root.setObserver(new RecordingObserver()))
			.withMessageContaining("already have an observer");
		assertThatIllegalStateException().isThrownBy(() -> this.part.setObserver(new RecordingObserver()))
			.withMessageContaining("set the observer on its parent");
		this.root.setObserver(this.observer);
		this.root.setObserver(CompressionObserver.NONE);
		RecordingObserver other = new RecordingObserver();
		this.root.setObserver(other);
		assertThat(this.part.observer()).isSameAs(other);
	}

	static final class RecordingObserver implements CompressionObserver {

		final List<String> events = new ArrayList<>();

		private int handles;

		@Override
		public Object compressing(String target, Algorithm algorithm, int originalBytes) {
			this.events.add("compressing " + target + " " + algorithm.tag() + " " + originalBytes);
			return "handle-" + (++this.handles);
		}

		@Override
		public void written(String target, @Nullable Object observation, WriteOutcome outcome, Algorithm algorithm,
				int originalBytes, int storedBytes, long nanos) {
			this.events.add("written " + target + " " + observation + " " + outcome.tag());
		}

		@Override
		public Object decompressing(String target, int storedBytes) {
			this.events.add("decompressing " + target + " " + storedBytes);
			return "handle-" + (++this.handles);
		}

		@Override
		public void decompressed(String target, @Nullable Object observation, Algorithm algorithm, int storedBytes,
				int originalBytes, long nanos) {
			this.events.add("decompressed " + target + " " + observation + " " + algorithm.tag());
		}

		@Override
		public void readFailed(String target, @Nullable Object observation, @Nullable Algorithm algorithm,
				DecodeFault fault) {
			this.events.add("failed " + target + " " + observation + " " + algorithm.tag() + " " + fault.tag());
		}

	}

}
