package io.github.compressredis.core.internal.codec;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import com.github.luben.zstd.Zstd;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A streamed compression that stops early because the value does not shrink enough gives
 * its context and direct buffers back to the pool, set up as new, instead of leaving them
 * to a GC.
 */
class ZstdStreamsTests {

	@Test
	void earlyExitsReuseOneStreamerAndTheNextValueStillRoundTrips() {
		byte[] json = "{\"id\":12345,\"name\":\"a product\",\"tags\":[\"x\",\"y\"]}".repeat(8000)
			.getBytes(StandardCharsets.UTF_8);
		byte[] expected = ZstdStreams.compress(chunks(json), 3, 0, json.length);
		assertThat(expected).isNotNull();
		ChunkedOutputStream incompressible = chunks(random(600 * 1024));
		long created = ZstdStreams.streamersCreated();
		// more than the pool holds: a dropped streamer shows as a new one
		int exits = ObjectPool.defaultCapacity() + 4;
		for (int i = 0; i < exits; i++) {
			// the first chunk's output already passes the limit: the frame is abandoned
			assertThat(ZstdStreams.compress(incompressible, 3, 0, 1024)).isNull();
		}
		assertThat(ZstdStreams.streamersCreated()).as("streamers created by %d early exits", exits).isEqualTo(created);
		// the reset context writes the same frame as a fresh one: content size, no
		// checksum, no dictionary id, the level asked for
		byte[] again = ZstdStreams.compress(chunks(json), 3, 0, json.length);
		assertThat(again).isEqualTo(expected);
		assertThat(Zstd.getFrameContentSize(again)).isEqualTo(json.length);
		assertThat(Zstd.decompress(again, json.length)).isEqualTo(json);
	}

	private static ChunkedOutputStream chunks(byte[] value) {
		ChunkedOutputStream chunks = new ChunkedOutputStream();
		chunks.write(value, 0, value.length);
		return chunks;
	}

	private static byte[] random(int length) {
		byte[] bytes = new byte[length];
		new Random(7).nextBytes(bytes);
		return bytes;
	}

}
