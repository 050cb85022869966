package io.github.compressredis.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.format.DecodeFault;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.core.internal.stats.CompressionObserver;
import io.github.compressredis.core.json.JsonCompressingRedisSerializer;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.core.stats.WriteOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A value given to {@link ValueCompressor} as a writer of its bytes, and read back
 * through a reader, follows the byte-array path's policy, format and faults: the same
 * stored bytes and outcome for every kind of value, and a damaged value is the format's
 * fault whatever the reader did with it.
 */
class StreamedValueTests {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final byte[] JSON = MAPPER.writeValueAsBytes(TestJson.records(1024 * 1024));

	private static final Function<InputStream, byte[]> READ_ALL = (in) -> {
		try {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	};

	private final CodecRegistry codecs = new CodecRegistry();

	static Stream<Arguments> values() {
		CompressionPolicy zstd = CompressionPolicy.builder().algorithm(Algorithm.ZSTD).level(3).build();
		CompressionPolicy version2 = zstd.toBuilder().writeVersion(2).checksum(false).build();
		byte[] random = CodecRoundTripTests.random(300 * 1024, 11);
		byte[] magic = random.clone();
		magic[0] = WireFormat.MAGIC_0;
		magic[1] = WireFormat.MAGIC_1;
		byte[] gzip = JSON.clone();
		gzip[0] = 0x1F;
		gzip[1] = (byte) 0x8B;
		gzip[2] = 0x08;
		return Stream.of(Arguments.of("big JSON", zstd, JSON, WriteOutcome.COMPRESSED),
				Arguments.of("big JSON, format version 2", version2, JSON, WriteOutcome.COMPRESSED),
				Arguments.of("big JSON, lz4", zstd.toBuilder().algorithm(Algorithm.LZ4).level(0).build(), JSON,
						WriteOutcome.COMPRESSED),
				Arguments.of("small JSON", zstd,
						"{\"id\":1,\"name\":\"a\"}".repeat(100).getBytes(StandardCharsets.UTF_8),
						WriteOutcome.COMPRESSED),
				Arguments.of("random", zstd, random, WriteOutcome.NOT_WORTH_IT),
				Arguments.of("random beginning with the magic", version2, magic, WriteOutcome.NOT_WORTH_IT),
				Arguments.of("gzip signature", zstd, gzip, WriteOutcome.INCOMPRESSIBLE),
				Arguments.of("under min-size", zstd.toBuilder().minSize(2 * 1024 * 1024).build(), JSON,
						WriteOutcome.TOO_SMALL),
				Arguments.of("over max-decompressed-size", zstd.toBuilder().maxDecompressedSize(512 * 1024).build(),
						JSON, WriteOutcome.TOO_LARGE),
				Arguments.of("compression off", zstd.toBuilder().algorithm(Algorithm.NONE).level(0).build(), magic,
						WriteOutcome.DISABLED));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("values")
	void aWrittenValueIsStoredAsItsArrayIsAndReadsBack(String name, CompressionPolicy policy, byte[] value,
			WriteOutcome outcome) {
		ValueCompressor arrays = compressor(policy);
		ValueCompressor streams = compressor(policy);
		byte[] stored = streams.compress((out) -> write(out, value));
		// within zstd's window (2 MB at level 3) the streamed frame is the one-shot frame
		assertThat(stored).isEqualTo(arrays.compress(value));
		assertThat(streams.getStats().writes(outcome)).isOne();
		assertThat(streams.getStats().escapedWrites()).isEqualTo(arrays.getStats().escapedWrites());
		assertThat(streams.decompress(stored, READ_ALL)).isEqualTo(value);
		assertThat(arrays.decompress(stored)).isEqualTo(value);
		assertThat(streams.getStats().compressedReads()).isEqualTo(arrays.getStats().compressedReads());
		assertThat(streams.getStats().plainReads()).isEqualTo(arrays.getStats().plainReads());
	}

	@Test
	void whatAReaderThrowsOnAnExactValueIsThrownAsItIs() {
		ValueCompressor compressor = compressor(CompressionPolicy.defaults());
		byte[] stored = compressor.compress(JSON);
		assertThatIllegalStateException().isThrownBy(() -> compressor.decompress(stored, (in) -> {
			READ_ALL.apply(in);
			throw new IllegalStateException("not what the reader expected");
		})).withMessage("not what the reader expected");
		assertThat(compressor.getStats().compressedReads()).isOne();
		assertThat(compressor.getStats().readFailures()).isZero();
	}

	@Test
	void aReaderThatStopsEarlyStillHasEveryByteChecked() {
		ValueCompressor compressor = compressor(CompressionPolicy.defaults());
		byte[] stored = compressor.compress(JSON);
		stored[WireFormat.parse(stored).payloadOffset() - 1] ^= 0x5A;
		assertThatExceptionOfType(CompressedValueException.class)
			.isThrownBy(() -> compressor.decompress(stored, (in) -> "ignored"))
			.satisfies((ex) -> assertThat(ex.getFault()).isEqualTo(DecodeFault.CHECKSUM_MISMATCH));
		assertThat(compressor.getStats().readFailures(DecodeFault.CHECKSUM_MISMATCH)).isOne();
	}

	@Test
	void aTruncatedOrCorruptStreamedValueHasTheFaultTheArrayPathGivesItNeverAJsonError() {
		ValueCompressor compressor = compressor(CompressionPolicy.defaults());
		JsonCompressingRedisSerializer<Object> json = JsonCompressingRedisSerializer.json(MAPPER, compressor);
		byte[] stored = json.serialize(TestJson.records(1024 * 1024));
		int payload = WireFormat.parse(stored).payloadOffset();
		for (int length : new int[] { payload + 3, payload + 100, stored.length / 2, stored.length - 1 }) {
			byte[] truncated = java.util.Arrays.copyOf(stored, length);
			DecodeFault expected = fault(() -> compressor.decompress(truncated));
			assertThat(fault(() -> json.deserialize(truncated))).as("cut at %d", length).isEqualTo(expected);
		}
		for (int position = payload + 50; position < stored.length; position += stored.length / 9) {
			byte[] damaged = stored.clone();
			damaged[position] ^= 0x10;
			DecodeFault expected = fault(() -> compressor.decompress(damaged));
			assertThat(fault(() -> json.deserialize(damaged))).as("flipped at %d", position).isEqualTo(expected);
		}
	}

	@Test
	void anUndeclaredCheckedExceptionOfTheReaderOnAnExactValueIsThrownAsItIsAndTheReadIsCounted() {
		ValueCompressor compressor = compressor(CompressionPolicy.defaults());
		Observations observations = observe(compressor);
		byte[] stored = compressor.compress(JSON);
		IOException thrown = new IOException("as a Kotlin lambda throws it");
		assertThatThrownBy(() -> compressor.decompress(stored, (in) -> {
			READ_ALL.apply(in);
			throw StreamedValueTests.<RuntimeException>sneaky(thrown);
		})).isSameAs(thrown);
		assertThat(compressor.getStats().compressedReads()).isOne();
		assertThat(compressor.getStats().readFailures()).isZero();
		assertThat(observations.ended).containsExactly("decompressed");
	}

	@Test
	void anUndeclaredCheckedExceptionOfTheReaderOnADamagedValueIsTheCauseOfItsFault() {
		ValueCompressor compressor = compressor(CompressionPolicy.defaults());
		Observations observations = observe(compressor);
		byte[] stored = compressor.compress(JSON);
		stored[WireFormat.parse(stored).payloadOffset() - 1] ^= 0x5A;
		IOException thrown = new IOException("as a Kotlin lambda throws it");
		assertThatExceptionOfType(CompressedValueException.class)
			.isThrownBy(() -> compressor.decompress(stored, (in) -> {
				READ_ALL.apply(in);
				throw StreamedValueTests.<RuntimeException>sneaky(thrown);
			}))
			.satisfies((ex) -> {
				assertThat(ex.getFault()).isEqualTo(DecodeFault.CHECKSUM_MISMATCH);
				assertThat(ex.getCause()).isSameAs(thrown);
			});
		assertThat(compressor.getStats().readFailures(DecodeFault.CHECKSUM_MISMATCH)).isOne();
		assertThat(observations.ended).containsExactly("readFailed");
	}

	@Test
	void theApplicationsOwnOutOfMemoryErrorOnAnExactValueIsNotAReadFailure() {
		ValueCompressor compressor = compressor(CompressionPolicy.defaults());
		byte[] stored = compressor.compress(JSON);
		OutOfMemoryError thrown = new OutOfMemoryError("the application's object graph");
		assertThatThrownBy(() -> compressor.decompress(stored, (in) -> {
			READ_ALL.apply(in);
			throw thrown;
		})).isSameAs(thrown);
		assertThat(compressor.getStats().compressedReads()).isOne();
		assertThat(compressor.getStats().readFailures()).isZero();
	}

	@Test
	void whatAReaderThrowsOnADamagedValueIsTheCauseOfItsFault() {
		ValueCompressor compressor = compressor(CompressionPolicy.defaults());
		byte[] stored = compressor.compress(JSON);
		stored[WireFormat.parse(stored).payloadOffset() - 1] ^= 0x5A;
		IllegalStateException thrown = new IllegalStateException("the parser's error");
		assertThatExceptionOfType(CompressedValueException.class)
			.isThrownBy(() -> compressor.decompress(stored, (in) -> {
				throw thrown;
			}))
			.satisfies((ex) -> assertThat(ex.getCause()).isSameAs(thrown));
		// a fault the format finds alone has no internal type as its cause
		byte[] truncated = java.util.Arrays.copyOf(compressor.compress(JSON), 100);
		assertThatExceptionOfType(CompressedValueException.class)
			.isThrownBy(() -> compressor.decompress(truncated, READ_ALL))
			.satisfies((ex) -> assertThat(ex.getCause()).isNull());
	}

	@Test
	void aReadersBadArgumentsAreItsOwnBugNotADamagedValue() {
		ValueCompressor compressor = compressor(CompressionPolicy.defaults());
		byte[] stored = compressor.compress(JSON);
		assertThatExceptionOfType(IndexOutOfBoundsException.class)
			.isThrownBy(() -> compressor.decompress(stored, (in) -> {
				try {
					return in.read(new byte[10], 5, 10);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}));
		assertThat(compressor.getStats().readFailures()).isZero();
		assertThat(compressor.getStats().compressedReads()).isOne();
	}

	@Test
	void anObserverInstalledDuringAReadIsNotGivenTheTimeSinceBoot() {
		ValueCompressor compressor = compressor(CompressionPolicy.defaults());
		byte[] stored = compressor.compress(JSON);
		Observations observations = new Observations();
		compressor.decompress(stored, (in) -> {
			compressor.getStats().setObserver(observations);
			return READ_ALL.apply(in);
		});
		// the clock was not read when the value's time began: no time, rather than
		// System.nanoTime() - 0
		assertThat(observations.nanos).containsExactly(0L);
	}

	private static Observations observe(ValueCompressor compressor) {
		Observations observations = new Observations();
		compressor.getStats().setObserver(observations);
		return observations;
	}

	@SuppressWarnings("unchecked")
	private static <E extends Throwable> E sneaky(Throwable ex) throws E {
		throw (E) ex;
	}

	private static DecodeFault fault(Runnable read) {
		try {
			read.run();
		}
		catch (CompressedValueException ex) {
			return ex.getFault();
		}
		throw new AssertionError("a damaged value was read without a CompressedValueException");
	}

	private ValueCompressor compressor(CompressionPolicy policy) {
		return new ValueCompressor(new CompressionPolicyHolder(policy), this.codecs, new CompressionStats());
	}

	private static void write(java.io.OutputStream out, byte[] value) {
		try {
			// in pieces, as a generator flushes its buffer
			for (int offset = 0; offset < value.length; offset += 8000) {
				out.write(value, offset, Math.min(8000, value.length - offset));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Records how each observation ended.
	 */
	static final class Observations implements CompressionObserver {

		final List<String> ended = new ArrayList<>();

		final List<Long> nanos = new ArrayList<>();

		@Override
		public Object decompressing(String target, int storedBytes) {
			return "observation";
		}

		@Override
		public void decompressed(String target, Object observation, Algorithm algorithm, int storedBytes,
				int originalBytes, long nanos) {
			this.ended.add("decompressed");
			this.nanos.add(nanos);
		}

		@Override
		public void readFailed(String target, Object observation, Algorithm algorithm, DecodeFault fault) {
			this.ended.add("readFailed");
		}

	}

}
