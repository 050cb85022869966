package io.github.compressredis.cli;

import java.util.Set;

import io.github.compressredis.core.CompressedValueException;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.dictionary.DictionaryProvider;
import io.github.compressredis.core.foreign.ForeignFormat;
import io.github.compressredis.core.foreign.ForeignFormats;
import io.github.compressredis.core.internal.foreign.ForeignValue;
import io.github.compressredis.core.internal.format.Header;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.core.internal.format.WireFormatException;
import io.github.compressredis.core.policy.CompressionPolicy;
import org.jspecify.annotations.Nullable;

/**
 * Says what a stored value is and decodes it: compress-redis's own format through the
 * core's {@link ValueCompressor}, foreign formats through {@link ForeignFormats},
 * anything else plain.
 *
 * @author compress-redis contributors
 */
final class ValueReader {

	private final ValueCompressor compressor;

	private final ForeignFormats foreign;

	private final int maxDecompressedSize;

	ValueReader(CodecRegistry codecs, Set<ForeignFormat> foreign, int maxDecompressedSize,
			@Nullable DictionaryProvider dictionaries) {
		CompressionPolicy policy = CompressionPolicy.builder()
			.algorithm(Algorithm.NONE)
			.maxDecompressedSize(maxDecompressedSize)
			.build();
		this.compressor = ValueCompressor.builder().policy(policy).codecs(codecs).dictionaries(dictionaries).build();
		this.foreign = new ForeignFormats(foreign, codecs);
		this.maxDecompressedSize = maxDecompressedSize;
	}

	ForeignFormats foreign() {
		return this.foreign;
	}

	Reading read(byte[] stored) {
		if (WireFormat.isFramed(stored)) {
			Header header;
			try {
				header = WireFormat.parse(stored);
			}
			catch (WireFormatException ex) {
				return new Reading(Kind.UNREADABLE, "compress-redis", null, null, null,
						ex.getFault().tag() + ": " + ex.getMessage());
			}
			Algorithm algorithm = Algorithm.forId(header.codecId());
			String codec = (algorithm != null) ? algorithm.tag() : "id " + header.codecId();
			try {
				byte[] original = this.compressor.decompress(stored);
				return new Reading(Kind.COMPRESS_REDIS, "compress-redis", codec, header, original, null);
			}
			catch (CompressedValueException ex) {
				return new Reading(Kind.UNREADABLE, "compress-redis", codec, header, null, ex.getMessage());
			}
		}
		try {
			ForeignValue value = this.foreign.decode(stored, this.maxDecompressedSize);
			if (value != null) {
				return new Reading(Kind.FOREIGN, value.format().tag(), value.backend(), null, value.original(), null);
			}
		}
		catch (WireFormatException ex) {
			return new Reading(Kind.UNREADABLE, "foreign", null, null, null,
					ex.getFault().tag() + ": " + ex.getMessage());
		}
		return new Reading(Kind.PLAIN, "plain", null, null, stored, null);
	}

	/** What a value is. */
	enum Kind {

		/** Not compressed by anyone this reader knows: the application's own bytes. */
		PLAIN,

		/** compress-redis's format. */
		COMPRESS_REDIS,

		/** One of the enabled foreign formats. */
		FOREIGN,

		/** It carries a format's magic but does not decode. */
		UNREADABLE

	}

	/**
	 * A value read.
	 *
	 * @param kind what it is
	 * @param format {@code plain}, {@code compress-redis} or a foreign format's tag
	 * @param codec the compression inside, if any
	 * @param header compress-redis's header, if it is in that format
	 * @param original the application's bytes, {@code null} if unreadable
	 * @param error why it is unreadable
	 */
	record Reading(Kind kind, String format, @Nullable String codec, @Nullable Header header,
			byte @Nullable [] original, @Nullable String error) {

		/**
		 * A label such as {@code plain}, {@code compress-redis/zstd} or
		 * {@code glide/lz4}.
		 * @return the label of the value's format
		 */
		String label() {
			if (this.kind == Kind.PLAIN) {
				return "plain";
			}
			return (this.codec != null && !this.codec.equals(this.format)) ? this.format + "/" + this.codec
					: this.format;
		}

	}

}
