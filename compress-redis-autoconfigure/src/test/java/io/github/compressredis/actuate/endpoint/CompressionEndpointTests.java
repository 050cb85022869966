package io.github.compressredis.actuate.endpoint;

import java.util.Map;

import io.github.compressredis.actuate.endpoint.CompressionEndpoint.CompressionDescriptor;
import io.github.compressredis.actuate.endpoint.CompressionEndpoint.RefusalDescriptor;
import io.github.compressredis.autoconfigure.PolicyPipeline;
import io.github.compressredis.autoconfigure.TestPayloads;
import io.github.compressredis.autoconfigure.metrics.CompressionMeterFilter;
import io.github.compressredis.autoconfigure.metrics.CompressionObservationContext;
import io.github.compressredis.autoconfigure.metrics.MicrometerCompressionObserver;
import io.github.compressredis.core.CompressedValueException;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.core.internal.policy.PolicyValidator;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.policy.PolicySource;
import io.github.compressredis.core.stats.CompressionStats;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link CompressionEndpoint}, without a context.
 */
class CompressionEndpointTests {

	private static final byte[] LARGE = TestPayloads.utf8(TestPayloads.json(8192));

	private static final byte[] SMALL = TestPayloads.utf8("{\"id\":1}");

	private final CompressionPolicyHolder policies = new CompressionPolicyHolder(CompressionPolicy.defaults(),
			PolicySource.PROPERTIES);

	private final CompressionStats stats = new CompressionStats();

	private final ValueCompressor compressor = new ValueCompressor(this.policies, new CodecRegistry(), this.stats);

	private final PolicyPipeline pipeline = new PolicyPipeline(
			new PolicyValidator((algorithm) -> algorithm != Algorithm.SNAPPY), null);

	private final CompressionEndpoint endpoint = new CompressionEndpoint(this.policies, this.stats, this.pipeline);

	@Test
	void descriptorIsEmptyBeforeAnyTraffic() {
		CompressionDescriptor descriptor = this.endpoint.compression();
		assertThat(descriptor.writes().total()).isZero();
		assertThat(descriptor.writes().hitRatio()).isZero();
		assertThat(descriptor.reads().hitRatio()).isZero();
		assertThat(descriptor.bytes().saved()).isZero();
		assertThat(descriptor.bytes().averageRatio()).isEqualTo(1.0);
		assertThat(descriptor.history()).hasSize(1);
		assertThat(descriptor.lastRefused()).isNull();
		assertThat(descriptor.policy().algorithm()).isEqualTo("zstd");
		assertThat(descriptor.policy().level()).isEqualTo(3);
		assertThat(descriptor.policy().version()).isEqualTo(1);
		assertThat(descriptor.policy().source()).isEqualTo("yml");
	}

	@Test
	void descriptorReportsHitRatiosAndBytesSaved() {
		// the percentiles are Micrometer's timers' (the statistics keep no latency of
		// their own)
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		registry.config().meterFilter(new CompressionMeterFilter(null, null));
		MicrometerCompressionObserver observer = new MicrometerCompressionObserver(null, null);
		observer.addRegistry(registry);
		this.stats.setObserver(observer);
		this.endpoint.setLatency(
				(decompress) -> observer.percentiles(decompress ? CompressionObservationContext.Operation.DECOMPRESS
						: CompressionObservationContext.Operation.COMPRESS));
		byte[] stored = this.compressor.compress(LARGE);
		this.compressor.compress(SMALL);
		this.compressor.compress(SMALL);
		this.compressor.compress(SMALL);
		this.compressor.decompress(stored);
		this.compressor.decompress(SMALL);
		CompressionDescriptor descriptor = this.endpoint.compression();
		assertThat(descriptor.writes().total()).isEqualTo(4);
		assertThat(descriptor.writes().compressed()).isEqualTo(1);
		assertThat(descriptor.writes().hitRatio()).isEqualTo(0.25);
		assertThat(descriptor.writes().byOutcome()).containsEntry("compressed", 1L)
			.containsEntry("too-small", 3L)
			.containsEntry("not-worth-it", 0L);
		assertThat(descriptor.writes().compressedByCodec()).containsEntry("zstd", 1L).containsEntry("lz4", 0L);
		assertThat(descriptor.reads().total()).isEqualTo(2);
		assertThat(descriptor.reads().compressed()).isEqualTo(1);
		assertThat(descriptor.reads().plain()).isEqualTo(1);
		assertThat(descriptor.reads().hitRatio()).isEqualTo(0.5);
		assertThat(descriptor.reads().compressedByCodec()).containsEntry("zstd", 1L);
		assertThat(descriptor.bytes().original()).isEqualTo(LARGE.length + 3L * SMALL.length);
		assertThat(descriptor.bytes().stored()).isEqualTo(stored.length + 3L * SMALL.length);
		assertThat(descriptor.bytes().saved()).isEqualTo((long) LARGE.length - stored.length);
		assertThat(descriptor.bytes().averageRatio()).isCloseTo((double) stored.length / LARGE.length, within(1e-9));
		assertThat(descriptor.latency().compress().count()).isEqualTo(1);
		assertThat(descriptor.latency().decompress().count()).isEqualTo(1);
		assertThat(descriptor.latency().compress().p99Micros()).isGreaterThan(0);
	}

	@Test
	void descriptorCountsReadFailuresByReason() {
		byte[] stored = this.compressor.compress(LARGE);
		stored[WireFormat.headerLength(LARGE.length, 0, true) - 1] ^= 0x5A;
		assertThatExceptionOfType(CompressedValueException.class).isThrownBy(() -> this.compressor.decompress(stored));
		assertThat(this.endpoint.compression().reads().failuresByReason()).containsEntry("checksum-mismatch", 1L)
			.containsEntry("corrupt", 0L);
	}

	@Test
	void updateChangesThePolicyAndRecordsItInTheHistory() {
		WebEndpointResponse<Object> response = this.endpoint.updatePolicy("lz4", null, 1024L, null, null, null, null);
		assertThat(response.getStatus()).isEqualTo(200);
		CompressionDescriptor descriptor = (CompressionDescriptor) response.getBody();
		assertThat(this.policies.policy().algorithm()).isEqualTo(Algorithm.LZ4);
		assertThat(this.policies.policy().level()).isZero();
		assertThat(this.policies.policy().minSize()).isEqualTo(1024);
		assertThat(descriptor.policy().algorithm()).isEqualTo("lz4");
		assertThat(descriptor.policy().version()).isEqualTo(2);
		assertThat(descriptor.policy().source()).isEqualTo("endpoint");
		assertThat(descriptor.history()).hasSize(2);
		assertThat(descriptor.history().get(1).changes()).contains("algorithm zstd -> lz4")
			.contains("min-size 192 -> 1024");
		assertThat(descriptor.history().get(1).source()).isEqualTo("endpoint");
		this.endpoint.updatePolicy(null, 9, null, null, null, null, null);
		assertThat(this.policies.policy().algorithm()).isEqualTo(Algorithm.LZ4);
		assertThat(this.policies.policy().level()).isEqualTo(9);
		assertThat(this.endpoint.compression().history()).hasSize(3);
		assertThat(this.endpoint.compression().lastRefused()).isNull();
	}

	@Test
	void sizesAcceptUnitsAsInApplicationYml() {
		assertThat(this.endpoint.update(Map.of("minSize", "1KB")).getStatus()).isEqualTo(200);
		assertThat(this.policies.policy().minSize()).isEqualTo(1024);
		assertThat(this.endpoint.update(Map.of("maxDecompressedSize", "2MB")).getStatus()).isEqualTo(200);
		assertThat(this.policies.policy().maxDecompressedSize()).isEqualTo(2 * 1024 * 1024);
	}

	@Test
	void sameAlgorithmKeepsTheLevelInForce() {
		this.endpoint.update(Map.of("level", 9));
		this.endpoint.update(Map.of("algorithm", "zstd", "minSize", 300));
		assertThat(this.policies.policy().level()).isEqualTo(9);
	}

	@Test
	void rolloutPercentIsShownInThePolicy() {
		this.endpoint.update(Map.of("algorithm", "lz4", "rolloutPercent", 25));
		assertThat(this.endpoint.compression().policy().rolloutPercent()).isEqualTo(25);
	}

	@Test
	void invalidUpdateIsRefusedWithItsReasonInTheBodyAndKeepsThePolicy() {
		CompressionPolicy before = this.policies.policy();
		WebEndpointResponse<Object> response = this.endpoint.updatePolicy(null, 99, null, null, null, null, null);
		assertThat(response.getStatus()).isEqualTo(400);
		assertThat(response.getBody()).isInstanceOfSatisfying(RefusalDescriptor.class, (refusal) -> {
			assertThat(refusal.reason()).isEqualTo("'level' 99 is out of range for zstd (-22 to 22)");
			assertThat(refusal.policy().level()).isEqualTo(3);
		});
		assertThat(this.policies.policy()).isEqualTo(before);
		CompressionDescriptor descriptor = this.endpoint.compression();
		assertThat(descriptor.policy().version()).isEqualTo(1);
		assertThat(descriptor.history()).hasSize(1);
		assertThat(descriptor.lastRefused()).isNotNull();
		assertThat(descriptor.lastRefused().source()).isEqualTo("endpoint");
		assertThat(descriptor.lastRefused().reason()).isEqualTo("'level' 99 is out of range for zstd (-22 to 22)");
		assertThat(this.policies.refusedCount()).isOne();
	}

	@Test
	void invalidUpdateIsRefusedAsAWhole() {
		assertThat(this.endpoint.updatePolicy("lz4", null, 1024L, 1.5, null, null, null).getStatus()).isEqualTo(400);
		assertThat(this.policies.policy()).isEqualTo(CompressionPolicy.defaults());
		assertThat(this.endpoint.compression().lastRefused().reason()).contains("'max-ratio'");
	}

	@Test
	void minSizeAboveMaxDecompressedSizeIsRefused() {
		WebEndpointResponse<Object> response = this.endpoint
			.update(Map.of("minSize", 4096, "maxDecompressedSize", 1024));
		assertThat(response.getStatus()).isEqualTo(400);
		assertThat(((RefusalDescriptor) response.getBody()).reason())
			.startsWith("'max-decompressed-size' 1024 bytes is below 'min-size' 4096 bytes");
	}

	@Test
	void algorithmWhoseLibraryIsAbsentIsRefused() {
		WebEndpointResponse<Object> response = this.endpoint.update(Map.of("algorithm", "snappy"));
		assertThat(response.getStatus()).isEqualTo(400);
		assertThat(((RefusalDescriptor) response.getBody()).reason())
			.contains("'algorithm' snappy is not available here");
		assertThat(this.policies.current().version()).isOne();
	}

	@Test
	void unknownFieldIsRefusedAndRecorded() {
		WebEndpointResponse<Object> response = this.endpoint.update(Map.of("algoritm", "zstd"));
		assertThat(response.getStatus()).isEqualTo(400);
		assertThat(((RefusalDescriptor) response.getBody()).reason())
			.isEqualTo("unknown field 'algoritm'; the body may "
					+ "set algorithm, level, minSize, maxRatio, checksum, maxDecompressedSize, rolloutPercent");
		assertThat(this.endpoint.update(Map.of("min_size", "4KB")).getStatus()).isEqualTo(400);
		assertThat(this.policies.refusedCount()).isEqualTo(2);
		assertThat(this.policies.current().version()).isOne();
	}

	@Test
	void emptyBodyIsRefused() {
		assertThat(this.endpoint.update(Map.of()).getStatus()).isEqualTo(400);
		assertThat(this.policies.lastRefused().reason()).contains("the body sets no field");
	}

	@Test
	void unknownAlgorithmIsRefused() {
		WebEndpointResponse<Object> response = this.endpoint.updatePolicy("brotli", null, null, null, null, null, null);
		assertThat(response.getStatus()).isEqualTo(400);
		assertThat(this.policies.policy()).isEqualTo(CompressionPolicy.defaults());
		assertThat(this.endpoint.compression().lastRefused().reason()).contains("brotli").contains("zstd");
	}

	@Test
	void policyPinnedByABeanRefusesEveryWriteNamingTheBean() {
		CompressionEndpoint pinned = new CompressionEndpoint(this.policies, this.stats,
				new PolicyPipeline(new PolicyValidator((algorithm) -> true), "myPolicy"));
		WebEndpointResponse<Object> response = pinned.update(Map.of("level", 5));
		assertThat(response.getStatus()).isEqualTo(400);
		assertThat(((RefusalDescriptor) response.getBody()).reason())
			.isEqualTo("the policy is pinned by the CompressionPolicy bean 'myPolicy'; remove that bean to let "
					+ "the endpoint change the policy");
		assertThat(this.policies.current().version()).isOne();
	}

}
