package io.github.compressredis.core.codec;

import java.util.concurrent.atomic.AtomicReferenceArray;

import org.jspecify.annotations.Nullable;

/**
 * Owns one codec per algorithm, created on first use, and releases their native memory on
 * {@link #close()}. One registry is meant to be shared by every serializer of an application.
 */
public final class CodecRegistry implements AutoCloseable {

	private static final String SNAPPY_CLASS = "org.xerial.snappy.Snappy";

	private final AtomicReferenceArray<@Nullable Codec> codecs = new AtomicReferenceArray<>(16);

	private final Object lock = new Object();

	private volatile boolean closed;

	/**
	 * Return the codec for an algorithm, creating it on first use.
	 * @param algorithm the algorithm
	 * @return the codec
	 * @throws IllegalStateException if the algorithm is not available here (snappy-java missing, a
	 * native library that does not load), with the reason and the fix
	 */
	public Codec codec(Algorithm algorithm) {
		Codec codec = this.codecs.get(algorithm.id());
		return (codec != null) ? codec : create(algorithm);
	}

	/**
	 * Return whether the algorithm can be used here.
	 * @param algorithm the algorithm
	 * @return {@code false} when its library is missing or its native code does not load
	 */
	public boolean isAvailable(Algorithm algorithm) {
		try {
			codec(algorithm);
			return true;
		}
		catch (IllegalStateException ex) {
			return false;
		}
	}

	private Codec create(Algorithm algorithm) {
		synchronized (this.lock) {
			if (this.closed) {
				throw new IllegalStateException("CodecRegistry is closed");
			}
			Codec existing = this.codecs.get(algorithm.id());
			if (existing != null) {
				return existing;
			}
			Codec codec = instantiate(algorithm);
			this.codecs.set(algorithm.id(), codec);
			return codec;
		}
	}

	private static Codec instantiate(Algorithm algorithm) {
		try {
			return switch (algorithm) {
				case NONE -> new StoredCodec();
				case ZSTD -> new ZstdCodec();
				case LZ4 -> new Lz4Codec();
				case GZIP -> new DeflateCodec(true);
				case DEFLATE -> new DeflateCodec(false);
				case SNAPPY -> snappy();
			};
		}
		catch (LinkageError ex) {
			throw new IllegalStateException("The native library of " + algorithm.tag() + " could not be loaded ("
					+ ex + "). If the temporary directory is mounted noexec, point java.io.tmpdir (or, for zstd, "
					+ "ZstdTempFolder) at an executable directory; on musl (Alpine) use a glibc base image or "
					+ "choose another algorithm", ex);
		}
	}

	private static Codec snappy() {
		try {
			Class.forName(SNAPPY_CLASS, false, CodecRegistry.class.getClassLoader());
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalStateException(
					"snappy is not available: add org.xerial.snappy:snappy-java to the classpath or choose another algorithm",
					ex);
		}
		return new SnappyCodec();
	}

	@Override
	public void close() {
		synchronized (this.lock) {
			this.closed = true;
			for (int i = 0; i < this.codecs.length(); i++) {
				Codec codec = this.codecs.getAndSet(i, null);
				if (codec != null) {
					codec.close();
				}
			}
		}
	}

}
