package io.github.compressredis.autoconfigure;

import io.github.compressredis.core.CompressingRedisSerializer;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.json.JsonCompressingRedisSerializer;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.CompressionStats;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.serializer.RedisSerializer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A template or cache given the streaming JSON serializer keeps it: wrapping it again
 * would compress its output a second time.
 */
class JsonSerializerWrapTests {

	@Test
	void theJsonSerializerIsNotWrappedAgain() {
		ValueCompressor compressor = new ValueCompressor(new CompressionPolicyHolder(CompressionPolicy.defaults()),
				CodecRegistry.shared(), new CompressionStats());
		JsonCompressingRedisSerializer<Object> json = JsonCompressingRedisSerializer.json(JsonMapper.builder().build(),
				compressor);
		assertThat(CompressingSerializerFactory.wrap(json, compressor)).isSameAs(json);
		RedisSerializer<String> string = RedisSerializer.string();
		assertThat(CompressingSerializerFactory.wrap(string, compressor))
			.isInstanceOf(CompressingRedisSerializer.class);
	}

}
