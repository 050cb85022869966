package io.github.compressredis.core.internal.codec;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import org.jspecify.annotations.Nullable;

/**
 * Zstandard for values that never exist as one array of their full size: compresses a
 * {@link ChunkedOutputStream} chunk by chunk with the source size pledged up front (so
 * the frame carries its content size, as the format requires), and decodes a payload as a
 * stream. Pooled contexts and direct buffers; the payload collects in chunks and is
 * copied once into the exact-size result, after the room for the header.
 *
 * @author compress-redis contributors
 */
public final class ZstdStreams {

	/** Bytes handed to zstd per call, and the most it writes per call. */
	static final int BUFFER_SIZE = 128 * 1024;

	private static final LongAdder CREATED = new LongAdder();

	private static final ObjectPool<Streamer> STREAMERS = new ObjectPool<>(ObjectPool.defaultCapacity(), Streamer::new,
			Streamer::close);

	private ZstdStreams() {
	}

	/**
	 * Compress everything written to {@code source} into one zstd frame with its content
	 * size.
	 * @param source the bytes
	 * @param level the zstd level
	 * @param headerLength the bytes to reserve at the front of the result for the header
	 * @param maxPayloadLength the longest payload worth keeping
	 * @return the result, exactly {@code headerLength} + payload long, or {@code null}
	 * when the payload would be longer than {@code maxPayloadLength}
	 */
	public static byte @Nullable [] compress(ChunkedOutputStream source, int level, int headerLength,
			int maxPayloadLength) {
		Streamer streamer = STREAMERS.borrow();
		boolean frameEnded = false;
		try {
			// the payload collects in chunks too: no array of the bound's size, however
			// big the value
			ChunkedOutputStream payload = new ChunkedOutputStream();
			ZstdCompressCtx context = streamer.context;
			context.setLevel(level);
			context.setPledgedSrcSize(source.length());
			ByteBuffer in = streamer.in;
			ByteBuffer out = streamer.out;
			int chunks = source.chunkCount();
			for (int c = 0; c < chunks; c++) {
				boolean last = c == chunks - 1;
				in.clear();
				in.put(source.chunk(c), 0, source.chunkLength(c));
				in.flip();
				boolean done;
				do {
					out.clear();
					done = context.compressDirectByteBufferStream(out, in,
							last ? EndDirective.END : EndDirective.CONTINUE);
					out.flip();
					if (payload.length() + out.remaining() > maxPayloadLength) {
						// not worth keeping: the context is mid-frame, and is reset
						// before it goes back to the pool
						return null;
					}
					payload.write(out);
				}
				while (last ? !done : in.hasRemaining());
			}
			frameEnded = true;
			return payload.toByteArray(headerLength);
		}
		finally {
			// an incompressible value's early exit keeps its context and direct buffers
			// (freed only by a GC otherwise: with -XX:+DisableExplicitGC a stream of
			// them ran out of direct memory)
			if (frameEnded || streamer.reset()) {
				STREAMERS.release(streamer);
			}
			else {
				streamer.close();
			}
		}
	}

	/**
	 * Return how many streaming contexts (each with its two direct buffers) were created
	 * since the class was loaded.
	 * @return the count
	 */
	static long streamersCreated() {
		return CREATED.sum();
	}

	/**
	 * Return a stream of the bytes a standard zstd frame decodes to. Check the frame
	 * first ({@link Codec#checkDeclaredLength}); the stream reports a decoding error as
	 * an {@link IOException}.
	 * @param source the stored value
	 * @param offset the first payload byte
	 * @param length the payload length
	 * @return the decoded bytes, to close once read
	 */
	public static InputStream decoder(byte[] source, int offset, int length) {
		try {
			return new ZstdInputStreamNoFinalizer(new ByteArrayInputStream(source, offset, length));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A compression context set up like the one-shot codec's, and its two direct buffers.
	 */
	private static final class Streamer {

		final ZstdCompressCtx context = new ZstdCompressCtx();

		final ByteBuffer in = ByteBuffer.allocateDirect(BUFFER_SIZE);

		final ByteBuffer out = ByteBuffer.allocateDirect((int) Zstd.compressBound(BUFFER_SIZE));

		Streamer() {
			configure();
			CREATED.increment();
		}

		private void configure() {
			this.context.setContentSize(true);
			this.context.setChecksum(false);
			this.context.setDictID(false);
		}

		/**
		 * Abandon a frame in progress and set the context up as new.
		 * @return whether the context can be used again
		 */
		boolean reset() {
			try {
				// a session and its parameters: set them again
				this.context.reset();
				configure();
				return true;
			}
			catch (RuntimeException ex) {
				return false;
			}
		}

		void close() {
			this.context.close();
		}

	}

}
