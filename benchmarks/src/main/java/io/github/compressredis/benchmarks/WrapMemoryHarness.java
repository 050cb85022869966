package io.github.compressredis.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.compressredis.core.CompressingRedisSerializer;
import io.github.compressredis.core.policy.CompressionPolicy;

import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * Resident memory (Linux {@code VmRSS}) of a process that calls
 * {@link CompressingRedisSerializer#of} many times, writing and reading one value through
 * each serializer and dropping it, against the heap it uses: what a wrap costs outside
 * the heap. <pre>
 * java -Xmx64m -cp benchmarks/target/benchmarks.jar io.github.compressredis.benchmarks.WrapMemoryHarness [wraps]
 * </pre>
 *
 * @author compress-redis contributors
 */
public final class WrapMemoryHarness {

	private WrapMemoryHarness() {
	}

	public static void main(String[] args) throws IOException {
		int wraps = (args.length > 0) ? Integer.parseInt(args[0]) : 5000;
		byte[] value = "{\"name\":\"Vila\",\"country\":\"AD\",\"population\":1234}".repeat(100)
			.getBytes(StandardCharsets.UTF_8);
		CompressionPolicy policy = CompressionPolicy.defaults();
		long before = rssKb();
		for (int i = 0; i < wraps; i++) {
			CompressingRedisSerializer<byte[]> serializer = CompressingRedisSerializer.of(RedisSerializer.byteArray(),
					policy);
			byte[] stored = serializer.serialize(value);
			if (stored == null || serializer.deserialize(stored).length != value.length) {
				throw new IllegalStateException("round trip failed");
			}
		}
		System.gc();
		Runtime runtime = Runtime.getRuntime();
		long heapKb = (runtime.totalMemory() - runtime.freeMemory()) / 1024;
		System.out.printf("wraps=%d rss-before=%d MB rss-after=%d MB heap-used=%d MB%n", wraps, before / 1024,
				rssKb() / 1024, heapKb / 1024);
	}

	private static long rssKb() throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").trim());
			}
		}
		return -1;
	}

}
