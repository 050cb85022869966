package io.github.compressredis.core.internal.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The pool behind every codec's native contexts and scratch buffers.
 */
class ObjectPoolTests {

	private final AtomicInteger created = new AtomicInteger();

	private final List<Worker> destroyed = new ArrayList<>();

	private ObjectPool<Worker> pool(int capacity) {
		return new ObjectPool<>(capacity, () -> new Worker(this.created.incrementAndGet()), (worker) -> {
			synchronized (this.destroyed) {
				worker.destroyed = true;
				this.destroyed.add(worker);
			}
		});
	}

	@Test
	void borrowCreatesAWorkerWhenNoneIsIdleAndReleaseKeepsItForTheNextBorrow() {
		ObjectPool<Worker> pool = pool(4);
		assertThat(pool.idle()).isZero();
		Worker first = pool.borrow();
		assertThat(this.created).hasValue(1);
		assertThat(pool.idle()).isZero();
		pool.release(first);
		assertThat(pool.idle()).isOne();
		assertThat(pool.borrow()).isSameAs(first);
		assertThat(this.created).hasValue(1);
		assertThat(pool.idle()).isZero();
	}

	@Test
	void workersReleasedBeyondCapacityAreDestroyed() {
		ObjectPool<Worker> pool = pool(2);
		List<Worker> borrowed = List.of(pool.borrow(), pool.borrow(), pool.borrow());
		borrowed.forEach(pool::release);
		assertThat(pool.idle()).isEqualTo(2);
		assertThat(this.destroyed).hasSize(1);
		assertThat(this.destroyed.get(0).destroyed).isTrue();
	}

	@Test
	void closeDestroysIdleWorkersAndRefusesBorrow() {
		ObjectPool<Worker> pool = pool(4);
		Worker a = pool.borrow();
		Worker b = pool.borrow();
		pool.release(a);
		pool.release(b);
		pool.close();
		assertThat(pool.idle()).isZero();
		assertThat(this.destroyed).containsExactlyInAnyOrder(a, b);
		assertThatIllegalStateException().isThrownBy(pool::borrow).withMessageContaining("closed");
	}

	@Test
	void workerReleasedAfterCloseIsDestroyedNotKept() {
		ObjectPool<Worker> pool = pool(4);
		Worker inUse = pool.borrow();
		pool.close();
		assertThat(this.destroyed).isEmpty();
		pool.release(inUse);
		assertThat(pool.idle()).isZero();
		assertThat(this.destroyed).containsExactly(inUse);
	}

	@Test
	void concurrentBorrowNeverHandsTheSameWorkerToTwoThreads() throws InterruptedException {
		ObjectPool<Worker> pool = pool(4);
		int threads = 8;
		int iterations = 100_000;
		AtomicLong overlaps = new AtomicLong();
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> started = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			Thread thread = new Thread(() -> {
				awaitQuietly(start);
				for (int i = 0; i < iterations; i++) {
					Worker worker = pool.borrow();
					if (!worker.inUse.compareAndSet(false, true) || worker.destroyed) {
						overlaps.incrementAndGet();
					}
					worker.uses++;
					if (!worker.inUse.compareAndSet(true, false)) {
						overlaps.incrementAndGet();
					}
					pool.release(worker);
				}
			});
			started.add(thread);
			thread.start();
		}
		start.countDown();
		for (Thread thread : started) {
			thread.join(TimeUnit.SECONDS.toMillis(60));
			assertThat(thread.isAlive()).isFalse();
		}
		assertThat(overlaps).hasValue(0);
		// every borrow went to exactly one worker: the plain (unsynchronized) use counts
		// add up
		long uses = 0;
		while (pool.idle() > 0) {
			uses += pool.borrow().uses;
		}
		synchronized (this.destroyed) {
			for (Worker worker : this.destroyed) {
				uses += worker.uses;
			}
		}
		assertThat(uses).isEqualTo((long) threads * iterations);
		assertThat(pool.idle()).isZero();
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static final class Worker {

		final int id;

		final AtomicBoolean inUse = new AtomicBoolean();

		volatile boolean destroyed;

		long uses;

		Worker(int id) {
			this.id = id;
		}

		@Override
		public String toString() {
			return "worker " + this.id;
		}

	}

}
