package io.github.compressredis.core.stats;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.format.DecodeFault;
import io.github.compressredis.core.internal.stats.CompressionObserver;
import org.jspecify.annotations.Nullable;

/**
 * Lock-free counters of everything the serializers do: writes by outcome, compressed
 * writes and reads per codec, plain reads, read failures per fault, fallbacks and breaker
 * trips per reason, cache entries failed open, bytes in and out; and the breaker's
 * current status. Each event is counted once here; the time of each codec call is not
 * kept here but handed to the one {@link CompressionObserver} (Micrometer's timers, an
 * Observation), so no call is recorded twice. Safe to share between any number of
 * serializers and threads.
 *
 * @author compress-redis contributors
 */
public final class CompressionStats {

	private static final Algorithm[] ALGORITHMS = Algorithm.values();

	private static final WriteOutcome[] OUTCOMES = WriteOutcome.values();

	private static final DecodeFault[] FAULTS = DecodeFault.values();

	private static final FallbackReason[] REASONS = FallbackReason.values();

	private final LongAdder[] writesByOutcome = adders(OUTCOMES.length);

	private final LongAdder[] compressedWritesByCodec = adders(ALGORITHMS.length);

	private final LongAdder[] compressedReadsByCodec = adders(ALGORITHMS.length);

	private final LongAdder[] readFailuresByFault = adders(FAULTS.length);

	private final LongAdder[] fallbacksByReason = adders(REASONS.length);

	private final LongAdder[] breakerTripsByReason = adders(REASONS.length);

	private final LongAdder cacheFailOpens = new LongAdder();

	private final LongAdder plainReads = new LongAdder();

	private final LongAdder escapedWrites = new LongAdder();

	private final LongAdder writtenOriginalBytes = new LongAdder();

	private final LongAdder writtenStoredBytes = new LongAdder();

	private final LongAdder compressedOriginalBytes = new LongAdder();

	private final LongAdder compressedStoredBytes = new LongAdder();

	private final LongAdder readStoredBytes = new LongAdder();

	private final LongAdder readOriginalBytes = new LongAdder();

	private volatile CompressionObserver observer = CompressionObserver.NONE;

	private volatile BreakerStatus breakerStatus = BreakerStatus.DISABLED;

	private final @Nullable CompressionStats parent;

	private final String name;

	private final List<CompressionStats> parts = new CopyOnWriteArrayList<>();

	/** The name of statistics created without one: the shared compressor's. */
	public static final String DEFAULT_NAME = "default";

	/**
	 * Create statistics of their own.
	 */
	public CompressionStats() {
		this(null, DEFAULT_NAME);
	}

	/**
	 * Create the statistics of one part (a target) that also count everything in a
	 * parent's.
	 * @param parent the statistics that add up every part, {@code null} for none
	 * @param name the part's name, reported to the observer with each timed call
	 */
	public CompressionStats(@Nullable CompressionStats parent, String name) {
		this.parent = parent;
		this.name = Objects.requireNonNull(name, "'name' must not be null");
		if (parent != null) {
			parent.parts.add(this);
		}
	}

	/**
	 * Return the name these statistics report to the observer ({@code target} tag).
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	private static LongAdder[] adders(int count) {
		LongAdder[] adders = new LongAdder[count];
		for (int i = 0; i < count; i++) {
			adders[i] = new LongAdder();
		}
		return adders;
	}

	/**
	 * Set the observer that times each compression and decompression of these statistics
	 * and of all their parts. There is one: an observer that records into several
	 * registries fans out itself, so setting a second one is refused rather than silently
	 * disconnecting the first.
	 * @param observer the observer, {@link CompressionObserver#NONE} to remove it
	 * @throws IllegalStateException if another observer is set, or these are a part's
	 * statistics
	 */
	public synchronized void setObserver(CompressionObserver observer) {
		Objects.requireNonNull(observer, "'observer' must not be null");
		if (this.parent != null) {
			throw new IllegalStateException(
					"Statistics '" + this.name + "' are a part: set the observer on its parent");
		}
		if (observer != CompressionObserver.NONE && this.observer != CompressionObserver.NONE
				&& this.observer != observer) {
			throw new IllegalStateException("Statistics '" + this.name + "' already have an observer (" + this.observer
					+ "); remove it first (set CompressionObserver.NONE) or make one observer record into several registries");
		}
		this.observer = observer;
	}

	/**
	 * Return the observer of these statistics' tree (the root's).
	 * @return the observer, {@link CompressionObserver#NONE} when there is none
	 */
	public CompressionObserver observer() {
		return (this.parent != null) ? this.parent.observer() : this.observer;
	}

	/**
	 * Tell the observer that a value is about to be compressed (only values the policy
	 * asks to compress, at least {@code min-size}).
	 * @param algorithm the policy's algorithm
	 * @param originalBytes the delegate's bytes
	 * @return the observer's handle, to pass to
	 * {@link #recordWrite(WriteOutcome, Algorithm, int, int, long, Object)}
	 */
	public @Nullable Object startCompress(Algorithm algorithm, int originalBytes) {
		return observer().compressing(this.name, algorithm, originalBytes);
	}

	/**
	 * Tell the observer that a framed value is about to be decoded.
	 * @param storedBytes the bytes read from Redis
	 * @return the observer's handle, to pass to {@link #recordDecompressed} or
	 * {@link #recordReadFailure(DecodeFault, Algorithm, Object)}
	 */
	public @Nullable Object startDecompress(int storedBytes) {
		return observer().decompressing(this.name, storedBytes);
	}

	/**
	 * Count a value written.
	 * @param outcome what happened to it
	 * @param algorithm the policy's algorithm
	 * @param originalBytes the delegate's bytes
	 * @param storedBytes the bytes stored
	 * @param nanos time spent compressing, {@code 0} if none was attempted
	 */
	public void recordWrite(WriteOutcome outcome, Algorithm algorithm, int originalBytes, int storedBytes, long nanos) {
		recordWrite(outcome, algorithm, originalBytes, storedBytes, nanos, null);
	}

	/**
	 * Count a value written and end its observation.
	 * @param outcome what happened to it
	 * @param algorithm the policy's algorithm
	 * @param originalBytes the delegate's bytes
	 * @param storedBytes the bytes stored
	 * @param nanos time spent compressing, {@code 0} if none was attempted
	 * @param observation what {@link #startCompress} returned, {@code null} if it was not
	 * called
	 */
	public void recordWrite(WriteOutcome outcome, Algorithm algorithm, int originalBytes, int storedBytes, long nanos,
			@Nullable Object observation) {
		countWrite(outcome, algorithm, originalBytes, storedBytes);
		if (nanos != 0 || observation != null) {
			observer().written(this.name, observation, outcome, algorithm, originalBytes, storedBytes, nanos);
		}
	}

	private void countWrite(WriteOutcome outcome, Algorithm algorithm, int originalBytes, int storedBytes) {
		this.writesByOutcome[outcome.ordinal()].increment();
		this.writtenOriginalBytes.add(originalBytes);
		this.writtenStoredBytes.add(storedBytes);
		if (outcome == WriteOutcome.COMPRESSED) {
			this.compressedWritesByCodec[algorithm.ordinal()].increment();
			this.compressedOriginalBytes.add(originalBytes);
			this.compressedStoredBytes.add(storedBytes);
		}
		if (this.parent != null) {
			this.parent.countWrite(outcome, algorithm, originalBytes, storedBytes);
		}
	}

	/**
	 * Count a plain value that had to be framed with the stored codec because it begins
	 * with the magic (counted in addition to its write outcome).
	 */
	public void recordEscapedWrite() {
		this.escapedWrites.increment();
		if (this.parent != null) {
			this.parent.recordEscapedWrite();
		}
	}

	public void recordDecompressed(Algorithm algorithm, int storedBytes, int originalBytes, long nanos) {
		recordDecompressed(algorithm, storedBytes, originalBytes, nanos, null);
	}

	/**
	 * Count a compressed value read and end its observation.
	 * @param algorithm its codec
	 * @param storedBytes the bytes read from Redis
	 * @param originalBytes the decoded bytes
	 * @param nanos time spent decoding
	 * @param observation what {@link #startDecompress} returned, {@code null} if it was
	 * not called
	 */
	public void recordDecompressed(Algorithm algorithm, int storedBytes, int originalBytes, long nanos,
			@Nullable Object observation) {
		countDecompressed(algorithm, storedBytes, originalBytes);
		observer().decompressed(this.name, observation, algorithm, storedBytes, originalBytes, nanos);
	}

	private void countDecompressed(Algorithm algorithm, int storedBytes, int originalBytes) {
		this.compressedReadsByCodec[algorithm.ordinal()].increment();
		this.readStoredBytes.add(storedBytes);
		this.readOriginalBytes.add(originalBytes);
		if (this.parent != null) {
			this.parent.countDecompressed(algorithm, storedBytes, originalBytes);
		}
	}

	public void recordPlainRead(int storedBytes) {
		this.plainReads.increment();
		this.readStoredBytes.add(storedBytes);
		this.readOriginalBytes.add(storedBytes);
		if (this.parent != null) {
			this.parent.recordPlainRead(storedBytes);
		}
	}

	public void recordReadFailure(DecodeFault fault) {
		this.readFailuresByFault[fault.ordinal()].increment();
		if (this.parent != null) {
			this.parent.recordReadFailure(fault);
		}
	}

	/**
	 * Count a framed value that could not be read and end its observation.
	 * @param fault why
	 * @param algorithm its codec, {@code null} if the header did not name a known one
	 * @param observation what {@link #startDecompress} returned, {@code null} if it was
	 * not called
	 */
	public void recordReadFailure(DecodeFault fault, @Nullable Algorithm algorithm, @Nullable Object observation) {
		recordReadFailure(fault);
		if (observation != null) {
			observer().readFailed(this.name, observation, algorithm, fault);
		}
	}

	/**
	 * Count a value not written the way the policy asks: compressed at a faster level or
	 * stored plain (counted in addition to its write outcome).
	 * @param reason why
	 */
	public void recordFallback(FallbackReason reason) {
		this.fallbacksByReason[reason.ordinal()].increment();
		if (this.parent != null) {
			this.parent.recordFallback(reason);
		}
	}

	/**
	 * Count a trip of the breaker and publish its new status.
	 * @param reason why it tripped
	 * @param status its status after the trip
	 */
	public void recordBreakerTrip(FallbackReason reason, BreakerStatus status) {
		this.breakerTripsByReason[reason.ordinal()].increment();
		this.breakerStatus = status;
		if (this.parent != null) {
			// the parent's status is the most severe of its parts', not the last one
			// reported
			this.parent.breakerTripsByReason[reason.ordinal()].increment();
		}
	}

	/**
	 * Publish the breaker's status after a change that is not a trip (half-open, closed).
	 * @param status the status
	 */
	public void recordBreakerStatus(BreakerStatus status) {
		this.breakerStatus = status;
	}

	/**
	 * Count a cache entry that could not be decoded and was treated as a miss (counted in
	 * addition to its read failure).
	 */
	public void recordCacheFailOpen() {
		this.cacheFailOpens.increment();
		if (this.parent != null) {
			this.parent.recordCacheFailOpen();
		}
	}

	public long writes(WriteOutcome outcome) {
		return this.writesByOutcome[outcome.ordinal()].sum();
	}

	public long writes() {
		return sum(this.writesByOutcome);
	}

	public long compressedWrites(Algorithm algorithm) {
		return this.compressedWritesByCodec[algorithm.ordinal()].sum();
	}

	public long compressedReads(Algorithm algorithm) {
		return this.compressedReadsByCodec[algorithm.ordinal()].sum();
	}

	public long compressedReads() {
		return sum(this.compressedReadsByCodec);
	}

	public long plainReads() {
		return this.plainReads.sum();
	}

	public long readFailures(DecodeFault fault) {
		return this.readFailuresByFault[fault.ordinal()].sum();
	}

	public long readFailures() {
		return sum(this.readFailuresByFault);
	}

	public long fallbacks(FallbackReason reason) {
		return this.fallbacksByReason[reason.ordinal()].sum();
	}

	public long fallbacks() {
		return sum(this.fallbacksByReason);
	}

	public long breakerTrips(FallbackReason reason) {
		return this.breakerTripsByReason[reason.ordinal()].sum();
	}

	/**
	 * Cache entries that could not be decoded and were treated as misses.
	 * @return the number of fail-opens
	 */
	public long cacheFailOpens() {
		return this.cacheFailOpens.sum();
	}

	/**
	 * Return what the breaker of the compressors using these statistics is doing; with
	 * parts (one per target), the most severe status among this one's and the parts'.
	 * @return its status, {@link BreakerStatus#DISABLED} when there is none
	 */
	public BreakerStatus breakerStatus() {
		BreakerStatus status = this.breakerStatus;
		for (CompressionStats part : this.parts) {
			BreakerStatus candidate = part.breakerStatus();
			if (candidate.state().ordinal() > status.state().ordinal()) {
				status = candidate;
			}
		}
		return status;
	}

	public long escapedWrites() {
		return this.escapedWrites.sum();
	}

	/**
	 * Bytes the delegates produced for all values written.
	 * @return the original bytes written
	 */
	public long writtenOriginalBytes() {
		return this.writtenOriginalBytes.sum();
	}

	/**
	 * Bytes stored for all values written.
	 * @return the stored bytes written
	 */
	public long writtenStoredBytes() {
		return this.writtenStoredBytes.sum();
	}

	/**
	 * Original bytes of the values stored compressed.
	 * @return the original bytes of compressed values
	 */
	public long compressedOriginalBytes() {
		return this.compressedOriginalBytes.sum();
	}

	/**
	 * Stored bytes of the values stored compressed.
	 * @return the stored bytes of compressed values
	 */
	public long compressedStoredBytes() {
		return this.compressedStoredBytes.sum();
	}

	public long readStoredBytes() {
		return this.readStoredBytes.sum();
	}

	public long readOriginalBytes() {
		return this.readOriginalBytes.sum();
	}

	/**
	 * Compression attempts: values written compressed, not worth it, or failed.
	 * @return the number of compression attempts
	 */
	public long compressAttempts() {
		return writes(WriteOutcome.COMPRESSED) + writes(WriteOutcome.NOT_WORTH_IT) + writes(WriteOutcome.FAILED);
	}

	/**
	 * Return a consistent-enough copy of all counters (each counter is read once;
	 * counters updated concurrently may be a few events apart).
	 * @return the snapshot
	 */
	public Snapshot snapshot() {
		Map<WriteOutcome, Long> outcomes = new EnumMap<>(WriteOutcome.class);
		for (WriteOutcome outcome : OUTCOMES) {
			outcomes.put(outcome, writes(outcome));
		}
		Map<Algorithm, Long> compressedWrites = new EnumMap<>(Algorithm.class);
		Map<Algorithm, Long> compressedReads = new EnumMap<>(Algorithm.class);
		for (Algorithm algorithm : ALGORITHMS) {
			compressedWrites.put(algorithm, compressedWrites(algorithm));
			compressedReads.put(algorithm, compressedReads(algorithm));
		}
		Map<DecodeFault, Long> failures = new EnumMap<>(DecodeFault.class);
		for (DecodeFault fault : FAULTS) {
			failures.put(fault, readFailures(fault));
		}
		Map<FallbackReason, Long> fallbacks = new EnumMap<>(FallbackReason.class);
		Map<FallbackReason, Long> trips = new EnumMap<>(FallbackReason.class);
		for (FallbackReason reason : REASONS) {
			fallbacks.put(reason, fallbacks(reason));
			trips.put(reason, breakerTrips(reason));
		}
		return new Snapshot(Map.copyOf(outcomes), Map.copyOf(compressedWrites), Map.copyOf(compressedReads),
				Map.copyOf(failures), plainReads(), escapedWrites(), writtenOriginalBytes(), writtenStoredBytes(),
				compressedOriginalBytes(), compressedStoredBytes(), readStoredBytes(), readOriginalBytes(),
				Map.copyOf(fallbacks), Map.copyOf(trips), cacheFailOpens(), breakerStatus());
	}

	private static long sum(LongAdder[] adders) {
		long total = 0;
		for (LongAdder adder : adders) {
			total += adder.sum();
		}
		return total;
	}

	/**
	 * An immutable copy of the counters.
	 *
	 * @param writesByOutcome values written, by outcome
	 * @param compressedWritesByCodec values stored compressed, by codec
	 * @param compressedReadsByCodec compressed values read, by codec
	 * @param readFailuresByFault framed values that could not be read, by fault
	 * @param plainReads plain values read
	 * @param escapedWrites plain values framed because they begin with the magic
	 * @param writtenOriginalBytes delegate bytes of all values written
	 * @param writtenStoredBytes bytes stored for all values written
	 * @param compressedOriginalBytes original bytes of values stored compressed
	 * @param compressedStoredBytes stored bytes of values stored compressed
	 * @param readStoredBytes bytes read from Redis
	 * @param readOriginalBytes bytes handed to the delegates on read
	 * @param fallbacksByReason values not written the way the policy asks, by reason
	 * @param breakerTripsByReason breaker trips, by reason
	 * @param cacheFailOpens cache entries that could not be decoded and were treated as
	 * misses
	 * @param breaker the breaker's status
	 */
	public record Snapshot(Map<WriteOutcome, Long> writesByOutcome, Map<Algorithm, Long> compressedWritesByCodec,
			Map<Algorithm, Long> compressedReadsByCodec, Map<DecodeFault, Long> readFailuresByFault, long plainReads,
			long escapedWrites, long writtenOriginalBytes, long writtenStoredBytes, long compressedOriginalBytes,
			long compressedStoredBytes, long readStoredBytes, long readOriginalBytes,
			Map<FallbackReason, Long> fallbacksByReason, Map<FallbackReason, Long> breakerTripsByReason,
			long cacheFailOpens, BreakerStatus breaker) {

		public long writes() {
			return this.writesByOutcome.values().stream().mapToLong(Long::longValue).sum();
		}

		public long compressedReads() {
			return this.compressedReadsByCodec.values().stream().mapToLong(Long::longValue).sum();
		}

		/**
		 * Share of writes stored compressed, {@code 0} before any write.
		 * @return the write hit ratio
		 */
		public double writeHitRatio() {
			long writes = writes();
			return (writes != 0) ? (double) this.writesByOutcome.get(WriteOutcome.COMPRESSED) / writes : 0.0;
		}

		/**
		 * Share of successful reads that were compressed values, {@code 0} before any
		 * read.
		 * @return the read hit ratio
		 */
		public double readHitRatio() {
			long reads = compressedReads() + this.plainReads;
			return (reads != 0) ? (double) compressedReads() / reads : 0.0;
		}

		/**
		 * Bytes not stored thanks to compression.
		 * @return the bytes saved
		 */
		public long bytesSaved() {
			return this.writtenOriginalBytes - this.writtenStoredBytes;
		}

		/**
		 * Stored size over original size of the values stored compressed, {@code 1}
		 * before any.
		 * @return the average ratio
		 */
		public double averageRatio() {
			return (this.compressedOriginalBytes != 0)
					? (double) this.compressedStoredBytes / this.compressedOriginalBytes : 1.0;
		}

	}

}
