package io.github.compressredis.core.internal.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared pool of scratch arrays too big for one worker: reused across values, and
 * never holding more idle bytes than its budget, however many threads use it.
 */
class ScratchPoolTests {

	private static final int MIB = 1024 * 1024;

	@Test
	void aReleasedArrayServesTheNextValueOfAboutTheSameSize() {
		ScratchPool pool = new ScratchPool(16L * MIB);
		byte[] first = pool.borrow(3 * MIB + 5);
		assertThat(first.length).isBetween(3 * MIB + 5, (int) (3 * MIB * 1.13));
		pool.release(first);
		assertThat(pool.idleBytes()).isEqualTo(first.length);
		assertThat(pool.borrow(3 * MIB + 100)).isSameAs(first);
		assertThat(pool.idleBytes()).isZero();
	}

	@Test
	void anArrayTheBudgetHasNoRoomForIsDroppedAndSmallerIdleOnesMakeWayForABiggerOne() {
		ScratchPool pool = new ScratchPool(8L * MIB);
		byte[] small = pool.borrow(2 * MIB);
		byte[] big = pool.borrow(7 * MIB);
		byte[] huge = pool.borrow(12 * MIB);
		pool.release(small);
		pool.release(huge);
		assertThat(pool.idleBytes()).isEqualTo(small.length);
		pool.release(big);
		// the 2 MiB array went so that the 7 MiB one, which serves every size it did,
		// fits
		assertThat(pool.idleBytes()).isEqualTo(big.length);
		assertThat(pool.borrow(MIB)).isSameAs(big);
	}

	@Test
	void aBiggerArrayReplacesTheSmallestWhenEverySlotIsTaken() {
		ScratchPool pool = new ScratchPool(64L * MIB);
		List<byte[]> small = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			small.add(pool.borrow(MIB + i * 100_000));
		}
		byte[] big = pool.borrow(9 * MIB);
		small.forEach(pool::release);
		pool.release(big);
		assertThat(pool.borrow(9 * MIB)).as("the big array was kept").isSameAs(big);
		assertThat(pool.idleBytes()).isLessThan(8L * small.get(7).length);
	}

	@Test
	void idleBytesStayWithinTheBudgetUnderManyThreads() throws Exception {
		long budget = 24L * MIB;
		ScratchPool pool = new ScratchPool(budget);
		AtomicLong maxSeen = new AtomicLong();
		List<Future<?>> tasks = new ArrayList<>();
		// no thread-locals: the bound is the same for virtual threads, which Java 17
		// lacks
		ExecutorService executor = Executors.newFixedThreadPool(16);
		try {
			for (int task = 0; task < 200; task++) {
				tasks.add(executor.submit(() -> {
					for (int i = 0; i < 20; i++) {
						byte[] array = pool.borrow(ThreadLocalRandom.current().nextInt(300 * 1024, 9 * MIB));
						array[array.length - 1] = 1;
						pool.release(array);
						maxSeen.accumulateAndGet(pool.idleBytes(), Math::max);
					}
				}));
			}
			for (Future<?> future : tasks) {
				future.get();
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(maxSeen.get()).isPositive().isLessThanOrEqualTo(budget);
		assertThat(pool.idleBytes()).isLessThanOrEqualTo(budget);
	}

	@Test
	void codecsSharingThePoolFromManyThreadsCompressBigValuesCorrectly() throws Exception {
		byte[] value = LargeValueAllocationTests.json(MIB + 12345);
		List<Future<?>> tasks = new ArrayList<>();
		ExecutorService executor = Executors.newFixedThreadPool(8);
		try (CodecRegistry registry = new CodecRegistry()) {
			for (int task = 0; task < 32; task++) {
				Algorithm algorithm = (task % 2 == 0) ? Algorithm.ZSTD : Algorithm.LZ4;
				tasks.add(executor.submit(() -> {
					Codec codec = registry.codec(algorithm);
					for (int i = 0; i < 4; i++) {
						byte[] compressed = codec.compress(value, (algorithm == Algorithm.ZSTD) ? 3 : 0, 0,
								value.length);
						assertThat(compressed).isNotNull();
						byte[] decoded = new byte[value.length];
						codec.decompress(compressed, 0, compressed.length, decoded);
						assertThat(decoded).isEqualTo(value);
						assertThat(ScratchPool.SHARED.idleBytes()).isLessThanOrEqualTo(ScratchPool.SHARED.budget());
					}
				}));
			}
			for (Future<?> future : tasks) {
				future.get();
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void sizesAreRoundedToAnEighthOfTheirPowerOfTwo() {
		assertThat(ScratchPool.roundUp(1)).isEqualTo(ScratchPool.MIN_STEP);
		assertThat(ScratchPool.roundUp(8 * MIB)).isEqualTo(8 * MIB);
		assertThat(ScratchPool.roundUp(8 * MIB + 1)).isEqualTo(9 * MIB);
		assertThat(ScratchPool.roundUp(Integer.MAX_VALUE - 8)).isEqualTo(Integer.MAX_VALUE - 8);
	}

}
