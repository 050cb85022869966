package io.github.compressredis.core.codec;

import java.util.concurrent.atomic.AtomicReferenceArray;

import io.github.compressredis.core.internal.codec.Codec;
import io.github.compressredis.core.internal.codec.DeflateCodec;
import io.github.compressredis.core.internal.codec.Lz4Codec;
import io.github.compressredis.core.internal.codec.SnappyCodec;
import io.github.compressredis.core.internal.codec.StoredCodec;
import io.github.compressredis.core.internal.codec.ZstdCodec;
import org.jspecify.annotations.Nullable;

/**
 * Owns one codec per algorithm, created on first use, and releases their native memory on
 * {@link #close()}. One registry is meant to be shared by every serializer of an
 * application; {@link #shared()} is the one serializers made without an application's
 * registry use.
 *
 * @author compress-redis contributors
 */
public final class CodecRegistry implements AutoCloseable {

	private static final String SNAPPY_CLASS = "org.xerial.snappy.Snappy";

	private final boolean closable;

	private final AtomicReferenceArray<@Nullable Codec> codecs = new AtomicReferenceArray<>(16);

	private final Object lock = new Object();

	private volatile boolean closed;

	/**
	 * Create a registry that owns its codecs until {@link #close()}.
	 */
	public CodecRegistry() {
		this(true);
	}

	private CodecRegistry(boolean closable) {
		this.closable = closable;
	}

	/**
	 * Return the registry shared by everything in this class loader that was not given
	 * one of its own, such as
	 * {@link io.github.compressredis.core.CompressingRedisSerializer#of}: at most one
	 * codec per algorithm, each with at most {@code 2 x processors} pooled native
	 * contexts, for the life of the class loader. {@link #close()} does nothing on it,
	 * since others use it.
	 * @return the shared registry
	 */
	public static CodecRegistry shared() {
		return Shared.INSTANCE;
	}

	/**
	 * Return the codec for an algorithm, creating it on first use.
	 * @param algorithm the algorithm
	 * @return the codec
	 * @throws IllegalStateException if the algorithm is not available here (snappy-java
	 * missing, a native library that does not load), with the reason and the fix
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
			throw new IllegalStateException("The native library of " + algorithm.tag() + " could not be loaded (" + ex
					+ "). If the temporary directory is mounted noexec, point java.io.tmpdir (or, for zstd, "
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

	/**
	 * Release every codec's native memory; codecs still held then refuse use. Does
	 * nothing on the {@link #shared() shared} registry.
	 */
	@Override
	public void close() {
		if (!this.closable) {
			return;
		}
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

	/**
	 * Created on first use, so that an application with its own registry never creates
	 * it.
	 */
	private static final class Shared {

		static final CodecRegistry INSTANCE = new CodecRegistry(false);

	}

}
