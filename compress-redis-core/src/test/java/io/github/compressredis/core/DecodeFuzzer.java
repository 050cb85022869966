package io.github.compressredis.core;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.format.DecodeFault;
import io.github.compressredis.core.internal.codec.Codec;
import io.github.compressredis.core.internal.format.Header;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.CompressionStats;

/**
 * The seeded mutation loop shared by {@link DecodeFuzzTests} (a million inputs on every
 * build) and {@link DecodeFuzzHarness} (as many as asked): valid encodings of every
 * codec, mutated by truncation, bit flips, overwrites, header-field changes, trailing
 * garbage and forged lengths, each decode either failing with a named
 * {@link CompressedValueException} or decoding to what the mutated header promises. Every
 * case uses its own seeded {@link SplittableRandom}; a failure names the case, the seed
 * and the mutation.
 */
final class DecodeFuzzer {

	/** The seed the test uses. */
	static final long BASE_SEED = 0x5EEDC0DEL;

	/** Up to this encoded size every truncation length is tried, above it random ones. */
	static final int EVERY_TRUNCATION_UP_TO = 4096;

	static final int FORGED_MAX = WireFormat.MAX_ORIGINAL_LENGTH;

	/** Kinds of random mutation {@link #mutate} knows. */
	static final int MUTATION_KINDS = 13;

	private DecodeFuzzer() {
	}

	/**
	 * Decode the fixed mutations of a case (every truncation of small encodings, forged
	 * lengths) and then {@code randomMutations} seeded random ones.
	 * @param fuzzCase the case
	 * @param compressor the reader
	 * @param randomMutations how many random mutations
	 * @return what the decodes did
	 * @throws AssertionError naming the case, seed and mutation when a decode misbehaves
	 */
	static Outcomes fuzz(Case fuzzCase, ValueCompressor compressor, long randomMutations) {
		Outcomes outcomes = new Outcomes();
		SplittableRandom random = new SplittableRandom(fuzzCase.seed);
		byte[] encoded = fuzzCase.encoded;
		// fixed mutations: truncations and forged lengths
		if (encoded.length <= EVERY_TRUNCATION_UP_TO) {
			for (int length = 0; length < encoded.length; length++) {
				decode(fuzzCase, compressor, Arrays.copyOf(encoded, length), "truncated to " + length, -1, outcomes);
			}
		}
		int declared = fuzzCase.original.length;
		long[] lengths = { 0, 1, declared - 1L, declared + 1L, 1 << 20, FORGED_MAX, Integer.MAX_VALUE };
		for (long length : lengths) {
			if (length >= 0) {
				byte[] varint = (length == Integer.MAX_VALUE) ? fiveByteVarint(length) : varint(length);
				decode(fuzzCase, compressor, withLength(fuzzCase, varint), "length " + length, -1, outcomes);
			}
		}
		decode(fuzzCase, compressor, withLength(fuzzCase, nonMinimal(varint(declared))), "non-minimal length", -1,
				outcomes);
		decode(fuzzCase, compressor, withLength(fuzzCase, fiveByteVarint(declared)), "five-byte length", -1, outcomes);
		for (long i = 0; i < randomMutations; i++) {
			int kind = random.nextInt(MUTATION_KINDS);
			outcomes.mutationsByKind.merge(kind, 1L, Long::sum);
			byte[] mutated = mutate(fuzzCase, kind, random);
			decode(fuzzCase, compressor, mutated, "mutation " + kind, i, outcomes);
		}
		return outcomes;
	}

	static byte[] mutate(Case fuzzCase, int kind, SplittableRandom random) {
		byte[] encoded = fuzzCase.encoded;
		byte[] mutated = encoded.clone();
		switch (kind) {
			case 0 -> {
				// truncation at a random length
				return Arrays.copyOf(encoded, random.nextInt(encoded.length));
			}
			case 1 -> flip(mutated, random.nextInt(mutated.length), random);
			case 2 -> {
				// several flips, most often near the header where parsing decisions are
				// made
				int flips = random.nextInt(2, 9);
				for (int i = 0; i < flips; i++) {
					int bound = random.nextBoolean() ? Math.min(mutated.length, 24) : mutated.length;
					flip(mutated, random.nextInt(bound), random);
				}
			}
			case 3 -> {
				int overwrites = random.nextInt(1, 5);
				for (int i = 0; i < overwrites; i++) {
					mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
				}
			}
			case 4 -> mutated[2] = (byte) ((mutated[2] & 0xF0) | random.nextInt(16));
			case 5 -> mutated[2] = (byte) ((random.nextInt(16) << 4) | (mutated[2] & 0x0F));
			case 6 -> mutated[3] |= (byte) (0x04 << random.nextInt(6));
			case 7 -> mutated[3] |= WireFormat.FLAG_DICTIONARY;
			case 8 -> {
				// a well-formed dictionary id this reader does not have
				return withDictionary(fuzzCase, random.nextInt(1, 1 << 21));
			}
			case 9 -> {
				int count = random.nextInt(1, Math.min(12, mutated.length - 2) + 1);
				for (int i = 0; i < count; i++) {
					mutated[2 + i] = (byte) random.nextInt(256);
				}
			}
			case 10 -> {
				byte[] garbage = new byte[random.nextInt(1, 17)];
				random.nextBytes(garbage);
				byte[] longer = Arrays.copyOf(encoded, encoded.length + garbage.length);
				System.arraycopy(garbage, 0, longer, encoded.length, garbage.length);
				return longer;
			}
			case 11 -> {
				// a forged length anywhere in the format's range
				long length = random.nextBoolean() ? random.nextInt(Math.max(1, 2 * fuzzCase.original.length + 64))
						: random.nextLong(FORGED_MAX + 1L);
				return withLength(fuzzCase, varint(length));
			}
			default -> {
				// a payload byte changed, the header intact
				int payloadOffset = fuzzCase.payloadOffset;
				if (payloadOffset < mutated.length) {
					flip(mutated, payloadOffset + random.nextInt(mutated.length - payloadOffset), random);
				}
			}
		}
		return mutated;
	}

	static void decode(Case fuzzCase, ValueCompressor compressor, byte[] mutated, String mutation, long attempt,
			Outcomes outcomes) {
		outcomes.attempts++;
		byte[] result;
		try {
			result = compressor.decompress(mutated);
		}
		catch (CompressedValueException ex) {
			if (ex.getFault() == null || ex.getMessage() == null || !ex.getMessage().contains("codec")
					|| !ex.getMessage().contains("declared size")) {
				throw new AssertionError(describe(fuzzCase, mutated, mutation, attempt) + ": unhelpful failure " + ex,
						ex);
			}
			outcomes.exceptions++;
			outcomes.faults.merge(ex.getFault(), 1L, Long::sum);
			return;
		}
		catch (Throwable ex) {
			throw new AssertionError(describe(fuzzCase, mutated, mutation, attempt) + ": threw " + ex, ex);
		}
		if (!WireFormat.isFramed(mutated)) {
			// the mutation removed the magic: a plain value, handed to the delegate as it
			// is
			if (result != mutated) {
				throw new AssertionError(describe(fuzzCase, mutated, mutation, attempt) + ": plain value was changed");
			}
			outcomes.plainReads++;
			return;
		}
		Header header = WireFormat.parse(mutated);
		if (header.checksumPresent() && header.codecId() == fuzzCase.algorithm.id()) {
			if (!Arrays.equals(result, fuzzCase.original)) {
				throw new AssertionError(describe(fuzzCase, mutated, mutation, attempt)
						+ ": decoded to other bytes despite the checksum");
			}
			outcomes.exactDecodes++;
		}
		else if (result.length != header.originalLength()) {
			// Without a checksum (or read with another codec) a decode can succeed with
			// other bytes of
			// the declared length: a bit flip in an lz4 literal or a stored payload
			// decodes to
			// different bytes of the right length. That is why the checksum is on by
			// default.
			throw new AssertionError(describe(fuzzCase, mutated, mutation, attempt) + ": decoded " + result.length
					+ " bytes, the header declares " + header.originalLength());
		}
	}

	static String describe(Case fuzzCase, byte[] mutated, String mutation, long attempt) {
		String hex = HexFormat.of().formatHex(mutated, 0, Math.min(mutated.length, 48));
		return "case " + fuzzCase.name + " (seed 0x" + Long.toHexString(fuzzCase.seed) + ", " + mutation
				+ ((attempt >= 0) ? ", attempt " + attempt : "") + ", " + mutated.length + " bytes: " + hex
				+ ((mutated.length > 48) ? "..." : "") + ")";
	}

	private static void flip(byte[] bytes, int index, SplittableRandom random) {
		bytes[index] ^= (byte) (1 << random.nextInt(8));
	}

	/**
	 * Return the cases: every codec, with and without checksum, on five inputs from empty
	 * to 64 KiB.
	 * @param codecs the codecs that encode them
	 * @param baseSeed the seed from which each case's seed derives
	 * @return 60 cases, each checked to decode unmutated
	 */
	static List<Case> cases(CodecRegistry codecs, long baseSeed) {
		List<byte[]> inputs = List.of(new byte[0], "hello, compressed redis".getBytes(StandardCharsets.UTF_8),
				TestJson.json(4096), CodecRoundTripTests.repetitive(65536), CodecRoundTripTests.random(1000, 99));
		List<String> names = List.of("empty", "small", "json-4k", "repetitive-64k", "random-1k");
		List<Case> cases = new ArrayList<>();
		for (Algorithm algorithm : Algorithm.values()) {
			for (boolean checksum : new boolean[] { true, false }) {
				for (int i = 0; i < inputs.size(); i++) {
					String name = algorithm.tag() + "/" + names.get(i) + (checksum ? "/crc" : "/no-crc");
					byte[] original = inputs.get(i);
					byte[] encoded = encode(codecs.codec(algorithm), original, checksum);
					long seed = baseSeed ^ ((long) name.hashCode() << 16);
					cases.add(new Case(name, algorithm, checksum, original, encoded,
							WireFormat.parse(encoded).payloadOffset(), seed));
				}
			}
		}
		// the valid encodings themselves decode
		ValueCompressor check = compressor(CompressionPolicy.defaults());
		for (Case fuzzCase : cases) {
			if (!Arrays.equals(check.decompress(fuzzCase.encoded), fuzzCase.original)) {
				throw new AssertionError("case " + fuzzCase.name + " does not decode unmutated");
			}
		}
		return cases;
	}

	/**
	 * Encode the way the compressor does, but always framed, even when it does not pay
	 * off.
	 */
	static byte[] encode(Codec codec, byte[] original, boolean checksum) {
		int headerLength = WireFormat.headerLength(original.length, 0, checksum);
		byte[] encoded = codec.compress(original, codec.algorithm().defaultLevel(), headerLength, Integer.MAX_VALUE);
		int crc = checksum ? WireFormat.crc32c(original, 0, original.length) : 0;
		WireFormat.writeHeader(encoded, codec.algorithm().id(), original.length, 0, checksum, crc);
		return encoded;
	}

	/**
	 * Replace the length varint of a case's encoding (the rest of the header and the
	 * payload stay).
	 */
	static byte[] withLength(Case fuzzCase, byte[] varint) {
		byte[] encoded = fuzzCase.encoded;
		int after = 4 + varint(fuzzCase.original.length).length;
		ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length + 8);
		out.write(encoded, 0, 4);
		out.write(varint, 0, varint.length);
		out.write(encoded, after, encoded.length - after);
		return out.toByteArray();
	}

	static byte[] withDictionary(Case fuzzCase, int dictionaryId) {
		byte[] encoded = fuzzCase.encoded;
		int after = 4 + varint(fuzzCase.original.length).length;
		byte[] dictionary = varint(dictionaryId);
		ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length + 8);
		out.write(encoded, 0, after);
		out.write(dictionary, 0, dictionary.length);
		out.write(encoded, after, encoded.length - after);
		byte[] result = out.toByteArray();
		result[3] |= WireFormat.FLAG_DICTIONARY;
		return result;
	}

	static byte[] frame(int codecId, int declared, boolean checksum, byte[] payload) {
		byte[] header = new byte[WireFormat.headerLength(declared, 0, checksum)];
		WireFormat.writeHeader(header, codecId, declared, 0, checksum, 0x12345678);
		byte[] value = Arrays.copyOf(header, header.length + payload.length);
		System.arraycopy(payload, 0, value, header.length, payload.length);
		return value;
	}

	static byte[] varint(long value) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(5);
		long v = value;
		while ((v & ~0x7FL) != 0) {
			out.write((int) ((v & 0x7F) | 0x80));
			v >>>= 7;
		}
		out.write((int) v);
		return out.toByteArray();
	}

	/** The value as a five-byte varint: minimal only for values of 2^28 and above. */
	static byte[] fiveByteVarint(long value) {
		byte[] bytes = new byte[5];
		for (int i = 0; i < 4; i++) {
			bytes[i] = (byte) (((value >>> (7 * i)) & 0x7F) | 0x80);
		}
		bytes[4] = (byte) ((value >>> 28) & 0x7F);
		return bytes;
	}

	/**
	 * The varint with a redundant trailing zero group (its last byte given a continuation
	 * bit).
	 */
	static byte[] nonMinimal(byte[] varint) {
		byte[] bytes = Arrays.copyOf(varint, varint.length + 1);
		bytes[varint.length - 1] |= (byte) 0x80;
		return bytes;
	}

	static ValueCompressor compressor(CompressionPolicy policy) {
		return new ValueCompressor(new CompressionPolicyHolder(policy), new CodecRegistry(), new CompressionStats());
	}

	record Case(String name, Algorithm algorithm, boolean checksum, byte[] original, byte[] encoded, int payloadOffset,
			long seed) {
	}

	/** What one case's decodes did; confined to the thread that runs the case. */
	static final class Outcomes {

		long attempts;

		long exceptions;

		long plainReads;

		long exactDecodes;

		final Map<DecodeFault, Long> faults = new EnumMap<>(DecodeFault.class);

		final Map<Integer, Long> mutationsByKind = new TreeMap<>();

		void add(Outcomes other) {
			this.attempts += other.attempts;
			this.exceptions += other.exceptions;
			this.plainReads += other.plainReads;
			this.exactDecodes += other.exactDecodes;
			other.faults.forEach((fault, count) -> this.faults.merge(fault, count, Long::sum));
			other.mutationsByKind.forEach((kind, count) -> this.mutationsByKind.merge(kind, count, Long::sum));
		}

	}

}
