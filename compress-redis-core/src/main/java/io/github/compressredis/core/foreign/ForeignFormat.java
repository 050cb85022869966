package io.github.compressredis.core.foreign;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A compressed-value format written by another Redis client, read (never written) by
 * {@link ForeignFormats}. The byte layouts are in {@code FORMAT.md}, "Foreign formats".
 *
 * @author compress-redis contributors
 */
public enum ForeignFormat {

	/**
	 * Valkey GLIDE's compression: {@code 00 01 02}, version 0, backend 1 (zstd frame) or
	 * 2 (LE length + lz4 block).
	 */
	GLIDE("glide", true),

	/** One gzip member (RFC 1952), as Lettuce's {@code CompressionCodec} GZIP writes. */
	GZIP("gzip", true),

	/** One standard zstd frame (RFC 8878) with nothing around it. */
	ZSTD_FRAME("zstd-frame", true),

	/** A zlib stream (RFC 1950), as Lettuce's {@code CompressionCodec} DEFLATE writes. */
	LETTUCE_DEFLATE("lettuce-deflate", true),

	/**
	 * Redisson's {@code LZ4Codec}: the original length (4 bytes, big-endian) and one lz4
	 * block; no magic.
	 */
	REDISSON_LZ4("redisson-lz4", false),

	/**
	 * Redisson's {@code ZStdCodec}: the original length (4 bytes, big-endian) and one
	 * zstd frame.
	 */
	REDISSON_ZSTD("redisson-zstd", false);

	private final String tag;

	private final boolean magic;

	ForeignFormat(String tag, boolean magic) {
		this.tag = tag;
		this.magic = magic;
	}

	/**
	 * Return the name used in configuration, on the command line and in meters.
	 * @return the tag
	 */
	public String tag() {
		return this.tag;
	}

	/**
	 * Return whether values of this format begin with a recognisable signature. Formats
	 * without one are read only where named explicitly.
	 * @return whether the format has a magic number
	 */
	public boolean hasMagic() {
		return this.magic;
	}

	/**
	 * Return the format with the given tag.
	 * @param tag a tag such as {@code glide} (case-insensitive, {@code _} accepted for
	 * {@code -})
	 * @return the format
	 * @throws IllegalArgumentException naming the accepted tags
	 */
	public static ForeignFormat forTag(String tag) {
		String wanted = tag.trim().toLowerCase(Locale.ROOT).replace('_', '-');
		for (ForeignFormat format : values()) {
			if (format.tag.equals(wanted)) {
				return format;
			}
		}
		throw new IllegalArgumentException(
				"Unknown foreign format '" + tag + "'; use one of " + tags(EnumSet.allOf(ForeignFormat.class)));
	}

	/**
	 * Parse a comma-separated list of tags; {@code none} or an empty list is the empty
	 * set.
	 * @param tags the list
	 * @return the formats
	 */
	public static Set<ForeignFormat> parse(String tags) {
		Set<ForeignFormat> formats = EnumSet.noneOf(ForeignFormat.class);
		for (String tag : tags.split(",")) {
			if (!tag.isBlank() && !tag.trim().equalsIgnoreCase("none")) {
				formats.add(forTag(tag));
			}
		}
		return formats;
	}

	/**
	 * Return the formats that carry a magic number, which can be recognised without being
	 * named.
	 * @return the formats
	 */
	public static Set<ForeignFormat> withMagic() {
		return Arrays.stream(values())
			.filter(ForeignFormat::hasMagic)
			.collect(Collectors.toCollection(() -> EnumSet.noneOf(ForeignFormat.class)));
	}

	static String tags(Set<ForeignFormat> formats) {
		return formats.stream().map(ForeignFormat::tag).collect(Collectors.joining(", "));
	}

}
