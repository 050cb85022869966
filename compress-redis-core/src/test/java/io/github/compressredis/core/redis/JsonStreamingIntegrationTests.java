package io.github.compressredis.core.redis;

import java.util.List;

import io.github.compressredis.core.CompressingRedisSerializer;
import io.github.compressredis.core.TestJson;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.internal.format.Header;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.core.json.JsonCompressingRedisSerializer;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.embedded.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.JacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming JSON serializer behind a {@link RedisTemplate} on a real redis-server:
 * what it stores is the normal format (checked with a plain RESP client), and a template
 * with the byte-array serializer reads it, and the other way round.
 */
@TestInstance(Lifecycle.PER_CLASS)
class JsonStreamingIntegrationTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final ValueCompressor compressor = new ValueCompressor(
			new CompressionPolicyHolder(CompressionPolicy.builder().writeVersion(2).build()), new CodecRegistry(),
			new CompressionStats());

	private RedisServerProcess server;

	private LettuceConnectionFactory factory;

	private RawRedis raw;

	@BeforeAll
	void start() {
		this.server = RedisServerProcess.start();
		this.factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(this.server.host(), this.server.port()));
		this.factory.afterPropertiesSet();
		this.factory.start();
		this.raw = RawRedis.standalone(this.server);
	}

	@AfterAll
	void stop() throws Exception {
		if (this.raw != null) {
			this.raw.close();
		}
		if (this.factory != null) {
			this.factory.destroy();
		}
		if (this.server != null) {
			this.server.close();
		}
	}

	private RedisTemplate<String, Object> template(RedisSerializer<Object> values) {
		RedisTemplate<String, Object> template = new RedisTemplate<>();
		template.setConnectionFactory(this.factory);
		template.setKeySerializer(RedisSerializer.string());
		template.setValueSerializer(values);
		template.afterPropertiesSet();
		return template;
	}

	@Test
	void bigValuesStreamedThroughRedisReadBackWithEitherSerializer() {
		RedisTemplate<String, Object> streaming = template(
				JsonCompressingRedisSerializer.json(this.mapper, this.compressor));
		RedisTemplate<String, Object> bytes = template(new CompressingRedisSerializer<>(
				new JacksonJsonRedisSerializer<>(this.mapper, Object.class), this.compressor));
		List<String> value = TestJson.records(3 * 1024 * 1024);

		streaming.opsForValue().set("json:streamed", value);
		bytes.opsForValue().set("json:bytes", value);

		byte[] stored = this.raw.get("json:streamed");
		Header header = WireFormat.parse(stored);
		assertThat(header.codecId()).isEqualTo(Algorithm.ZSTD.id());
		assertThat(header.version()).isEqualTo(2);
		assertThat(header.originalLength()).isEqualTo(this.mapper.writeValueAsBytes(value).length);
		assertThat(stored.length).isLessThan(header.originalLength() / 2);
		assertThat(bytes.opsForValue().get("json:streamed")).isEqualTo(value);
		assertThat(streaming.opsForValue().get("json:bytes")).isEqualTo(value);
		assertThat(streaming.opsForValue().get("json:streamed")).isEqualTo(value);
	}

}
