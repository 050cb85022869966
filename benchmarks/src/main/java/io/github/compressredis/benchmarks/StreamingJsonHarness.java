package io.github.compressredis.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.internal.format.WireFormat;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * Writes and reads one big object (a JSON array of corpus values) through today's
 * byte-array path or the streaming JSON serializer, in a JVM of its own, and prints the
 * heap each step allocated (the thread's allocation counter: bytes, not time), the heap's
 * peak as the JVM's memory pools saw it, and whether it ran out of memory. Run it with a
 * low {@code -Xmx}:
 *
 * <pre>
 * java -Xmx160m -cp benchmarks.jar io.github.compressredis.benchmarks.StreamingJsonHarness streaming 50
 * </pre>
 *
 * @author compress-redis contributors
 */
public final class StreamingJsonHarness {

	private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory
		.getThreadMXBean();

	private StreamingJsonHarness() {
	}

	public static void main(String[] args) {
		if (args.length != 2) {
			System.err.println("usage: StreamingJsonHarness <bytes|streaming> <megabytes>");
			System.exit(2);
		}
		String mode = args[0];
		int megabytes = Integer.parseInt(args[1]);
		JsonMapper mapper = JsonMapper.builder().build();
		ValueCompressor compressor = StreamingJson.compressor();
		RedisSerializer<Object> serializer = StreamingJson.serializer(mode, mapper, compressor);
		// a warm-up on a small object, so that the measured steps are the big object's
		// own
		serializer.deserialize(serializer.serialize(StreamingJson.object(2)));
		List<String> object = StreamingJson.object(megabytes);
		int expectedHash = object.hashCode();
		long maxHeap = Runtime.getRuntime().maxMemory();
		String step = "write";
		try {
			resetPeaks();
			long before = THREADS.getCurrentThreadAllocatedBytes();
			byte[] stored = serializer.serialize(object);
			long writeAllocated = THREADS.getCurrentThreadAllocatedBytes() - before;
			long writePeak = peak();
			// a reader holds the stored bytes, not the object that was written
			object = null;
			step = "read";
			resetPeaks();
			before = THREADS.getCurrentThreadAllocatedBytes();
			Object read = serializer.deserialize(stored);
			long readAllocated = THREADS.getCurrentThreadAllocatedBytes() - before;
			long readPeak = peak();
			if (read == null || read.hashCode() != expectedHash) {
				throw new IllegalStateException("the object read back differs from the one written");
			}
			System.out.printf(
					"mode=%s mb=%d xmx=%dm json=%d (-1: stored plain) stored=%d write.alloc=%d "
							+ "read.alloc=%d write.peak=%d read.peak=%d result=ok%n",
					mode, megabytes, maxHeap >> 20,
					WireFormat.isFramed(stored) ? WireFormat.parse(stored).originalLength() : -1, stored.length,
					writeAllocated, readAllocated, writePeak, readPeak);
		}
		catch (OutOfMemoryError ex) {
			System.out.printf("mode=%s mb=%d xmx=%dm result=OutOfMemoryError in %s%n", mode, megabytes, maxHeap >> 20,
					step);
			System.exit(1);
		}
	}

	private static void resetPeaks() {
		System.gc();
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP) {
				pool.resetPeakUsage();
			}
		}
	}

	private static long peak() {
		long total = 0;
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP) {
				total += pool.getPeakUsage().getUsed();
			}
		}
		return total;
	}

}
