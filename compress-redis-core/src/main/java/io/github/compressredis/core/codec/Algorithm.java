package io.github.compressredis.core.codec;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * The compression algorithms, each with its wire codec id and its range of levels.
 *
 * @author compress-redis contributors
 */
public enum Algorithm {

	/**
	 * No compression: values are stored as the delegate serialized them ("stored" codec,
	 * id 0).
	 */
	NONE(0, "none", 0, 0, 0),

	/**
	 * Zstandard; negative levels are zstd's fast levels, 1 to 22 trade speed for ratio.
	 */
	ZSTD(1, "zstd", -22, 22, 3),

	/**
	 * LZ4 block format; level 0 is the fast compressor, 1 to 17 the high-compression one.
	 */
	LZ4(2, "lz4", 0, 17, 0),

	/** Deflate in a gzip (RFC 1952) member, readable with the {@code gzip} tool. */
	GZIP(3, "gzip", 0, 9, 6),

	/** Raw deflate (RFC 1951): gzip's algorithm with 18 fewer bytes of framing. */
	DEFLATE(4, "deflate", 0, 9, 6),

	/** Snappy raw format; only available when snappy-java is on the classpath. */
	SNAPPY(5, "snappy", 0, 0, 0);

	private static final Algorithm[] BY_ID = new Algorithm[16];

	static {
		for (Algorithm algorithm : values()) {
			BY_ID[algorithm.id] = algorithm;
		}
	}

	private final int id;

	private final String tag;

	private final int minLevel;

	private final int maxLevel;

	private final int defaultLevel;

	Algorithm(int id, String tag, int minLevel, int maxLevel, int defaultLevel) {
		this.id = id;
		this.tag = tag;
		this.minLevel = minLevel;
		this.maxLevel = maxLevel;
		this.defaultLevel = defaultLevel;
	}

	/**
	 * Return the codec id written in the header.
	 * @return the id, 0 to 15
	 */
	public int id() {
		return this.id;
	}

	/**
	 * Return the lower-case name used in configuration, metrics tags and the endpoint.
	 * @return the name
	 */
	public String tag() {
		return this.tag;
	}

	public int minLevel() {
		return this.minLevel;
	}

	public int maxLevel() {
		return this.maxLevel;
	}

	public int defaultLevel() {
		return this.defaultLevel;
	}

	/**
	 * Return whether the given level is valid for this algorithm.
	 * @param level the level
	 * @return whether it is in range
	 */
	public boolean isValidLevel(int level) {
		return level >= this.minLevel && level <= this.maxLevel;
	}

	/**
	 * Return the algorithm with the given codec id.
	 * @param id the codec id from a header
	 * @return the algorithm, or {@code null} if no algorithm has that id
	 */
	public static @Nullable Algorithm forId(int id) {
		return (id >= 0 && id < BY_ID.length) ? BY_ID[id] : null;
	}

	/**
	 * Return the algorithm with the given name, ignoring case; {@code stored} is accepted
	 * for {@link #NONE}.
	 * @param name the name
	 * @return the algorithm
	 * @throws IllegalArgumentException naming the valid values if there is none of that
	 * name
	 */
	public static Algorithm forName(String name) {
		String normalized = name.trim().toLowerCase(Locale.ROOT);
		if ("stored".equals(normalized)) {
			return NONE;
		}
		for (Algorithm algorithm : values()) {
			if (algorithm.tag.equals(normalized)) {
				return algorithm;
			}
		}
		throw new IllegalArgumentException("Unknown compression algorithm '" + name + "'; use one of "
				+ Arrays.stream(values()).map(Algorithm::tag).collect(Collectors.joining(", ")));
	}

}
