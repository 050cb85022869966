package io.github.compressredis.core.stats;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.format.DecodeFault;
import org.jspecify.annotations.Nullable;

/**
 * Lock-free counters of everything the serializers do: writes by outcome, compressed writes and
 * reads per codec, plain reads, read failures per fault, fallbacks and breaker trips per reason,
 * cache entries failed open, bytes in and out, and time spent; and the breaker's current status.
 * Safe to share between any number of serializers and threads.
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

	private final LongAdder compressNanos = new LongAdder();

	private final LongAdder decompressNanos = new LongAdder();

	private final LatencyHistogram compressLatency = new LatencyHistogram();

	private final LatencyHistogram decompressLatency = new LatencyHistogram();

	private volatile CompressionObserver observer = CompressionObserver.NONE;

	private volatile BreakerStatus breakerStatus = BreakerStatus.DISABLED;

	private final @Nullable CompressionStats parent;

	private final List<CompressionStats> parts = new CopyOnWriteArrayList<>();

	/**
	 * Create statistics of their own.
	 */
	public CompressionStats() {
		this(null);
	}

	/**
	 * Create the statistics of one part (a target) that also count everything in a parent's.
	 * @param parent the statistics that add up every part, {@code null} for none
	 */
	public CompressionStats(@Nullable CompressionStats parent) {
		this.parent = parent;
		if (parent != null) {
			parent.parts.add(this);
		}
	}

	private static LongAdder[] adders(int count) {
		LongAdder[] adders = new LongAdder[count];
		for (int i = 0; i < count; i++) {
			adders[i] = new LongAdder();
		}
		return adders;
	}

	/**
	 * Set the observer that also receives every event (one per stats object).
	 * @param observer the observer, {@link CompressionObserver#NONE} to remove it
	 */
	public void setObserver(CompressionObserver observer) {
		this.observer = Objects.requireNonNull(observer, "'observer' must not be null");
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
		this.writesByOutcome[outcome.ordinal()].increment();
		this.writtenOriginalBytes.add(originalBytes);
		this.writtenStoredBytes.add(storedBytes);
		if (outcome == WriteOutcome.COMPRESSED) {
			this.compressedWritesByCodec[algorithm.ordinal()].increment();
			this.compressedOriginalBytes.add(originalBytes);
			this.compressedStoredBytes.add(storedBytes);
		}
		if (nanos != 0) {
			this.compressNanos.add(nanos);
			this.compressLatency.record(nanos);
		}
		this.observer.written(outcome, algorithm, originalBytes, storedBytes, nanos);
		if (this.parent != null) {
			this.parent.recordWrite(outcome, algorithm, originalBytes, storedBytes, nanos);
		}
	}

	/**
	 * Count a plain value that had to be framed with the stored codec because it begins with the
	 * magic (counted in addition to its write outcome).
	 */
	public void recordEscapedWrite() {
		this.escapedWrites.increment();
		if (this.parent != null) {
			this.parent.recordEscapedWrite();
		}
	}

	public void recordDecompressed(Algorithm algorithm, int storedBytes, int originalBytes, long nanos) {
		this.compressedReadsByCodec[algorithm.ordinal()].increment();
		this.readStoredBytes.add(storedBytes);
		this.readOriginalBytes.add(originalBytes);
		this.decompressNanos.add(nanos);
		this.decompressLatency.record(nanos);
		this.observer.decompressed(algorithm, storedBytes, originalBytes, nanos);
		if (this.parent != null) {
			this.parent.recordDecompressed(algorithm, storedBytes, originalBytes, nanos);
		}
	}

	public void recordPlainRead(int storedBytes) {
		this.plainReads.increment();
		this.readStoredBytes.add(storedBytes);
		this.readOriginalBytes.add(storedBytes);
		this.observer.plainRead(storedBytes);
		if (this.parent != null) {
			this.parent.recordPlainRead(storedBytes);
		}
	}

	public void recordReadFailure(DecodeFault fault) {
		this.readFailuresByFault[fault.ordinal()].increment();
		this.observer.readFailed(fault);
		if (this.parent != null) {
			this.parent.recordReadFailure(fault);
		}
	}

	/**
	 * Count a value not written the way the policy asks: compressed at a faster level or stored
	 * plain (counted in addition to its write outcome).
	 * @param reason why
	 */
	public void recordFallback(FallbackReason reason) {
		this.fallbacksByReason[reason.ordinal()].increment();
		this.observer.fellBack(reason);
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
			// the parent's status is the most severe of its parts', not the last one reported
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
	 * Count a cache entry that could not be decoded and was treated as a miss (counted in addition
	 * to its read failure).
	 */
	public void recordCacheFailOpen() {
		this.cacheFailOpens.increment();
		this.observer.cacheFailedOpen();
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

	/** Cache entries that could not be decoded and were treated as misses. */
	public long cacheFailOpens() {
		return this.cacheFailOpens.sum();
	}

	/**
	 * Return what the breaker of the compressors using these statistics is doing; with parts (one
	 * per target), the most severe status among this one's and the parts'.
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

	/** Bytes the delegates produced for all values written. */
	public long writtenOriginalBytes() {
		return this.writtenOriginalBytes.sum();
	}

	/** Bytes stored for all values written. */
	public long writtenStoredBytes() {
		return this.writtenStoredBytes.sum();
	}

	/** Original bytes of the values stored compressed. */
	public long compressedOriginalBytes() {
		return this.compressedOriginalBytes.sum();
	}

	/** Stored bytes of the values stored compressed. */
	public long compressedStoredBytes() {
		return this.compressedStoredBytes.sum();
	}

	public long readStoredBytes() {
		return this.readStoredBytes.sum();
	}

	public long readOriginalBytes() {
		return this.readOriginalBytes.sum();
	}

	public long compressNanos() {
		return this.compressNanos.sum();
	}

	public long decompressNanos() {
		return this.decompressNanos.sum();
	}

	/** Time spent on each compression attempt. */
	public LatencyHistogram compressLatency() {
		return this.compressLatency;
	}

	/** Time spent decoding each compressed value. */
	public LatencyHistogram decompressLatency() {
		return this.decompressLatency;
	}

	/**
	 * Return a consistent-enough copy of all counters (each counter is read once; counters updated
	 * concurrently may be a few events apart).
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
				compressNanos(), decompressNanos(), Map.copyOf(fallbacks), Map.copyOf(trips), cacheFailOpens(),
				breakerStatus());
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
	 * @param compressNanos time spent compressing
	 * @param decompressNanos time spent decompressing
	 * @param fallbacksByReason values not written the way the policy asks, by reason
	 * @param breakerTripsByReason breaker trips, by reason
	 * @param cacheFailOpens cache entries that could not be decoded and were treated as misses
	 * @param breaker the breaker's status
	 */
	public record Snapshot(Map<WriteOutcome, Long> writesByOutcome, Map<Algorithm, Long> compressedWritesByCodec,
			Map<Algorithm, Long> compressedReadsByCodec, Map<DecodeFault, Long> readFailuresByFault, long plainReads,
			long escapedWrites, long writtenOriginalBytes, long writtenStoredBytes, long compressedOriginalBytes,
			long compressedStoredBytes, long readStoredBytes, long readOriginalBytes, long compressNanos,
			long decompressNanos, Map<FallbackReason, Long> fallbacksByReason,
			Map<FallbackReason, Long> breakerTripsByReason, long cacheFailOpens, BreakerStatus breaker) {

		public long writes() {
			return this.writesByOutcome.values().stream().mapToLong(Long::longValue).sum();
		}

		public long compressedReads() {
			return this.compressedReadsByCodec.values().stream().mapToLong(Long::longValue).sum();
		}

		/** Share of writes stored compressed, {@code 0} before any write. */
		public double writeHitRatio() {
			long writes = writes();
			return (writes != 0) ? (double) this.writesByOutcome.get(WriteOutcome.COMPRESSED) / writes : 0.0;
		}

		/** Share of successful reads that were compressed values, {@code 0} before any read. */
		public double readHitRatio() {
			long reads = compressedReads() + this.plainReads;
			return (reads != 0) ? (double) compressedReads() / reads : 0.0;
		}

		/** Bytes not stored thanks to compression. */
		public long bytesSaved() {
			return this.writtenOriginalBytes - this.writtenStoredBytes;
		}

		/** Stored size over original size of the values stored compressed, {@code 1} before any. */
		public double averageRatio() {
			return (this.compressedOriginalBytes != 0) ? (double) this.compressedStoredBytes / this.compressedOriginalBytes
					: 1.0;
		}

	}

}
