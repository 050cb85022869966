package io.github.compressredis.core;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.dictionary.DictionaryProvider;
import io.github.compressredis.core.dictionary.DictionaryTarget;
import io.github.compressredis.core.foreign.ForeignFormats;
import io.github.compressredis.core.format.DecodeFault;
import io.github.compressredis.core.internal.RateLimitedWarning;
import io.github.compressredis.core.internal.codec.ChunkedOutputStream;
import io.github.compressredis.core.internal.codec.Codec;
import io.github.compressredis.core.internal.codec.CompressedInput;
import io.github.compressredis.core.internal.codec.ZstdDictionaryCodec;
import io.github.compressredis.core.internal.codec.ZstdStreams;
import io.github.compressredis.core.internal.foreign.ForeignValue;
import io.github.compressredis.core.internal.format.Header;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.core.internal.format.WireFormatException;
import io.github.compressredis.core.internal.resilience.Admission;
import io.github.compressredis.core.internal.stats.CompressionObserver;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.resilience.CompressionBreaker;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.core.stats.FallbackReason;
import io.github.compressredis.core.stats.WriteOutcome;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Turns a value's bytes into what is stored in Redis and back, following the policy in
 * force for writes (unless its {@link CompressionBreaker} degrades them) and the value's
 * own header for reads. With a {@link DictionaryTarget}, zstd writes of values up to its
 * max-sample-size use the target's trained dictionary, at its level, once it has one;
 * with a {@link DictionaryProvider}, values written with a dictionary read back.
 * Thread-safe; shared by serializers.
 *
 * @author compress-redis contributors
 */
public final class ValueCompressor {

	private static final Log logger = LogFactory.getLog(ValueCompressor.class);

	private final CompressionPolicyHolder policies;

	private final CodecRegistry codecs;

	private final CompressionStats stats;

	private final @Nullable CompressionBreaker breaker;

	private final @Nullable DictionaryProvider dictionaries;

	private final @Nullable DictionaryTarget dictionaryTarget;

	private final @Nullable ForeignFormats foreignFormats;

	/**
	 * Values of at least this many bytes stream through {@link #compress(Consumer)} and
	 * {@link #decompress(byte[], Function)} (with zstd); smaller ones are cheaper as one
	 * array.
	 */
	public static final int STREAMING_THRESHOLD = 256 * 1024;

	/** The longest signature {@link CompressedInput#formatOf} looks for. */
	private static final int FORMAT_SIGNATURE_LENGTH = 16;

	private final RateLimitedWarning failureWarning = new RateLimitedWarning(logger);

	/**
	 * Create a compressor with a policy, codecs and statistics; {@link #builder()} names
	 * the rest.
	 * @param policies the policy in force
	 * @param codecs the codecs
	 * @param stats the statistics
	 */
	public ValueCompressor(CompressionPolicyHolder policies, CodecRegistry codecs, CompressionStats stats) {
		this(policies, codecs, stats, null);
	}

	/**
	 * Create a compressor whose writes a breaker may degrade.
	 * @param policies the policy in force
	 * @param codecs the codecs
	 * @param stats the statistics (give the breaker the same ones)
	 * @param breaker the breaker, {@code null} for none
	 */
	public ValueCompressor(CompressionPolicyHolder policies, CodecRegistry codecs, CompressionStats stats,
			@Nullable CompressionBreaker breaker) {
		this(policies, codecs, stats, breaker, null, null);
	}

	/**
	 * Create a compressor that reads (and, with a target, writes) values with trained
	 * dictionaries.
	 * @param policies the policy in force
	 * @param codecs the codecs
	 * @param stats the statistics
	 * @param breaker the breaker, {@code null} for none
	 * @param dictionaries where readers find dictionaries, {@code null} for none (values
	 * written with one then fail with {@code missing-dictionary})
	 * @param dictionaryTarget the dictionary namespace zstd writes use, {@code null} to
	 * write without
	 */
	public ValueCompressor(CompressionPolicyHolder policies, CodecRegistry codecs, CompressionStats stats,
			@Nullable CompressionBreaker breaker, @Nullable DictionaryProvider dictionaries,
			@Nullable DictionaryTarget dictionaryTarget) {
		this(policies, codecs, stats, breaker, dictionaries, dictionaryTarget, null);
	}

	/**
	 * Create a compressor that also reads values other clients compressed.
	 * @param policies the policy in force
	 * @param codecs the codecs
	 * @param stats the statistics
	 * @param breaker the breaker, {@code null} for none
	 * @param dictionaries where readers find dictionaries, {@code null} for none
	 * @param dictionaryTarget the target writes use, {@code null} to write without
	 * @param foreignFormats the foreign formats plain-looking values are read as,
	 * {@code null} for none
	 */
	public ValueCompressor(CompressionPolicyHolder policies, CodecRegistry codecs, CompressionStats stats,
			@Nullable CompressionBreaker breaker, @Nullable DictionaryProvider dictionaries,
			@Nullable DictionaryTarget dictionaryTarget, @Nullable ForeignFormats foreignFormats) {
		this.foreignFormats = foreignFormats;
		this.dictionaries = (dictionaries != null || dictionaryTarget == null) ? dictionaries
				: dictionaryTarget.registry();
		this.dictionaryTarget = dictionaryTarget;
		this.policies = Objects.requireNonNull(policies, "'policies' must not be null");
		this.codecs = Objects.requireNonNull(codecs, "'codecs' must not be null");
		this.stats = Objects.requireNonNull(stats, "'stats' must not be null");
		this.breaker = breaker;
	}

	/**
	 * Return a compressor with the same policy, codecs and statistics and the given
	 * breaker.
	 * @param breaker the breaker, {@code null} for none
	 * @return this compressor if it already has that breaker, else a new one
	 */
	public ValueCompressor withBreaker(@Nullable CompressionBreaker breaker) {
		return (breaker == this.breaker) ? this : new ValueCompressor(this.policies, this.codecs, this.stats, breaker,
				this.dictionaries, this.dictionaryTarget, this.foreignFormats);
	}

	/**
	 * Return a compressor with the same policy, codecs, statistics and breaker that reads
	 * values with dictionaries from a provider and writes with a target's dictionary.
	 * @param dictionaries where readers find dictionaries, {@code null} for none
	 * @param dictionaryTarget the target writes use, {@code null} to write without
	 * @return the new compressor
	 */
	public ValueCompressor withDictionaries(@Nullable DictionaryProvider dictionaries,
			@Nullable DictionaryTarget dictionaryTarget) {
		return new ValueCompressor(this.policies, this.codecs, this.stats, this.breaker, dictionaries, dictionaryTarget,
				this.foreignFormats);
	}

	/**
	 * Return a compressor like this one that reads values in the given foreign formats
	 * (read-only: writes are always compress-redis's format).
	 * @param foreignFormats the formats, {@code null} for none
	 * @return the new compressor
	 */
	public ValueCompressor withForeignFormats(@Nullable ForeignFormats foreignFormats) {
		return new ValueCompressor(this.policies, this.codecs, this.stats, this.breaker, this.dictionaries,
				this.dictionaryTarget, foreignFormats);
	}

	public @Nullable ForeignFormats getForeignFormats() {
		return this.foreignFormats;
	}

	public @Nullable DictionaryProvider getDictionaries() {
		return this.dictionaries;
	}

	public @Nullable DictionaryTarget getDictionaryTarget() {
		return this.dictionaryTarget;
	}

	public CompressionPolicyHolder getPolicies() {
		return this.policies;
	}

	public CodecRegistry getCodecs() {
		return this.codecs;
	}

	public CompressionStats getStats() {
		return this.stats;
	}

	public @Nullable CompressionBreaker getBreaker() {
		return this.breaker;
	}

	/**
	 * Return the bytes to store for a value's serialized bytes: compressed and framed
	 * when the policy says so and it saves enough, otherwise the same array (framed with
	 * the stored codec only if it begins with the magic). Never fails: a codec error
	 * stores the bytes plain. While the breaker is tripped, compresses at a faster level
	 * or stores plain without trying.
	 * @param original the delegate's bytes
	 * @return the bytes to store
	 */
	public byte[] compress(byte[] original) {
		return compress(this.policies.policyForWrite(), original, null);
	}

	/**
	 * Return the bytes to store for a value a writer produces, as
	 * {@link #compress(byte[])} does, without one array of the value's full size when it
	 * is big: the writer's bytes collect in fixed-size chunks and, for a value of at
	 * least {@link #STREAMING_THRESHOLD} bytes that the policy compresses with zstd
	 * (without a trained dictionary), are compressed from them. Every other value takes
	 * the byte-array path. Either way the outcome, the statistics, the observer's calls
	 * and the breaker's samples are those of {@link #compress(byte[])}, and so are the
	 * stored bytes of a value within zstd's window at the policy's level; a longer value
	 * may be stored as a different zstd frame, as valid and decoded to the same bytes by
	 * every reader.
	 * @param writer writes the value's bytes to the stream it is given (and does not
	 * close it); what it throws is thrown as it is, before anything is counted
	 * @return the bytes to store
	 */
	public byte[] compress(Consumer<? super OutputStream> writer) {
		Objects.requireNonNull(writer, "'writer' must not be null");
		ChunkedOutputStream chunks = new ChunkedOutputStream();
		writer.accept(chunks);
		CompressionPolicy policy = this.policies.policyForWrite();
		long length = chunks.length();
		DictionaryTarget target = this.dictionaryTarget;
		// zstd alone compresses from chunks (lz4's block API and the others need the
		// whole value); a value stored plain, or short enough for a dictionary, is an
		// array anyway
		if (length < STREAMING_THRESHOLD || policy.algorithm() != Algorithm.ZSTD || length < policy.minSize()
				|| length > policy.maxDecompressedSize() || (target != null && length <= target.maxSize())) {
			return compress(policy, chunks.toByteArray(), null);
		}
		return compress(policy, null, chunks);
	}

	/**
	 * Compress a value given as one array ({@code original}) or, for a streamed zstd
	 * write, as chunks too long for a dictionary.
	 * @param policy the policy of this write
	 * @param original the value, {@code null} when it is given as chunks
	 * @param chunks the value, {@code null} when it is given as one array
	 * @return the bytes to store
	 */
	private byte[] compress(CompressionPolicy policy, byte @Nullable [] original,
			@Nullable ChunkedOutputStream chunks) {
		Algorithm algorithm = policy.algorithm();
		int length = (original != null) ? original.length : Math.toIntExact(chunks.length());
		int minSize = policy.minSize();
		int level = policy.level();
		ZstdDictionaryCodec dictionary = null;
		DictionaryTarget target = this.dictionaryTarget;
		if (target != null && algorithm == Algorithm.ZSTD) {
			int dictionaryLevel = target.writeLevel(level);
			if (original != null) {
				// streamed values are longer than any sample
				target.offer(original, dictionaryLevel);
			}
			dictionary = (length <= target.maxSize()) ? target.codec() : null;
			if (dictionary != null) {
				// small values that plain zstd cannot shrink are what a dictionary is for
				minSize = Math.min(minSize, target.minSize());
				level = dictionaryLevel;
			}
		}
		if (algorithm == Algorithm.NONE || length < minSize) {
			byte[] stored = storePlain(original, chunks, policy);
			this.stats.recordWrite((algorithm == Algorithm.NONE) ? WriteOutcome.DISABLED : WriteOutcome.TOO_SMALL,
					algorithm, length, stored.length, 0);
			return stored;
		}
		if (length > policy.maxDecompressedSize()) {
			// readers refuse to decode more than this, so only the plain (or stored) form
			// stays readable
			byte[] stored = storePlain(original, chunks, policy);
			this.stats.recordWrite(WriteOutcome.TOO_LARGE, algorithm, length, stored.length, 0);
			return stored;
		}
		if (CompressedInput.formatOf((original != null) ? original : chunks.head(FORMAT_SIGNATURE_LENGTH)) != null) {
			// compressing it again costs a codec call and is then dropped by the ratio
			// gate
			byte[] stored = storePlain(original, chunks, policy);
			this.stats.recordWrite(WriteOutcome.INCOMPRESSIBLE, algorithm, length, stored.length, 0);
			return stored;
		}
		CompressionBreaker breaker = this.breaker;
		Admission admission = (breaker != null) ? breaker.admit() : Admission.NORMAL;
		if (breaker != null && admission == Admission.PLAIN) {
			byte[] stored = storePlain(original, chunks, policy);
			this.stats.recordWrite(WriteOutcome.SKIPPED, algorithm, length, stored.length, 0);
			this.stats.recordFallback(breaker.reason());
			return stored;
		}
		if (breaker != null && admission == Admission.FASTER_LEVEL) {
			int faster = breaker.level(admission, algorithm, level);
			if (faster != level) {
				this.stats.recordFallback(breaker.reason());
				level = faster;
			}
		}
		@Nullable Object observation = this.stats.startCompress(algorithm, length);
		// decided once: an observer installed during the write must not get a time
		// measured from 0
		boolean timed = breaker != null || timed();
		long start = now(breaker, timed);
		// dictionary writes are small values at a level chosen for them: microseconds,
		// not sampled
		boolean sampled = breaker != null && dictionary == null
				&& breaker.sampleCost(admission, algorithm, level, start);
		try {
			boolean checksum = policy.checksum();
			int version = policy.writeVersion();
			int dictionaryId = (dictionary != null) ? dictionary.id() : 0;
			int headerLength = WireFormat.headerLength(version, length, dictionaryId, checksum);
			long maxStored = (long) Math.floor(length * policy.maxRatio());
			int maxPayload = (int) Math.max(0, maxStored - headerLength);
			Codec codec = (dictionary != null) ? dictionary : this.codecs.codec(algorithm);
			boolean worthTrying = maxStored > headerLength;
			// the reference first: what warming up costs (a codec's first use, a larger
			// scratch buffer)
			// then lands on it, which can only make the write look cheaper, never slower
			// than it is
			long referenceCost = (sampled && worthTrying)
					? referenceCost(breaker, codec, original, chunks, headerLength, maxPayload)
					: CompressionBreaker.NOT_MEASURED;
			if (referenceCost >= 0) {
				// the wall time of this write starts after the reference
				start = now(breaker, timed);
			}
			long cpuStart = (referenceCost >= 0) ? breaker.cpuTime() : CompressionBreaker.NOT_MEASURED;
			long waitStart = (cpuStart >= 0) ? breaker.waitTime() : CompressionBreaker.NOT_MEASURED;
			byte[] compressed = null;
			if (worthTrying) {
				compressed = (chunks != null) ? ZstdStreams.compress(chunks, level, headerLength, maxPayload)
						: codec.compress(original, level, headerLength, maxPayload);
			}
			long cost = (cpuStart >= 0) ? cpuSince(breaker, cpuStart)
					: (sampled && worthTrying) ? CompressionBreaker.CPU_UNAVAILABLE : CompressionBreaker.NOT_MEASURED;
			long waited = (waitStart >= 0) ? waitedSince(breaker, waitStart) : 0;
			long end = now(breaker, timed);
			if (breaker != null) {
				breaker.onCompressed(admission, algorithm, level, length, start + waited, end, cost, referenceCost);
			}
			if (compressed == null) {
				byte[] stored = storePlain(original, chunks, policy);
				this.stats.recordWrite(WriteOutcome.NOT_WORTH_IT, algorithm, length, stored.length, end - start,
						observation);
				return stored;
			}
			if (chunks != null) {
				WireFormat.writeHeader(version, compressed, algorithm.id(), length, checksum, chunks::update);
			}
			else {
				WireFormat.writeHeader(version, compressed, algorithm.id(), original, dictionaryId,
						(dictionary != null) ? dictionary.fingerprint() : 0, checksum);
			}
			this.stats.recordWrite(WriteOutcome.COMPRESSED, algorithm, length, compressed.length, end - start,
					observation);
			return compressed;
		}
		catch (RuntimeException | OutOfMemoryError ex) {
			// the write must succeed: store the delegate's bytes as they are
			long end = now(breaker, timed);
			if (breaker != null) {
				breaker.onFailed(admission, end, ex);
			}
			warnCompressionFailure(algorithm, length, ex);
			byte[] stored = storePlain(original, chunks, policy);
			this.stats.recordWrite(WriteOutcome.FAILED, algorithm, length, stored.length, end - start, observation);
			this.stats.recordFallback(FallbackReason.COMPRESSION_FAILED);
			return stored;
		}
	}

	/**
	 * Return the original bytes of a stored value: decoded if it is framed, the same
	 * array if it is plain.
	 * @param stored the bytes read from Redis
	 * @return the original bytes
	 * @throws CompressedValueException if the value is framed but cannot be decoded
	 * exactly
	 */
	public byte[] decompress(byte[] stored) {
		return (byte[]) decode(stored, null);
	}

	/**
	 * Read a stored value through a reader of its original bytes, as
	 * {@link #decompress(byte[])} decodes them, without one array of the value's full
	 * size when it is big: a zstd value (without a trained dictionary) of at least
	 * {@link #STREAMING_THRESHOLD} original bytes is decoded as a stream straight into
	 * the reader; every other value is decoded as an array first. Before anything the
	 * reader returns is returned, the bytes it was given (and what it left unread) are
	 * checked against the declared length and the checksum: a value that fails them is a
	 * {@link CompressedValueException}, whatever the reader threw on the way. The header
	 * checks, statistics and observer's calls are those of {@link #decompress(byte[])}
	 * (the time of a streamed read includes the reader's: decoding and reading are
	 * interleaved). The stream is valid only inside {@code reader.apply}: a streamed
	 * value's stream is drained and closed once it returns.
	 * @param <T> what the reader makes of the bytes
	 * @param stored the bytes read from Redis
	 * @param reader reads the original bytes from the stream it is given (and keeps no
	 * reference to it); what it throws on a value that decoded exactly is thrown as it
	 * is, an {@link Error} or an undeclared checked exception included
	 * @return what the reader returned
	 * @throws CompressedValueException if the value is framed but cannot be decoded
	 * exactly
	 */
	@SuppressWarnings("unchecked")
	public <T> T decompress(byte[] stored, Function<? super InputStream, ? extends T> reader) {
		Objects.requireNonNull(reader, "'reader' must not be null");
		Object decoded = decode(stored, reader);
		if (decoded instanceof VerifyingInputStream.Read read) {
			if (read.failure() != null) {
				// the value is intact: what the reader threw is the application's,
				// unchanged
				throw ValueCompressor.<RuntimeException>sneakyThrow(read.failure());
			}
			return (T) read.value();
		}
		return reader.apply(new ByteArrayInputStream((byte[]) decoded));
	}

	/**
	 * Decode a stored value: its original bytes, or with a reader, for a value that
	 * streams, what the reader made of them.
	 * @param stored the bytes read from Redis
	 * @param reader the reader of a value that streams, {@code null} to decode every
	 * value as one array
	 * @return the original bytes, or a {@link VerifyingInputStream.Read}
	 */
	private Object decode(byte[] stored, @Nullable Function<? super InputStream, ?> reader) {
		if (!WireFormat.isFramed(stored)) {
			byte[] foreign = (this.foreignFormats != null) ? decodeForeign(this.foreignFormats, stored) : null;
			if (foreign != null) {
				return foreign;
			}
			this.stats.recordPlainRead(stored.length);
			return stored;
		}
		@Nullable Object observation = this.stats.startDecompress(stored.length);
		boolean timed = timed();
		long start = now(null, timed);
		Header header = null;
		Algorithm algorithm = null;
		boolean ended = false;
		try {
			// the order of the checks is FORMAT.md's (section 3): it decides which fault
			// a value gets
			header = WireFormat.parse(stored);
			algorithm = Algorithm.forId(header.codecId());
			if (algorithm == null) {
				throw new WireFormatException(DecodeFault.UNKNOWN_CODEC, "codec id " + header.codecId()
						+ " is unknown to this reader; upgrade compress-redis on this application");
			}
			Codec codec = codec(algorithm);
			if (header.hasHeaderCheck() && algorithm == Algorithm.NONE && !header.checksumPresent()) {
				throw new WireFormatException(DecodeFault.CORRUPT,
						"a version 2 stored value must have the checksum flag set");
			}
			if (header.dictionaryId() != 0 && algorithm != Algorithm.ZSTD) {
				throw new WireFormatException(DecodeFault.MISSING_DICTIONARY,
						"written with dictionary " + header.dictionaryId() + " and codec " + algorithm.tag()
								+ ", but only zstd values use dictionaries");
			}
			int maxSize = this.policies.policy().maxDecompressedSize();
			// a stored value's bytes are all in memory already: its length is checked
			// against them instead
			if (algorithm != Algorithm.NONE && header.originalLength() > maxSize) {
				throw new WireFormatException(DecodeFault.TOO_LARGE, "declared size exceeds max-decompressed-size ("
						+ maxSize
						+ " bytes); raise compress.redis.max-decompressed-size if values this large are expected");
			}
			int fingerprint = 0;
			if (header.dictionaryId() != 0) {
				ZstdDictionaryCodec dictionary = dictionaryCodec(header.dictionaryId());
				fingerprint = dictionary.fingerprint();
				codec = dictionary;
			}
			if (header.hasHeaderCheck() && !header.checksumPresent() && WireFormat.check(stored, header.checkOffset(),
					header.dictionaryId(), fingerprint, null) != header.checksum()) {
				throw checkFailure(header);
			}
			int payloadLength = header.payloadLength(stored.length);
			// a length the payload cannot decode to is forged: refuse it before
			// allocating that much
			codec.checkDeclaredLength(stored, header.payloadOffset(), payloadLength, header.originalLength());
			if (reader != null && algorithm == Algorithm.ZSTD && header.dictionaryId() == 0
					&& header.originalLength() >= STREAMING_THRESHOLD) {
				VerifyingInputStream.Read read = VerifyingInputStream.read(stored, header, reader);
				ended = true;
				this.stats.recordDecompressed(algorithm, stored.length, header.originalLength(), elapsed(timed, start),
						observation);
				return read;
			}
			byte[] original = new byte[header.originalLength()];
			codec.decompress(stored, header.payloadOffset(), payloadLength, original);
			if (header.checksumPresent() && (header.hasHeaderCheck()
					? WireFormat.check(stored, header.checkOffset(), header.dictionaryId(), fingerprint, original)
					: WireFormat.crc32c(original, 0, original.length)) != header.checksum()) {
				throw checkFailure(header);
			}
			ended = true;
			this.stats.recordDecompressed(algorithm, stored.length, original.length, elapsed(timed, start),
					observation);
			return original;
		}
		catch (WireFormatException ex) {
			ended = true;
			// the format's own exception is internal: the cause is what the reader or
			// the codec threw, if anything
			throw failure(ex.getFault(), ex.getMessage(), ex.getCause(), header, algorithm, stored, observation);
		}
		catch (OutOfMemoryError ex) {
			// the codec's array, not a reader's (a reader's is in the Read)
			ended = true;
			throw failure(DecodeFault.TOO_LARGE, "not enough heap to decode it", ex, header, algorithm, stored,
					observation);
		}
		catch (RuntimeException ex) {
			ended = true;
			throw failure(DecodeFault.CORRUPT, "the codec rejected it: " + ex, ex, header, algorithm, stored,
					observation);
		}
		finally {
			if (!ended) {
				// an Error other than the heap's (thrown as it is): the value was not
				// read, and its observation must not stay open
				this.stats.recordReadFailure(DecodeFault.CORRUPT, algorithm, observation);
			}
		}
	}

	@SuppressWarnings("unchecked")
	private static <E extends Throwable> E sneakyThrow(Throwable ex) throws E {
		throw (E) ex;
	}

	private byte @Nullable [] decodeForeign(ForeignFormats foreignFormats, byte[] stored) {
		try {
			ForeignValue value = foreignFormats.decode(stored, this.policies.policy().maxDecompressedSize());
			return (value != null) ? value.original() : null;
		}
		catch (WireFormatException ex) {
			this.stats.recordReadFailure(ex.getFault());
			throw new CompressedValueException(ex.getFault(), "Cannot decode Redis value in a foreign format ("
					+ ex.getFault().tag() + ", stored size " + stored.length + " bytes): " + ex.getMessage(),
					ex.getCause());
		}
	}

	/**
	 * Measure what compressing the value at the algorithm's fastest level costs, for the
	 * breaker to compare the sampled write's cost with. The output is discarded.
	 * @param breaker the breaker that judges the cost
	 * @param codec the codec of the sampled write
	 * @param original the value written, {@code null} when it is given as chunks
	 * @param chunks the value written, {@code null} when it is given as one array
	 * @param headerLength the header space the codec reserves
	 * @param maxPayload the largest payload the write accepts
	 * @return the CPU time in nanoseconds, or {@link CompressionBreaker#NOT_MEASURED}
	 */
	private static long referenceCost(CompressionBreaker breaker, Codec codec, byte @Nullable [] original,
			@Nullable ChunkedOutputStream chunks, int headerLength, int maxPayload) {
		long cpuStart = breaker.cpuTime();
		if (cpuStart < 0) {
			return CompressionBreaker.NOT_MEASURED;
		}
		try {
			int referenceLevel = CompressionBreaker.referenceLevel(codec.algorithm());
			if (chunks != null) {
				// a streamed write is compared with streaming at the reference level
				ZstdStreams.compress(chunks, referenceLevel, headerLength, maxPayload);
			}
			else {
				breaker.referenceCodec(codec.algorithm()).compress(original, referenceLevel, headerLength, maxPayload);
			}
		}
		catch (RuntimeException ex) {
			// the write itself succeeded: only the sample is lost
			return CompressionBreaker.NOT_MEASURED;
		}
		return cpuSince(breaker, cpuStart);
	}

	private static long cpuSince(@Nullable CompressionBreaker breaker, long cpuStart) {
		long cpuEnd = (breaker != null) ? breaker.cpuTime() : CompressionBreaker.NOT_MEASURED;
		return (cpuEnd >= 0) ? Math.max(0, cpuEnd - cpuStart) : CompressionBreaker.NOT_MEASURED;
	}

	private static long waitedSince(CompressionBreaker breaker, long waitStart) {
		long waitEnd = breaker.waitTime();
		return (waitEnd >= 0) ? Math.max(0, waitEnd - waitStart) : 0;
	}

	/**
	 * The breaker's time, which a test may control, or the system's; {@code 0} when
	 * neither a breaker nor an observer reads it (the statistics' counters do not): two
	 * clock reads were 6% of a 400-byte value's lz4 write in the profile.
	 * @param breaker the breaker, if any
	 * @param timed what {@link #timed()} said when the value's first time was taken
	 * @return the current time in nanoseconds, or {@code 0}
	 */
	private static long now(@Nullable CompressionBreaker breaker, boolean timed) {
		if (breaker != null) {
			return breaker.now();
		}
		return timed ? System.nanoTime() : 0;
	}

	private static long elapsed(boolean timed, long start) {
		return timed ? System.nanoTime() - start : 0;
	}

	/**
	 * Whether an observer wants each value's time, decided once per value for both of its
	 * clock reads (an observer installed while a value is in flight gets 0 ns for that
	 * one value).
	 * @return whether to read the clock
	 */
	private boolean timed() {
		return this.stats.observer() != CompressionObserver.NONE;
	}

	private Codec codec(Algorithm algorithm) {
		try {
			return this.codecs.codec(algorithm);
		}
		catch (IllegalStateException ex) {
			throw new WireFormatException(DecodeFault.UNKNOWN_CODEC, ex.getMessage(), ex);
		}
	}

	private static WireFormatException checkFailure(Header header) {
		String covers = header.hasHeaderCheck() ? ((header.checksumPresent() ? "the header and the decoded bytes"
				: "the header")
				+ ((header.dictionaryId() != 0) ? " and dictionary " + header.dictionaryId()
						+ "'s fingerprint (a damaged value, or a dictionary other than the one it was written with)"
						: ""))
				: "the decoded bytes";
		return new WireFormatException(DecodeFault.CHECKSUM_MISMATCH, "the stored CRC-32C does not match " + covers);
	}

	private ZstdDictionaryCodec dictionaryCodec(int id) {
		DictionaryProvider dictionaries = this.dictionaries;
		if (dictionaries == null) {
			throw new WireFormatException(DecodeFault.MISSING_DICTIONARY, "written with dictionary " + id
					+ ", and this reader has no dictionary store to look it up in; enable dictionaries "
					+ "(compress.redis.dictionary.enabled=true, or give the ValueCompressor a DictionaryProvider)");
		}
		return dictionaries.codec(id);
	}

	private CompressedValueException failure(DecodeFault fault, String message, @Nullable Throwable cause,
			@Nullable Header header, Algorithm algorithm, byte[] stored, @Nullable Object observation) {
		this.stats.recordReadFailure(fault, algorithm, observation);
		String codec = (algorithm != null) ? algorithm.tag() : (header != null) ? "id " + header.codecId() : "unknown";
		String declared = (header != null) ? header.originalLength() + " bytes" : "unknown";
		return new CompressedValueException(fault, "Cannot decode compressed Redis value (" + fault.tag() + "; codec "
				+ codec + ", declared size " + declared + ", stored size " + stored.length + " bytes): " + message,
				cause);
	}

	private byte[] storePlain(byte @Nullable [] original, @Nullable ChunkedOutputStream chunks,
			CompressionPolicy policy) {
		return storePlain((original != null) ? original : chunks.toByteArray(), policy);
	}

	private byte[] storePlain(byte[] original, CompressionPolicy policy) {
		if (!WireFormat.isFramed(original)) {
			return original;
		}
		// a plain value that begins with the magic would be read as framed: frame it as
		// stored
		this.stats.recordEscapedWrite();
		int version = policy.writeVersion();
		// version 2 always checks an escaped value's bytes, so a foreign value is never
		// read as one
		boolean checksum = policy.checksum() || version == WireFormat.VERSION_2;
		int headerLength = WireFormat.headerLength(version, original.length, 0, checksum);
		byte[] stored = new byte[headerLength + original.length];
		WireFormat.writeHeader(version, stored, Algorithm.NONE.id(), original, 0, 0, checksum);
		System.arraycopy(original, 0, stored, headerLength, original.length);
		return stored;
	}

	private void warnCompressionFailure(Algorithm algorithm, int length, Throwable ex) {
		this.failureWarning.log((suppressed) -> "Compressing a value of " + length + " bytes with " + algorithm.tag()
				+ " failed; it was stored uncompressed (further failures in the next minute are logged at DEBUG)",
				() -> "Compressing a value of " + length + " bytes with " + algorithm.tag() + " failed", ex);
	}

	/**
	 * Return a builder of a compressor: the {@link CompressionPolicy#defaults() default
	 * policy}, the {@link CodecRegistry#shared() shared codecs}, statistics of its own
	 * and no breaker, dictionaries or foreign formats unless set.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Builds a {@link ValueCompressor}, naming each optional collaborator instead of
	 * passing {@code null} for it. Not thread-safe; each {@link #build()} returns a new
	 * compressor.
	 */
	public static final class Builder {

		private @Nullable CompressionPolicyHolder policies;

		private @Nullable CodecRegistry codecs;

		private @Nullable CompressionStats stats;

		private @Nullable CompressionBreaker breaker;

		private @Nullable DictionaryProvider dictionaries;

		private @Nullable DictionaryTarget dictionaryTarget;

		private @Nullable ForeignFormats foreignFormats;

		private Builder() {
		}

		/**
		 * Write with a fixed policy (replaces any
		 * {@link #policies(CompressionPolicyHolder) holder}).
		 * @param policy the policy
		 * @return this builder
		 */
		public Builder policy(CompressionPolicy policy) {
			this.policies = new CompressionPolicyHolder(Objects.requireNonNull(policy, "'policy' must not be null"));
			return this;
		}

		/**
		 * Write with the policy in force in a holder, which may change at runtime
		 * (replaces any {@link #policy(CompressionPolicy) fixed policy}).
		 * @param policies the holder
		 * @return this builder
		 */
		public Builder policies(CompressionPolicyHolder policies) {
			this.policies = Objects.requireNonNull(policies, "'policies' must not be null");
			return this;
		}

		/**
		 * Use these codecs instead of the {@link CodecRegistry#shared() shared} ones.
		 * @param codecs the codecs
		 * @return this builder
		 */
		public Builder codecs(CodecRegistry codecs) {
			this.codecs = Objects.requireNonNull(codecs, "'codecs' must not be null");
			return this;
		}

		/**
		 * Record into these statistics instead of new ones (give a breaker the same
		 * ones).
		 * @param stats the statistics
		 * @return this builder
		 */
		public Builder stats(CompressionStats stats) {
			this.stats = Objects.requireNonNull(stats, "'stats' must not be null");
			return this;
		}

		/**
		 * Let a breaker degrade writes.
		 * @param breaker the breaker, {@code null} for none
		 * @return this builder
		 */
		public Builder breaker(@Nullable CompressionBreaker breaker) {
			this.breaker = breaker;
			return this;
		}

		/**
		 * Read values written with a trained dictionary from this provider (without one,
		 * such values fail with {@code missing-dictionary}, unless a
		 * {@link #dictionaryTarget target} is set, whose registry then serves).
		 * @param dictionaries the provider, {@code null} for none
		 * @return this builder
		 */
		public Builder dictionaries(@Nullable DictionaryProvider dictionaries) {
			this.dictionaries = dictionaries;
			return this;
		}

		/**
		 * Write zstd values with this target's trained dictionary once it has one.
		 * @param dictionaryTarget the target, {@code null} to write without
		 * @return this builder
		 */
		public Builder dictionaryTarget(@Nullable DictionaryTarget dictionaryTarget) {
			this.dictionaryTarget = dictionaryTarget;
			return this;
		}

		/**
		 * Also read values other clients compressed in these formats (writes stay in
		 * compress-redis's format).
		 * @param foreignFormats the formats, {@code null} for none
		 * @return this builder
		 */
		public Builder foreignFormats(@Nullable ForeignFormats foreignFormats) {
			this.foreignFormats = foreignFormats;
			return this;
		}

		/**
		 * Build the compressor.
		 * @return a new compressor
		 */
		public ValueCompressor build() {
			CompressionPolicyHolder policies = (this.policies != null) ? this.policies
					: new CompressionPolicyHolder(CompressionPolicy.defaults());
			return new ValueCompressor(policies, (this.codecs != null) ? this.codecs : CodecRegistry.shared(),
					(this.stats != null) ? this.stats : new CompressionStats(), this.breaker, this.dictionaries,
					this.dictionaryTarget, this.foreignFormats);
		}

	}

}
