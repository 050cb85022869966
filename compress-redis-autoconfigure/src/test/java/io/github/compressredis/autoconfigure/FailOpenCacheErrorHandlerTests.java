package io.github.compressredis.autoconfigure;

import io.github.compressredis.core.CompressedValueException;
import io.github.compressredis.core.format.DecodeFault;
import io.github.compressredis.core.stats.CompressionStats;
import org.junit.jupiter.api.Test;

import org.springframework.cache.concurrent.ConcurrentMapCache;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.serializer.SerializationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link FailOpenCacheErrorHandler}, with an in-memory cache.
 */
class FailOpenCacheErrorHandlerTests {

	private final CompressionStats stats = new CompressionStats();

	private final FailOpenCacheErrorHandler handler = new FailOpenCacheErrorHandler(this.stats);

	private final ConcurrentMapCache cache = new ConcurrentMapCache("reports");

	@Test
	void undecodableEntryIsEvictedAndCounted() {
		this.cache.put("r1", "corrupt");
		this.handler.handleCacheGetError(undecodable(), this.cache, "r1");
		assertThat(this.cache.get("r1")).isNull();
		assertThat(this.stats.cacheFailOpens()).isOne();
	}

	@Test
	void undecodableEntryIsRecognisedWhenWrapped() {
		this.handler.handleCacheGetError(new IllegalStateException("wrapped", undecodable()), this.cache, "r1");
		assertThat(this.stats.cacheFailOpens()).isOne();
	}

	@Test
	void otherErrorsGoToTheDelegate() {
		assertThatExceptionOfType(QueryTimeoutException.class)
			.isThrownBy(() -> this.handler.handleCacheGetError(new QueryTimeoutException("timeout"), this.cache, "r1"));
		assertThatExceptionOfType(SerializationException.class).as("not a compress-redis value")
			.isThrownBy(
					() -> this.handler.handleCacheGetError(new SerializationException("bad json"), this.cache, "r1"));
		assertThatExceptionOfType(QueryTimeoutException.class).isThrownBy(
				() -> this.handler.handleCachePutError(new QueryTimeoutException("timeout"), this.cache, "r1", "v"));
		assertThat(this.stats.cacheFailOpens()).isZero();
	}

	private static CompressedValueException undecodable() {
		return new CompressedValueException(DecodeFault.TRUNCATED, "Cannot decode compressed Redis value (truncated)",
				null);
	}

}
