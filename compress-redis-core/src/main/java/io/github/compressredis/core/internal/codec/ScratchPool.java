package io.github.compressredis.core.internal.codec;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.jspecify.annotations.Nullable;

/**
 * Scratch arrays too big to stay with one pooled worker (above
 * {@link Codec#MAX_RETAINED_SCRATCH}), shared by every codec of the class loader and
 * bounded in total bytes: the arrays it keeps idle never add up to more than its budget,
 * whatever the number of threads (platform or virtual) borrowing from it. A thread that
 * finds no idle array big enough allocates one; when it gives it back, the array is kept
 * only if the budget has room for it (smaller idle arrays are dropped to make room, since
 * a bigger one serves every size they do), else it is left to the garbage collector.
 * Lock-free and allocation-free apart from those new arrays.
 *
 * @author compress-redis contributors
 */
final class ScratchPool {

	/**
	 * The most a budget is by default: compresses a value of about 60 MiB without new
	 * garbage.
	 */
	static final long MAX_DEFAULT_BUDGET = 64L * 1024 * 1024;

	/**
	 * Arrays are sized in steps of at least this much, so values of nearby sizes share
	 * them.
	 */
	static final int MIN_STEP = 64 * 1024;

	/** The largest array the JVM reliably allocates. */
	private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

	private static final int SLOTS = 8;

	/** The pool the codecs use: {@link #defaultBudget()} bytes at most. */
	static final ScratchPool SHARED = new ScratchPool(defaultBudget());

	private final AtomicReferenceArray<byte @Nullable []> slots = new AtomicReferenceArray<>(SLOTS);

	/**
	 * Bytes reserved for idle arrays: at least what the slots hold, at most the budget.
	 */
	private final AtomicLong reserved = new AtomicLong();

	private final long budget;

	ScratchPool(long budget) {
		this.budget = budget;
	}

	/**
	 * The smaller of {@value #MAX_DEFAULT_BUDGET} bytes and a sixteenth of the maximum
	 * heap.
	 * @return the default budget in bytes
	 */
	static long defaultBudget() {
		return Math.min(MAX_DEFAULT_BUDGET, Runtime.getRuntime().maxMemory() / 16);
	}

	long budget() {
		return this.budget;
	}

	/**
	 * Return the bytes of the arrays kept idle now (at most the budget).
	 * @return the idle bytes
	 */
	long idleBytes() {
		long total = 0;
		for (int i = 0; i < SLOTS; i++) {
			byte[] buffer = this.slots.get(i);
			total += (buffer != null) ? buffer.length : 0;
		}
		return total;
	}

	/**
	 * Take the smallest idle array of at least {@code size} bytes, or allocate one
	 * (rounded up to the next step, an eighth of the size's power of two, so that the
	 * next value of about the same size finds it).
	 * @param size the bytes needed
	 * @return an array of at least {@code size} bytes, to give back with {@link #release}
	 */
	byte[] borrow(int size) {
		for (int attempt = 0; attempt < 3; attempt++) {
			int best = -1;
			int bestLength = Integer.MAX_VALUE;
			for (int i = 0; i < SLOTS; i++) {
				byte[] candidate = this.slots.get(i);
				if (candidate != null && candidate.length >= size && candidate.length < bestLength) {
					best = i;
					bestLength = candidate.length;
				}
			}
			if (best < 0) {
				break;
			}
			byte[] taken = this.slots.get(best);
			if (taken != null && taken.length >= size && this.slots.compareAndSet(best, taken, null)) {
				this.reserved.addAndGet(-taken.length);
				return taken;
			}
		}
		return new byte[roundUp(size)];
	}

	/**
	 * Give an array back: kept idle if the budget has room for it, else dropped.
	 * @param buffer an array from {@link #borrow}
	 */
	void release(byte[] buffer) {
		long length = buffer.length;
		if (length > this.budget) {
			return;
		}
		while (true) {
			long idle = this.reserved.get();
			if (idle + length <= this.budget) {
				if (this.reserved.compareAndSet(idle, idle + length)) {
					break;
				}
			}
			else if (!dropSmallerThan(buffer.length)) {
				return;
			}
		}
		for (int i = 0; i < SLOTS; i++) {
			if (this.slots.get(i) == null && this.slots.compareAndSet(i, null, buffer)) {
				return;
			}
		}
		// every slot is taken: replace the smallest shorter array, which this one serves
		// as well
		int smallest = -1;
		int smallestLength = buffer.length;
		for (int i = 0; i < SLOTS; i++) {
			byte[] candidate = this.slots.get(i);
			if (candidate != null && candidate.length < smallestLength) {
				smallest = i;
				smallestLength = candidate.length;
			}
		}
		byte[] replaced = (smallest >= 0) ? this.slots.get(smallest) : null;
		if (replaced != null && replaced.length < buffer.length
				&& this.slots.compareAndSet(smallest, replaced, buffer)) {
			this.reserved.addAndGet(-replaced.length);
			return;
		}
		// nowhere to keep it: give its reservation back
		this.reserved.addAndGet(-length);
	}

	/**
	 * Drop the smallest idle array shorter than {@code length}.
	 * @param length the length the dropped array must be shorter than
	 * @return whether there was one
	 */
	private boolean dropSmallerThan(int length) {
		int smallest = -1;
		int smallestLength = length;
		for (int i = 0; i < SLOTS; i++) {
			byte[] candidate = this.slots.get(i);
			if (candidate != null && candidate.length < smallestLength) {
				smallest = i;
				smallestLength = candidate.length;
			}
		}
		if (smallest < 0) {
			return false;
		}
		byte[] dropped = this.slots.get(smallest);
		if (dropped != null && dropped.length < length && this.slots.compareAndSet(smallest, dropped, null)) {
			this.reserved.addAndGet(-dropped.length);
		}
		// another thread may have taken it meanwhile: the caller looks at the budget
		// again either way
		return true;
	}

	static int roundUp(int size) {
		long step = Math.max(MIN_STEP, Integer.highestOneBit(Math.max(size, 1)) >>> 3);
		long rounded = ((size + step - 1) / step) * step;
		return (int) Math.min(rounded, Math.max(size, MAX_ARRAY_LENGTH));
	}

}
