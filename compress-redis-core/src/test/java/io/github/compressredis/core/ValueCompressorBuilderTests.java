package io.github.compressredis.core;

import java.nio.charset.StandardCharsets;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.policy.PolicySource;
import io.github.compressredis.core.resilience.BreakerSettings;
import io.github.compressredis.core.resilience.CompressionBreaker;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.core.stats.FallbackReason;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * {@link ValueCompressor#builder()} names each collaborator, defaults the rest, and
 * builds the same compressor as the constructors.
 */
class ValueCompressorBuilderTests {

	private static final byte[] VALUE = "{\"name\":\"Vila\",\"country\":\"AD\"}".repeat(40)
		.getBytes(StandardCharsets.UTF_8);

	private static final CompressionPolicy LZ4 = CompressionPolicy.builder().algorithm(Algorithm.LZ4).build();

	@Test
	void withNothingSetWritesWithTheDefaultPolicyAndTheSharedCodecs() {
		ValueCompressor compressor = ValueCompressor.builder().build();
		byte[] stored = compressor.compress(VALUE);
		assertThat(stored).hasSizeLessThan(VALUE.length);
		assertThat(compressor.decompress(stored)).isEqualTo(VALUE);
		assertThat(compressor.getStats().compressedWrites(CompressionPolicy.defaults().algorithm())).isOne();
		assertThat(compressor.getCodecs()).isSameAs(CodecRegistry.shared());
		assertThat(compressor.getBreaker()).isNull();
		assertThat(compressor.getDictionaries()).isNull();
		assertThat(compressor.getDictionaryTarget()).isNull();
		assertThat(compressor.getForeignFormats()).isNull();
	}

	@Test
	void eachBuildHasStatisticsOfItsOwnUnlessGivenSome() {
		ValueCompressor.Builder builder = ValueCompressor.builder();
		assertThat(builder.build().getStats()).isNotSameAs(builder.build().getStats());
		CompressionStats stats = new CompressionStats();
		ValueCompressor compressor = builder.stats(stats).build();
		compressor.compress(VALUE);
		assertThat(stats.writes()).isOne();
	}

	@Test
	void writesWithTheGivenPolicyAndBytesEqualToTheConstructors() {
		ValueCompressor built = ValueCompressor.builder().policy(LZ4).codecs(new CodecRegistry()).build();
		ValueCompressor constructed = new ValueCompressor(new CompressionPolicyHolder(LZ4), new CodecRegistry(),
				new CompressionStats());
		assertThat(built.compress(VALUE)).isEqualTo(constructed.compress(VALUE));
		assertThat(built.getStats().compressedWrites(Algorithm.LZ4)).isOne();
	}

	@Test
	void followsAPolicyHolderAsItChanges() {
		CompressionPolicyHolder policies = new CompressionPolicyHolder(CompressionPolicy.defaults());
		ValueCompressor compressor = ValueCompressor.builder().policies(policies).build();
		policies.update(LZ4, PolicySource.NACOS);
		compressor.compress(VALUE);
		assertThat(compressor.getStats().compressedWrites(Algorithm.LZ4)).isOne();
	}

	@Test
	void theLastOfPolicyAndPoliciesWins() {
		CompressionPolicyHolder holder = new CompressionPolicyHolder(CompressionPolicy.defaults());
		assertThat(ValueCompressor.builder().policy(LZ4).policies(holder).build().getPolicies()).isSameAs(holder);
		ValueCompressor fixed = ValueCompressor.builder().policies(holder).policy(LZ4).build();
		fixed.compress(VALUE);
		assertThat(fixed.getStats().compressedWrites(Algorithm.LZ4)).isOne();
	}

	@Test
	void storesPlainWhenItsCodecsFailAndItsBreakerHearsOfIt() {
		CodecRegistry closed = new CodecRegistry();
		closed.close();
		CompressionStats stats = new CompressionStats();
		CompressionBreaker breaker = new CompressionBreaker(BreakerSettings.defaults(), stats);
		ValueCompressor compressor = ValueCompressor.builder().codecs(closed).stats(stats).breaker(breaker).build();
		assertThat(compressor.getBreaker()).isSameAs(breaker);
		assertThat(compressor.compress(VALUE)).isEqualTo(VALUE);
		assertThat(stats.fallbacks(FallbackReason.COMPRESSION_FAILED)).isOne();
	}

	@Test
	void refusesANullPolicyNamingIt() {
		assertThatNullPointerException().isThrownBy(() -> ValueCompressor.builder().policy(null))
			.withMessage("'policy' must not be null");
	}

}
