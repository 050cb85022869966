package io.github.compressredis.benchmarks;

import java.util.ArrayList;
import java.util.List;

import io.github.compressredis.core.CompressingRedisSerializer;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.json.JsonCompressingRedisSerializer;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.testsupport.corpus.Corpus;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.serializer.JacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * What the streaming measurements share: the big object (a JSON array of corpus values,
 * each a string) and the two ways to store it, today's byte-array path and the streaming
 * serializer.
 *
 * @author compress-redis contributors
 */
final class StreamingJson {

	/**
	 * The modes: Spring Data Redis's Jackson serializer wrapped, and the streaming
	 * serializer.
	 */
	static final List<String> MODES = List.of("bytes", "streaming");

	private StreamingJson() {
	}

	/**
	 * A list of {@code mdn-bcd.jsonl} values (cycling through the file) whose JSON is at
	 * least {@code megabytes} MB, and at most one value more.
	 * @param megabytes the minimum size of the JSON in MB
	 * @return the values as strings
	 */
	static List<String> object(int megabytes) {
		List<byte[]> values = Corpus.values("mdn-bcd.jsonl");
		long target = megabytes * 1_000_000L;
		List<String> object = new ArrayList<>();
		long json = 2;
		for (int i = 0; json < target; i++) {
			byte[] value = values.get(i % values.size());
			int quotes = 0;
			for (byte b : value) {
				quotes += (b == '"' || b == '\\') ? 1 : 0;
			}
			object.add(new String(value, java.nio.charset.StandardCharsets.UTF_8));
			json += value.length + quotes + 3;
		}
		return object;
	}

	/**
	 * zstd 3 with the checksum, and room for values up to 128 MiB.
	 * @return the value compressor
	 */
	static ValueCompressor compressor() {
		CompressionPolicy policy = CompressionPolicy.builder()
			.algorithm(Algorithm.ZSTD)
			.level(3)
			.checksum(true)
			.maxDecompressedSize(128 * 1024 * 1024)
			.build();
		return new ValueCompressor(new CompressionPolicyHolder(policy), new CodecRegistry(), new CompressionStats());
	}

	static RedisSerializer<Object> serializer(String mode, JsonMapper mapper, ValueCompressor compressor) {
		return switch (mode) {
			case "bytes" ->
				new CompressingRedisSerializer<>(new JacksonJsonRedisSerializer<>(mapper, Object.class), compressor);
			case "streaming" -> JsonCompressingRedisSerializer.json(mapper, compressor);
			default -> throw new IllegalArgumentException("Unknown mode '" + mode + "': use one of " + MODES);
		};
	}

}
