package io.github.compressredis.benchmarks;

import java.util.Arrays;
import java.util.List;

import io.github.compressredis.benchmarks.GlideComparisonHarness.Flip;
import io.github.compressredis.embedded.RedisServerProcess;
import io.github.compressredis.testsupport.corpus.Corpus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import org.springframework.data.redis.serializer.RedisSerializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The GLIDE comparison's parts against a real redis-server: what the flipped-byte mode
 * reports for this project and for GLIDE, and the SET/GET mix's own checks and bounds.
 */
@TestInstance(Lifecycle.PER_CLASS)
class GlideComparisonHarnessTests {

	private final List<byte[]> values = Corpus.values("emoji.jsonl");

	private RedisServerProcess server;

	@BeforeAll
	void startRedis() {
		this.server = RedisServerProcess.start();
	}

	@AfterAll
	void stopRedis() {
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void projectWithChecksumRaisesAnErrorForEveryFlippedByteBehindTheMagic() {
		List<Flip> flips = GlideComparisonHarness.flipBytes(this.server.port(), this.server, "emoji.jsonl", this.values,
				"lettuce-zstd3", 2);

		assertThat(flips).extracting(Flip::position).contains("header", "payload", "trailer");
		// a value whose magic no longer matches is plain by FORMAT.md, and handed on as
		// it is
		assertThat(flips).filteredOn((flip) -> flip.offset() < 2)
			.isNotEmpty()
			.allSatisfy((flip) -> assertThat(flip.outcome()).isEqualTo("stored bytes"));
		assertThat(flips).filteredOn((flip) -> flip.offset() >= 2)
			.allSatisfy((flip) -> assertThat(flip.outcome()).as(flip.toString()).isEqualTo("error"));
	}

	@Test
	void glideHeaderIsRecognisedAndAFlippedPayloadByteComesBackAsData() {
		List<Flip> zstd = GlideComparisonHarness.flipBytes(this.server.port(), this.server, "emoji.jsonl", this.values,
				"glide-zstd3", 2);
		List<Flip> lz4 = GlideComparisonHarness.flipBytes(this.server.port(), this.server, "emoji.jsonl", this.values,
				"glide-lz4", 2);

		assertThat(zstd).isNotEmpty().allSatisfy((flip) -> assertThat(flip.headerLength()).isEqualTo(5));
		assertThat(lz4).isNotEmpty().allSatisfy((flip) -> assertThat(flip.headerLength()).isEqualTo(9));
		// what BENCHMARKS.md reports for the pinned GLIDE version: corrupt values are
		// read as data
		assertThat(zstd).filteredOn((flip) -> flip.position().equals("payload"))
			.anySatisfy((flip) -> assertThat(flip.outcome()).isIn("stored bytes", "other bytes"));
	}

	@Test
	void mixFailsWhenAReadDiffersFromTheOriginal() {
		String[] keys = RedisMemoryHarness.keys("emoji.jsonl", 50);
		List<byte[]> some = this.values.subList(0, keys.length);
		try (TemplateClient template = TemplateClient.lettuce(this.server.port(), RedisSerializer.byteArray());
				KeyValueClient lastByteChanged = new LastByteChanged(template)) {
			lastByteChanged.load(keys, some);

			assertThatIllegalStateException()
				.isThrownBy(() -> SetGetMix.run(lastByteChanged, keys, some, 0, 30, 100, 1, "test"))
				.havingRootCause()
				.withMessageContaining("differ from the original");
		}
	}

	@Test
	void mixStopsAtTheOperationBoundAndMeasuresCpu() throws InterruptedException {
		String[] keys = RedisMemoryHarness.keys("emoji.jsonl", 50);
		List<byte[]> some = this.values.subList(0, keys.length);
		try (KeyValueClient client = GlideComparisonHarness.connect(this.server.port(), "jedis-zstd3")) {
			client.load(keys, some);

			SetGetMix.Result result = SetGetMix.run(client, keys, some, 0, 60, 200, 2, "test");

			assertThat(result.setOps() + result.getOps()).isEqualTo(400);
			assertThat(result.cpuMicrosPerOp()).isPositive();
			assertThat(result.p99()).isGreaterThanOrEqualTo(result.p50());
		}
	}

	/** Stores every value with its last byte changed, as a client with a bug would. */
	private record LastByteChanged(KeyValueClient delegate) implements KeyValueClient {

		@Override
		public void set(String key, byte[] value) {
			this.delegate.set(key, changed(value));
		}

		@Override
		public byte[] get(String key) {
			return this.delegate.get(key);
		}

		@Override
		public void load(String[] keys, List<byte[]> values) {
			this.delegate.load(keys, values.stream().map(LastByteChanged::changed).toList());
		}

		@Override
		public void close() {
		}

		private static byte[] changed(byte[] value) {
			byte[] copy = Arrays.copyOf(value, value.length);
			copy[copy.length - 1] ^= 1;
			return copy;
		}

	}

}
