package io.github.compressredis.core.internal.codec;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * A bounded, lock-free and allocation-free pool of reusable workers (native contexts,
 * scratch buffers). A worker is only ever used by the thread that borrowed it. No
 * thread-locals are used, so millions of virtual threads share the same few workers: the
 * codecs' native calls pin their carrier, so at most as many workers as carriers are busy
 * at once.
 *
 * @param <T> the type of worker pooled
 * @author compress-redis contributors
 */
final class ObjectPool<T> {

	private final AtomicReferenceArray<@Nullable T> slots;

	private final Supplier<T> factory;

	private final Consumer<T> destroyer;

	private volatile boolean closed;

	ObjectPool(int capacity, Supplier<T> factory, Consumer<T> destroyer) {
		this.slots = new AtomicReferenceArray<>(capacity);
		this.factory = factory;
		this.destroyer = destroyer;
	}

	static int defaultCapacity() {
		return Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
	}

	T borrow() {
		if (this.closed) {
			throw new IllegalStateException("Codec is closed; it cannot be used after its registry was closed");
		}
		int length = this.slots.length();
		int start = start(length);
		for (int i = 0; i < length; i++) {
			int index = (start + i) % length;
			T candidate = this.slots.get(index);
			if (candidate != null && this.slots.compareAndSet(index, candidate, null)) {
				return candidate;
			}
		}
		return this.factory.get();
	}

	void release(T worker) {
		if (!this.closed) {
			int length = this.slots.length();
			int start = start(length);
			for (int i = 0; i < length; i++) {
				int index = (start + i) % length;
				if (this.slots.get(index) == null && this.slots.compareAndSet(index, null, worker)) {
					// close() may have drained the slots just before the worker went in:
					// take it back
					if (this.closed && this.slots.compareAndSet(index, worker, null)) {
						this.destroyer.accept(worker);
					}
					return;
				}
			}
		}
		this.destroyer.accept(worker);
	}

	void close() {
		this.closed = true;
		for (int i = 0; i < this.slots.length(); i++) {
			T worker = this.slots.getAndSet(i, null);
			if (worker != null) {
				this.destroyer.accept(worker);
			}
		}
	}

	int idle() {
		int count = 0;
		for (int i = 0; i < this.slots.length(); i++) {
			if (this.slots.get(i) != null) {
				count++;
			}
		}
		return count;
	}

	/**
	 * The slot a thread looks at first, so that a thread tends to get the same worker
	 * back. Derived from the thread's id, a field read: {@code System.identityHashCode}
	 * of a thread whose monitor is inflated (any thread that was ever joined or waited
	 * on) is a call into the VM on every borrow and release, which the profile of a
	 * value's decode showed.
	 * @param length the number of slots
	 * @return the index of the first slot to look at
	 */
	@SuppressWarnings("deprecation") // Thread.threadId() is Java 19+
	private static int start(int length) {
		long id = Thread.currentThread().getId();
		int h = (int) (id ^ (id >>> 32));
		return (h & 0x7FFFFFFF) % length;
	}

}
